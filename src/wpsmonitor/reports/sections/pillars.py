"""The report's "By pillar and outcome" section (docs/reports.md, "By pillar and outcome").

The plan's framework in order: a subsection per pillar and per node beneath it, each with the
secretariat's narrative for it, its indicators (definition, baseline, target, the period's
value, achievement, a trend chart, the national disaggregation, civil society's figure beside
the government's with the gap) and its actions (status, % complete, what was done, civil
society's score). Every fact is read once for the whole plan (reports/reads.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wpsmonitor.core.names import localized_name
from wpsmonitor.indicators.models import Indicator, IndicatorKind
from wpsmonitor.indicators.reading import flag_text
from wpsmonitor.indicators.selectors import Figure, NodeProgressItem, PlanProgress
from wpsmonitor.plans.models import ActionStatus
from wpsmonitor.reporting.models import ActionAssessment
from wpsmonitor.reports.cells import (
    achievement_cell,
    figure_cell,
    kept,
    percent_cell,
    text_cell,
)
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Block, Cell, Chart, Paragraph, Section, Table
from wpsmonitor.reports.prose import narrative_paragraphs, report_narratives
from wpsmonitor.reports.reads import (
    ActionAccount,
    ActionReports,
    DimensionNames,
    action_reports,
    divergences,
    national_margins,
    plan_years,
    scheme_dimensions,
    yearly_series,
)
from wpsmonitor.reports.sections.summary import has_figures, progress_of
from wpsmonitor.reports.selectors import Narrative
from wpsmonitor.reports.texts import ReportTexts, content_cell
from wpsmonitor.scorecard.scoring import ACTION_POINTS, MAX_POINTS
from wpsmonitor.shadow.divergence import Divergence
from wpsmonitor.shell.charts import ChartSeries, line_chart
from wpsmonitor.shell.templatetags.shell import figure_value, num

# At most this many comparisons of civil society's figure with the government's per indicator.
PAIRS_SHOWN = 12
# Written out in "Qualitative evidence", not counted here.
NOT_COUNTED = (IndicatorKind.NARRATIVE,)


@dataclass
class Facts:
    """What the section read for the whole plan, once."""

    years: list[str]
    series: dict[int, dict[str, Figure]]
    margins: dict[int, dict[str, Figure]]
    dimensions: dict[int, list[DimensionNames]]
    divergences: dict[int, list[Divergence]]
    actions: ActionReports
    narratives: dict[int | None, Narrative]
    texts: ReportTexts


def read_facts(context: ReportContext, items: list[NodeProgressItem]) -> Facts:
    indicators = [
        ip.indicator
        for item in items
        for ip in item.indicators
        if ip.indicator.kind not in NOT_COUNTED
    ]
    ids = [i.pk for i in indicators]
    return Facts(
        years=plan_years(context),
        series=yearly_series(context, ids),
        margins=national_margins(context, [i.pk for i in indicators if i.scheme_id]),
        dimensions=scheme_dimensions({i.scheme_id for i in indicators if i.scheme_id}),
        divergences=divergences(context),
        actions=action_reports(context),
        narratives=report_narratives(context),
        texts=context.texts,
    )


def indicators_table(context: ReportContext, item: NodeProgressItem) -> Table | None:
    shown = [ip for ip in item.indicators if ip.indicator.kind not in NOT_COUNTED]
    if not shown:
        return None
    return Table(
        key=f"pillars.{item.node.code}.indicators",
        title=_("Indicators"),
        columns=(
            _("Code"),
            _("Indicator"),
            _("Baseline"),
            _("Target"),
            _("Value %(period)s") % {"period": context.period_name},
            _("Achievement"),
        ),
        rows=tuple(
            (
                text_cell(ip.indicator.code),
                content_cell(context.texts.of_plan(ip.indicator)),
                figure_cell(ip.figure, ip.indicator, "baseline"),
                figure_cell(ip.figure, ip.indicator, "target"),
                figure_cell(ip.figure, ip.indicator),
                achievement_cell(ip.figure),
            )
            for ip in shown
        ),
    )


def trend_chart(
    indicator: Indicator, name: str, years: list[str], points: dict[str, Figure]
) -> Chart | None:
    """The government's figure year by year, with the year's target as a mark. A withheld
    figure is a gap in the line, named in the chart's text, never a zero."""
    values = tuple(None if (f := points.get(y)) is None or f.suppressed else f.value for y in years)
    if not any(v is not None for v in values):
        return None
    targets = tuple(None if (f := points.get(y)) is None else f.target for y in years)
    shown: list[str] = []
    for year in years:
        figure = points.get(year)
        if figure is None:
            continue
        text = (
            flag_text(figure.flag, figure.threshold)
            if figure.suppressed
            else figure_value(figure, indicator)
        )
        shown.append(f"{year}: {text}")
    title = _("%(code)s %(title)s: values over time") % {
        "code": indicator.code,
        "title": name,
    }
    alt = "; ".join(shown)
    svg = line_chart(
        chart_id=f"report-trend-{indicator.pk}",
        title=title,
        description=alt,
        categories=years,
        series=[ChartSeries(label=_("Government"), values=values)],
        target_marks=(
            ChartSeries(label=_("Target"), values=targets)
            if any(t is not None for t in targets)
            else None
        ),
        value_label=lambda v: figure_value(Figure(value=v), indicator),
    )
    if not svg:
        return None
    return Chart(key=f"indicator.{indicator.code}.trend", title=title, svg=str(svg), alt=alt)


