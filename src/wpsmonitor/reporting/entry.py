"""The data entry sheet: which indicators a submission covers, for which period, laid out as
grids of cells, with the previous period's approved figure and the target beside each cell.

Rows typed in the form become EntryRow objects, which the services validate through the ingest
service (the same checks as every import) and store in the submission.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from wpsmonitor.core.names import localized_name
from wpsmonitor.core.periods import PeriodType, parse_period, period_code_for
from wpsmonitor.indicators.in_force import dropped_of
from wpsmonitor.indicators.ingest import NO_WORDS, YES_WORDS, Problem, parse_number
from wpsmonitor.indicators.models import (
    TOTAL_CELL,
    Cell,
    DataValue,
    Indicator,
    IndicatorKind,
    Period,
    SchemeDimension,
    Target,
)
from wpsmonitor.plans.models import ActionStatus, FrameworkNode
from wpsmonitor.reporting.models import (
    ActionAssessment,
    ActionReport,
    Assignment,
    Submission,
    SubmissionValue,
)

# Kinds a person enters; formulas and shares are computed, lists are counted from their items.
DUE_KINDS = [
    IndicatorKind.NUMBER,
    IndicatorKind.PERCENTAGE,
    IndicatorKind.YES_NO,
    IndicatorKind.MILESTONE,
    IndicatorKind.SCALE,
    IndicatorKind.NARRATIVE,
]
# Disaggregated kinds: the others have a single cell, the total.
GRID_KINDS = {IndicatorKind.NUMBER, IndicatorKind.PERCENTAGE}


def indicator_period_code(round_code: str, frequency: PeriodType) -> str | None:
    """The period an indicator of this frequency reports in a round, or None if not due.

    An indicator is due in the round whose period ends with its own: a yearly indicator in the
    round of 2026Q4 (for 2026), a quarterly one in every quarter. One finer than the round (a
    monthly indicator in a quarterly round) is due in rounds of its own frequency.
    """
    round_period = parse_period(round_code)
    code = period_code_for(frequency, round_period.end)
    own = parse_period(code)
    if own.end != round_period.end or own.start > round_period.start:
        return None
    return code


def normalise_number(raw: str) -> str:
    """Accept what people type: spaces as thousands separators, a decimal comma."""
    text = raw.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    return text


@dataclass
class EntryRow:
    """One cell of one indicator as typed (strings) for a submission."""

    indicator_id: int
    indicator_code: str
    kind: str
    factor: float
    cell_id: int
    cell_code: str
    period_id: int
    period_code: str
    area_code: str
    source_code: str
    value: str = ""
    numerator: str = ""
    denominator: str = ""
    text: str = ""
    comment: str = ""

    @property
    def key(self) -> tuple[int, int]:
        return (self.indicator_id, self.cell_id)

    @property
    def label(self) -> str:
        if self.cell_code == TOTAL_CELL:
            return self.indicator_code
        return f"{self.indicator_code} [{self.cell_code}]"

    @property
    def is_blank(self) -> bool:
        return not (self.value or self.numerator or self.denominator or self.text)

    def as_import_row(self) -> list[str]:
        """In VALUE_COLUMNS order; the plan comes from the ingest session's default."""
        return [
            "",
            self.indicator_code,
            self.period_code,
            self.area_code,
            self.cell_code,
            self.source_code,
            self.value,
            self.numerator,
            self.denominator,
            self.text,
            self.comment,
        ]

    def parsed(self) -> dict[str, Any]:
        """The SubmissionValue fields of a row that passed validation."""
        value: float | None = None
        numerator = denominator = None
        text = ""
        if self.kind == IndicatorKind.PERCENTAGE:
            numerator, denominator = parse_number(self.numerator), parse_number(self.denominator)
        elif self.kind == IndicatorKind.YES_NO:
            word = self.value.strip().lower()
            value = 1.0 if word in YES_WORDS else 0.0 if word in NO_WORDS else None
        elif self.kind == IndicatorKind.NARRATIVE:
            text = self.text
        else:
            value = parse_number(self.value)
            text = self.text if self.kind != IndicatorKind.NUMBER else ""
        return {
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "text_value": text,
            "comment": self.comment,
        }


