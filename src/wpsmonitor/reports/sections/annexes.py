"""The report's "Annexes" (docs/reports.md, "Annexes"): the UN Secretary-General's global WPS
indicators (S/2010/498), a CEDAW General Recommendation 30 checklist and an SDG 5 and 16 table,
each drawn from the plan's indicators' global references (`Indicator.references`, entries of the
catalogues in indicators/catalogues/, docs/catalogues.md).

A catalogue entry not checked against its source (`verified` false) says "unverified" wherever
it appears. Figures are the period's government figures at the plan's level, read from the
release in the public version (`context.figures`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from wpsmonitor.indicators.models import GlobalIndicator, Indicator, IndicatorKind
from wpsmonitor.indicators.selectors import EMPTY, Figure
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.reports.cells import figure_cell, number_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Cell, Section, Table
from wpsmonitor.reports.reads_records import government_figures
from wpsmonitor.reports.texts import content_cell

SG_WPS = "sg-wps"
CEDAW_GR30 = "cedaw-gr30"
SDG = "sdg"
SDG_GOALS = ("5.", "16.")


def natural_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """ "2" before "11a", "5.5.1" before "16.1.3": numbers compared as numbers; codes
    without a number ("unnumbered-…") last."""
    parts = re.findall(r"\d+|\D+", code)
    return (
        (int(not code[:1].isdigit()), 0),
        *((0, int(p)) if p.isdigit() else (1, p) for p in parts),
    )


@dataclass
class Mapped:
    """The plan's indicators and their references to the three catalogues: four queries."""

    entries: dict[str, list[GlobalIndicator]]  # vocabulary -> its entries, by code
    by_entry: dict[int, list[Indicator]] = field(default_factory=dict)  # entry id -> indicators
    figures: dict[int, Figure] = field(default_factory=dict)
    pillars: dict[int, FrameworkNode] = field(default_factory=dict)  # id -> pillar (root node)
    pillar_of: dict[int, int] = field(default_factory=dict)  # indicator id -> pillar id


def mapped(context: ReportContext) -> Mapped:
    entries: dict[str, list[GlobalIndicator]] = defaultdict(list)
    for entry in GlobalIndicator.objects.filter(vocabulary__in=(SG_WPS, CEDAW_GR30, SDG)).order_by(
        "vocabulary", "code"
    ):
        entries[entry.vocabulary].append(entry)
    entries[SDG] = [e for e in entries[SDG] if e.code.startswith(SDG_GOALS)]
    for found in entries.values():
        found.sort(key=lambda e: natural_key(e.code))
    links = Indicator.references.through.objects.filter(
        indicator__plan=context.plan,
        indicator__owner_organisation__isnull=True,
        globalindicator__vocabulary__in=(SG_WPS, CEDAW_GR30, SDG),
    ).exclude(indicator__in=Indicator.objects.filter(context.hidden))
    pairs = list(links.values_list("globalindicator_id", "indicator_id"))
    indicators = (
        Indicator.objects.filter(pk__in={i for _e, i in pairs}).select_related("node").in_bulk()
    )
    by_entry: dict[int, list[Indicator]] = defaultdict(list)
    for entry_id, indicator_id in pairs:
        by_entry[entry_id].append(indicators[indicator_id])
    for listed in by_entry.values():
        listed.sort(key=lambda i: (i.order, i.code))
    pillars = {
        n.pk: n
        for n in FrameworkNode.objects.filter(plan=context.plan, parent__isnull=True).order_by(
            "order", "code"
        )
    }
    pillar_of = {
        i.pk: int(i.node.path.strip("/").split("/", 1)[0]) for i in indicators.values() if i.node
    }
    countable = [i.pk for i in indicators.values() if i.kind != IndicatorKind.NARRATIVE]
    return Mapped(
        entries=dict(entries),
        by_entry=dict(by_entry),
        figures=government_figures(context, countable),
        pillars=pillars,
        pillar_of=pillar_of,
    )


def _verified(entry: GlobalIndicator) -> Cell:
    return text_cell(_("verified") if entry.verified else _("unverified"))


def _figure(data: Mapped, indicator: Indicator) -> Cell:
    if indicator.kind == IndicatorKind.NARRATIVE:
        return text_cell(_("narrative"))
    return figure_cell(data.figures.get(indicator.pk, EMPTY), indicator)


