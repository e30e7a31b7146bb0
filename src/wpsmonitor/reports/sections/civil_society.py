"""The report's "Civil society's chapter" (docs/reports.md): civil society's scorecard, its
own indicators, its published assessments of the plan's actions, and any dissenting statement
of the monitoring board, printed whole.

Only what civil society published is here: its published own indicators (a draft is its own),
its published assessments. In the public version every figure is the release's
(`context.figures`): a suppressed one shows its flag's words, never a number, and the scorecard
scores the release's figures as the public scorecard does.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.boards.models import Dissent, Side
from wpsmonitor.indicators.models import Indicator, Source, SourceKind
from wpsmonitor.indicators.selectors import EMPTY
from wpsmonitor.reports.cells import figure_cell, number_cell, percent_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Cell, Paragraph, Section, Table
from wpsmonitor.reports.reads_records import period_figures
from wpsmonitor.reports.texts import content_cell
from wpsmonitor.scorecard.scoring import LEVEL_LABELS, Score, Scorecard, plan_scorecard
from wpsmonitor.shadow.selectors import action_comparisons, gap_words
from wpsmonitor.shell.templatetags.shell import unit_label


def _score_cell(score: Score | None) -> Cell:
    if score is None or score.ratio is None:
        return percent_cell(None)
    return percent_cell(score.ratio)


def scorecard_section(context: ReportContext, card_set: Scorecard) -> Section:
    key, title = "civil_society.scorecard", _("Civil society's scorecard")
    if not card_set.cards:
        return Section(
            key=key,
            title=title,
            empty=_("No civil-society organisation has published figures or assessments."),
        )
    years = context.years
    rows: list[tuple[Cell, ...]] = []
    for card in card_set.cards:
        for level in card.levels:
            if not level.has_items:
                continue
            for row in (*level.pillars, level.total):
                if row is not level.total and not any(s.has_items for s in row.scores.values()):
                    continue
                scored = [s for y in years if (s := row.scores.get(y)) is not None]
                rows.append(
                    (
                        text_cell(card.source.name),
                        text_cell(LEVEL_LABELS[level.level]),
                        text_cell(f"{row.code} {row.label}".strip()),
                        *(_score_cell(row.scores.get(y)) for y in years),
                        number_cell(sum(s.indicators + s.actions for s in scored)),
                    )
                )
    table = Table(
        key="civil_society.scorecard",
        title=title,
        columns=(
            _("Organisation"),
            _("Level"),
            _("Pillar"),
            *(_("Score %(year)s") % {"year": y} for y in years),
            _("Items scored"),
        ),
        rows=tuple(rows),
        note=_(
            "Points earned out of points possible: each indicator scores 0 to 4 by its "
            "achievement against the target, each action 4 when implemented, 2 when partly, "
            "0 when not (the GNWP Civil Society Scorecard's method)."
        ),
    )
    return Section(key=key, title=title, blocks=(table,))


def own_indicators_section(context: ReportContext) -> Section:
    key, title = "civil_society.own_indicators", _("Civil society's own indicators")
    indicators = list(
        Indicator.objects.filter(
            plan=context.plan, owner_organisation__isnull=False, published_at__isnull=False
        )
        .exclude(context.hidden)
        .select_related("owner_organisation")
        .order_by("owner_organisation__name", "order", "code")
    )
    if not indicators:
        return Section(
            key=key,
            title=title,
            empty=_("No civil-society organisation has published indicators of its own."),
        )
    owners = {i.owner_organisation_id for i in indicators}
    # An organisation's own indicator is reported in its own stream only.
    streams = dict(
        Source.objects.filter(organisation_id__in=owners, kind=SourceKind.CIVIL_SOCIETY)
        .order_by("pk")
        .values_list("organisation_id", "pk")
    )
    figures = period_figures(context, [i.pk for i in indicators], own=True)
    rows = []
    for indicator in indicators:
        stream = streams.get(indicator.owner_organisation_id or 0, 0)
        figure = figures.get((indicator.pk, stream), EMPTY)
        rows.append(
            (
                content_cell(context.texts.of_organisation(indicator.owner_organisation)),
                text_cell(indicator.code),
                content_cell(context.texts.of_plan(indicator)),
                text_cell(unit_label(indicator.unit)),
                figure_cell(figure, indicator, "baseline"),
                figure_cell(figure, indicator, "target"),
                figure_cell(figure, indicator),
            )
        )
    table = Table(
        key="civil_society.own_indicators",
        title=title,
        columns=(
            _("Organisation"),
            _("Code"),
            _("Indicator"),
            _("Unit"),
            _("Baseline"),
            _("Target"),
            _("Value %(period)s") % {"period": context.period_name},
        ),
        rows=tuple(rows),
    )
    return Section(key=key, title=title, blocks=(table,))


def assessments_section(context: ReportContext) -> Section:
    key, title = "civil_society.assessments", _("Civil society's assessments of the actions")
    compared = action_comparisons(context.plan, context.period_code)
    rows = []
    for comparison in compared:
        for monitor, gap in comparison.monitors:
            rows.append(
                (
                    content_cell(
                        context.texts.of_plan(comparison.action), f"{comparison.action.code} "
                    ),
                    content_cell(context.texts.of_organisation(monitor.report.organisation)),
                    text_cell(monitor.label),
                    text_cell(comparison.government.status_label),
                    text_cell(gap_words(gap)),
                    text_cell(monitor.report.narrative),
                )
            )
    if not rows:
        return Section(
            key=key,
            title=title,
            empty=_("Civil society published no assessment of the plan's actions by this period."),
        )
    table = Table(
        key="civil_society.assessments",
        title=title,
        columns=(
            _("Action"),
            _("Organisation"),
            _("Civil society's assessment"),
            _("Government's status"),
            _("Comparison"),
            _("What civil society found"),
        ),
        rows=tuple(rows),
        note=_("Each organisation's latest published assessment up to the period's end."),
    )
    return Section(key=key, title=title, blocks=(table,))


def dissents_section(context: ReportContext) -> Section:
    key, title = "civil_society.dissents", _("Dissenting statements of the monitoring board")
    period = reduce(or_, (Q(report__period__startswith=y) for y in context.years))
    dissents = list(
        Dissent.objects.filter(period, report__plan=context.plan, withdrawn_at__isnull=True)
        .select_related("member__organisation", "report")
        .order_by("report__period", "at", "pk")
    )
    if not dissents:
        return Section(
            key=key,
            title=title,
            empty=_("No member of the board dissented from its report for this period."),
        )
    blocks: list[Paragraph] = []
    for dissent in dissents:
        blocks.append(
            Paragraph(
                _("On the board's report “%(title)s” (%(period)s):")
                % {"title": dissent.report.title, "period": dissent.report.period},
                style="note",
            )
        )
        blocks.append(
            Paragraph(
                dissent.text,
                style="quote",
                attribution=_("%(name)s, %(side)s (%(organisation)s)")
                % {
                    "name": dissent.member.name,
                    "side": Side(dissent.side).label,
                    "organisation": dissent.member.organisation.name,
                },
            )
        )
    return Section(key=key, title=title, blocks=tuple(blocks))


def build(context: ReportContext) -> Section:
    title = _("Civil society's chapter")
    access = PlanAccess.load(AnonymousUser(), context.plan)
    subsections = (
        # Scored from the figures of the report's years only: the scorecard reads every year
        # of the plan otherwise, which on a big plan is most of the section's time.
        scorecard_section(
            context, plan_scorecard(access, figures=context.figures, years=context.years)
        ),
        own_indicators_section(context),
        assessments_section(context),
        dissents_section(context),
    )
    if all(s.empty for s in subsections):
        return Section(
            key="civil_society",
            title=title,
            empty=_(
                "Civil society has published no scorecard, indicator or assessment on the "
                "plan, and no board member dissented."
            ),
        )
    return Section(key="civil_society", title=title, subsections=subsections)