def _stored(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else repr(number)


# The sheet ---------------------------------------------------------------------------------------


@dataclass
class SheetCell:
    cell: Cell
    row: EntryRow
    label: str = ""
    previous: DataValue | None = None
    target: Target | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def field_id(self) -> str:
        return f"{self.row.indicator_id}-{self.cell.pk}"

    def problems_for(self, column: str) -> list[Problem]:
        return [p for p in self.problems if p.column == column]


@dataclass
class SheetIndicator:
    indicator: Indicator
    period_code: str
    cells: list[SheetCell]
    # A grid for two or more dimensions: column options of the last dimension, and rows of
    # (labels of the other dimensions, cells in column order).
    columns: list[str] = field(default_factory=list)
    grid: list[tuple[list[str], list[SheetCell | None]]] = field(default_factory=list)
    scale_choices: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_problems(self) -> bool:
        return any(c.problems for c in self.cells)

    @property
    def total(self) -> str:
        """The derived total of what is typed (sum of counts; sum of numerators over sum of
        denominators for a percentage), shown beside the grid and updated live by the script."""
        try:
            if self.indicator.kind == IndicatorKind.NUMBER:
                numbers = [parse_number(c.row.value) for c in self.cells]
                kept = [n for n in numbers if n is not None]
                return _stored(sum(kept)) if kept else ""
            if self.indicator.kind == IndicatorKind.PERCENTAGE:
                nums = [parse_number(c.row.numerator) for c in self.cells]
                dens = [parse_number(c.row.denominator) for c in self.cells]
                n = sum(x for x in nums if x is not None)
                d = sum(x for x in dens if x is not None)
                return f"{n * self.indicator.factor / d:.1f}" if d else ""
        except ValueError:
            return ""
        return ""


@dataclass
class SheetAction:
    action: FrameworkNode
    status: str = ""
    percent_complete: str = ""
    narrative: str = ""
    # Civil society scores the action (ActionAssessment) instead of a status and percentage.
    assessment: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    submission: Submission
    indicators: list[SheetIndicator]
    actions: list[SheetAction]
    not_due: list[Indicator]

    @property
    def civil_society(self) -> bool:
        """A monitor's sheet: actions are scored (assessment), not given a status."""
        return is_civil_society(self.submission)

    def rows(self) -> list[EntryRow]:
        return [c.row for block in self.indicators for c in block.cells]

    @property
    def problem_count(self) -> int:
        return sum(len(c.problems) for b in self.indicators for c in b.cells) + sum(
            len(a.problems) for a in self.actions
        )


def is_civil_society(submission: Submission) -> bool:
    return submission.source.kind != "government"


def due_indicators(submission: Submission) -> tuple[list[tuple[Indicator, str]], list[Indicator]]:
    """(indicator, period code) owed in this submission, and those assigned but not due.

    A civil-society organisation's own indicators are on its own sheets only (published or
    not: it reports on its draft indicators before showing them); never on anyone else's.
    An indicator a revision dropped is asked for no period that starts after the approval
    (indicators/in_force.py, read for the period each indicator is reported for), in neither
    list: figures already entered stay in the fact table and on the indicator's pages.
    """
    plan = submission.round.plan
    indicators = Indicator.objects.filter(plan=plan, kind__in=DUE_KINDS).select_related(
        "scheme", "retired_in"
    )
    if is_civil_society(submission):
        indicators = indicators.filter(
            Q(owner_organisation__isnull=True) | Q(owner_organisation_id=submission.organisation_id)
        )
    else:
        indicators = indicators.filter(owner_organisation__isnull=True)
    if submission.source.kind == "government":
        assigned = Assignment.objects.filter(
            plan=plan,
            organisation_id=submission.organisation_id,
            area_id=submission.area_id,
            indicator__isnull=False,
        ).values("indicator_id")
        indicators = indicators.filter(pk__in=assigned)
    due, not_due = [], []
    for indicator in indicators.order_by("order", "code"):
        code = indicator_period_code(submission.round.period.code, PeriodType(indicator.frequency))
        if dropped_of(indicator, starting=code or submission.round.period.code) is not None:
            continue
        if code is None:
            not_due.append(indicator)
        else:
            due.append((indicator, code))
    return due, not_due


def due_actions(submission: Submission) -> list[FrameworkNode]:
    plan = submission.round.plan
    actions = FrameworkNode.objects.filter(plan=plan, level__holds_actions=True)
    if submission.source.kind == "government":
        actions = actions.filter(
            assignments__organisation_id=submission.organisation_id,
            assignments__area_id=submission.area_id,
        )
    return list(actions.order_by("path"))


def _periods(codes: set[str]) -> dict[str, Period]:
    from wpsmonitor.indicators.services import period_ensure

    found = {p.code: p for p in Period.objects.filter(code__in=codes)}
    for code in codes - set(found):
        found[code] = period_ensure(code)
    return found


def previous_period_code(code: str) -> str:
    """The period just before this one, of the same type ("2025Q1" → "2024Q4")."""
    parsed = parse_period(code)
    before = parsed.start.toordinal() - 1
    from datetime import date

    return period_code_for(parsed.type, date.fromordinal(before))


@dataclass
class _SheetReads:
    """Everything a sheet shows, read in a fixed number of queries whatever its size."""

    periods: dict[str, Period]
    cells_by_scheme: dict[int, list[Cell]]
    dims_by_scheme: dict[int, list[SchemeDimension]]
    stored: dict[tuple[int, int], SubmissionValue]
    previous: dict[tuple[int, int], DataValue]
    targets: dict[tuple[int, int, int], Target]
    option_names: dict[tuple[str, str], str]


def build_sheet(
    submission: Submission,
    typed: Mapping[str, str] | None = None,
    problems: Mapping[tuple[int, int], list[Problem]] | None = None,
    warnings: Mapping[tuple[int, int], list[Problem]] | None = None,
    action_problems: Mapping[int, list[str]] | None = None,
    references: bool = True,
) -> Sheet:
    """The sheet for a submission: stored figures, or what was typed when `typed` is given.

    `references=False` leaves out the previous period's figures and the targets: what a save
    needs is the rows, not what is shown beside them."""
    due, not_due = due_indicators(submission)
    reads = _sheet_reads(submission, due, references)
    blocks = []
    for indicator, code in due:
        block = SheetIndicator(
            indicator=indicator,
            period_code=code,
            cells=[
                _sheet_cell(submission, indicator, code, cell, reads, typed)
                for cell in _entry_cells(indicator, reads.cells_by_scheme)
            ],
        )
        for sheet_cell in block.cells:
            sheet_cell.problems = list((problems or {}).get(sheet_cell.row.key, []))
            sheet_cell.warnings = list((warnings or {}).get(sheet_cell.row.key, []))
        if indicator.kind in (IndicatorKind.SCALE, IndicatorKind.MILESTONE):
            block.scale_choices = [
                (str(index), str(label)) for index, label in enumerate(indicator.scale_labels)
            ]
        _lay_out(block, reads.dims_by_scheme.get(indicator.scheme_id, []))
        blocks.append(block)
    actions = _sheet_actions(submission, typed, action_problems or {})
    return Sheet(submission=submission, indicators=blocks, actions=actions, not_due=not_due)


def _sheet_reads(
    submission: Submission, due: list[tuple[Indicator, str]], references: bool
) -> _SheetReads:
    period_codes = {code for _i, code in due}
    previous_codes = {code: previous_period_code(code) for code in period_codes}
    periods = _periods(period_codes | set(previous_codes.values()))
    indicator_ids = [i.pk for i, _c in due]
    scheme_ids = {i.scheme_id for i, _c in due}
    cells_by_scheme: dict[int, list[Cell]] = {}
    for cell in Cell.objects.filter(scheme_id__in=scheme_ids).order_by("id"):
        cells_by_scheme.setdefault(cell.scheme_id, []).append(cell)
    dims_by_scheme: dict[int, list[SchemeDimension]] = {}
    for sd in (
        SchemeDimension.objects.filter(scheme_id__in=scheme_ids)
        .select_related("dimension")
        .prefetch_related("dimension__options")
        .order_by("scheme_id", "order")
    ):
        dims_by_scheme.setdefault(sd.scheme_id, []).append(sd)
    stored = {
        (v.indicator_id, v.cell_id): v
        for v in SubmissionValue.objects.filter(submission=submission)
    }
    previous: dict[tuple[int, int], DataValue] = {}
    targets: dict[tuple[int, int, int], Target] = {}
    if references:
        previous = {
            (v.indicator_id, v.cell_id): v
            for v in DataValue.objects.filter(
                indicator_id__in=indicator_ids,
                area=submission.area,
                source=submission.source,
                period_id__in=[periods[c].pk for c in previous_codes.values()],
            )
        }
        targets = {
            (t.indicator_id, t.cell_id, t.period_id): t
            for t in Target.objects.filter(
                indicator_id__in=indicator_ids,
                area=submission.area,
                period_id__in=[periods[c].pk for c in period_codes],
            )
        }
    option_names = {
        (sd.dimension.code, o.code): localized_name(o.name)
        for sds in dims_by_scheme.values()
        for sd in sds
        for o in sd.dimension.options.all()
    }
    return _SheetReads(
        periods, cells_by_scheme, dims_by_scheme, stored, previous, targets, option_names
    )


def _entry_cells(indicator: Indicator, cells_by_scheme: Mapping[int, list[Cell]]) -> list[Cell]:
    """The cells a person fills: every cell of a grid kind, the total alone otherwise."""
    cells = cells_by_scheme.get(indicator.scheme_id, [])
    if indicator.kind not in GRID_KINDS:
        cells = [c for c in cells if c.code == TOTAL_CELL] or cells[:1]
    return cells


def _sheet_cell(
    submission: Submission,
    indicator: Indicator,
    period_code: str,
    cell: Cell,
    reads: _SheetReads,
    typed: Mapping[str, str] | None,
) -> SheetCell:
    period = reads.periods[period_code]
    row = EntryRow(
        indicator_id=indicator.pk,
        indicator_code=indicator.code,
        kind=indicator.kind,
        factor=indicator.factor,
        cell_id=cell.pk,
        cell_code=cell.code,
        period_id=period.pk,
        period_code=period_code,
        area_code=submission.area.code,
        source_code=submission.source.code,
    )
    if typed is not None:
        _fill_typed(row, typed, f"{indicator.pk}-{cell.pk}")
    elif row.key in reads.stored:
        _fill_stored(row, reads.stored[row.key])
    return SheetCell(
        cell=cell,
        row=row,
        label=_cell_label(cell.code, reads.option_names),
        previous=reads.previous.get(row.key),
        target=reads.targets.get((indicator.pk, cell.pk, period.pk)),
    )


def _fill_typed(row: EntryRow, typed: Mapping[str, str], prefix: str) -> None:
    """The row as the form posted it; numbers of grid kinds as people type them."""
    row.value = typed.get(f"v-{prefix}", "").strip()
    row.numerator = typed.get(f"n-{prefix}", "").strip()
    row.denominator = typed.get(f"d-{prefix}", "").strip()
    row.text = typed.get(f"t-{prefix}", "").strip()
    row.comment = typed.get(f"c-{prefix}", "").strip()
    if row.kind in GRID_KINDS:
        row.value = normalise_number(row.value)
        row.numerator = normalise_number(row.numerator)
        row.denominator = normalise_number(row.denominator)


def _fill_stored(row: EntryRow, value: SubmissionValue) -> None:
    """The row as stored: a percentage shows its numerator and denominator, not its value."""
    row.value = "" if row.kind == IndicatorKind.PERCENTAGE else _stored(value.value)
    row.numerator = _stored(value.numerator)
    row.denominator = _stored(value.denominator)
    row.text = value.text_value
    row.comment = value.comment


def _sheet_actions(
    submission: Submission,
    typed: Mapping[str, str] | None,
    action_problems: Mapping[int, list[str]],
) -> list[SheetAction]:
    reports = {r.action_id: r for r in ActionReport.objects.filter(submission=submission)}
    actions = []
    for node in due_actions(submission):
        item = SheetAction(action=node, problems=list(action_problems.get(node.pk, [])))
        if typed is not None:
            item.status = typed.get(f"as-{node.pk}", "")
            item.percent_complete = typed.get(f"ap-{node.pk}", "")
            item.narrative = typed.get(f"an-{node.pk}", "")
            item.assessment = typed.get(f"aa-{node.pk}", "")
        elif node.pk in reports:
            report = reports[node.pk]
            item.status = report.status
            item.percent_complete = (
                "" if report.percent_complete is None else str(report.percent_complete)
            )
            item.narrative = report.narrative
            item.assessment = report.assessment
        actions.append(item)
    return actions


def _cell_label(code: str, names: Mapping[tuple[str, str], str]) -> str:
    if code == TOTAL_CELL:
        return _("Total")
    pairs = [pair.split("=", 1) for pair in code.split(";")]
    return ", ".join(names.get((d, o), o) for d, o in pairs)


def _lay_out(block: SheetIndicator, dims: list[SchemeDimension]) -> None:
    """Rows and columns for a scheme of two or more dimensions (one: a plain list)."""
    if block.indicator.kind not in GRID_KINDS or len(dims) < 2:
        return
    by_code = {c.cell.code: c for c in block.cells}
    *row_dims, column_dim = dims
    column_options = list(column_dim.dimension.options.all())
    block.columns = [localized_name(o.name) for o in column_options]
    for combo in itertools.product(*(list(sd.dimension.options.all()) for sd in row_dims)):
        labels = [localized_name(o.name) for o in combo]
        cells: list[SheetCell | None] = []
        for option in column_options:
            pairs = [f"{sd.dimension.code}={o.code}" for sd, o in zip(row_dims, combo, strict=True)]
            pairs.append(f"{column_dim.dimension.code}={option.code}")
            cells.append(by_code.get(";".join(pairs)))
        block.grid.append((labels, cells))


def sheet_fields(sheet: Sheet) -> dict[str, str]:
    """The form fields of a sheet as it stands: what a browser posts when nothing is changed."""
    posted: dict[str, str] = {}
    for block in sheet.indicators:
        for cell in block.cells:
            row = cell.row
            for part, text in (
                ("v", row.value),
                ("n", row.numerator),
                ("d", row.denominator),
                ("t", row.text),
                ("c", row.comment),
            ):
                posted[f"{part}-{cell.field_id}"] = text
    for action in sheet.actions:
        if sheet.civil_society:
            posted[f"aa-{action.action.pk}"] = action.assessment
        else:
            posted[f"as-{action.action.pk}"] = action.status
            posted[f"ap-{action.action.pk}"] = action.percent_complete
        posted[f"an-{action.action.pk}"] = action.narrative
    return posted


def sheet_actions_typed(sheet: Sheet) -> dict[int, dict[str, str]]:
    """What the sheet holds per action: an assessment on civil society's sheets, a status and
    a percentage on the government's (each side's sheet has only its own fields)."""
    if sheet.civil_society:
        return {
            a.action.pk: {"assessment": a.assessment, "narrative": a.narrative}
            for a in sheet.actions
        }
    return {
        a.action.pk: {
            "status": a.status,
            "percent_complete": a.percent_complete,
            "narrative": a.narrative,
        }
        for a in sheet.actions
    }


def action_status_choices() -> list[tuple[str, str]]:
    return [("", _("(no change)"))] + [(v, str(label)) for v, label in ActionStatus.choices]


def action_assessment_choices() -> list[tuple[str, str]]:
    return [("", _("(not scored)"))] + [(v, str(label)) for v, label in ActionAssessment.choices]
