"""The report's "Qualitative evidence" section (docs/reports.md, "Qualitative evidence"):
narrative figures and the items of list indicators (laws, policies, mechanisms), written out as
text for the years the report covers, not counted.

A release carries figures, not texts: a narrative is not aggregated, and a list's release
figure is its count. So the public version prints the approved text and items of public
indicators only; a sensitive indicator's text is never printed (it may name the persons its
counts protect), and restricted or unpublished indicators are left out of both versions
(`context.hidden`). The internal version prints them all but the hidden ones.

Then the plan's stories (docs/stories.md, "In the report and on the portal"): those approved by
their holder with a consent for the report in force on the day the report is built, dated in
its years, read through `stories.uses.stories_for_report`. Both versions print them the same,
coarse: a report leaves the platform, so it never names who collected a story or told it, and
says the month and the province only. Each story is a subsection keyed `qualitative.story.<uid>`
(`story_uids`: generation records where each was used).

Then the selection rounds' choices (docs/stories.md, "Selection rounds"): each decided round
whose period lies in the report's years, its level, period and domain, and each domain's
choice (`stories.uses.rounds_for_report`). The chosen story's title and the panel's reason are
printed only when the story itself may be in the report (`accounts.access.story_in_report`, on
the day it is built), and that story is then printed with the others (and its use recorded),
whatever its date; otherwise the domain says a story chosen in it cannot be shown, without its
title or the reason (which may retell it).
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from wpsmonitor.core.names import localized_name
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    DataValue,
    Indicator,
    IndicatorKind,
    ListItem,
)
from wpsmonitor.reports.cells import text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Block, Paragraph, ReportDocument, Section, Table
from wpsmonitor.stories.models import SelectionLevel, StoryKind
from wpsmonitor.stories.reading import StoryAsRead
from wpsmonitor.stories.selection import choice_domain_words, round_domain_words, round_title
from wpsmonitor.stories.uses import ReportRound, rounds_for_report, stories_for_report

KINDS = (IndicatorKind.NARRATIVE, IndicatorKind.LIST)
STORY_KEY = "qualitative.story."
ROUND_KEY = "qualitative.round."


def _indicators(context: ReportContext) -> list[Indicator]:
    rows = Indicator.objects.filter(plan=context.plan, kind__in=KINDS).exclude(context.hidden)
    if context.is_public:
        rows = rows.filter(sensitivity=Sensitivity.PUBLIC)
    return list(rows.order_by("order", "code"))


def _in_years(context: ReportContext) -> dict[str, date]:
    return {
        "period__start__gte": date(context.first_year, 1, 1),
        "period__end__lte": date(context.last_year, 12, 31),
    }


def _attribution(source_name: str, area_name: str, period_code: str) -> str:
    return ", ".join(
        p for p in (localized_name(source_name), localized_name(area_name), period_code) if p
    )


def _story(story: StoryAsRead) -> Section:
    where_when = [
        str(StoryKind(story.kind).label),
        localized_name(story.area.name) if story.area else "",
        story.happened,
        _("collected by %(organisation)s") % {"organisation": story.holder},
    ]
    blocks: list[Block] = []
    if story.domain:
        blocks.append(
            Paragraph(
                text=_("Domain of change: %(domain)s") % {"domain": story.domain}, style="note"
            )
        )
    blocks.append(
        Paragraph(
            text=story.text.strip(),
            style="quote",
            attribution=", ".join(p for p in where_when if p),
        )
    )
    return Section(key=f"{STORY_KEY}{story.uid}", title=story.title, blocks=tuple(blocks))


def _stories(context: ReportContext, chosen: list[str]) -> Section | None:
    stories = stories_for_report(
        context.plan, context.first_year, context.last_year, on=context.today, also=chosen
    )
    if not stories:
        return None
    note = Paragraph(
        text=_(
            "Stories told by the people the plan is for, approved for publication by the "
            "organisation that collected them, with the storyteller's consent to this report in "
            "force. No storyteller is named; places are given to the province and dates to "
            "the month. Each is printed in the language it was told in."
        ),
        style="note",
    )
    return Section(
        key="qualitative.stories",
        title=_("Stories"),
        blocks=(note,),
        subsections=tuple(_story(s) for s in stories),
    )


def _round(found: ReportRound) -> Section:
    selection_round = found.selection_round
    about = _("Level: %(level)s. Period: %(period)s. Domain of change: %(domain)s.") % {
        "level": SelectionLevel(selection_round.level).label,
        "period": selection_round.period,
        "domain": round_domain_words(selection_round.domain),
    }
    rows = tuple(
        (
            text_cell(choice_domain_words(c.domain)),
            text_cell(c.title if c.shown else _("A story chosen in this domain cannot be shown")),
            text_cell(c.reason),
        )
        for c in found.choices
    )
    return Section(
        key=f"{ROUND_KEY}{selection_round.pk}",
        title=round_title(selection_round),
        blocks=(
            Paragraph(text=about, style="note"),
            Table(
                key=f"{ROUND_KEY}{selection_round.pk}.choices",
                title=_("The panel's choices"),
                columns=(_("Domain of change"), _("Story chosen"), _("Why the panel chose it")),
                rows=rows,
            ),
        ),
    )


def _rounds(found: list[ReportRound]) -> Section | None:
    if not found:
        return None
    note = Paragraph(
        text=_(
            "In the Most Significant Change manner, panels of the plan read the stories of a "
            "period and chose, in each domain of change, the one they held most significant, "
            "and recorded why. A chosen story is named, with the panel's reason, only when it "
            "may be in this report; it is then printed under “Stories”. Otherwise neither its "
            "title nor the reason is given."
        ),
        style="note",
    )
    return Section(
        key="qualitative.rounds",
        title=_("The most significant changes chosen"),
        blocks=(note,),
        subsections=tuple(_round(f) for f in found),
    )


def story_uids(document: ReportDocument) -> list[str]:
    """The stories a built report prints (their uids), for the record of their uses."""
    return [
        s.key.removeprefix(STORY_KEY)
        for top in document.sections
        for s in top.walk()
        if s.key.startswith(STORY_KEY)
    ]


def build(context: ReportContext) -> Section:
    title = _("Qualitative evidence")
    indicators = _indicators(context)
    narratives = [i.pk for i in indicators if i.kind == IndicatorKind.NARRATIVE]
    lists = [i.pk for i in indicators if i.kind == IndicatorKind.LIST]
    texts: dict[int, list[DataValue]] = {}
    if narratives:
        for value in (
            DataValue.objects.filter(indicator_id__in=narratives, **_in_years(context))
            .exclude(text_value="")
            .select_related("period", "area", "source")
            .order_by("period__start", "area__path", "source__code")
        ):
            texts.setdefault(value.indicator_id, []).append(value)
    for found_texts in texts.values():
        found_texts.sort(
            key=lambda v: (v.period.start, v.source.code != GOVERNMENT_SOURCE, v.area.path)
        )
    items: dict[int, list[ListItem]] = {}
    if lists:
        for item in (
            ListItem.objects.filter(indicator_id__in=lists, **_in_years(context))
            .select_related("period", "area", "source")
            .order_by("date", "title")
        ):
            items.setdefault(item.indicator_id, []).append(item)

    subsections: list[Section] = []
    for indicator in indicators:
        blocks: list[Block] = []
        definition = context.texts.of_plan(indicator, "definition").text.strip()
        if definition:
            blocks.append(Paragraph(text=definition, style="note"))
        for value in texts.get(indicator.pk, []):
            blocks.append(
                Paragraph(
                    text=value.text_value.strip(),
                    style="quote",
                    attribution=_attribution(value.source.name, value.area.name, value.period.code),
                )
            )
        found = items.get(indicator.pk, [])
        if found:
            blocks.append(
                Table(
                    key=f"indicator.{indicator.code}.items",
                    title=_("%(code)s: items") % {"code": indicator.code},
                    columns=(_("Item"), _("Date"), _("Reference"), _("Source"), _("Area")),
                    rows=tuple(
                        (
                            text_cell(item.title),
                            text_cell(item.date.isoformat() if item.date else ""),
                            text_cell(item.reference),
                            text_cell(localized_name(item.source.name)),
                            text_cell(localized_name(item.area.name)),
                        )
                        for item in found
                    ),
                )
            )
        if len(blocks) > (1 if definition else 0):
            subsections.append(
                Section(
                    key=f"qualitative.{indicator.code}",
                    title=f"{indicator.code} {context.texts.of_plan(indicator).text}",
                    blocks=tuple(blocks),
                )
            )
    rounds = rounds_for_report(
        context.plan, context.first_year, context.last_year, on=context.today
    )
    chosen = [c.uid for r in rounds for c in r.choices if c.uid is not None]
    stories = _stories(context, chosen)
    if stories is not None:
        subsections.append(stories)
    chosen_section = _rounds(rounds)
    if chosen_section is not None:
        subsections.append(chosen_section)
    if not subsections:
        return Section(
            key="qualitative",
            title=title,
            empty=_("No narrative text or listed item for %(period)s.")
            % {"period": context.period_label()},
        )
    blocks_top: tuple[Block, ...] = ()
    if context.is_public:
        blocks_top = (
            Paragraph(
                text=_(
                    "The public version prints the texts and items of public indicators only; "
                    "those of sensitive indicators stay on the platform."
                ),
                style="note",
            ),
        )
    return Section(
        key="qualitative", title=title, blocks=blocks_top, subsections=tuple(subsections)
    )
