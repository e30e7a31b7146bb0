"""Every data table of the plan, indicator and area pages, for the shell's CSV and XLSX downloads.

Achievement is a ratio (1 = target reached); see shell/downloads.py for how files are written."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wpsmonitor.core.names import localized_name
from wpsmonitor.core.units import unit_name
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.aggregation import ALL_PERIODS
from wpsmonitor.indicators.models import DataValue, Indicator, IndicatorKind, ListItem
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
from wpsmonitor.portal.selectors import (
    NO_QUALITATIVE,
    AreaPlan,
    OffTrack,
    Qualitative,
    RoundCompleteness,
    SourceComparison,
)
from wpsmonitor.portal.templatetags.portal import state_label
from wpsmonitor.publishing.flags import text_of_flag
from wpsmonitor.shell.downloads import CellValue, Table

# --- columns shared by several tables ----------------------------------------------------------


def _figure_columns(*, ratio_parts: bool = True) -> list[str]:
    columns = [_("Value")]
    if ratio_parts:
        columns += [_("Numerator"), _("Denominator")]
    return [*columns, _("Baseline"), _("Target"), _("Achievement"), _("Values reported")]


def _value(figure: Figure) -> CellValue:
    """The value cell: a figure suppressed in the release is its flag's text ("fewer than 5"),
    as on the page; never a blank or a zero that could be read as the figure."""
    if figure.suppressed:
        return text_of_flag(figure.flag, figure.threshold)
    return figure.value


def _figure_cells(figure: Figure, *, ratio_parts: bool = True) -> list[CellValue]:
    cells: list[CellValue] = [_value(figure)]
    if ratio_parts:
        cells += [figure.numerator, figure.denominator]
    count = None if figure.suppressed else figure.count
    return [*cells, figure.baseline, figure.target, figure.achievement, count]


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
            cells = _figure_cells(ip.figure)
            rows.append(
                [
                    item.node.code,
                    item.node.title,
                    ip.indicator.code,
                    ip.indicator.title,
                    unit_name(ip.indicator.unit),
                    *cells[:-1],
                    # A narrative has no figure: its texts there are what it reported.
                    ip.texts if ip.indicator.kind == IndicatorKind.NARRATIVE else cells[-1],
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
                _value(entry.figure),
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
    indicator: Indicator | None = None,
    qualitative: Qualitative = NO_QUALITATIVE,
) -> dict[str, Callable[[], Table]]:
    tables: dict[str, Callable[[], Table]] = {
        "series": lambda: _series(series),
        "disaggregation": lambda: _crosstab(table),
        "by_area": lambda: _by_area(by_area, area, table.total),
    }
    if comparison is not None:
        tables["sources"] = lambda: _sources(comparison)
    # A narrative's texts and a list's items, for those who read them (not a release's readers).
    if indicator is not None and not qualitative.withheld:
        if indicator.kind == IndicatorKind.NARRATIVE:
            tables["texts"] = lambda: _texts(qualitative.texts)
        elif indicator.kind == IndicatorKind.LIST:
            tables["items"] = lambda: _items(qualitative.items)
    return tables


def _texts(texts: Sequence[DataValue]) -> Table:
    return Table(
        key="texts",
        title=_("Texts"),
        columns=[
            _("Period"),
            _("Area"),
            _("Area code"),
            _("Source"),
            _("Text"),
            _("Recorded"),
        ],
        rows=[
            [
                v.period.code,
                localized_name(v.area.name),
                v.area.code,
                localized_name(v.source.name),
                v.text_value,
                v.updated_at.date().isoformat(),
            ]
            for v in texts
        ],
    )


def _items(items: Sequence[ListItem]) -> Table:
    return Table(
        key="items",
        title=_("Items"),
        columns=[
            pgettext("list item", "Item"),
            _("Date"),
            _("Reference"),
            _("Period"),
            _("Area"),
            _("Area code"),
            _("Source"),
        ],
        rows=[
            [
                i.title,
                i.date.isoformat() if i.date else "",
                i.reference,
                i.period.code,
                localized_name(i.area.name),
                i.area.code,
                localized_name(i.source.name),
            ]
            for i in items
        ],
    )


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
            [_("Whole plan to date") if code == ALL_PERIODS else code, *map(_value, found)]
            for code, found in comparison.figure_rows
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
                unit_name(row.indicator.unit),
                _value(row.latest_year),
                row.latest_year.target,
                row.latest_year.achievement,
                _value(row.to_date),
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
