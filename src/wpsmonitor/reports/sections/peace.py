"""The report's "Peace processes and missions" section (docs/reports.md, "Peace processes and
missions"; docs/peace-processes.md).

A section made of subsections, each built by one function of `SUBSECTIONS` from the report's
context: women's participation in each peace process, round by round (computed from the
delegations' seats, as the peace app computes it: CFR's three roles and all roles together),
and the consultations of civil society. Another module adds a subsection by appending its
`build(context) -> Section` to `SUBSECTIONS` (the extension point: agreements and their gender
provisions, UN missions).

Both versions show the same: the peace app publishes its counts as recorded (delegates act in
a public capacity and no name is stored: docs/peace-processes.md, "No suppression").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext as _

from wpsmonitor.peace import selectors as peace
from wpsmonitor.peace.charts import trend_chart
from wpsmonitor.peace.models import Consultation, InOutcome, PeaceProcess, SeatRole
from wpsmonitor.reports.cells import kept, number_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Block, Cell, Chart, Paragraph, Section, Table
from wpsmonitor.reports.sections import peace_agreements, peace_missions
from wpsmonitor.shell.templatetags.shell import DASH, num, pct

SectionBuilder = Callable[[ReportContext], Section]

KEY = "peace"


def share_cell(found: peace.Share) -> Cell:
    """Women's share of the seats whose sex is recorded, with its counts: "20 % (2 of 10)"."""
    share = found.share
    if share is None:
        return Cell(text=DASH, kind="percent")
    ratio = float(share)
    return Cell(
        text=_("%(share)s (%(women)s of %(known)s)")
        % {"share": pct(ratio), "women": num(found.women), "known": num(found.known)},
        value=kept(ratio),
        kind="percent",
    )


def _end(context: ReportContext) -> date:
    return date(context.last_year, 12, 31)


def process_section(context: ReportContext, process: PeaceProcess) -> Section:
    key = f"{KEY}.process.{process.pk}"
    rows = [r for r in peace.trend(process) if r.round.started_on <= _end(context)]
    if not rows:
        return Section(
            key=key,
            title=process.name,
            empty=_("No negotiation round held by the period's end."),
        )
    roles = (*peace.CFR_ROLES, SeatRole.OBSERVER, SeatRole.ADVISER)
    table = Table(
        key=f"{key}.rounds",
        title=_("Women's share of the seats by round: %(process)s") % {"process": process.name},
        columns=(
            _("Round"),
            _("Started"),
            *(str(SeatRole(r).label) for r in roles),
            _("All roles"),
            _("Seats of sex not recorded"),
        ),
        rows=tuple(
            (
                number_cell(r.round.number),
                text_cell(r.round.started_on.isoformat()),
                *(share_cell(r.by_role[role.value]) for role in roles),
                share_cell(r.overall),
                number_cell(r.overall.not_recorded),
            )
            for r in rows
        ),
        note=_(
            "Women's seats over the seats whose holder's sex is recorded, computed from the "
            "delegations' seats; a person who holds two roles holds two seats."
        ),
    )
    blocks: list[Block] = []
    svg = trend_chart(process, rows)
    if svg:
        alt = "; ".join(
            f"{r.round.number}: {pct(float(r.overall.share)) if r.overall.share is not None else DASH}"
            for r in rows
        )
        blocks.append(
            Chart(
                key=f"{key}.trend",
                title=_("Women's share of the seats by round: %(process)s")
                % {"process": process.name},
                svg=str(svg),
                alt=alt,
            )
        )
    blocks.append(table)
    return Section(key=key, title=process.name, blocks=tuple(blocks))


def participation_section(context: ReportContext) -> Section:
    title = _("Women's participation in peace processes")
    key = f"{KEY}.participation"
    processes = list(peace.processes_of(context.plan))
    if not processes:
        return Section(key=key, title=title, empty=_("No peace process is recorded for the plan."))
    return Section(
        key=key,
        title=title,
        blocks=(
            Paragraph(
                _(
                    "For each process, women's share of the seats at each round up to the "
                    "period's end: negotiators, mediators and signatories (as the Council on "
                    "Foreign Relations counts them), observers, technical advisers and all roles "
                    "together."
                )
            ),
        ),
        subsections=tuple(process_section(context, p) for p in processes),
    )


def consultations_section(context: ReportContext) -> Section:
    title = _("Consultations of civil society")
    key = f"{KEY}.consultations"
    held = list(
        Consultation.objects.filter(
            process__plan=context.plan,
            held_on__gte=date(context.first_year, 1, 1),
            held_on__lte=_end(context),
        )
        .select_related("process")
        .order_by("process__name", "process_id", "held_on")
    )
    if not held:
        return Section(
            key=key,
            title=title,
            empty=_("No consultation of civil society was recorded in %(period)s.")
            % {"period": context.period_name},
        )
    by_process: dict[int, list[Consultation]] = {}
    for c in held:
        by_process.setdefault(c.process_id, []).append(c)
    rows = []
    for items in by_process.values():
        outcomes = [c.in_outcome for c in items]
        rows.append(
            (
                text_cell(items[0].process.name),
                number_cell(len(items)),
                number_cell(sum(c.organisations_consulted for c in items)),
                number_cell(sum(c.womens_organisations for c in items)),
                number_cell(outcomes.count(InOutcome.YES)),
                number_cell(outcomes.count(InOutcome.PARTLY)),
                number_cell(outcomes.count(InOutcome.NO)),
                number_cell(outcomes.count(InOutcome.NOT_YET)),
            )
        )
    return Section(
        key=key,
        title=title,
        blocks=(
            Table(
                key=f"{KEY}.consultations",
                title=_("Consultations by process"),
                columns=(
                    _("Process"),
                    _("Consultations"),
                    _("Organisations consulted"),
                    _("Of which women's organisations"),
                    _("Asks taken up"),
                    _("Partly taken up"),
                    _("Not taken up"),
                    _("Not yet known"),
                ),
                rows=tuple(rows),
                note=_(
                    "Consultations held in the period; whether what was asked appears in the "
                    "outcome, as recorded."
                ),
            ),
        ),
    )


# The subsections, in order. The extension point: append a builder here (docs/reports.md).
SUBSECTIONS: tuple[SectionBuilder, ...] = (
    participation_section,
    consultations_section,
    peace_agreements.build,
    peace_missions.build,
)


def build(context: ReportContext) -> Section:
    return Section(
        key=KEY,
        title=_("Peace processes and missions"),
        subsections=tuple(build(context) for build in SUBSECTIONS),
    )
