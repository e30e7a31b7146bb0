"""The report's summary (docs/reports.md, "Summary"): the secretariat's narrative, key figures,
the year's main changes, what is off track, money in one table, recommendations implemented.

Money and recommendations are read with their apps' own selectors, totals only: the Money and
Accountability sections give the detail.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from wpsmonitor.accountability.selectors import summary as recommendation_summary
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.finance.selectors import Stages, finance_summary
from wpsmonitor.indicators.models import Direction, Indicator, IndicatorKind
from wpsmonitor.indicators.selectors import Figure, PlanProgress, plan_progress
from wpsmonitor.plans.models import ActionStatus
from wpsmonitor.reports.cells import (
    achievement_cell,
    figure_cell,
    money_cell,
    number_cell,
    percent_cell,
    text_cell,
)
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Block, Cell, Paragraph, Section, Table
from wpsmonitor.reports.prose import narrative_paragraphs, report_narratives
from wpsmonitor.reports.reads import yearly_series
from wpsmonitor.reports.texts import content_cell
from wpsmonitor.shadow.divergence import POINT_KINDS

# How many indicators the "main changes" table names: the summary is a page, not a list.
CHANGES_SHOWN = 5
# As the portal's dashboard calls an indicator off track (portal.selectors.OFF_TRACK_TOLERANCE,
# docs/computations.md, "Dashboards"): more than 20 points behind the expected pace. The
# portal is above this layer, so the rule is repeated here, not imported.
OFF_TRACK_TOLERANCE = 0.2


def progress_of(context: ReportContext) -> PlanProgress:
    return plan_progress(
        plan=context.plan,
        period_code=context.period_code,
        today=context.today,
        figures=context.figures,
        hidden=context.hidden,
    )


def has_figures(progress: PlanProgress) -> bool:
    """Whether any indicator has a figure for the period, shown or withheld."""
    return any(
        ip.figure.has_value or ip.figure.suppressed
        for item in progress.nodes
        for ip in item.indicators
    )


def key_figures(context: ReportContext, progress: PlanProgress | None = None) -> Table:
    progress = progress or progress_of(context)
    actions = progress.actions
    rows = (
        (text_cell(_("Indicators")), number_cell(progress.indicators_total)),
        (text_cell(_("Indicators with a figure")), number_cell(progress.indicators_measured)),
        (
            text_cell(_("Mean achievement of the measured indicators")),
            percent_cell(progress.achievement),
        ),
        (text_cell(_("Actions")), number_cell(actions.total)),
        (text_cell(_("Actions completed")), number_cell(actions.completed)),
        (text_cell(_("Actions delayed")), number_cell(actions.delayed)),
        (text_cell(_("Share of actions completed")), percent_cell(actions.completion)),
    )
    return Table(
        key="summary.key_figures",
        title=_("Key figures"),
        columns=(_("Figure"), _("Value")),
        rows=rows,
    )


def _movement(indicator: Indicator, before: float, after: float) -> float:
    """How far a figure moved, on one scale for all kinds (as shadow.divergence measures a
    gap): percentage points / 100 for shares, the share of the larger figure for counts."""
    if indicator.kind in POINT_KINDS:
        scale = 100.0 if indicator.kind == IndicatorKind.YES_NO else 1.0
        return abs(after - before) * scale / 100
    if indicator.kind in (IndicatorKind.SCALE, IndicatorKind.MILESTONE):
        return abs(after - before) / max(len(indicator.scale_labels) - 1, 1)
    largest = max(abs(before), abs(after))
    return abs(after - before) / largest if largest else 0.0


def main_changes(context: ReportContext, progress: PlanProgress) -> Block:
    """The indicators whose government figure moved most since the year before the report's
    last year. A withheld figure on either side is not compared (its change would tell it)."""
    year = context.last_year
    before_code, after_code = str(year - 1), str(year)
    if context.plan.start.year > year - 1:
        return Paragraph(
            text=_("%(year)s is the plan's first year: there is no earlier year to compare.")
            % {"year": year},
            style="note",
        )
    indicators = [
        ip.indicator
        for item in progress.nodes
        for ip in item.indicators
        if ip.indicator.kind not in (IndicatorKind.NARRATIVE, IndicatorKind.LIST)
    ]
    series = yearly_series(context, [i.pk for i in indicators])
    moved: list[tuple[float, Indicator, Figure, Figure]] = []
    for indicator in indicators:
        points = series.get(indicator.pk, {})
        before, after = points.get(before_code), points.get(after_code)
        if before is None or after is None or before.value is None or after.value is None:
            continue
        change = _movement(indicator, before.value, after.value)
        if change > 0:
            moved.append((change, indicator, before, after))
    if not moved:
        return Paragraph(
            text=_("No indicator has a figure for both %(before)s and %(after)s to compare.")
            % {"before": before_code, "after": after_code},
            style="note",
        )
    moved.sort(key=lambda m: (-m[0], m[1].order, m[1].code))
    rows = tuple(
        (
            text_cell(indicator.code),
            content_cell(context.texts.of_plan(indicator)),
            figure_cell(before, indicator),
            figure_cell(after, indicator),
            _direction_cell(indicator, before.value, after.value),
        )
        for _change, indicator, before, after in moved[:CHANGES_SHOWN]
    )
    return Table(
        key="summary.changes",
        title=_("The year's main changes"),
        columns=(_("Code"), _("Indicator"), before_code, after_code, _("Change")),
        rows=rows,
        note=_("The indicators whose figure moved most since the year before."),
    )


def _direction_cell(indicator: Indicator, before: float | None, after: float | None) -> Cell:
    """Whether the change goes the way the plan wants, in words (never colour alone)."""
    if before is None or after is None or before == after:
        return text_cell(_("No change"))
    up = after > before
    if indicator.direction == Direction.MAINTAIN:
        return text_cell(_("Up") if up else _("Down"))
    better = up == (indicator.direction == Direction.INCREASE)
    if up:
        return text_cell(_("Up: better") if better else _("Up: worse"))
    return text_cell(_("Down: better") if better else _("Down: worse"))


def _expected_pace(context: ReportContext, direction: str) -> float:
    """The share of the way from baseline to target due by the report's date, linear over the
    report's last year (portal.selectors.expected_pace's rule)."""
    if direction == Direction.MAINTAIN:
        return 1.0
    start, end = date(context.last_year, 1, 1), date(context.last_year, 12, 31)
    days = (end - start).days + 1
    elapsed = (context.today - start).days + 1
    return min(1.0, max(0.0, elapsed / days))


def off_track(context: ReportContext, progress: PlanProgress) -> Block:
    """Indicators behind the expected pace by more than the tolerance, worst first. A withheld
    figure has no achievement and is not judged."""
    lagging: list[tuple[float, int, Indicator, Figure]] = []
    order = 0
    for item in progress.nodes:
        for ip in item.indicators:
            order += 1
            achieved = ip.figure.achievement_capped
            if achieved is None or ip.figure.suppressed:
                continue
            expected = _expected_pace(context, ip.indicator.direction)
            if expected - OFF_TRACK_TOLERANCE > achieved:
                lagging.append((achieved - expected, order, ip.indicator, ip.figure))
    lagging.sort(key=lambda entry: (entry[0], entry[1]))
    if not lagging:
        return Paragraph(text=_("No measured indicator is off track."), style="note")
    return Table(
        key="summary.off_track",
        title=_("Indicators off track"),
        columns=(_("Code"), _("Indicator"), _("Value"), _("Target"), _("Achievement")),
        rows=tuple(
            (
                text_cell(indicator.code),
                content_cell(context.texts.of_plan(indicator)),
                figure_cell(figure, indicator),
                figure_cell(figure, indicator, "target"),
                achievement_cell(figure),
            )
            for _gap, _order, indicator, figure in lagging
        ),
        note=_(
            "Achievement more than %(points)s points behind the pace expected by the report's date."
        )
        % {"points": round(OFF_TRACK_TOLERANCE * 100)},
    )


def delayed_actions(context: ReportContext, progress: PlanProgress) -> Block | None:
    """Open actions past their planned end, or not begun by their planned start, as of the
    report's date."""
    delayed = [item for item in progress.nodes if item.is_delayed]
    if not delayed:
        return None
    return Table(
        key="summary.delayed_actions",
        title=_("Delayed actions"),
        columns=(_("Code"), _("Action"), _("Status"), _("Planned end")),
        rows=tuple(
            (
                text_cell(item.node.code),
                content_cell(context.texts.of_plan(item.node)),
                text_cell(ActionStatus(item.node.status).label if item.node.status else ""),
                text_cell(item.node.planned_end.isoformat() if item.node.planned_end else ""),
            )
            for item in delayed
        ),
    )