def indicator_table(
    context: ReportContext, data: Mapped, vocabulary: str, key: str, title: str
) -> Table | None:
    rows = []
    for entry in data.entries.get(vocabulary, []):
        for indicator in data.by_entry.get(entry.pk, []):
            rows.append(
                (
                    text_cell(entry.code),
                    text_cell(entry.title),
                    _verified(entry),
                    text_cell(indicator.code),
                    content_cell(context.texts.of_plan(indicator)),
                    _figure(data, indicator),
                )
            )
    if not rows:
        return None
    return Table(
        key=key,
        title=title,
        columns=(
            _("Code"),
            _("Global indicator"),
            _("Catalogue entry"),
            _("Plan indicator"),
            _("Title"),
            _("Value %(period)s") % {"period": context.period_name},
        ),
        rows=tuple(rows),
    )


def sg_section(context: ReportContext, data: Mapped) -> Section:
    key = "annexes.sg_wps"
    title = _("The Secretary-General's global indicators on women, peace and security")
    table = indicator_table(context, data, SG_WPS, key, title)
    if table is None:
        return Section(
            key=key,
            title=title,
            empty=_("No indicator of the plan is mapped to the Secretary-General's indicators."),
        )
    return Section(key=key, title=title, blocks=(table,))


def sdg_section(context: ReportContext, data: Mapped) -> Section:
    key = "annexes.sdg"
    title = _("Sustainable Development Goals 5 and 16")
    table = indicator_table(context, data, SDG, key, title)
    if table is None:
        return Section(
            key=key,
            title=title,
            empty=_("No indicator of the plan is mapped to an indicator of SDG 5 or 16."),
        )
    return Section(key=key, title=title, blocks=(table,))


def cedaw_section(context: ReportContext, data: Mapped) -> Section:
    """Each thematic area of GR30: the pillars that speak to it (a pillar of its theme, or one
    holding an indicator mapped to it), the indicators mapped to it, and whether any has a
    figure for the period."""
    key = "annexes.cedaw_gr30"
    title = _("CEDAW General Recommendation 30: reporting checklist")
    themes: dict[str, list[FrameworkNode]] = defaultdict(list)
    for pillar in data.pillars.values():
        if pillar.pillar_theme:
            themes[pillar.pillar_theme].append(pillar)
    rows = []
    answered = False
    for entry in data.entries.get(CEDAW_GR30, []):
        indicators = data.by_entry.get(entry.pk, [])
        pillars = {p.pk: p for p in themes.get(entry.pillar, [])}
        for indicator in indicators:
            pillar_id = data.pillar_of.get(indicator.pk)
            if pillar_id in data.pillars:
                pillars[pillar_id] = data.pillars[pillar_id]
        measured = sum(
            1
            for i in indicators
            if (f := data.figures.get(i.pk)) is not None and (f.has_value or f.suppressed)
        )
        answered = answered or bool(pillars or indicators)
        ordered = sorted(pillars.values(), key=lambda p: (p.order, p.code))
        rows.append(
            (
                text_cell(entry.title),
                _verified(entry),
                text_cell(
                    ", ".join(f"{p.code} {context.texts.of_plan(p)}" for p in ordered) or _("None")
                ),
                text_cell(", ".join(i.code for i in indicators) or _("None")),
                number_cell(measured),
                text_cell(
                    _("Data for %(period)s") % {"period": context.period_name}
                    if measured
                    else _("No data")
                ),
            )
        )
    if not answered:
        return Section(
            key=key,
            title=title,
            empty=_(
                "No pillar or indicator of the plan is linked to a thematic area of General "
                "Recommendation 30."
            ),
        )
    table = Table(
        key=key,
        title=title,
        columns=(
            _("Thematic area"),
            _("Catalogue entry"),
            _("Pillars"),
            _("Indicators"),
            _("Indicators with a figure"),
            _("Answer"),
        ),
        rows=tuple(rows),
        note=_(
            "A pillar speaks to an area when its theme is the area's, or when it holds an "
            "indicator mapped to the area. The thematic areas are those of CEDAW/C/GC/30, not "
            "yet checked against its text where marked unverified."
        ),
    )
    return Section(key=key, title=title, blocks=(table,))


def build(context: ReportContext) -> Section:
    data = mapped(context)
    subsections = (
        sg_section(context, data),
        cedaw_section(context, data),
        sdg_section(context, data),
    )
    title = _("Annexes")
    if all(s.empty for s in subsections):
        return Section(
            key="annexes",
            title=title,
            empty=_(
                "No indicator of the plan is mapped to the Secretary-General's indicators, "
                "CEDAW General Recommendation 30 or SDG 5 and 16."
            ),
        )
    return Section(key="annexes", title=title, subsections=subsections)
