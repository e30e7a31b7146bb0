"""The import of PA-X's published CSV of peace agreements (docs/peace-processes.md, "Importing
PA-X"): one row per agreement, its gender coding in the "Women, girls and gender" (WGG) columns
flagged 1 or 0.

The rows whose country (`Con`, or `Loc1ISO`/`Loc2ISO` when present) is the plan's are kept; the
others are counted and left. Each kept row creates or updates the plan's agreement of its
`AgtId` (a re-import updates, never duplicates) and adds a provision stub for each WGG category
flagged 1 that the agreement does not have yet. All or nothing: every problem of the file is
listed as `file:row:column: message` and nothing is stored. Hostile files are refused before
parsing: size, binary content, encoding, and a bound on rows; a cell that a spreadsheet would
run as a formula ("=…") is only ever stored and shown as text.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.errors import InputProblems, LocatedProblem
from wpsmonitor.core.services import service
from wpsmonitor.peace.models import (
    Agreement,
    AgreementStage,
    AgreementType,
    GenderProvision,
    PeaceProcess,
    WggCategory,
)
from wpsmonitor.plans.models import Plan

# PA-X's whole CSV (some 2,000 agreements, 250-odd columns) is a few megabytes: 20 MB and
# 10,000 rows leave room for it and refuse anything that is not.
PAX_MAX_BYTES = 20 * 1024 * 1024
PAX_MAX_ROWS = 10_000
PAX_MAX_CELL = 100_000
# Problems listed before the import stops reading.
PAX_MAX_PROBLEMS = 50

REQUIRED = ("AgtId", "Con", "Agt", "Dat", "Stage")
WGG_COLUMNS = tuple(c.value for c in WggCategory)
# Our extension, not PA-X's: a column "<category>_text" (WggPar_text) gives the provision's text.
TEXT_SUFFIX = "_text"
_DATE_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# Words that do not tell two spellings of a country apart ("Congo, Democratic Republic of" and
# "Democratic Republic of the Congo" are one country).
_FILLER = {"the", "of", "and", "de", "du", "la", "le", "des", "et"}


@dataclass(frozen=True)
class PaxProblem:
    row: int
    column: str
    message: str


class PaxRefused(InputProblems):
    """The file is refused, nothing stored; its problems located `file:row:column`."""

    def __init__(self, name: str, problems: Sequence[PaxProblem], truncated: bool = False) -> None:
        self.name = name
        self.problems = list(problems)
        self.truncated = truncated
        super().__init__(
            _("The PA-X file %(name)s is refused; nothing was imported.") % {"name": name},
            [LocatedProblem(p.row or None, p.column or None, p.message) for p in self.problems],
        )

    def lines(self) -> list[str]:
        """Each problem as `file:row:column: message` (row and column left out when none)."""
        found = []
        for p in self.problems:
            place = ":".join(str(x) for x in (self.name, p.row or "", p.column) if x != "")
            found.append(f"{place}: {p.message}")
        return found


@dataclass
class PaxResult:
    rows: int = 0
    kept: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    provisions_created: int = 0
    provisions_filled: int = 0
    # Agreements that keep provisions in categories the file no longer flags (never deleted).
    unflagged: list[str] = field(default_factory=list)
    checked_only: bool = False


def _words(text: str) -> frozenset[str]:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return frozenset(w for w in re.split(r"[^a-z0-9]+", text) if w and w not in _FILLER)


def country_matches(plan: Plan, con: str, isos: Sequence[str] = ()) -> bool:
    """Whether a row's country is the plan's: one of the `/`-separated names of `Con` is the
    plan's area's name (the same words, in any order and case) or its ISO code, or an ISO column
    holds the area's code."""
    area = plan.area
    code = area.code.strip().casefold()
    if any(iso.strip().casefold() == code for iso in isos if iso):
        return True
    name = _words(area.name)
    for part in con.split("/"):
        if part.strip().casefold() == code or (name and _words(part) == name):
            return True
    return False