def disaggregation_table(
    indicator: Indicator, margins: dict[str, Figure], dimensions: list[DimensionNames]
) -> Table | None:
    rows: list[tuple[Cell, ...]] = []
    for dimension in dimensions:
        for code, name in dimension.options:
            figure = margins.get(f"{dimension.code}={code}")
            if figure is None:
                continue
            rows.append(
                (
                    text_cell(localized_name(dimension.name)),
                    text_cell(localized_name(name)),
                    figure_cell(figure, indicator),
                )
            )
    if not rows:
        return None
    return Table(
        key=f"indicator.{indicator.code}.disaggregation",
        title=_("%(code)s by %(dimensions)s")
        % {
            "code": indicator.code,
            "dimensions": ", ".join(localized_name(d.name).lower() for d in dimensions),
        },
        columns=(_("Dimension"), _("Option"), _("Value")),
        rows=tuple(rows),
        note=_("National figures, one dimension at a time; the portal has every area."),
    )


def _pair_value(indicator: Indicator, value: float) -> Cell:
    # Divergence puts yes/no shares on the 0-100 scale; the cell shows them as the indicator reads.
    raw = value / 100 if indicator.kind == IndicatorKind.YES_NO else value
    return figure_cell(Figure(value=raw), indicator)


def _gap_cell(found: Divergence) -> Cell:
    if found.in_points:
        return Cell(
            text=_("%(points)s points") % {"points": num(found.gap, 1)},
            value=kept(found.gap),
            kind="number",
        )
    return percent_cell(found.gap)


def civil_society_table(indicator: Indicator, pairs: list[Divergence]) -> Table | None:
    if not pairs:
        return None
    note = _(
        "Gap: percentage points for shares, else the share of the larger figure (of the "
        "whole scale for scales). Compared where civil society reported; a withheld figure "
        "is not compared."
    )
    shown = pairs
    if len(pairs) > PAIRS_SHOWN:
        # A table stays a page: the widest gaps, the rest on the portal's divergence view.
        shown = sorted(pairs, key=lambda d: -d.rank_key)[:PAIRS_SHOWN]
        note += " " + _(
            "The %(shown)s widest gaps of %(all)s comparisons; the portal's divergence view "
            "has them all."
        ) % {"shown": PAIRS_SHOWN, "all": len(pairs)}
    return Table(
        key=f"indicator.{indicator.code}.civil_society",
        title=_("%(code)s: civil society's figure beside the government's")
        % {"code": indicator.code},
        columns=(_("Area"), _("Source"), _("Government"), _("Civil society"), _("Gap")),
        rows=tuple(
            (
                text_cell(localized_name(d.area.name)),
                text_cell(localized_name(d.source.name) or d.source.code),
                _pair_value(indicator, d.government),
                _pair_value(indicator, d.civil_society),
                _gap_cell(d),
            )
            for d in sorted(shown, key=lambda d: (d.area.path, d.source.code))
        ),
        note=note,
    )


def indicator_blocks(indicator: Indicator, facts: Facts) -> list[Block]:
    blocks: list[Block] = []
    name = facts.texts.of_plan(indicator).text
    heading = f"{indicator.code} {name}"
    definition = facts.texts.of_plan(indicator, "definition").text.strip()
    blocks.append(Paragraph(text=f"{heading}. {definition}" if definition else heading))
    chart = trend_chart(indicator, name, facts.years, facts.series.get(indicator.pk, {}))
    if chart is not None:
        blocks.append(chart)
    table = disaggregation_table(
        indicator,
        facts.margins.get(indicator.pk, {}),
        facts.dimensions.get(indicator.scheme_id or 0, []),
    )
    if table is not None:
        blocks.append(table)
    pairs = civil_society_table(indicator, facts.divergences.get(indicator.pk, []))
    if pairs is not None:
        blocks.append(pairs)
    return blocks


