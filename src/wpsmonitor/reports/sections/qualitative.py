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
from wpsmonitor.stories.models import StoryKind
from wpsmonitor.stories.reading import StoryAsRead
from wpsmonitor.stories.uses import stories_for_report

KINDS = (IndicatorKind.NARRATIVE, IndicatorKind.LIST)
STORY_KEY = "qualitative.story."


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


def _stories(context: ReportContext) -> Section | None:
    stories = stories_for_report(
        context.plan, context.first_year, context.last_year, on=context.today
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
    stories = _stories(context)
    if stories is not None:
        subsections.append(stories)
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
