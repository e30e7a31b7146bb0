"""The ingest session: rows in (as codes and text, or already resolved), one batch out."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.core.history import display_name
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.aggregation.kinds import NOT_AGGREGATED
from wpsmonitor.indicators.ingest.lookups import IndicatorFacts, Lookups, PlanFacts
from wpsmonitor.indicators.ingest.problems import (
    ErrorCapReached,
    IngestError,
    IngestResult,
    Problem,
    ProblemLog,
)
from wpsmonitor.indicators.ingest.rows import VALUE_COLUMNS, as_text
from wpsmonitor.indicators.ingest.staging import StagedRow, StagingTable
from wpsmonitor.indicators.ingest.value_rules import ValueRules
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, ImportBatch

_CHUNK = 20_000
_NAMED_AREAS = 5  # the sub-areas a refusal names before "and 3 more"
_PROGRESS_EVERY = 100_000


@dataclass(frozen=True)
class ResolvedFigure:
    """A figure whose indicator, period, area, cell and source are already ids, and whose
    figures are numbers (a submission's stored figures): nothing to parse or look up, but
    the same rules as a typed row (ValueIngest.add_figures)."""

    indicator_id: int
    period_id: int
    area_id: int
    cell_id: int
    source_id: int
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    text: str = ""
    comment: str = ""


class ValueIngest:
    """A validation-and-store session: rows from one or several inputs, stored as one batch.

    Use inside transaction.atomic(); finish() raises IngestError if any row was refused, and
    the caller's transaction must then roll back (values_ingest and the importers do).
    """

    def __init__(
        self,
        *,
        user: User | None = None,
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
        self.user_name = display_name(user) if user is not None else ""
        # "check" sessions validate and roll back (a draft's dry run): they may name a draft
        # civil-society indicator, whose figures no stored session may write before it is out.
        self.stores = kind != "check"
        self.default_plan = default_plan
        self.progress = progress
        self.log = ProblemLog(max_errors or settings.IMPORT_MAX_ERRORS)
        self.rules = ValueRules(self.log)
        self.rows = 0
        self.plan_ids: set[int] = set()
        self.indicator_ids: set[int] = set()
        self.not_rolled_up: set[int] = set()  # narratives: an area's text is its own
        self.batch = ImportBatch.objects.create(
            kind=kind, filename=filename[:500], user_id=self.user_id
        )
        self.lookups = Lookups()
        # The plan workbook importer registers the sources it creates here.
        self._sources = self.lookups.sources
        self._buffer: list[StagedRow] = []
        self.staging = StagingTable()

    # ----------------------------------------------------------------- problems
    @property
    def max_errors(self) -> int:
        return self.log.max_errors

    @property
    def problems(self) -> list[tuple[int, int, Problem]]:
        return self.log.problems

    @property
    def warnings(self) -> list[Problem]:
        return self.log.warnings

    @property
    def truncated(self) -> bool:
        return self.log.truncated

    def place(self, fmt: str) -> int:
        """Register an input; `fmt` formats a row number into a location, e.g. "v.csv:{row}"."""
        return self.log.place(fmt)

    def where(self, place: int, row: int) -> str:
        return self.log.where(place, row)

    def add_problem(self, place: int, row: int, column: str, message: str) -> None:
        """Record a problem found outside add_rows (a refused file, another sheet of a workbook)."""
        if not self.log.truncated:
            with contextlib.suppress(ErrorCapReached):
                self.log.problem(place, row, column, message)

    # ----------------------------------------------------------------- rows as typed
    def add_rows(self, rows: Iterable[tuple[int, Sequence[Any]]], *, place: int) -> None:
        """Validate and stage (row number, values in VALUE_COLUMNS order) pairs from one input.

        Stops reading once the error cap is reached (finish() then raises).
        """
        with contextlib.suppress(ErrorCapReached):
            self._add_rows(rows, place)

    def _add_rows(self, rows: Iterable[tuple[int, Sequence[Any]]], place: int) -> None:
        # The hot loop of an import: the caches are read directly, the lookups (and their
        # queries) only run on a miss.
        if self.log.truncated:
            return
        problem = self.log.problem
        lookups = self.lookups
        sources = lookups.sources
        inds = lookups.indicators
        cells_cache = lookups.cell_cache
        periods = lookups.periods
        areas = lookups.area_cache
        progress = self.progress
        for rownum, row in rows:
            self.rows += 1
            if progress is not None and self.rows % _PROGRESS_EVERY == 0:
                progress(self.rows)
            if len(row) < 11:
                row = list(row) + [None] * (11 - len(row))
            plan_raw, ind_raw, per_raw, area_raw, cell_raw, src_raw, v, n, d, t, c = row[:11]
            plan_code = (
                (plan_raw.strip() if type(plan_raw) is str else as_text(plan_raw))
                or self.default_plan
                or ""
            )
            ok = True
            plan = lookups.plans.get(plan_code) or lookups.plan(plan_code) if plan_code else None
            if plan is None:
                problem(place, rownum, "plan", _("a plan code is required"))
                continue
            if isinstance(plan, str):
                problem(place, rownum, "plan", plan)
                continue
            ind_code = ind_raw.strip() if type(ind_raw) is str else as_text(ind_raw)
            ind = inds.get((plan_code, ind_code)) or lookups.indicator(plan, ind_code)
            if isinstance(ind, str):
                problem(place, rownum, "indicator", ind)
                continue
            per_code = per_raw.strip() if type(per_raw) is str else as_text(per_raw)
            per = periods.get((plan.id, ind.frequency, per_code)) or lookups.period(
                plan, ind, per_code
            )
            if isinstance(per, str):
                problem(place, rownum, "period", per)
                ok = False
            area_code = area_raw.strip() if type(area_raw) is str else as_text(area_raw)
            area = areas.get((plan.id, area_code)) or lookups.area(plan, area_code)
            if isinstance(area, str):
                problem(place, rownum, "area", area)
                ok = False
            cell_text = cell_raw.strip() if type(cell_raw) is str else as_text(cell_raw)
            cell = cells_cache.get((ind.scheme_id, cell_text)) or lookups.cell(ind, cell_text)
            if isinstance(cell, str):
                problem(place, rownum, "cell", cell)
                ok = False
            src_code = (
                src_raw.strip() if type(src_raw) is str else as_text(src_raw)
            ) or GOVERNMENT_SOURCE
            src = sources.get(src_code)
            if src is None:
                problem(place, rownum, "source", _("unknown source %(code)r") % {"code": src_code})
                ok = False
            elif ind.owner is not None:  # only an organisation's own indicator has rules here
                ok = self._source_allowed(ind, src, src_code, place, rownum) and ok
            self._stage(ok, plan, ind, (per, area, cell, src), (v, n, d, t, c), place, rownum)

    # ----------------------------------------------------------------- resolved figures
    def add_figures(self, figures: Iterable[tuple[int, ResolvedFigure]], *, place: int) -> None:
        """Validate and stage (row number, figure) pairs of the session's plan (default_plan).

        The typed entry point: the ids are checked against the plan and the indicator as
        their codes would be, the numbers against the same value rules as typed ones; the
        problems, warnings, audit rows and batch are those of the same rows given as text.
        """
        if not self.default_plan:
            raise ValueError("add_figures needs the session's plan (default_plan)")
        with contextlib.suppress(ErrorCapReached):
            self._add_figures(figures, place, self.default_plan)

    def _add_figures(
        self, figures: Iterable[tuple[int, ResolvedFigure]], place: int, plan_code: str
    ) -> None:
        if self.log.truncated:
            return
        problem = self.log.problem
        lookups = self.lookups
        plan = lookups.plan(plan_code)
        for rownum, figure in figures:
            self.rows += 1
            if self.progress is not None and self.rows % _PROGRESS_EVERY == 0:
                self.progress(self.rows)
            if isinstance(plan, str):
                problem(place, rownum, "plan", plan)
                continue
            ind = lookups.indicator_by_id(plan, figure.indicator_id)
            if isinstance(ind, str):
                problem(place, rownum, "indicator", ind)
                continue
            ok = True
            per = lookups.period_by_id(plan, ind, figure.period_id)
            if isinstance(per, str):
                problem(place, rownum, "period", per)
                ok = False
            area = lookups.area_by_id(plan, figure.area_id)
            if isinstance(area, str):
                problem(place, rownum, "area", area)
                ok = False
            cell = lookups.cell_by_id(ind, figure.cell_id)
            if isinstance(cell, str):
                problem(place, rownum, "cell", cell)
                ok = False
            src = figure.source_id
            src_code = lookups.source_code(src)
            if src_code is None:
                src_code = f"#{src}"
                problem(place, rownum, "source", _("unknown source %(code)r") % {"code": src_code})
                ok = False
            else:
                ok = self._source_allowed(ind, src, src_code, place, rownum) and ok
            raw = (figure.value, figure.numerator, figure.denominator, figure.text, figure.comment)
            self._stage(ok, plan, ind, (per, area, cell, src), raw, place, rownum)

    # ----------------------------------------------------------------- shared steps
    def _source_allowed(
        self, ind: IndicatorFacts, src: int, src_code: str, place: int, rownum: int
    ) -> bool:
        """Who may give figures on the indicator: its owner alone for an organisation's own,
        and only once it is published (a draft's figures are checked, never stored)."""
        if ind.owner is not None and self.lookups.source_orgs.get(src) != ind.owner:
            # Civil society's own indicator: the government (or another organisation)
            # has no figures of its own to give on it.
            self.log.problem(
                place,
                rownum,
                "source",
                _(
                    "%(ind)s is a civil-society organisation's own indicator: only its "
                    "organisation's source may report on it, not %(code)s"
                )
                % {"ind": ind.code, "code": src_code},
            )
            return False
        if ind.draft and self.stores:
            self.log.problem(
                place,
                rownum,
                "indicator",
                _("%(ind)s is not published yet: publish the indicator before its figures")
                % {"ind": ind.code},
            )
            return False
        return True

    def _stage(
        self,
        ok: bool,
        plan: PlanFacts,
        ind: IndicatorFacts,
        ids: tuple[int | str, int | str, int | str, int | None],
        raw: tuple[Any, Any, Any, Any, Any],
        place: int,
        rownum: int,
    ) -> None:
        """Check the figures (even when the row is already refused, to report everything)
        and stage the row if it passed. `ids` are the period, area, cell and source: ids
        when `ok`, possibly the messages refusing them otherwise."""
        v, n, d, t, c = raw
        figures = self.rules.check(ind, v, n, d, t, place, rownum)
        if figures is None or not ok:
            return
        value, num, den, text = figures
        comment = "" if c is None else str(c).strip()
        self.indicator_ids.add(ind.id)
        if ind.kind in NOT_AGGREGATED:
            self.not_rolled_up.add(ind.id)
        self.plan_ids.add(plan.id)
        self._buffer.append((ind.id, *ids, value, num, den, text, comment, place, rownum))
        if len(self._buffer) >= _CHUNK:
            self._flush()

    def _flush(self) -> None:
        self.staging.write(self._buffer)
        self._buffer = []

    # ----------------------------------------------------------------- finish
    def _duplicates(self) -> None:
        for hits in self.staging.duplicates(self.log.max_errors):
            first = self.where(*hits[0])
            for place, rownum in hits[1:]:
                message = _(
                    "duplicate of %(first)s (same indicator, period, area, cell and source)"
                ) % {"first": first}
                if not self.log.record(place, rownum, "indicator", message):
                    return

    def _overlaps(self) -> None:
        """Refuse a figure for an area whose sub-areas (or an area above it) also have one for
        the same indicator, period, cell and source: the roll-up would count it twice."""
        overlaps = self.staging.overlaps(self.log.max_errors, skip=self.not_rolled_up)
        named = {a for _p, _r, area, others in overlaps for a in (area, *(o for o, _ in others))}
        codes = dict(Area.objects.filter(pk__in=named).values_list("pk", "code"))
        paths = dict(Area.objects.filter(pk__in=named).values_list("pk", "path"))
        for place, rownum, area, others in overlaps:
            above = [codes[o] for o, is_above in others if is_above]
            below = [codes[o] for o, is_above in others if not is_above]
            if below:
                shown = ", ".join(below[:_NAMED_AREAS])
                if len(below) > _NAMED_AREAS:
                    shown += " " + _("and %(count)d more") % {"count": len(below) - _NAMED_AREAS}
                message = _(
                    "the sub-areas of %(area)s (%(areas)s) have figures for the same "
                    "indicator, period, cell and source, and the figure of %(area)s is their "
                    "sum: give the figure of %(area)s or those of its sub-areas, not both (they "
                    "would be counted twice)"
                ) % {"area": codes[area], "areas": shown}
                message += self._sum_check(place, rownum, codes[area], below, codes, paths)
            else:
                message = _(
                    "%(above)s, above %(area)s, has a figure for the same indicator, period, "
                    "cell and source, and that figure is the sum of its sub-areas: give the "
                    "figure of %(above)s or those of its sub-areas, not both (they would be "
                    "counted twice)"
                ) % {"area": codes[area], "above": ", ".join(above)}
            if not self.log.record(place, rownum, "area", message):
                return

    def _sum_check(
        self,
        place: int,
        rownum: int,
        area: str,
        below: list[str],
        codes: dict[int, str],
        paths: dict[int, str],
    ) -> str:
        """What a figure typed beside its sub-areas' says against their sum (the trust issue's
        rule: checked against it, never added to it): "" when either has no value."""
        ids = {code: pk for pk, code in codes.items()}
        # The topmost sub-areas only: a district's figure is already in its province's.
        below_paths = [paths[ids[c]] for c in below]
        top = [
            ids[c]
            for c in below
            if not any(p != paths[ids[c]] and paths[ids[c]].startswith(p) for p in below_paths)
        ]
        typed, total = self.staging.figure_and_sum(place, rownum, top)
        if typed is None or total is None:
            return ""
        if abs(typed - total) <= 1e-9 * max(1.0, abs(total)):
            return "; " + _(
                "%(area)s's figure (%(typed)s) equals their sum: leave it out, it is derived"
            ) % {"area": area, "typed": f"{typed:g}"}
        return "; " + _(
            "%(area)s's figure (%(typed)s) is not their sum (%(total)s): check which is right"
        ) % {"area": area, "typed": f"{typed:g}", "total": f"{total:g}"}

    def finish(self) -> IngestResult:
        """Check duplicates and figures at two levels of areas, then store everything, or
        raise IngestError with every problem."""
        self._flush()
        if self.progress is not None:
            self.progress(self.rows)
        if not self.log.truncated and self.staging.staged:
            self._duplicates()
        if not self.log.truncated and self.staging.staged:
            self._overlaps()
        if self.log.problems:
            self.staging.drop()
            problems = self.log.in_input_order()
            raise IngestError(problems[: self.log.max_errors], self.log.truncated)
        result = IngestResult(batch_id=self.batch.pk, rows=self.rows, warnings=self.log.warnings)
        if self.staging.staged:
            self.staging.store(
                result,
                indicator_ids=self.indicator_ids,
                user_id=self.user_id,
                batch_id=self.batch.pk,
                reason=self.batch.filename,
                user_name=self.user_name,
            )
        self.staging.drop()
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


def values_ingest(
    *,
    rows: Iterable[Mapping[str, Any]],
    user: User | None = None,
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


def figures_ingest(
    *,
    figures: Iterable[ResolvedFigure],
    plan: str,
    user: User | None = None,
    kind: str = "api",
    filename: str = "",
    where: str = "figures[{row}]",
    max_errors: int | None = None,
) -> IngestResult:
    """values_ingest for figures already resolved to ids (ResolvedFigure), all of `plan`.

    All or nothing: raises IngestError listing every problem; on success returns the counts.
    """
    with transaction.atomic():
        session = ValueIngest(
            user=user, kind=kind, filename=filename, default_plan=plan, max_errors=max_errors
        )
        session.add_figures(enumerate(figures), place=session.place(where))
        return session.finish()
