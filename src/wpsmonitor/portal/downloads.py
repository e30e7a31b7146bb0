"""Every data table of the plan, indicator and area pages as CSV or XLSX.

A table is downloaded from its page's own address with `?download=csv|xlsx&table=<key>` added to
the page's filters, so the file holds exactly the figures on screen (same period, area and
source). The tables are built from what the page's selectors already read: a download makes the
same fixed number of queries as the page.

Numbers stay numbers (no locale formatting, no units; achievement as a ratio, 1 = target
reached). Text that a spreadsheet would run as a formula (starting with = + - @, tab or CR) is
neutralised with the exporter's helpers: an apostrophe in CSV (exchange.formats.neutralise),
a quote-prefixed text cell in XLSX (exchange.export._safe_cell).
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from wpsmonitor.core.names import localized_name
from wpsmonitor.directory.models import Area
from wpsmonitor.exchange.export import _safe_cell
from wpsmonitor.exchange.formats import neutralise
from wpsmonitor.indicators.aggregation import ALL_PERIODS
from wpsmonitor.indicators.selectors import (
    EMPTY,
    ActionCounts,
    ActionGroup,
    ActionsSummary,
    AreaFigure,
    CrossTab,
    Figure,
    PlanProgress,
    SeriesPoint,
)
from wpsmonitor.plans.models import ActionStatus
from wpsmonitor.portal.divergence import Divergence

if TYPE_CHECKING:
    from wpsmonitor.portal.shadow import ActionComparison
from wpsmonitor.portal.selectors import (
    AreaPlan,
    OffTrack,
    RoundCompleteness,
    SourceComparison,
)
from wpsmonitor.portal.templatetags.portal import state_label

CellValue = str | int | float | None
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[CellValue]]


TableBuilders = Mapping[str, Callable[[], Table]]


@dataclass(frozen=True)
class Wanted:
    format: str
    table: str


def requested(request: HttpRequest) -> Wanted | None:
    """The download asked for, None for the page itself; 404 for an unknown format."""
    fmt = request.GET.get("download")
    if not fmt:
        return None
    if fmt not in FORMATS:
        raise Http404("No such download format")
    return Wanted(format=fmt, table=request.GET.get("table", ""))


def respond(
    wanted: Wanted, tables: TableBuilders, *, name: Sequence[str], about: Sequence[tuple[str, str]]
) -> HttpResponse:
    """The file of one table; 404 when the page has no table of that name."""
    build = tables.get(wanted.table)
    if build is None:
        raise Http404("No such table")
    table = build()
    filename = "_".join(_filename_part(part) for part in [*name, table.key] if part)
    if wanted.format == "csv":
        content = to_csv(table)
    else:
        content = to_xlsx(table, [(_("Table"), table.title), *about])
    response = HttpResponse(content, content_type=CONTENT_TYPES[wanted.format])
    # _filename_part keeps only [A-Za-z0-9._-]: the name needs no quoting or encoding.
    response["Content-Disposition"] = f'attachment; filename="{filename}.{wanted.format}"'
    return response


def _filename_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "x"


def _number(value: float | int) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def _csv_cell(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int: keep it out of the number branch
        return str(value)
    if isinstance(value, int | float):
        return _number(value)
    return neutralise(value)


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read accents right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(c) for c in row])
    return out.getvalue().encode("utf-8-sig")


def _sheet_title(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "Table"


def to_xlsx(table: Table, about: Sequence[tuple[str, str]]) -> bytes:
    """The table on a first sheet (header row, then the rows), what it is on a second."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    sheet = workbook.create_sheet(_sheet_title(table.key))
    header = []
    for name in table.columns:
        cell = _safe_cell(sheet, name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_safe_cell(sheet, _xlsx_value(v)) for v in row])
    info = workbook.create_sheet(_sheet_title(_("About")))
    for label, value in about:
        key = _safe_cell(info, label)
        key.font = bold
        info.append([key, _safe_cell(info, value)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value: CellValue) -> CellValue:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def about_lines(
    *,
    plan_title: str,
    page_url: str,
    period: str = "",
    area: Area | None = None,
    source: str = "",
    rebuilt_at: object = None,
) -> list[tuple[str, str]]:
    """The XLSX "About" sheet: where the figures come from."""
    lines = [(_("Plan"), plan_title)] if plan_title else []
    if period:
        lines.append((_("Period"), period))
    if area is not None:
        lines.append((_("Area"), f"{localized_name(area.name)} ({area.code})"))
    if source:
        lines.append((_("Source"), source))
    if rebuilt_at:
        lines.append((_("Figures last computed (UTC)"), str(rebuilt_at)))
    lines.append((_("Page"), page_url))
    lines.append(
        (
            _("Achievement"),
            _("Progress from baseline to target as a ratio: 1 means the target is reached."),
        )
    )
    return lines


# --- columns shared by several tables ----------------------------------------------------------


def _figure_columns(*, ratio_parts: bool = True) -> list[str]:
    columns = [_("Value")]
    if ratio_parts:
        columns += [_("Numerator"), _("Denominator")]
    return [*columns, _("Baseline"), _("Target"), _("Achievement"), _("Values reported")]


def _figure_cells(figure: Figure, *, ratio_parts: bool = True) -> list[CellValue]:
    cells: list[CellValue] = [figure.value]
    if ratio_parts:
        cells += [figure.numerator, figure.denominator]
    return [*cells, figure.baseline, figure.target, figure.achievement, figure.count]


def _yes_no(flag: bool) -> str:
    return _("Yes") if flag else _("No")


# --- the plan dashboard --------------------------------------------------------------------------


def plan_tables(
    *,
    progress: PlanProgress,
    summary: ActionsSummary,
    completeness: RoundCompleteness | None,
    off_track: OffTrack,
) -> dict[str, Callable[[], Table]]:
    tables: dict[str, Callable[[], Table]] = {
        "indicators": lambda: _plan_indicators(progress),
        "off_track": lambda: _off_track(off_track),
        "actions_by_pillar": lambda: _action_groups(
            "actions_by_pillar",
            _("Actions by pillar"),
            _("Pillar"),
            summary.by_pillar,
            summary.total,
        ),
        "actions_by_organisation": lambda: _action_groups(
            "actions_by_organisation",
            _("Actions by responsible organisation"),
            _("Responsible organisation"),
            summary.by_organisation,
            summary.total,
        ),
    }
    if completeness is not None:
        tables["completeness"] = lambda: _completeness(completeness)
    return tables


def _plan_indicators(progress: PlanProgress) -> Table:
    rows: list[list[CellValue]] = []
    for item in progress.nodes:
        for ip in item.indicators:
            rows.append(
                [
                    item.node.code,
                    item.node.title,
                    ip.indicator.code,
                    ip.indicator.title,
                    ip.indicator.unit,
                    *_figure_cells(ip.figure),
                ]
            )
    return Table(
        key="indicators",
        title=_("Indicators of the plan"),
        columns=[
            _("Framework code"),
            _("Part of the framework"),
            _("Indicator code"),
            _("Indicator"),
            _("Unit"),
            *_figure_columns(),
        ],
        rows=rows,
    )


def _off_track(off_track: OffTrack) -> Table:
    return Table(
        key="off_track",
        title=_("Indicators off track"),
        columns=[
            _("Indicator code"),
            _("Indicator"),
            _("Framework code"),
            _("Value"),
            _("Target"),
            _("Achievement (capped at 1)"),
            _("Expected by now"),
        ],
        rows=[
            [
                entry.indicator.code,
                entry.indicator.title,
                entry.node.code,
                entry.figure.value,
                entry.figure.target,
                entry.achievement,
                entry.expected,
            ]
            for entry in off_track.indicators
        ],
    )


def _action_groups(
    key: str,
    title: str,
    header: str,
    groups: Sequence[ActionGroup],
    total: ActionCounts,
) -> Table:
    def counts(c: ActionCounts) -> list[CellValue]:
        return [
            c.total,
            c.completed,
            c.ongoing,
            c.not_started,
            c.cancelled,
            c.delayed,
            c.completion,
        ]

    return Table(
        key=key,
        title=title,
        columns=[
            _("Code"),
            header,
            _("Actions"),
            _("Completed"),
            _("Ongoing"),
            _("Not started"),
            _("Cancelled"),
            _("Delayed"),
            _("Completion"),
        ],
        rows=[
            *(
                [group.key, group.label or _("No responsible organisation"), *counts(group.counts)]
                for group in groups
            ),
            ["", _("All actions"), *counts(total)],
        ],
    )


def _completeness(completeness: RoundCompleteness) -> Table:
    return Table(
        key="completeness",
        title=_("Reporting completeness, %(period)s") % {"period": completeness.round.period.code},
        columns=[_("Organisation"), _("Area"), _("Area code"), _("Status")],
        rows=[
            [
                line.organisation.name,
                localized_name(line.area.name),
                line.area.code,
                state_label(line.state),
            ]
            for line in completeness.lines
        ],
    )


# --- the indicator page --------------------------------------------------------------------------


def indicator_tables(
    *,
    series: Sequence[SeriesPoint],
    table: CrossTab,
    by_area: Sequence[AreaFigure],
    area: Area,
    comparison: SourceComparison | None,
) -> dict[str, Callable[[], Table]]:
    tables: dict[str, Callable[[], Table]] = {
        "series": lambda: _series(series),
        "disaggregation": lambda: _crosstab(table),
        "by_area": lambda: _by_area(by_area, area, table.total),
    }
    if comparison is not None:
        tables["sources"] = lambda: _sources(comparison)
    return tables


def _series(series: Sequence[SeriesPoint]) -> Table:
    return Table(
        key="series",
        title=_("Values by period"),
        columns=[_("Period"), *_figure_columns()],
        rows=[[p.period_code, *_figure_cells(p.figure)] for p in series],
    )


def _crosstab(table: CrossTab) -> Table:
    """Every combination when the page shows them, otherwise the margins of each dimension;
    long format (one row per figure) either way, the total last."""
    dims = table.dimensions
    total_label = _("Total")
    if table.cells:
        rows: list[list[CellValue]] = []
        for combo in itertools.product(*(d.options for d in dims)):
            code = ";".join(f"{d.code}={opt[0]}" for d, opt in zip(dims, combo, strict=True))
            figure = table.cells.get(code, EMPTY)
            rows.append(
                [
                    *(localized_name(opt[1]) for opt in combo),
                    *_figure_cells(figure)[:3],
                    figure.count,
                ]
            )
        rows.append(
            [
                total_label,
                *([""] * (len(dims) - 1)),
                *_figure_cells(table.total)[:3],
                table.total.count,
            ]
        )
        columns = [
            *(localized_name(d.name) for d in dims),
            _("Value"),
            _("Numerator"),
            _("Denominator"),
            _("Values reported"),
        ]
        return Table(key="disaggregation", title=_("Every combination"), columns=columns, rows=rows)
    rows = [
        [
            localized_name(d.name),
            localized_name(name),
            *_figure_cells(table.margins.get(f"{d.code}={code}", EMPTY)),
        ]
        for d in dims
        for code, name in d.options
    ]
    rows.append([total_label, "", *_figure_cells(table.total)])
    return Table(
        key="disaggregation",
        title=_("Disaggregation"),
        columns=[_("Dimension"), _("Option"), *_figure_columns()],
        rows=rows,
    )


def _by_area(by_area: Sequence[AreaFigure], area: Area, total: Figure) -> Table:
    return Table(
        key="by_area",
        title=_("Areas within %(area)s") % {"area": localized_name(area.name)},
        columns=[_("Area"), _("Area code"), *_figure_columns()],
        rows=[
            *(
                [localized_name(row.area.name), row.area.code, *_figure_cells(row.figure)]
                for row in by_area
            ),
            [localized_name(area.name), area.code, *_figure_cells(total)],
        ],
    )


def _sources(comparison: SourceComparison) -> Table:
    return Table(
        key="sources",
        title=_("Figures by source"),
        columns=[_("Period"), *(localized_name(s.name) or s.code for s in comparison.sources)],
        rows=[
            [_("Whole plan to date") if code == ALL_PERIODS else code, *values]
            for code, values in comparison.rows
        ],
    )


# --- the area page -------------------------------------------------------------------------------


def area_tables(*, area_plans: Sequence[AreaPlan]) -> dict[str, Callable[[], Table]]:
    tables: dict[str, Callable[[], Table]] = {"plans": lambda: _area_plans(area_plans)}
    for entry in area_plans:
        code = entry.plan.code
        tables[f"indicators-{code}"] = lambda entry=entry: _area_indicators(entry)  # type: ignore[misc]
        tables[f"actions-{code}"] = lambda entry=entry: _area_actions(entry)  # type: ignore[misc]
    return tables


def _area_plans(area_plans: Sequence[AreaPlan]) -> Table:
    rows: list[list[CellValue]] = []
    for entry in area_plans:
        to_date, year = entry.to_date, entry.in_latest_year
        rows.append(
            [
                entry.plan.code,
                entry.plan.title,
                str(entry.plan.get_kind_display()),
                entry.plan.start.isoformat(),
                entry.plan.end.isoformat(),
                to_date.achievement if to_date else None,
                to_date.indicators_measured if to_date else None,
                to_date.indicators_total if to_date else None,
                entry.latest_year or "",
                year.achievement if year else None,
            ]
        )
    return Table(
        key="plans",
        title=_("Plans covering this area"),
        columns=[
            _("Plan code"),
            _("Plan"),
            _("Kind"),
            _("Start"),
            _("End"),
            _("Achievement, whole plan to date"),
            _("Indicators measured"),
            _("Indicators"),
            _("Latest year"),
            _("Achievement, latest year"),
        ],
        rows=rows,
    )


def _area_indicators(entry: AreaPlan) -> Table:
    year = entry.latest_year or _("latest year")
    return Table(
        key=f"indicators-{entry.plan.code}",
        title=_("Indicators of %(plan)s") % {"plan": entry.plan.title},
        columns=[
            _("Indicator code"),
            _("Indicator"),
            _("Unit"),
            _("Value, %(year)s") % {"year": year},
            _("Target, %(year)s") % {"year": year},
            _("Achievement, %(year)s") % {"year": year},
            _("Value, whole plan to date"),
            _("Target, whole plan to date"),
            _("Achievement, whole plan to date"),
        ],
        rows=[
            [
                row.indicator.code,
                row.indicator.title,
                row.indicator.unit,
                row.latest_year.value,
                row.latest_year.target,
                row.latest_year.achievement,
                row.to_date.value,
                row.to_date.target,
                row.to_date.achievement,
            ]
            for row in entry.indicators
        ],
    )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _area_actions(entry: AreaPlan) -> Table:
    statuses = dict(ActionStatus.choices)
    rows: list[list[CellValue]] = []
    for item in entry.actions:
        action = item.assignment.action
        if action is None:  # the selector only lists action assignments
            continue
        report = item.report
        rows.append(
            [
                action.code,
                action.title,
                item.assignment.organisation.name,
                str(statuses.get(action.status, action.status)),
                _yes_no(item.is_delayed),
                _iso(action.planned_start),
                _iso(action.planned_end),
                report.period.code if report else "",
                str(statuses.get(report.status, report.status)) if report else "",
                report.percent_complete if report else None,
            ]
        )
    return Table(
        key=f"actions-{entry.plan.code}",
        title=_("Actions assigned in this area, %(plan)s") % {"plan": entry.plan.title},
        columns=[
            _("Action code"),
            _("Action"),
            _("Reporting organisation"),
            _("Status (whole plan)"),
            _("Delayed"),
            _("Planned start"),
            _("Planned end"),
            _("Latest report here"),
            _("Status reported here"),
            _("Percent complete reported here"),
        ],
        rows=rows,
    )


def divergence_table(found: Sequence[Divergence]) -> Table:
    return Table(
        key="divergences",
        title=_("Where government and civil society differ most"),
        columns=[
            _("Indicator code"),
            _("Indicator"),
            _("Area code"),
            _("Area"),
            _("Civil-society source"),
            _("Government"),
            _("Civil society"),
            _("Gap"),
            _("Gap measured in"),
        ],
        rows=[
            [
                d.indicator.code,
                d.indicator.title,
                d.area.code,
                localized_name(d.area.name),
                d.source.name,
                d.government,
                d.civil_society,
                d.gap,
                _("percentage points") if d.in_points else _("share of the larger figure"),
            ]
            for d in found
        ],
    )


def action_divergence_table(found: Sequence[ActionComparison]) -> Table:
    """One row per action and monitor whose accounts differ (portal.shadow's scale)."""
    from wpsmonitor.portal.shadow import gap_words

    return Table(
        key="action_divergences",
        title=_("Actions where the accounts differ"),
        columns=[
            _("Action code"),
            _("Action"),
            _("Civil-society organisation"),
            _("Government status"),
            _("Government percent complete"),
            _("Civil-society assessment"),
            _("Gap in steps"),
            _("Gap"),
        ],
        rows=[
            [
                c.action.code,
                c.action.title,
                m.report.organisation.name,
                c.government.status_label,
                c.government.percent_complete,
                m.label,
                gap,
                gap_words(gap),
            ]
            for c in found
            for m, gap in c.monitors
            if gap
        ],
    )
