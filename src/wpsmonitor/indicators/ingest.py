"""The one place where indicator values are validated and stored.

The CSV/XLSX/JSON importers and the JSON API's bulk write both go through here, so a value
refused by one is refused by the other with the same message.

Shape of the work (fast enough for a million rows, memory bounded whatever the input size):
rows are validated in Python with dictionary lookups (code → id), written in chunks into a
TEMP staging table (executemany on SQLite, COPY on PostgreSQL), then duplicate keys are found
in SQL, audit rows are written for changed existing values, existing values are UPDATEd and new
ones INSERTed with INSERT ... SELECT, all in the caller's transaction. Any problem raises
IngestError and the transaction rolls back: nothing is stored.

Public entry points:

    values_ingest(rows=[{...}, ...], user=..., plan="nap-3")   one call, all-or-nothing
    ValueIngest(...).add_rows(...); .finish()                   several files in one batch
"""

from __future__ import annotations

import contextlib
import math
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pycountry
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.core.errors import InputProblems, LocatedProblem
from wpsmonitor.core.periods import PeriodCodeError, parse_period
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.cells import canonical_cell_code
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    TOTAL_CELL,
    Cell,
    DataValue,
    DataValueAudit,
    ImportBatch,
    Indicator,
    IndicatorKind,
    SchemeDimension,
    Source,
)
from wpsmonitor.indicators.services import period_ensure
from wpsmonitor.plans.models import Plan

# The columns of a value row, in this order, everywhere (CSV header, XLSX Values sheet, JSON keys).
VALUE_COLUMNS: tuple[str, ...] = (
    "plan",
    "indicator",
    "period",
    "area",
    "cell",
    "source",
    "value",
    "numerator",
    "denominator",
    "text",
    "comment",
)

YES_WORDS = {"1", "yes", "oui", "true", "y", "si", "sí", "1.0"}
NO_WORDS = {"0", "no", "non", "false", "n", "0.0"}

_CHUNK = 20_000
_PROGRESS_EVERY = 100_000


# How the JSON API names the rows of its body (`where=ROW_PLACE`): by their 0-based index. The
# problems of rows so named are located by that index in the API's answer (Problem.located).
ROW_PLACE = "row {row}"
_ROW_NAMED = re.compile(r"row (\d+)")


@dataclass(frozen=True)
class Problem:
    """One problem with one input row: where (file:sheet:row, file:row or values[3]), column, message."""

    where: str
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"{self.where}:{self.column}: {self.message}"
        return f"{self.where}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "column": self.column, "message": self.message}

    def located(self) -> LocatedProblem:
        """By row index when the row is named ROW_PLACE, and by column."""
        named = _ROW_NAMED.fullmatch(self.where)
        row = int(named.group(1)) if named else None
        return LocatedProblem(row, self.column or None, self.message)


class IngestError(InputProblems):
    """Raised when any row is refused; nothing was stored. `problems` lists them all (capped).
    The API answers 400 with their count and every one of them, located."""

    def __init__(self, problems: list[Problem], truncated: bool = False) -> None:
        self.problems = problems
        self.truncated = truncated
        super().__init__("\n".join(str(p) for p in problems[:20]))

    def summary(self) -> str:
        found = _("%(count)s problem(s) found; nothing was stored.") % {"count": len(self.problems)}
        if self.truncated:
            found += " " + _("Only the first problems are listed.")
        return found

    def located(self) -> list[LocatedProblem]:
        return [p.located() for p in self.problems]


@dataclass
class IngestResult:
    batch_id: int
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    plan_ids: set[int] = field(default_factory=set)
    indicator_ids: set[int] = field(default_factory=set)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Ind:
    id: int
    code: str
    plan_id: int
    kind: str
    scheme_id: int
    dims: list[str]
    frequency: str
    factor: float
    labels: list[str]
    expected_min: float | None
    expected_max: float | None
    # A civil-society organisation's own indicator: only that organisation's sources report on it.
    owner: int | None = None
    draft: bool = False  # an owner's indicator not yet published: no figure stored before


@dataclass
class _Plan:
    id: int
    code: str
    start: date
    end: date
    area_path: str


