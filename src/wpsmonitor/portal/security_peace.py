"""The security sector and peace processes on the portal (docs/security-sector.md and
docs/peace-processes.md, "In the report and on the portal"): the short summary on the plan's
page, and what the public pages show. Read through the features' selectors; only what those
apps publish: institutions, desks counted by province and status (never a desk's cases),
allegations after disclosure control, women's share of the seats at peace talks.

The desks' coverage is drawn on the portal's map here: the security app may not import the
portal (a feature sits below it), so its own page has the table only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from wpsmonitor.core.names import localized_name
from wpsmonitor.peace import selectors as peace
from wpsmonitor.peace.models import Consultation, InOutcome, PeaceProcess, SeatRole
from wpsmonitor.plans.models import Plan
from wpsmonitor.portal import maps
from wpsmonitor.security import selectors as security
from wpsmonitor.security.selectors import CoverageRow
from wpsmonitor.shell.templatetags.shell import num


@dataclass(frozen=True)
class LatestShare:
    process: PeaceProcess
    round_number: int
    share: peace.Share


@dataclass(frozen=True)
class Summary:
    institutions: int
    adopted: int
    desks_open: int
    provinces_covered: int
    provinces: int
    negotiators: LatestShare | None  # the latest round with negotiators of recorded sex


def latest_negotiators(plan: Plan) -> LatestShare | None:
    """Women's share of the negotiators' seats at the latest round (by its first day) of any of
    the plan's processes, among the rounds with a negotiator of recorded sex."""
    latest: tuple[object, LatestShare] | None = None
    for process in peace.processes_of(plan):
        for row in peace.trend(process):
            share = row.by_role[SeatRole.NEGOTIATOR.value]
            if not share.known:
                continue
            key = (row.round.started_on, process.pk, row.round.number)
            if latest is None or key > latest[0]:  # type: ignore[operator]
                latest = (key, LatestShare(process, row.round.number, share))
    return latest[1] if latest else None


def summary(plan: Plan) -> Summary:
    institutions = list(security.institutions(plan))
    rows = security.coverage(plan)
    return Summary(
        institutions=len(institutions),
        adopted=sum(1 for i in institutions if getattr(i, "package", None) is not None),
        desks_open=sum(r.open for r in rows),
        provinces_covered=sum(1 for r in rows if r.area is not None and r.open),
        provinces=sum(1 for r in rows if r.area is not None),
        negotiators=latest_negotiators(plan),
    )


def _desk_words(row: CoverageRow) -> str:
    return _("%(open)s open, %(planned)s planned, %(closed)s closed") % {
        "open": num(row.open),
        "planned": num(row.planned),
        "closed": num(row.closed),
    }


def desk_map(rows: list[CoverageRow]) -> maps.MapView:
    """Open desks by province on the map; each province links to its row in the table."""
    return maps.choropleth(
        [
            maps.MapArea(
                code=r.area.code,
                name=localized_name(r.area.name),
                value=float(r.open),
                text=_desk_words(r),
                suppressed=False,
                anchor=f"desks-{r.area.code}",
            )
            for r in rows
            if r.area is not None
        ],
        title=_("Map: open women's and children's desks, by province"),
        description=_(
            "Open desks in each province, darker where there are more. Each province links to "
            "its row in the table beside the map."
        ),
        fmt=lambda v: num(v, 0),
        id_prefix="desk-map",
    )


@dataclass(frozen=True)
class ConsultationCounts:
    process: PeaceProcess
    held: int
    consulted: int
    womens: int
    taken_up: int
    partly: int


def consultation_counts(plan: Plan) -> list[ConsultationCounts]:
    """Each process's consultations counted (no text of what was asked: it is on the process's
    own page for whoever reads the plan)."""
    found: dict[int, list[Consultation]] = {}
    processes: dict[int, PeaceProcess] = {}
    for c in peace.plan_consultations(plan):
        found.setdefault(c.process_id, []).append(c)
        processes[c.process_id] = c.process
    out = []
    for pk, items in found.items():
        outcomes = [c.in_outcome for c in items]
        out.append(
            ConsultationCounts(
                process=processes[pk],
                held=len(items),
                consulted=sum(c.organisations_consulted for c in items),
                womens=sum(c.womens_organisations for c in items),
                taken_up=outcomes.count(InOutcome.YES),
                partly=outcomes.count(InOutcome.PARTLY),
            )
        )
    return out