def _amount(value: Decimal) -> float:
    return float(value)


def money(context: ReportContext) -> Block:
    """Costed, allocated, disbursed and spent: in the years covered and over the whole plan."""
    found = finance_summary(context.plan)
    if not (found.total.costs or found.total.lines):
        return Paragraph(
            text=_("No costs or budget lines are recorded for this plan."), style="note"
        )
    period = Stages()
    for row in found.by_year:
        if context.first_year <= int(row.key) <= context.last_year:
            for stage in ("costed", "allocated", "disbursed", "spent"):
                setattr(period, stage, getattr(period, stage) + getattr(row.stages, stage))
    currency = found.currency
    stages = (
        (_("Costed"), "costed"),
        (_("Allocated"), "allocated"),
        (_("Disbursed"), "disbursed"),
        (_("Spent"), "spent"),
    )
    rows: list[tuple[Cell, ...]] = [
        (
            text_cell(label),
            money_cell(_amount(getattr(period, stage)), currency),
            money_cell(_amount(getattr(found.total, stage)), currency),
        )
        for label, stage in stages
    ]
    rows.append(
        (
            text_cell(_("Execution rate (spent / allocated)")),
            percent_cell(period.execution),
            percent_cell(found.total.execution),
        )
    )
    note = _("Amounts in %(currency)s; the Money section gives them by pillar and source.") % {
        "currency": currency
    }
    if found.unconverted:
        note += " " + " ".join(u.message for u in found.unconverted)
    return Table(
        key="summary.money",
        title=_("Money"),
        columns=(_("Stage"), context.period_label(), _("Whole plan")),
        rows=tuple(rows),
        note=note,
    )


