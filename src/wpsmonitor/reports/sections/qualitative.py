"""The report's "Qualitative evidence" section (docs/reports.md, "Qualitative evidence"):
narrative figures and the items of list indicators (laws, policies, mechanisms), written out as
text for the years the report covers, not counted.

A release carries figures, not texts: a narrative is not aggregated, and a list's release
figure is its count. So the public version prints the approved text and items of public
indicators only; a sensitive indicator's text is never printed (it may name the persons its
counts protect), and restricted or unpublished indicators are left out of both versions
(`context.hidden`). The internal version prints them all but the hidden ones.
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
from wpsmonitor.reports.document import Block, Paragraph, Section, Table

KINDS = (IndicatorKind.NARRATIVE, IndicatorKind.LIST)


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