class _Cap(Exception):
    """Internal: the error cap is reached; stop reading."""


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def parse_number(raw: Any) -> float | None:
    """A finite float, None when blank; ValueError with a readable message otherwise."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return 1.0 if raw else 0.0
    if isinstance(raw, (int, float)):
        number = float(raw)
    else:
        text = str(raw).strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise ValueError(_("%(text)r is not a number") % {"text": text[:40]}) from None
    if not math.isfinite(number):
        raise ValueError(_("%(text)r is not a finite number") % {"text": str(raw)[:40]})
    return number


class ValueIngest:
    """A validation-and-store session: rows from one or several inputs, stored as one batch.

    Use inside transaction.atomic(); finish() raises IngestError if any row was refused, and
    the caller's transaction must then roll back (values_ingest and the importers do).
    """

    def __init__(
        self,
        *,
        user: Any = None,
        kind: str = "values",
        filename: str = "",
        default_plan: str | None = None,
        progress: Callable[[int], None] | None = None,
        max_errors: int | None = None,
    ) -> None:
        if not connection.in_atomic_block:
            raise RuntimeError("ValueIngest must run inside transaction.atomic()")
        self.started = time.monotonic()
        self.user_id = getattr(user, "pk", None)
        # "check" sessions validate and roll back (a draft's dry run): they may name a draft
        # civil-society indicator, whose figures no stored session may write before it is out.
        self.stores = kind != "check"
        self.default_plan = default_plan
        self.progress = progress
        self.max_errors = max_errors or settings.IMPORT_MAX_ERRORS
        self.problems: list[tuple[int, int, Problem]] = []
        self.warnings: list[Problem] = []
        self.truncated = False
        self.rows = 0
        self.staged = 0
        self.plan_ids: set[int] = set()
        self.indicator_ids: set[int] = set()
        self.batch = ImportBatch.objects.create(
            kind=kind, filename=filename[:500], user_id=self.user_id
        )
        self.postgres = connection.vendor == "postgresql"
        self._places: list[str] = []  # formats such as "values.csv:{row}"
        self._buffer: list[tuple[Any, ...]] = []
        self._plans: dict[str, _Plan | str] = {}
        self._inds: dict[tuple[str, str], _Ind | str] = {}
        self._cells: dict[int, dict[str, int]] = {}
        self._cell_cache: dict[tuple[int, str], int | str] = {}
        self._periods: dict[tuple[int, str, str], int | str] = {}
        self._areas: dict[str, tuple[int, str]] | None = None
        self._area_cache: dict[tuple[int, str], int | str] = {}
        self._sources: dict[str, int] = dict(Source.objects.values_list("code", "id"))
        self._source_orgs: dict[int, int | None] = dict(
            Source.objects.values_list("id", "organisation_id")
        )
        self.stage = f"wps_stage_{uuid.uuid4().hex[:10]}"
        self._stage_create()

    # ----------------------------------------------------------------- staging table
    def _stage_create(self) -> None:
        columns = (
            "ind bigint, per bigint, area bigint, cell bigint, src bigint, "
            "value double precision, num double precision, den double precision, "
            "txt text, cmt text, place integer, rownum integer, existing bigint"
        )
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(f"CREATE TEMP TABLE {self.stage} ({columns}) ON COMMIT DROP")
            else:
                cursor.execute(f"CREATE TEMP TABLE {self.stage} ({columns})")

    def _flush(self) -> None:
        if not self._buffer:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(
                    f"COPY {self.stage} (ind, per, area, cell, src, value, num, den, txt, cmt,"
                    " place, rownum) FROM STDIN"
                ) as copy:
                    for row in self._buffer:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {self.stage} (ind, per, area, cell, src, value, num, den, txt,"
                    " cmt, place, rownum) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    self._buffer,
                )
        self.staged += len(self._buffer)
        self._buffer = []

    # ----------------------------------------------------------------- lookups
    def _plan(self, code: str) -> _Plan | str:
        found = self._plans.get(code)
        if found is None:
            plan = Plan.objects.filter(code=code).select_related("area").first()
            if plan is None:
                found = _("unknown plan %(code)r") % {"code": code}
            else:
                found = _Plan(plan.pk, plan.code, plan.start, plan.end, plan.area.path)
                self._indicators_load(found)
            self._plans[code] = found
        return found

    def _indicators_load(self, plan: _Plan) -> None:
        dims: dict[int, list[str]] = {}
        for scheme_id, dim_code in SchemeDimension.objects.order_by("scheme", "order").values_list(
            "scheme_id", "dimension__code"
        ):
            dims.setdefault(scheme_id, []).append(dim_code)
        for ind in Indicator.objects.filter(plan_id=plan.id):
            self._inds[(plan.code, ind.code)] = _Ind(
                id=ind.pk,
                code=ind.code,
                plan_id=plan.id,
                kind=ind.kind,
                scheme_id=ind.scheme_id,
                dims=dims.get(ind.scheme_id, []),
                frequency=ind.frequency,
                factor=ind.factor,
                labels=[str(label) for label in ind.scale_labels or []],
                expected_min=ind.expected_min,
                expected_max=ind.expected_max,
                owner=ind.owner_organisation_id,
                draft=ind.owner_organisation_id is not None and ind.published_at is None,
            )
            if ind.scheme_id not in self._cells:
                self._cells[ind.scheme_id] = dict(
                    Cell.objects.filter(scheme_id=ind.scheme_id).values_list("code", "id")
                )

    def _indicator(self, plan: _Plan, code: str) -> _Ind | str:
        found = self._inds.get((plan.code, code))
        if found is None:
            found = _("unknown indicator %(code)r in plan %(plan)s") % {
                "code": code,
                "plan": plan.code,
            }
            self._inds[(plan.code, code)] = found
        return found

    def _cell(self, ind: _Ind, text: str) -> int | str:
        key = (ind.scheme_id, text)
        found = self._cell_cache.get(key)
        if found is None:
            cells = self._cells[ind.scheme_id]
            try:
                canonical = canonical_cell_code(ind.dims, text)
            except ValueError as exc:
                found = str(exc)
            else:
                found = cells.get(canonical) or (
                    _("%(cell)r is not a cell of %(ind)s's disaggregation (%(dims)s)")
                    % {
                        "cell": text,
                        "ind": ind.code,
                        "dims": ", ".join(ind.dims) or TOTAL_CELL,
                    }
                )
            self._cell_cache[key] = found
        return found

    def _period(self, plan: _Plan, ind: _Ind, code: str) -> int | str:
        key = (plan.id, ind.frequency, code)
        found = self._periods.get(key)
        if found is None:
            try:
                parsed = parse_period(code)
            except PeriodCodeError as exc:
                found = str(exc)
            else:
                if parsed.type.value != ind.frequency:
                    found = _("%(code)s is a %(type)s but %(ind)s is reported by %(freq)s") % {
                        "code": code,
                        "type": parsed.type.value,
                        "ind": ind.code,
                        "freq": ind.frequency,
                    }
                elif parsed.end < plan.start or parsed.start > plan.end:
                    found = _("%(code)s is outside the plan's dates (%(start)s to %(end)s)") % {
                        "code": code,
                        "start": plan.start.isoformat(),
                        "end": plan.end.isoformat(),
                    }
                else:
                    found = period_ensure(parsed.code).pk
            self._periods[key] = found
        return found

    def _area(self, plan: _Plan, code: str) -> int | str:
        key = (plan.id, code)
        found = self._area_cache.get(key)
        if found is None:
            if self._areas is None:
                self._areas = {
                    c: (i, p) for c, i, p in Area.objects.values_list("code", "id", "path")
                }
            hit = self._areas.get(code)
            if hit is None:
                hit = self._areas.get(code.upper())
            if hit is None and len(code) in (2, 3):
                try:
                    country = pycountry.countries.lookup(code)
                except LookupError:
                    country = None
                if country is not None:
                    hit = self._areas.get(country.alpha_3)
            if hit is None:
                found = _("unknown area %(code)r") % {"code": code}
            elif not hit[1].startswith(plan.area_path):
                found = _("area %(code)r is outside the plan's area") % {"code": code}
            else:
                found = hit[0]
            self._area_cache[key] = found
        return found

    # ----------------------------------------------------------------- rows
    def place(self, fmt: str) -> int:
        """Register an input; `fmt` formats a row number into a location, e.g. "v.csv:{row}"."""
        self._places.append(fmt)
        return len(self._places) - 1

    def where(self, place: int, row: int) -> str:
        return self._places[place].format(row=row)

    def _problem(self, place: int, row: int, column: str, message: str) -> None:
        self.problems.append((place, row, Problem(self.where(place, row), column, message)))
        if len(self.problems) >= self.max_errors:
            self.truncated = True
            raise _Cap

    def add_problem(self, place: int, row: int, column: str, message: str) -> None:
        """Record a problem found outside add_rows (a refused file, another sheet of a workbook)."""
        if not self.truncated:
            with contextlib.suppress(_Cap):
                self._problem(place, row, column, message)

    def add_rows(self, rows: Iterable[tuple[int, Sequence[Any]]], *, place: int) -> None:
        """Validate and stage (row number, values in VALUE_COLUMNS order) pairs from one input.

        Stops reading once the error cap is reached (finish() then raises).
        """
        with contextlib.suppress(_Cap):
            self._add_rows(rows, place)

    def _add_rows(self, rows: Iterable[tuple[int, Sequence[Any]]], place: int) -> None:
        if self.truncated:
            return
        problem = self._problem
        buffer = self._buffer
        progress = self.progress
        sources = self._sources
        default_plan = self.default_plan
        inds = self._inds
        cells_cache = self._cell_cache
        periods = self._periods
        areas = self._area_cache
        indicator_ids = self.indicator_ids
        for rownum, row in rows:
            self.rows += 1
            if progress is not None and self.rows % _PROGRESS_EVERY == 0:
                progress(self.rows)
            if len(row) < 11:
                row = list(row) + [None] * (11 - len(row))
            plan_raw, ind_raw, per_raw, area_raw, cell_raw, src_raw, v, n, d, t, c = row[:11]
            plan_code = (
                (plan_raw.strip() if type(plan_raw) is str else _text(plan_raw))
                or default_plan
                or ""
            )
            ok = True
            plan = self._plans.get(plan_code) or self._plan(plan_code) if plan_code else None
            if plan is None:
                problem(place, rownum, "plan", _("a plan code is required"))
                continue
            if isinstance(plan, str):
                problem(place, rownum, "plan", plan)
                continue
            ind_code = ind_raw.strip() if type(ind_raw) is str else _text(ind_raw)
            ind = inds.get((plan_code, ind_code)) or self._indicator(plan, ind_code)
            if isinstance(ind, str):
                problem(place, rownum, "indicator", ind)
                continue
            per_code = per_raw.strip() if type(per_raw) is str else _text(per_raw)
            per = periods.get((plan.id, ind.frequency, per_code)) or self._period(
                plan, ind, per_code
            )
            if isinstance(per, str):
                problem(place, rownum, "period", per)
                ok = False
            area_code = area_raw.strip() if type(area_raw) is str else _text(area_raw)
            area = areas.get((plan.id, area_code)) or self._area(plan, area_code)
            if isinstance(area, str):
                problem(place, rownum, "area", area)
                ok = False
            cell_text = cell_raw.strip() if type(cell_raw) is str else _text(cell_raw)
            cell = cells_cache.get((ind.scheme_id, cell_text)) or self._cell(ind, cell_text)
            if isinstance(cell, str):
                problem(place, rownum, "cell", cell)
                ok = False
            src_code = (
                src_raw.strip() if type(src_raw) is str else _text(src_raw)
            ) or GOVERNMENT_SOURCE
            src = sources.get(src_code)
            if src is None:
                problem(place, rownum, "source", _("unknown source %(code)r") % {"code": src_code})
                ok = False
            elif ind.owner is not None and self._source_orgs.get(src) != ind.owner:
                # Civil society's own indicator: the government (or another organisation)
                # has no figures of its own to give on it.
                problem(
                    place,
                    rownum,
                    "source",
                    _(
                        "%(ind)s is a civil-society organisation's own indicator: only its "
                        "organisation's source may report on it, not %(code)s"
                    )
                    % {"ind": ind.code, "code": src_code},
                )
                ok = False
            elif ind.draft and self.stores:
                problem(
                    place,
                    rownum,
                    "indicator",
                    _("%(ind)s is not published yet: publish the indicator before its figures")
                    % {"ind": ind.code},
                )
                ok = False
            figures = self._figures(ind, v, n, d, t, place, rownum)
            if figures is None or not ok:
                continue
            value, num, den, text = figures
            comment = "" if c is None else str(c).strip()
            indicator_ids.add(ind.id)
            self.plan_ids.add(plan.id)
            buffer.append(
                (ind.id, per, area, cell, src, value, num, den, text, comment, place, rownum)
            )
            if len(buffer) >= _CHUNK:
                self._flush()
                buffer = self._buffer

    def _figures(
        self, ind: _Ind, v: Any, n: Any, d: Any, t: Any, place: int, rownum: int
    ) -> tuple[float | None, float | None, float | None, str] | None:
        """Kind-specific checks; None (after recording problems) when the row is refused."""
        kind = ind.kind
        problem = self._problem
        text = "" if t is None else str(t).strip()
        if kind == IndicatorKind.NUMBER:
            try:
                # Fast path for CSV text; parse_number handles the other types.
                value = float(v) if type(v) is str and v else parse_number(v)
                if value is not None and not math.isfinite(value):
                    raise ValueError
            except ValueError:
                text_value = str(v).strip()[:40]
                problem(
                    place, rownum, "value", _("%(text)r is not a number") % {"text": text_value}
                )
                return None
            ok = True
            if value is None:
                problem(place, rownum, "value", _("a value is required for a number indicator"))
                ok = False
            elif value < 0 and not (ind.expected_min is not None and ind.expected_min < 0):
                problem(place, rownum, "value", _("a count cannot be negative"))
                ok = False
            if n or d or text or type(n) in (int, float) or type(d) in (int, float):
                ok = self._unused(ind, place, rownum, n=n, d=d, t=text) and ok
            if not ok or value is None:
                return None
            self._expected(ind, value, place, rownum)
            return value, None, None, ""
        if kind == IndicatorKind.PERCENTAGE:
            ok = True
            try:
                num = parse_number(n)
            except ValueError as exc:
                problem(place, rownum, "numerator", str(exc))
                num, ok = None, False
            try:
                den = parse_number(d)
            except ValueError as exc:
                problem(place, rownum, "denominator", str(exc))
                den, ok = None, False
            if ok and num is None:
                problem(place, rownum, "numerator", _("a percentage needs a numerator"))
                ok = False
            if ok and den is None:
                problem(place, rownum, "denominator", _("a percentage needs a denominator"))
                ok = False
            if not ok or num is None or den is None:
                return None
            if num < 0:
                problem(place, rownum, "numerator", _("the numerator cannot be negative"))
                return None
            if den <= 0:
                problem(place, rownum, "denominator", _("the denominator must be greater than 0"))
                return None
            if num > den:
                problem(
                    place,
                    rownum,
                    "numerator",
                    _("the numerator (%(num)s) is above the denominator (%(den)s)")
                    % {"num": _fmt(num), "den": _fmt(den)},
                )
                return None
            value = num / den * ind.factor
            try:
                typed = parse_number(v)
            except ValueError as exc:
                problem(place, rownum, "value", str(exc))
                return None
            if typed is not None and abs(typed - value) > 1e-6 * max(1.0, abs(value)):
                problem(
                    place,
                    rownum,
                    "value",
                    _(
                        "the value of a percentage is computed from numerator and denominator "
                        "(%(computed)s); leave it empty"
                    )
                    % {"computed": _fmt(value)},
                )
                return None
            if not self._unused(ind, place, rownum, t=text):
                return None
            self._expected(ind, value, place, rownum)
            return value, num, den, ""
        if kind == IndicatorKind.YES_NO:
            word = _text(v).lower()
            if word in YES_WORDS:
                value = 1.0
            elif word in NO_WORDS:
                value = 0.0
            else:
                problem(
                    place,
                    rownum,
                    "value",
                    _("%(text)r is not yes or no (use 1/0, yes/no, oui/non, true/false)")
                    % {"text": word[:40]}
                    if word
                    else _("a yes/no value is required (1 or 0)"),
                )
                return None
            if not self._unused(ind, place, rownum, n=n, d=d, t=text):
                return None
            return value, None, None, ""
        if kind in (IndicatorKind.SCALE, IndicatorKind.MILESTONE):
            raw = _text(v)
            index: int | None = None
            lowered = [label.lower() for label in ind.labels]
            if raw.lower() in lowered:
                index = lowered.index(raw.lower())
            else:
                try:
                    number = parse_number(raw)
                except ValueError:
                    number = None
                if number is not None and number.is_integer() and 0 <= number < len(ind.labels):
                    index = int(number)
            if index is None:
                problem(
                    place,
                    rownum,
                    "value",
                    _("%(text)r is not a step of %(ind)s: give 0 to %(last)s or a label")
                    % {"text": raw[:40], "ind": ind.code, "last": max(len(ind.labels) - 1, 0)},
                )
                return None
            if not self._unused(ind, place, rownum, n=n, d=d):
                return None
            return float(index), None, None, text
        if kind == IndicatorKind.NARRATIVE:
            if not text:
                problem(place, rownum, "text", _("a narrative indicator needs its text"))
                return None
            if not self._unused(ind, place, rownum, v=v, n=n, d=d):
                return None
            return None, None, None, text
        if kind == IndicatorKind.LIST:
            problem(
                place,
                rownum,
                "value",
                _("%(ind)s counts its list items; give them in ListItems, not as values")
                % {"ind": ind.code},
            )
            return None
        problem(
            place,
            rownum,
            "indicator",
            _("%(ind)s is derived: its values are computed, never typed") % {"ind": ind.code},
        )
        return None

    def _unused(self, ind: _Ind, place: int, rownum: int, **given: Any) -> bool:
        names = {"v": "value", "n": "numerator", "d": "denominator", "t": "text"}
        ok = True
        for key, raw in given.items():
            if not _is_blank(raw):
                self._problem(
                    place,
                    rownum,
                    names[key],
                    _("%(column)s is not used by a %(kind)s indicator; leave it empty")
                    % {"column": names[key], "kind": ind.kind},
                )
                ok = False
        return ok

    def _expected(self, ind: _Ind, value: float, place: int, rownum: int) -> None:
        low, high = ind.expected_min, ind.expected_max
        outside = (low is not None and value < low) or (high is not None and value > high)
        if outside and len(self.warnings) < self.max_errors:
            self.warnings.append(
                Problem(
                    self.where(place, rownum),
                    "value",
                    _("%(value)s is outside the expected range %(low)s to %(high)s")
                    % {
                        "value": _fmt(value),
                        "low": "" if low is None else _fmt(low),
                        "high": "" if high is None else _fmt(high),
                    },
                )
            )

    # ----------------------------------------------------------------- store
    def _duplicates(self) -> None:
        key = "ind, per, area, cell, src"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {key} FROM {self.stage} GROUP BY {key} HAVING COUNT(*) > 1 LIMIT %s",
                [self.max_errors],
            )
            keys = cursor.fetchall()
            for dup_key in keys:
                cursor.execute(
                    f"SELECT place, rownum FROM {self.stage} WHERE ind = %s AND per = %s"
                    " AND area = %s AND cell = %s AND src = %s ORDER BY place, rownum",
                    list(dup_key),
                )
                hits = cursor.fetchall()
                first = self.where(*hits[0])
                for place, rownum in hits[1:]:
                    self.problems.append(
                        (
                            place,
                            rownum,
                            Problem(
                                self.where(place, rownum),
                                "indicator",
                                _(
                                    "duplicate of %(first)s (same indicator, period, area, "
                                    "cell and source)"
                                )
                                % {"first": first},
                            ),
                        )
                    )
                    if len(self.problems) >= self.max_errors:
                        self.truncated = True
                        return

    def finish(self) -> IngestResult:
        """Check duplicates, then store everything, or raise IngestError with every problem."""
        self._flush()
        if self.progress is not None:
            self.progress(self.rows)
        if not self.truncated and self.staged:
            self._duplicates()
        if self.problems:
            self._drop()
            problems = [p for _place, _row, p in sorted(self.problems, key=lambda x: x[:2])]
            raise IngestError(problems[: self.max_errors], self.truncated)
        result = IngestResult(batch_id=self.batch.pk, rows=self.rows, warnings=self.warnings)
        if self.staged:
            self._store(result)
        self._drop()
        result.plan_ids = set(self.plan_ids)
        result.indicator_ids = set(self.indicator_ids)
        result.seconds = time.monotonic() - self.started
        ImportBatch.objects.filter(pk=self.batch.pk).update(
            rows=result.rows,
            created=result.created,
            updated=result.updated,
            finished_at=timezone.now(),
        )
        return result

    def _store(self, result: IngestResult) -> None:
        dv = connection.ops.quote_name(DataValue._meta.db_table)
        audit = connection.ops.quote_name(DataValueAudit._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        stage = self.stage
        key_match = (
            f"d.indicator_id = {stage}.ind AND d.period_id = {stage}.per AND d.area_id ="
            f" {stage}.area AND d.cell_id = {stage}.cell AND d.source_id = {stage}.src"
        )

        def changed(d: str) -> str:
            return (
                f"({d}.value IS DISTINCT FROM s.value OR {d}.numerator IS DISTINCT FROM s.num OR"
                f" {d}.denominator IS DISTINCT FROM s.den OR {d}.text_value IS DISTINCT FROM s.txt"
                f" OR {d}.comment IS DISTINCT FROM s.cmt)"
            )

        with connection.cursor() as cursor:
            existing = 0
            ids = sorted(self.indicator_ids)
            placeholders = ", ".join(["%s"] * len(ids))
            cursor.execute(
                f"SELECT 1 FROM {dv} WHERE indicator_id IN ({placeholders}) LIMIT 1", ids
            )
            if cursor.fetchone() is not None:
                cursor.execute(
                    f"UPDATE {stage} SET existing = d.id FROM {dv} AS d WHERE {key_match}"
                )
                existing = cursor.rowcount
            if existing:
                cursor.execute(
                    f"INSERT INTO {audit} (indicator_id, period_id, area_id, cell_id, source_id,"
                    " action, old_value, old_numerator, old_denominator, old_text, new_value,"
                    " new_numerator, new_denominator, new_text, changed_by_id, batch_id,"
                    " changed_at, reason)"
                    " SELECT d.indicator_id, d.period_id, d.area_id, d.cell_id, d.source_id,"
                    " 'update', d.value, d.numerator, d.denominator, d.text_value, s.value, s.num,"
                    " s.den, s.txt, %s, %s, %s, %s"
                    f" FROM {stage} AS s JOIN {dv} AS d ON d.id = s.existing WHERE {changed('d')}",
                    [self.user_id, self.batch.pk, now, self.batch.filename],
                )
                cursor.execute(
                    f"UPDATE {dv} SET value = s.value, numerator = s.num, denominator = s.den,"
                    " text_value = s.txt, comment = s.cmt, stored_by_id = %s, batch_id = %s,"
                    f" updated_at = %s FROM {stage} AS s"
                    f" WHERE {dv}.id = s.existing AND {changed(dv)}",
                    [self.user_id, self.batch.pk, now],
                )
                result.updated = cursor.rowcount
                result.unchanged = existing - result.updated
            cursor.execute(
                f"INSERT INTO {dv} (indicator_id, period_id, area_id, cell_id, source_id, value,"
                " numerator, denominator, text_value, comment, stored_by_id, batch_id,"
                " created_at, updated_at)"
                " SELECT ind, per, area, cell, src, value, num, den, txt, cmt, %s, %s, %s, %s"
                f" FROM {stage} WHERE existing IS NULL",
                [self.user_id, self.batch.pk, now, now],
            )
            result.created = cursor.rowcount

    def _drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.stage}")


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def values_ingest(
    *,
    rows: Iterable[Mapping[str, Any]],
    user: Any = None,
    plan: str | None = None,
    kind: str = "api",
    filename: str = "",
    where: str = "values[{row}]",
    progress: Callable[[int], None] | None = None,
) -> IngestResult:
    """Validate and store indicator values, all or nothing.

    Each row is a mapping with the VALUE_COLUMNS keys (missing keys are blank; "plan" may be
    omitted when `plan` gives it; "source" defaults to the government). Rows are numbered from
    0 in problem locations ("values[3]:numerator: ..."); pass `where` to change that format.
    Raises IngestError listing every problem; on success returns the counts.
    """
    with transaction.atomic():
        session = ValueIngest(
            user=user, kind=kind, filename=filename, default_plan=plan, progress=progress
        )
        place = session.place(where)
        session.add_rows(
            (
                (index, [item.get(column) for column in VALUE_COLUMNS])
                for index, item in enumerate(rows)
            ),
            place=place,
        )
        return session.finish()