def _date(text: str) -> date | None:
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    found = _DATE_DMY.fullmatch(text)
    if found:
        day, month, year = (int(x) for x in found.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise PaxRefused(name, [PaxProblem(0, "", _("this is not a CSV text file (binary data)"))])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PaxRefused(
            name,
            [PaxProblem(line, "", _("the file is not UTF-8 text here; save it as CSV UTF-8"))],
        ) from None


@dataclass
class _Row:
    number: int
    pax_id: int
    name: str
    signed_on: date | None
    stage: str
    agreement_type: str
    parties: str
    process_name: str
    flags: dict[str, bool]
    texts: dict[str, str]


def read_pax(path: Path, name: str, plan: Plan) -> tuple[int, list[_Row]]:
    """The file's rows for the plan's country, checked: (rows read, rows kept). Raises
    PaxRefused with every problem found (up to PAX_MAX_PROBLEMS)."""
    size = path.stat().st_size
    if size > PAX_MAX_BYTES:
        raise PaxRefused(
            name,
            [
                PaxProblem(
                    0,
                    "",
                    _("the file is %(size)s bytes; the limit is %(limit)s bytes")
                    % {"size": size, "limit": PAX_MAX_BYTES},
                )
            ],
        )
    if size == 0:
        raise PaxRefused(name, [PaxProblem(0, "", _("the file is empty"))])
    text = _decode(path.read_bytes(), name)
    delimiter = (
        ";" if text.partition("\n")[0].count(";") > text.partition("\n")[0].count(",") else ","
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[PaxProblem] = []
    kept: list[_Row] = []
    seen: dict[int, int] = {}
    try:
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise PaxRefused(
                name,
                [
                    PaxProblem(1, c, _("the column %(col)s is missing") % {"col": c})
                    for c in missing
                ],
            )
        at = {h: i for i, h in enumerate(header) if h}
        rows = 0
        for record in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            rows += 1
            if rows > PAX_MAX_ROWS:
                raise PaxRefused(
                    name,
                    [
                        PaxProblem(
                            number,
                            "",
                            _("the file has more than %(max)s rows") % {"max": PAX_MAX_ROWS},
                        )
                    ],
                )

            def cell(column: str, record: list[str] = record) -> str:
                i = at.get(column)
                return record[i].strip() if i is not None and i < len(record) else ""

            isos = [cell(c) for c in ("Loc1ISO", "Loc2ISO")]
            if not country_matches(plan, cell("Con"), isos):
                continue
            row = _check(number, cell, at, problems, seen)
            if row is not None:
                kept.append(row)
            if len(problems) >= PAX_MAX_PROBLEMS:
                raise PaxRefused(name, problems, truncated=True)
    except csv.Error as exc:
        problems.append(
            PaxProblem(reader.line_num, "", _("unreadable CSV (%(error)s)") % {"error": exc})
        )
        raise PaxRefused(name, problems) from None
    if problems:
        raise PaxRefused(name, problems)
    return rows, kept


def _check(
    number: int,
    cell: object,
    at: dict[str, int],
    problems: list[PaxProblem],
    seen: dict[int, int],
) -> _Row | None:
    get = cell  # (column) -> str
    assert callable(get)
    start = len(problems)

    def refuse(column: str, message: str) -> None:
        problems.append(PaxProblem(number, column, message))

    raw_id = get("AgtId")
    pax_id = 0
    if not raw_id.isdigit() or int(raw_id) < 1:
        refuse(
            "AgtId", _("%(value)r is not a PA-X agreement id (a whole number)") % {"value": raw_id}
        )
    else:
        pax_id = int(raw_id)
        if pax_id in seen:
            refuse(
                "AgtId",
                _("agreement %(id)s is already on row %(row)s")
                % {"id": pax_id, "row": seen[pax_id]},
            )
        seen.setdefault(pax_id, number)
    agt = get("Agt")
    if not agt:
        refuse("Agt", _("the agreement has no name"))
    elif len(agt) > 500:
        refuse("Agt", _("the agreement's name is longer than 500 characters"))
    dat = get("Dat")
    signed_on = _date(dat) if dat else None
    if dat and signed_on is None:
        refuse("Dat", _("%(value)r is not a date (YYYY-MM-DD)") % {"value": dat})
    stage = get("Stage")
    if stage not in AgreementStage.values:
        refuse(
            "Stage",
            _("unknown stage %(value)r; PA-X's stages are %(all)s")
            % {"value": stage, "all": ", ".join(AgreementStage.values)},
        )
    agtp = get("Agtp")
    if agtp and agtp not in AgreementType.values:
        refuse(
            "Agtp",
            _("unknown agreement type %(value)r; PA-X's types are %(all)s")
            % {"value": agtp, "all": ", ".join(AgreementType.values)},
        )
    flags: dict[str, bool] = {}
    texts: dict[str, str] = {}
    for column in WGG_COLUMNS:
        if column not in at:
            continue
        value = get(column)
        if value not in ("0", "1"):
            refuse(column, _("%(value)r is not a flag: 1 or 0") % {"value": value})
            continue
        flags[column] = value == "1"
        text = get(column + TEXT_SUFFIX)
        if len(text) > PAX_MAX_CELL:
            refuse(column + TEXT_SUFFIX, _("the provision's text is too long"))
        texts[column] = text
    if len(problems) > start:
        return None
    parties = "\n".join(p for p in (get("Part"), get("ThrdPart")) if p)
    return _Row(
        number=number,
        pax_id=pax_id,
        name=agt,
        signed_on=signed_on,
        stage=stage,
        agreement_type=agtp,
        parties=parties[:PAX_MAX_CELL],
        process_name=get("PPName"),
        flags=flags,
        texts=texts,
    )


@service
def pax_import(
    *, by: User, plan: Plan, path: Path, name: str, check_only: bool = False
) -> PaxResult:
    """Import the plan's country's agreements from a PA-X CSV (all or nothing). With
    `check_only`, everything is done and then undone: the result says what would happen."""
    if not PlanAccess.load(by, plan).can_manage_agreements():
        raise PermissionDenied(_("Only the plan's coordinator imports peace agreements."))
    rows, kept = read_pax(path, name, plan)
    result = PaxResult(rows=rows, kept=len(kept), checked_only=check_only)
    existing = {a.pax_id: a for a in Agreement.objects.filter(plan=plan, pax_id__isnull=False)}
    processes = {p.name.casefold(): p for p in PeaceProcess.objects.filter(plan=plan)}
    now = timezone.now()
    with transaction.atomic():
        for row in kept:
            found = existing.get(row.pax_id)
            if found is None:
                found = Agreement(plan=plan, pax_id=row.pax_id)
                found.process = processes.get(row.process_name.casefold())
                result.created.append(row.name)
            else:
                result.updated.append(row.name)
            found.name = row.name
            found.signed_on = row.signed_on
            found.stage = row.stage
            found.agreement_type = row.agreement_type
            found.parties = row.parties
            found.imported_at = now
            found.save()
            have = {p.category: p for p in GenderProvision.objects.filter(agreement=found)}
            for category, flagged in row.flags.items():
                provision = have.get(category)
                if flagged and provision is None:
                    GenderProvision.objects.create(
                        agreement=found, category=category, text=row.texts.get(category, "")
                    )
                    result.provisions_created += 1
                elif (
                    flagged
                    and provision is not None
                    and not provision.text
                    and row.texts.get(category)
                ):
                    provision.text = row.texts[category]
                    provision.save(update_fields=["text"])
                    result.provisions_filled += 1
                elif not flagged and provision is not None:
                    result.unflagged.append(f"{row.name}: {provision.get_category_display()}")
        if check_only:
            transaction.set_rollback(True)
    return result
