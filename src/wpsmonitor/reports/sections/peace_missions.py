"""The report's "UN missions" part (key "peace.missions", docs/missions.md): the gender and WPS
provisions of the missions' mandates, the exit plan's benchmarks by phase (met out of all), and
the protection indicators watched in each phase's area before and after its handover.

Mandates and benchmarks are public documents: both versions show them. The indicators' figures
are the report's (`context.figures`): the public version reads the published release, a
figure hidden by disclosure control shows its flag's words and hides its side's mean; the
indicators a report never shows (`context.hidden`) are left out.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from wpsmonitor.indicators.models import Indicator
from wpsmonitor.indicators.reading import flag_text
from wpsmonitor.missions import selectors
from wpsmonitor.missions.models import ProvisionCategory, UNMission
from wpsmonitor.reports.cells import kept, number_cell, percent_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Cell, Paragraph, Section, Table
from wpsmonitor.shell.templatetags.shell import value_as

KEY = "peace.missions"


def provisions_table(context: ReportContext) -> Table | None:
    rows = [
        (
            text_cell(r.mission.acronym),
            text_cell(r.symbol),
            text_cell(ProvisionCategory(p.category).label),
            text_cell(p.paragraph),
            text_cell(p.text),
        )
        for r in selectors.plan_mandates(context.plan)
        for p in r.provisions.all()
    ]
    if not rows:
        return None
    return Table(
        key=f"{KEY}.provisions",
        title=_("Gender and WPS provisions of the missions' mandates"),
        columns=(_("Mission"), _("Resolution"), _("Category"), _("Paragraph"), _("Text")),
        rows=tuple(rows),
    )


def benchmarks_table(missions: list[UNMission]) -> Table | None:
    rows = []
    for m in missions:
        transition = selectors.transition_of(m)
        if transition is None:
            continue
        for p in selectors.progress(transition).phases:
            rows.append(
                (
                    text_cell(m.acronym),
                    text_cell(f"{p.phase.number}. {p.phase.name}"),
                    text_cell(p.phase.area.name),
                    text_cell(p.phase.handover_on.isoformat() if p.phase.handover_on else ""),
                    number_cell(p.met),
                    number_cell(p.total),
                    percent_cell(p.share),
                )
            )
    if not rows:
        return None
    return Table(
        key=f"{KEY}.benchmarks",
        title=_("Exit plan: benchmarks met by phase"),
        columns=(
            _("Mission"),
            _("Phase"),
            _("Area handed over"),
            _("Handover"),
            _("Benchmarks met"),
            _("Benchmarks"),
            _("Share met"),
        ),
        rows=tuple(rows),
    )


def _mean_cell(side: selectors.Side, indicator: Indicator) -> Cell:
    if side.hidden:
        first = next(p.figure for p in side.points if p.figure.flag)
        return Cell(text=flag_text(first.flag, first.threshold), flag=first.flag, kind="number")
    mean = side.mean
    if mean is None:
        return number_cell(None)
    # Kept as every report number is (`kept`): a spreadsheet holds 15 significant digits.
    return Cell(text=value_as(indicator, mean), value=kept(mean), kind="number")


def protection_table(context: ReportContext, missions: list[UNMission]) -> Table | None:
    rows = []
    for m in missions:
        transition = selectors.transition_of(m)
        if transition is None:
            continue
        watched = selectors.watched_hidden_by(transition, context.hidden)
        for w in selectors.compare(watched, context.figures):
            if w.comparison is None:
                continue
            ind = w.watched.indicator
            change = w.comparison.change
            rows.append(
                (
                    text_cell(m.acronym),
                    text_cell(f"{ind.code} {ind.title}"),
                    text_cell(w.watched.phase.area.name),
                    text_cell(w.watched.phase.handover_on),
                    _mean_cell(w.comparison.before, ind),
                    _mean_cell(w.comparison.after, ind),
                    number_cell(change),
                )
            )
    if not rows:
        return None
    return Table(
        key=f"{KEY}.protection",
        title=_("Protection indicators before and after the handover"),
        columns=(
            _("Mission"),
            _("Indicator"),
            _("Area"),
            _("Handover"),
            _("Mean before"),
            _("Mean after"),
            _("Change"),
        ),
        rows=tuple(rows),
        note=_(
            "The mean of the last %(window)d periods before the handover against the first "
            "%(window)d after it, in the area handed over."
        )
        % {"window": selectors.WINDOW},
    )


def build(context: ReportContext) -> Section:
    title = _("UN missions")
    missions = list(selectors.missions_of(context.plan))
    if not missions:
        return Section(key=KEY, title=title, empty=_("The plan records no UN mission."))
    blocks: list[Paragraph | Table] = []
    for table in (
        provisions_table(context),
        benchmarks_table(missions),
        protection_table(context, missions),
    ):
        if table is not None:
            blocks.append(table)
    if not blocks:
        return Section(
            key=KEY,
            title=title,
            empty=_("No mandate provision, benchmark or watched indicator is recorded."),
        )
    return Section(key=KEY, title=title, blocks=tuple(blocks))