def recommendations(context: ReportContext) -> Block:
    """Recommendations fully implemented out of all, as the public reads them."""
    found = recommendation_summary(
        PlanAccess.load(AnonymousUser(), context.plan), today=context.today
    )
    if not found.total:
        return Paragraph(text=_("No recommendations are recorded for this plan."), style="note")
    return Table(
        key="summary.recommendations",
        title=_("Recommendations"),
        columns=(_("Figure"), _("Value")),
        rows=(
            (text_cell(_("Recommendations")), number_cell(found.total)),
            (text_cell(_("Fully implemented")), number_cell(found.fully)),
            (text_cell(_("Share fully implemented")), percent_cell(found.fully / found.total)),
            (text_cell(_("Overdue")), number_cell(len(found.overdue))),
        ),
    )


def build(context: ReportContext) -> Section:
    progress = progress_of(context)
    blocks: list[Block] = [*narrative_paragraphs(report_narratives(context).get(None))]
    blocks.append(key_figures(context, progress))
    if has_figures(progress):
        blocks.append(main_changes(context, progress))
        blocks.append(off_track(context, progress))
    else:
        blocks.append(
            Paragraph(
                text=_("No indicator has a figure for %(period)s yet.")
                % {"period": context.period_name},
                style="note",
            )
        )
    delayed = delayed_actions(context, progress)
    if delayed is not None:
        blocks.append(delayed)
    blocks.append(money(context))
    blocks.append(recommendations(context))
    return Section(key="summary", title=_("Summary"), blocks=tuple(blocks))