def _status_label(status: str) -> str:
    return str(ActionStatus(status).label) if status else _("No status")


def _monitor_words(account: ActionAccount) -> str:
    """A monitor's score of an action in scorecard points, with what it found."""
    label = ActionAssessment(account.assessment).label
    points = ACTION_POINTS.get(account.assessment)  # type: ignore[call-overload]
    score = (
        _("%(monitor)s: %(assessment)s (%(points)s/%(max)s)")
        % {
            "monitor": account.organisation,
            "assessment": label,
            "points": points,
            "max": MAX_POINTS,
        }
        if points is not None
        else f"{account.organisation}: {label}"
    )
    return f"{score}. {account.narrative}" if account.narrative else f"{score}."


def actions_table(node_code: str, actions: list[NodeProgressItem], facts: Facts) -> Table | None:
    if not actions:
        return None
    rows: list[tuple[Cell, ...]] = []
    for item in actions:
        node = item.node
        account = facts.actions.government.get(node.pk)
        status = account.status if account else node.status
        percent = account.percent_complete if account else node.percent_complete
        done = " ".join(
            f"{a.period_code}: {a.narrative}" for a in facts.actions.done.get(node.pk, [])
        )
        scores = " ".join(_monitor_words(m) for m in facts.actions.monitors.get(node.pk, []))
        rows.append(
            (
                text_cell(node.code),
                content_cell(facts.texts.of_plan(node)),
                text_cell(_status_label(status)),
                percent_cell(None if percent is None else percent / 100),
                text_cell(done),
                text_cell(scores),
            )
        )
    return Table(
        key=f"pillars.{node_code}.actions",
        title=_("Actions"),
        columns=(
            _("Code"),
            _("Action"),
            _("Status"),
            _("Completion"),
            _("What was done"),
            _("Civil society's score"),
        ),
        rows=tuple(rows),
        note=_(
            "Status and completion: the latest approved report up to the period's end (else the "
            "plan's record). Civil society's score: each monitor's latest published assessment "
            "in the period, in scorecard points, with what it found."
        ),
    )


def node_section(context: ReportContext, item: NodeProgressItem, facts: Facts) -> Section:
    node = item.node
    blocks: list[Block] = [*narrative_paragraphs(facts.narratives.get(node.pk))]
    table = indicators_table(context, item)
    if table is not None:
        blocks.append(table)
        for ip in item.indicators:
            if ip.indicator.kind not in NOT_COUNTED:
                blocks.extend(indicator_blocks(ip.indicator, facts))
    actions = actions_table(node.code, [k for k in item.children if k.is_action], facts)
    if actions is not None:
        blocks.append(actions)
    subsections = tuple(
        node_section(context, kid, facts) for kid in item.children if not kid.is_action
    )
    return Section(
        key=f"pillars.{node.code}",
        title=f"{node.code} {context.texts.of_plan(node).text}",
        blocks=tuple(blocks),
        subsections=subsections,
        empty="" if blocks or subsections else _("No indicator or action under it."),
    )


def build(context: ReportContext) -> Section:
    title = _("By pillar and outcome")
    progress = progress_of(context)
    facts = read_facts(context, progress.nodes)
    reported = bool(facts.actions.done or facts.actions.monitors)
    if not progress.roots:
        return Section(key="pillars", title=title, empty=_("The plan has no framework yet."))
    if not (has_figures(progress) or reported):
        return Section(
            key="pillars",
            title=title,
            empty=_("No figures and no action reports for %(period)s.")
            % {"period": context.period_label()},
        )
    return Section(
        key="pillars",
        title=title,
        blocks=dropped_notes(context, progress),
        subsections=tuple(node_section(context, root, facts) for root in progress.roots),
    )


def dropped_notes(context: ReportContext, progress: PlanProgress) -> tuple[Block, ...]:
    """A note per revision that dropped indicators before the period began: they are out of
    its framework and its counts (indicators/in_force.py), their figures kept."""
    return tuple(
        Paragraph(
            text=_(
                "Dropped in version %(number)s (%(date)s), out of this period's framework and "
                "not counted; their figures are kept: %(indicators)s."
            )
            % {
                "number": dropped.number,
                "date": date_format(dropped.on, "DATE_FORMAT"),
                "indicators": pgettext("list separator", ", ").join(
                    f"{i.code} {context.texts.of_plan(i).text}" for i in indicators
                ),
            },
            style="note",
        )
        for dropped, indicators in progress.dropped_groups
    )
