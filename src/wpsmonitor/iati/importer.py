"""Import IATI files into the database: all or nothing, streaming, with a summary.

    run = import_files(paths=[...], wps_filter=WpsFilter(...), plan=None, user=None)

One run is one database transaction over all its files: any refused file (hostile, not IATI,
not well-formed) or any error rolls everything back, and the run is recorded as failed with
the reason. The run's own row is written outside that transaction so a failure stays visible;
a run whose process was killed is marked failed by `fail_abandoned_runs` (its rows were never
committed).

Activities are read one at a time (`iati.reader`) and written in chunks, so memory stays flat.
The relevance filter (`WpsFilter`) decides which activities are kept; every activity read is
counted in the summary, kept or not. Re-importing an activity updates its row in place and
replaces its participants, sectors and transactions (no duplicates; user links survive).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pycountry
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wpsmonitor.iati import models as m
from wpsmonitor.iati.reader import IatiFileRefused, IatiReader, OrganisationRecord
from wpsmonitor.iati.records import Activity, OrgRef
from wpsmonitor.plans.models import Plan

# OECD DAC CRS purpose codes relevant to WPS (IATI Sector codelist, vocabulary 1; DAC 5-digit
# list, sector 151 "Government and civil society, general" and 152 "Conflict, peace and
# security"). Legacy 15164 is read as 15170 by the reader.
CORE_SECTORS = frozenset({"15170", "15180", "15220"})
WPS_SECTORS = CORE_SECTORS | frozenset(
    {
        "15130",  # Legal and judicial development
        "15131",  # Justice, law and order policy, planning and administration
        "15132",  # Police
        "15134",  # Judicial affairs
        "15135",  # Ombudsman
        "15137",  # Prisons
        "15210",  # Security system management and reform
        "15230",  # Participation in international peacekeeping operations
        "15240",  # Reintegration and SALW control
        "15250",  # Removal of land mines and explosive remnants of war
        "15261",  # Child soldiers (prevention and demobilisation)
    }
)
# (15133 fire and rescue and 15136 immigration, also in 1513x, are left out: not WPS.)

CRITERIA = ("sectors", "gender", "humanitarian", "all")
DEFAULT_CRITERIA = ("sectors", "gender")

SKIP_REASONS = {
    "country": gettext_lazy("not in the chosen countries"),
    "not_wps": gettext_lazy("matches none of the chosen criteria"),
    "no_identifier": gettext_lazy("no iati-identifier"),
}

CHUNK = 500  # activities written per database round
MAX_PROBLEMS_KEPT = 1000  # problems stored in the summary; all are counted
STALE_AFTER = timedelta(minutes=15)  # a running import that has not moved for this long is dead


class ImportRefused(Exception):
    """The run failed; nothing of it was stored. `run` holds the reason and the counts."""

    def __init__(self, run: m.ImportRun) -> None:
        super().__init__(run.error)
        self.run = run


@dataclass(frozen=True)
class WpsFilter:
    """Which activities are kept.

    An activity is kept when it is in one of `countries` (any country when empty) **and**
    matches at least one criterion: "sectors" (a DAC purpose code of `sectors`, at activity or
    transaction level), "gender" (gender marker 1 significant or 2 principal), "humanitarian"
    (flagged humanitarian), or "all" (every activity). Default: sectors or gender.
    """

    countries: frozenset[str] = frozenset()
    criteria: frozenset[str] = frozenset(DEFAULT_CRITERIA)
    sectors: frozenset[str] = WPS_SECTORS

    def skip_reason(self, activity: Activity) -> str | None:
        if self.countries and not self.countries.intersection(activity.recipient_countries):
            return "country"
        if "all" in self.criteria:
            return None
        if "sectors" in self.criteria and any(
            s.vocabulary == "1" and s.code in self.sectors for s in activity.sectors
        ):
            return None
        if "gender" in self.criteria and activity.gender_marker in (1, 2):
            return None
        if "humanitarian" in self.criteria and activity.humanitarian:
            return None
        return "not_wps"

    def as_dict(self) -> dict[str, Any]:
        return {
            "countries": sorted(self.countries),
            "criteria": sorted(self.criteria),
            "sectors": sorted(self.sectors),
        }

    @classmethod
    def build(
        cls,
        *,
        countries: Iterable[str] = (),
        criteria: Iterable[str] = DEFAULT_CRITERIA,
        sectors: Iterable[str] | None = None,
    ) -> WpsFilter:
        """A filter from user input; ValueError names what is wrong."""
        codes = frozenset(c.strip().upper() for c in countries if c.strip())
        for code in codes:
            if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
                raise ValueError(
                    _("%(code)s is not an ISO 3166-1 alpha-2 country code (e.g. CD)")
                    % {"code": code}
                )
        chosen = frozenset(c.strip().lower() for c in criteria if c.strip())
        unknown = chosen - set(CRITERIA)
        if unknown or not chosen:
            raise ValueError(
                _("the filter criteria are %(all)s (got %(got)s)")
                % {"all": ", ".join(CRITERIA), "got": ", ".join(sorted(unknown)) or "-"}
            )
        purpose = WPS_SECTORS
        if sectors is not None:
            purpose = frozenset(s.strip() for s in sectors if s.strip())
            bad = sorted(s for s in purpose if not (s.isdigit() and len(s) == 5))
            if bad or not purpose:
                raise ValueError(
                    _("purpose codes are DAC 5-digit codes such as 15170 (got %(bad)s)")
                    % {"bad": ", ".join(bad) or "-"}
                )
        return cls(countries=codes, criteria=chosen, sectors=purpose)


def plan_country(plan: Plan) -> str:
    """The ISO alpha-2 code of the plan's country (its area or the area's top ancestor)."""
    area = plan.area
    while area.parent_id is not None and area.parent is not None:
        area = area.parent
    country = pycountry.countries.get(alpha_3=area.code.upper()) or pycountry.countries.get(
        alpha_2=area.code.upper()
    )
    return country.alpha_2 if country is not None else ""


@dataclass
class Summary:
    """What an import did; stored as ImportRun.summary."""

    files: list[dict[str, Any]] = field(default_factory=list)
    activities_read: int = 0
    kept: int = 0
    replaced: int = 0  # kept activities already in the database (updated in place)
    skipped: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0  # the same identifier twice in this run: the later copy wins
    transactions_read: int = 0
    transactions: int = 0  # stored (of kept activities)
    transactions_skipped: int = 0
    gender_marked: int = 0  # activities read with a gender marker (any significance)
    sector_activities: Counter[str] = field(default_factory=Counter)  # core codes as written
    legacy_15164: int = 0  # activities whose 15164 was read as 15170
    organisations: int = 0  # organisations of organisation files
    budgets: int = 0
    problems: list[str] = field(default_factory=list)
    problems_total: int = 0
    seconds: float = 0.0

    def problem(self, text: str) -> None:
        self.problems_total += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(text)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "activities_read": self.activities_read,
            "kept": self.kept,
            "replaced": self.replaced,
            "skipped": dict(self.skipped),
            "duplicates": self.duplicates,
            "transactions_read": self.transactions_read,
            "transactions": self.transactions,
            "transactions_skipped": self.transactions_skipped,
            "gender_marked": self.gender_marked,
            "sector_activities": {
                c: self.sector_activities.get(c, 0) for c in sorted(CORE_SECTORS)
            },
            "legacy_15164": self.legacy_15164,
            "organisations": self.organisations,
            "budgets": self.budgets,
            "problems": self.problems,
            "problems_total": self.problems_total,
            "seconds": round(self.seconds, 3),
        }


def skip_reason_label(reason: str) -> str:
    return str(SKIP_REASONS.get(reason, reason))


# ----------------------------------------------------------------------------- progress files


def _progress_path(run_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "iati" / "progress" / f"run-{run_id}.json"


def write_progress(run_id: int, **values: Any) -> None:
    """Progress goes to a small file, not the database: the import's transaction holds the
    database's write lock (SQLite) until it ends, and its rows are invisible until then."""
    path = _progress_path(run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(
        json.dumps({"host": socket.gethostname(), "pid": os.getpid(), **values}),
        encoding="utf-8",
    )
    temporary.replace(path)


def read_progress(run_id: int) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(_progress_path(run_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data


def _clear_progress(run_id: int) -> None:
    _progress_path(run_id).unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fail_abandoned_runs() -> int:
    """Mark failed the runs left 'running' by a process that died (killed, machine restarted):
    their rows were never committed. Returns how many."""
    failed = 0
    now = timezone.now()
    for run in m.ImportRun.objects.filter(status=m.ImportStatus.RUNNING):
        progress = read_progress(run.pk)
        dead = False
        if progress.get("host") == socket.gethostname() and progress.get("pid"):
            dead = not _process_alive(int(progress["pid"]))
        elif run.pid and not progress and socket.gethostname() == run.summary.get("host"):
            dead = not _process_alive(run.pid)
        if not dead:
            path = _progress_path(run.pk)
            try:
                moved = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
            except OSError:
                moved = run.started_at
            dead = now - moved > STALE_AFTER
        if dead:
            run.status = m.ImportStatus.FAILED
            run.error = _(
                "The import stopped before its end (the process died); nothing was stored."
            )
            run.finished_at = now
            run.save(update_fields=["status", "error", "finished_at"])
            _clear_progress(run.pk)
            failed += 1
    return failed


# ----------------------------------------------------------------------------- the import


def import_files(
    *,
    paths: list[Path],
    wps_filter: WpsFilter | None = None,
    plan: Plan | None = None,
    user: User | None = None,
    run: m.ImportRun | None = None,
    progress: Callable[[Summary, int, int], None] | None = None,
) -> m.ImportRun:
    """Import the files in one transaction; return the finished run, or raise ImportRefused
    (the run, marked failed, says why; nothing was stored).

    `progress(summary, bytes_read, bytes_total)` is called after each chunk written.
    """
    if wps_filter is None:
        countries = [plan_country(plan)] if plan is not None else []
        wps_filter = WpsFilter.build(countries=[c for c in countries if c])
    fail_abandoned_runs()
    if run is None:
        run = m.ImportRun(user=user, plan=plan)
    run.filenames = [str(p) for p in paths]
    run.filter = wps_filter.as_dict()
    run.status = m.ImportStatus.RUNNING
    run.pid = os.getpid()
    run.error = ""
    run.bytes_total = sum(p.stat().st_size for p in paths if p.is_file())
    run.summary = {"host": socket.gethostname()}
    run.save()
    write_progress(run.pk, bytes_read=0, bytes_total=run.bytes_total, activities=0)
    session = _Session(run, wps_filter, plan, progress)
    started = time.monotonic()
    try:
        with transaction.atomic():
            for path in paths:
                session.read_file(path)
            session.flush()
            session.summary.seconds = time.monotonic() - started
            run.status = m.ImportStatus.DONE
            run.summary = session.summary.as_dict()
            run.bytes_read = run.bytes_total
            run.finished_at = timezone.now()
            run.save()
    except (IatiFileRefused, _Refused) as exc:
        _fail(run, session, str(exc), started)
        raise ImportRefused(run) from None
    except Exception as exc:
        _fail(run, session, _("unexpected error: %(error)s") % {"error": exc}, started)
        raise
    finally:
        _clear_progress(run.pk)
    return run


class _Refused(Exception):
    pass


def _fail(run: m.ImportRun, session: _Session, error: str, started: float) -> None:
    session.summary.seconds = time.monotonic() - started
    run.status = m.ImportStatus.FAILED
    run.error = error
    run.summary = session.summary.as_dict()
    run.finished_at = timezone.now()
    run.save()


class _Session:
    """The state of one run: counts, the organisation cache, the chunk being filled."""

    def __init__(
        self,
        run: m.ImportRun,
        wps_filter: WpsFilter,
        plan: Plan | None,
        progress: Callable[[Summary, int, int], None] | None,
    ) -> None:
        self.run = run
        self.filter = wps_filter
        self.plan = plan
        self.country = plan_country(plan) if plan is not None else ""
        self.progress = progress
        self.summary = Summary()
        self.org_ids: dict[str, int] = {}
        self.chunk: dict[str, Activity] = {}
        self.written: set[str] = set()  # identifiers written in this run
        self.bytes_done = 0  # of the files already read
        self.bytes_read = 0

    # ---------------------------------------------------------------- reading

    def read_file(self, path: Path) -> None:
        try:
            reader = IatiReader(path)
        except OSError as exc:
            raise _Refused(
                _("%(file)s: cannot read the file (%(error)s)")
                % {"file": path.name, "error": exc.strerror}
            ) from None
        except IatiFileRefused as exc:
            raise _Refused(_("%(file)s: %(error)s") % {"file": path.name, "error": exc}) from None
        read_before = self.summary.activities_read
        organisations_before = self.summary.organisations
        try:
            for record in reader:
                if isinstance(record, OrganisationRecord):
                    self._organisation(record)
                else:
                    self._activity(record)
                if len(self.chunk) >= CHUNK:
                    self.bytes_read = self.bytes_done + reader.bytes_read
                    self.flush()
        except IatiFileRefused as exc:
            raise _Refused(_("%(file)s: %(error)s") % {"file": path.name, "error": exc}) from None
        for problem in reader.problems:
            self.summary.problem(f"{path.name}: {problem}")
        self.summary.skipped["no_identifier"] += reader.skipped_no_identifier
        self.bytes_done += reader.size
        self.bytes_read = self.bytes_done
        self.summary.files.append(
            {
                "name": path.name,
                "kind": reader.kind,
                "version": reader.version or "1.01",
                "version_given": bool(reader.version),
                "activities": self.summary.activities_read - read_before,
                "organisations": self.summary.organisations - organisations_before,
            }
        )

    def _activity(self, activity: Activity) -> None:
        s = self.summary
        s.activities_read += 1
        s.transactions_read += len(activity.transactions)
        if activity.has_gender_marker:
            s.gender_marked += 1
        written = {x.written_code or x.code for x in activity.sectors if x.vocabulary == "1"}
        for code in CORE_SECTORS & written:
            s.sector_activities[code] += 1
        if any(x.written_code == "15164" for x in activity.sectors):
            s.legacy_15164 += 1
        for problem in activity.problems:
            s.problem(problem)
            if " skipped: " in problem:
                s.transactions_skipped += 1
        reason = self.filter.skip_reason(activity)
        if reason is not None:
            s.skipped[reason] += 1
            return
        identifier = activity.iati_identifier
        if identifier in self.chunk or identifier in self.written:
            s.duplicates += 1
            s.kept -= 1
            s.transactions -= self._previous_transactions(identifier)
        s.kept += 1
        s.transactions += len(activity.transactions)
        self.chunk[identifier] = activity

    def _previous_transactions(self, identifier: str) -> int:
        """Transactions counted for the earlier copy of an activity read twice in this run."""
        if identifier in self.chunk:
            return len(self.chunk[identifier].transactions)
        return m.Transaction.objects.filter(activity__iati_identifier=identifier).count()

    def _organisation(self, record: OrganisationRecord) -> None:
        s = self.summary
        s.organisations += 1
        for problem in record.problems:
            s.problem(problem)
        org_id = self._org_ids([OrgRef(ref=record.identifier, name=record.name)])[
            m.Organisation.key_for(record.identifier, record.name)
        ]
        # Re-importing an organisation file replaces that organisation's budgets.
        m.OrganisationBudget.objects.filter(organisation_id=org_id).delete()
        m.OrganisationBudget.objects.bulk_create(
            [
                m.OrganisationBudget(
                    organisation_id=org_id,
                    kind=b.kind,
                    recipient=b.recipient[:300],
                    recipient_name=b.recipient_name[:500],
                    status=b.status[:2],
                    period_start=b.period_start,
                    period_end=b.period_end,
                    value=b.value,
                    currency=b.currency[:3],
                    run=self.run,
                )
                for b in record.budgets
            ],
            batch_size=1000,
        )
        s.budgets += len(record.budgets)

    # ---------------------------------------------------------------- writing

    def _org_ids(self, refs: Iterable[OrgRef]) -> dict[str, int]:
        """Organisation ids by key, creating the missing ones (one query per chunk)."""
        wanted: dict[str, OrgRef] = {}
        for ref in set(refs):  # the same mention recurs in many transactions: key it once
            key = m.Organisation.key_for(ref.ref, ref.name)
            if key in self.org_ids:
                continue
            known = wanted.get(key)
            # Keep the most informative mention: one with a name and a type.
            if known is None or (not known.name and ref.name) or (not known.type and ref.type):
                wanted[key] = OrgRef(
                    ref=ref.ref or (known.ref if known else ""),
                    name=ref.name or (known.name if known else ""),
                    type=ref.type or (known.type if known else ""),
                )
        if wanted:
            keys = sorted(wanted)  # sorted: the same file creates the same rows in the same order
            self.org_ids.update(_ids_by(m.Organisation, "key", keys))
            missing = [k for k in keys if k not in self.org_ids]
            if not missing:
                return self.org_ids
            _insert(
                m.Organisation,
                ["key", "ref", "name", "type", "women_led", "grassroots"],
                [
                    (k, wanted[k].ref[:200], wanted[k].name[:500], wanted[k].type[:4], False, False)
                    for k in missing
                ],
            )
            self.org_ids.update(_ids_by(m.Organisation, "key", missing))
        return self.org_ids

    def flush(self) -> None:
        """Write the chunk: organisations, activities (updated in place when known), then their
        participants, sectors and transactions."""
        chunk = list(self.chunk.values())
        self.chunk = {}
        if chunk:
            self._write(chunk)
        self.run.bytes_read = self.bytes_read
        write_progress(
            self.run.pk,
            bytes_read=self.bytes_read,
            bytes_total=self.run.bytes_total,
            activities=self.summary.activities_read,
            kept=self.summary.kept,
        )
        if self.progress is not None:
            self.progress(self.summary, self.bytes_read, self.run.bytes_total)

    def _write(self, chunk: list[Activity]) -> None:
        orgs = self._org_ids(_mentions(chunk))
        activity_ids = self._write_activities(chunk, orgs)
        org_id = _mention_ids(orgs)
        # Rows go in through COPY or executemany, not bulk_create, which spends most of its time
        # compiling SQL per object; they are generated as the driver takes them. Decimals and
        # dates go to the driver as they are: psycopg adapts them, and Django registers the
        # same adapters for sqlite3 as its ORM uses.
        _insert(
            m.ParticipatingOrg,
            ["activity", "role", "organisation", "activity_ref"],
            _participant_rows(chunk, activity_ids, org_id),
        )
        _insert(
            m.ActivitySector,
            ["activity", "vocabulary", "code", "percentage"],
            _sector_rows(chunk, activity_ids),
        )
        _insert(m.Transaction, TRANSACTION_COLUMNS, _transaction_rows(chunk, activity_ids, org_id))
        self.written.update(a.iati_identifier for a in chunk)

    def _write_activities(self, chunk: list[Activity], orgs: dict[str, int]) -> dict[str, int]:
        """Insert the chunk's new activities and update the known ones in place (their
        participants, sectors and transactions deleted, to be written anew); returns the ids
        of all by identifier."""
        existing = _ids_by(m.Activity, "iati_identifier", [a.iati_identifier for a in chunk])
        self.summary.replaced += sum(
            1 for i in existing if i not in self.written
        )  # replaced from an earlier run
        ops = connection.ops
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        updates_plan: list[tuple[Any, ...]] = []
        for a in chunk:
            linked = self.plan.pk if self.plan and self.country in a.recipient_countries else None
            values = (
                orgs[m.Organisation.key_for(a.reporting_org.ref, a.reporting_org.name)],
                a.title,
                a.humanitarian,
                a.default_currency[:3],
                ops.adapt_json_value(a.recipient_countries, None),
                a.gender_marker,
                a.has_gender_marker,
                a.last_updated[:40],
                self.run.pk,
                ops.adapt_json_value(a.problems[:100], None),
            )
            pk = existing.get(a.iati_identifier)
            if pk is None:
                inserts.append((a.iati_identifier[:300], *values, linked))
            elif linked is None:
                # Keep a plan link made earlier when this run links to no plan.
                updates.append((*values, pk))
            else:
                updates_plan.append((*values, linked, pk))
        if updates or updates_plan:
            ids = [row[-1] for row in updates + updates_plan]
            m.ParticipatingOrg.objects.filter(activity_id__in=ids).delete()
            m.ActivitySector.objects.filter(activity_id__in=ids).delete()
            m.Transaction.objects.filter(activity_id__in=ids).delete()
            _update(m.Activity, ACTIVITY_COLUMNS, updates)
            _update(m.Activity, [*ACTIVITY_COLUMNS, "plan"], updates_plan)
        if inserts:
            _insert(m.Activity, ["iati_identifier", *ACTIVITY_COLUMNS, "plan"], inserts)
            existing.update(_ids_by(m.Activity, "iati_identifier", [row[0] for row in inserts]))
        return existing


# The columns an import writes, in the order of the rows below (an activity's identifier, and
# its plan when the run links one, around ACTIVITY_COLUMNS).
ACTIVITY_COLUMNS = [
    "reporting_org",
    "title",
    "humanitarian",
    "default_currency",
    "recipient_countries",
    "gender_marker",
    "has_gender_marker",
    "last_updated",
    "run",
    "problems",
]
TRANSACTION_COLUMNS = [
    "activity",
    "type",
    "value",
    "currency",
    "value_date",
    "transaction_date",
    "provider",
    "provider_activity_id",
    "receiver",
    "receiver_activity_id",
]


def _mentions(chunk: list[Activity]) -> list[OrgRef]:
    """Every organisation the chunk names: reporting, participating, and in transactions."""
    refs: list[OrgRef] = []
    for a in chunk:
        refs.append(a.reporting_org)
        refs.extend(org for _role, org in a.participating_orgs if org.ref or org.name)
        for t in a.transactions:
            for org in (t.provider, t.receiver):
                if org is not None and (org.ref or org.name):
                    refs.append(org)
    return refs


def _mention_ids(orgs: dict[str, int]) -> Callable[[OrgRef | None], int | None]:
    """The organisation id of a mention (None for no organisation), its key computed once per
    mention of the chunk: the cache lives as long as the chunk, not the file."""
    by_mention: dict[OrgRef, int] = {}

    def org_id(ref: OrgRef | None) -> int | None:
        if ref is None or not (ref.ref or ref.name):
            return None
        pk = by_mention.get(ref)
        if pk is None:
            pk = by_mention[ref] = orgs[m.Organisation.key_for(ref.ref, ref.name)]
        return pk

    return org_id


def _participant_rows(
    chunk: list[Activity],
    activity_ids: dict[str, int],
    org_id: Callable[[OrgRef | None], int | None],
) -> Iterator[tuple[Any, ...]]:
    for a in chunk:
        activity_pk = activity_ids[a.iati_identifier]
        for role, org in a.participating_orgs:
            oid = org_id(org)
            if oid is not None:
                yield (activity_pk, role[:2], oid, org.activity_id[:300])


def _sector_rows(chunk: list[Activity], activity_ids: dict[str, int]) -> Iterator[tuple[Any, ...]]:
    for a in chunk:
        activity_pk = activity_ids[a.iati_identifier]
        for sector in a.sectors:
            percentage = sector.percentage
            if percentage is not None and abs(percentage) >= 10000:
                percentage = None  # not a percentage: dropped rather than refused
            yield (
                activity_pk,
                sector.vocabulary[:4],
                sector.code[:40],
                percentage,
            )


def _transaction_rows(
    chunk: list[Activity],
    activity_ids: dict[str, int],
    org_id: Callable[[OrgRef | None], int | None],
) -> Iterator[tuple[Any, ...]]:
    """In TRANSACTION_COLUMNS' order."""
    for a in chunk:
        activity_pk = activity_ids[a.iati_identifier]
        for t in a.transactions:
            provider, receiver = t.provider, t.receiver
            yield (
                activity_pk,
                t.type,
                t.value,
                t.currency[:3],
                t.value_date,
                t.transaction_date,
                org_id(provider),
                (provider.activity_id if provider else "")[:300],
                org_id(receiver),
                (receiver.activity_id if receiver else "")[:300],
            )


def _ids_by(model: type[models.Model], name: str, values: list[str]) -> dict[str, int]:
    """Primary keys by the value of a unique column (raw SQL: the ORM's compilation of a
    500-value IN costs more than the query on a chunk this size)."""
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(_column(model, name))
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter: psycopg would parse a 500-placeholder query every time.
            cursor.execute(f"SELECT {column}, id FROM {table} WHERE {column} = ANY(%s)", [values])
            found.update(cursor.fetchall())
            return found
        for start in range(0, len(values), 500):
            part = values[start : start + 500]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"SELECT {column}, id FROM {table} WHERE {column} IN ({marks})", part)
            found.update(cursor.fetchall())
    return found


def _insert(model: type[models.Model], fields: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """INSERT the rows (JSON already adapted; other values as the driver takes them): COPY on
    PostgreSQL, where one statement per row would cost a round trip each; executemany on
    SQLite."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(model, f)) for f in fields)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # SQLite: the driver's own executemany, with its own placeholders; Django's wrapper
        # would copy the rows through an iterator to rewrite the query for each call.
        marks = ", ".join(["?"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        with connection.wrap_database_errors:  # Django's exceptions, as through its wrapper
            sqlite3.Cursor.executemany(cursor.cursor, sql, rows)


def _update(model: type[models.Model], fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """UPDATE rows by primary key; each row is the fields' values, then the key."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(_column(model, f))} = %s" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(_column(model, 'id'))} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.column)
