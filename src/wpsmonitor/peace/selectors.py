"""Reads of peace processes (docs/peace-processes.md), and women's share of the seats computed
from them: per round, by role (CFR's three, negotiators, mediators and signatories, then
observers and technical advisers) and over all roles.

A share is women's seats over the seats whose holder's sex is recorded (women + men); the
seats of sex not recorded are counted beside it, never in it. None when no seat of the role has
a recorded sex. A person who holds two roles (negotiator and signatory) holds two seats; the
overall share counts seats, not persons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from wpsmonitor.core.errors import NotFound
from wpsmonitor.peace.models import (
    STATUS_RANK,
    Agreement,
    Consultation,
    Delegation,
    GenderProvision,
    NegotiationRound,
    PeaceProcess,
    ProvisionAssessment,
    ProvisionStatus,
    Seat,
    SeatRole,
    SeatSex,
)
from wpsmonitor.plans.models import FrameworkNode, Plan

# CFR's three roles, the order of the chart's lines.
CFR_ROLES = (SeatRole.NEGOTIATOR, SeatRole.MEDIATOR, SeatRole.SIGNATORY)
ALL = "all"


@dataclass
class Share:
    women: int = 0
    men: int = 0
    not_recorded: int = 0

    @property
    def known(self) -> int:
        return self.women + self.men

    @property
    def seats(self) -> int:
        return self.known + self.not_recorded

    @property
    def share(self) -> Decimal | None:
        """Women's share of the seats whose sex is recorded, as a fraction 0 to 1 (4 places)."""
        if not self.known:
            return None
        return (Decimal(self.women) / Decimal(self.known)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )

    @property
    def percent(self) -> float | None:
        found = self.share
        return None if found is None else float(found * 100)

    def add(self, sex: str, count: int) -> None:
        if sex == SeatSex.WOMEN:
            self.women += count
        elif sex == SeatSex.MEN:
            self.men += count
        else:
            self.not_recorded += count


@dataclass
class RoundShares:
    round: NegotiationRound
    delegations: int = 0
    by_role: dict[str, Share] = field(default_factory=lambda: {r.value: Share() for r in SeatRole})
    overall: Share = field(default_factory=Share)

    @property
    def cfr(self) -> list[Share]:
        """The shares of CFR's three roles, in CFR_ROLES' order."""
        return [self.by_role[r.value] for r in CFR_ROLES]


def processes_of(plan: Plan) -> QuerySet[PeaceProcess]:
    return (
        PeaceProcess.objects.filter(plan=plan)
        .select_related("area")
        .annotate(round_count=Count("rounds", distinct=True))
        .order_by("name", "pk")
    )


def process_of(plan: Plan, pk: int) -> PeaceProcess:
    found = PeaceProcess.objects.filter(plan=plan, pk=pk).select_related("area", "plan").first()
    if found is None:
        raise NotFound(_("No such peace process."))
    return found


def round_of(process: PeaceProcess, pk: int) -> NegotiationRound:
    found = NegotiationRound.objects.filter(process=process, pk=pk).first()
    if found is None:
        raise NotFound(_("No such negotiation round."))
    return found


def delegations_of(process: PeaceProcess) -> dict[int, list[Delegation]]:
    """Each round's delegations (by round pk), their seats read with them."""
    found: dict[int, list[Delegation]] = defaultdict(list)
    for d in (
        Delegation.objects.filter(round__process=process)
        .select_related("organisation")
        .prefetch_related("seats")
        .order_by("round__number", "party", "pk")
    ):
        found[d.round_id].append(d)
    return found


def seat_table(delegation: Delegation) -> list[tuple[str, Share]]:
    """A delegation's seats by role (every role, zero where none), as (role's label, seats)."""
    table = {r.value: Share() for r in SeatRole}
    for seat in delegation.seats.all():
        table[seat.role].add(seat.sex, seat.count)
    return [(str(SeatRole(role).label), share) for role, share in table.items()]


def trend(process: PeaceProcess) -> list[RoundShares]:
    """Women's share by role and overall for each round of the process, in round order (two
    queries, whatever the number of rounds)."""
    rounds = {r.pk: RoundShares(round=r) for r in process.rounds.order_by("number")}
    for round_pk, count in (
        Delegation.objects.filter(round__process=process)
        .values_list("round_id")
        .annotate(n=Count("pk"))
    ):
        rounds[round_pk].delegations = count
    for round_pk, role, sex, count in Seat.objects.filter(
        delegation__round__process=process
    ).values_list("delegation__round_id", "role", "sex", "count"):
        row = rounds[round_pk]
        row.by_role[role].add(sex, count)
        row.overall.add(sex, count)
    return list(rounds.values())


def consultations_of(process: PeaceProcess) -> QuerySet[Consultation]:
    return Consultation.objects.filter(process=process).select_related("organisation")


def plan_consultations(plan: Plan) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(process__plan=plan)
        .select_related("process", "organisation")
        .order_by("process__name", "held_on", "pk")
    )


def delegation_of(round: NegotiationRound, pk: int) -> Delegation:
    found = (
        Delegation.objects.filter(round=round, pk=pk)
        .select_related("organisation")
        .prefetch_related("seats")
        .first()
    )
    if found is None:
        raise NotFound(_("No such delegation."))
    return found


def consultation_of(process: PeaceProcess, pk: int) -> Consultation:
    found = Consultation.objects.filter(process=process, pk=pk).first()
    if found is None:
        raise NotFound(_("No such consultation."))
    return found


# --- Agreements and gender provisions (docs/peace-processes.md, "Agreements and gender
# provisions"): the government's latest status beside civil society's, and where they differ.


@dataclass(frozen=True)
class Comparison:
    """The government's latest status of a provision beside one civil-society assessment.

    `steps`: the assessment's status minus the government's, in steps of the Peace Accords
    Matrix's scale (not initiated 0, minimal 1, intermediate 2, full 3): negative when civil
    society sees less done than the government. None when either is missing."""

    assessment: ProvisionAssessment
    government: ProvisionStatus | None

    @property
    def steps(self) -> int | None:
        if self.government is None:
            return None
        return STATUS_RANK[self.assessment.status] - STATUS_RANK[self.government.status]

    @property
    def size(self) -> int:
        """How many steps apart, whichever way (0 when the same or not comparable)."""
        return abs(self.steps or 0)

    @property
    def differs(self) -> bool:
        return bool(self.steps)


@dataclass
class ProvisionView:
    provision: GenderProvision
    statuses: list[ProvisionStatus]
    comparisons: list[Comparison]
    can_edit_assessment: dict[int, bool] = field(default_factory=dict)

    @property
    def latest(self) -> ProvisionStatus | None:
        return latest_status(self.statuses)

    @property
    def differs(self) -> bool:
        return any(c.differs for c in self.comparisons)


def latest_status(statuses: Iterable[ProvisionStatus]) -> ProvisionStatus | None:
    """The status of the latest date (the latest recorded, between two of one date)."""
    return max(statuses, key=lambda s: (s.on, s.pk or 0), default=None)


def agreements_of(plan: Plan) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(plan=plan)
        .select_related("process")
        .annotate(provision_count=Count("provisions", distinct=True))
        .order_by("-signed_on", "name", "pk")
    )


def agreement_of(plan: Plan, pk: int) -> Agreement:
    found = Agreement.objects.filter(plan=plan, pk=pk).select_related("process", "plan").first()
    if found is None:
        raise NotFound(_("No such peace agreement."))
    return found


def agreements_of_process(process: PeaceProcess) -> QuerySet[Agreement]:
    """The process's agreements, latest signed first, with their number of provisions."""
    return (
        Agreement.objects.filter(process=process)
        .annotate(provision_count=Count("provisions", distinct=True))
        .order_by("-signed_on", "name", "pk")
    )


def process_removal_refused(process: PeaceProcess) -> str:
    """Why the process cannot be removed, or "" (docs/peace-processes.md, "Editing"): its
    rounds, consultations and agreements are the record; a process recorded by mistake has
    none."""
    if process.rounds.exists() or process.consultations.exists() or process.agreements.exists():
        return _(
            "The process has rounds, consultations or agreements: they are its record, so it "
            "is kept. Remove those recorded by mistake first, or change the process instead."
        )
    return ""


def agreement_removal_refused(agreement: Agreement) -> str:
    """Why the agreement cannot be removed, or "" (docs/peace-processes.md, "Removing
    agreements and statuses"): a provision with a status or a civil-society assessment is a
    record of its implementation."""
    if ProvisionStatus.objects.filter(provision__agreement=agreement).exists():
        return _(
            "A provision of this agreement has an implementation status: the statuses are the "
            "record of its implementation, so the agreement is kept. Remove a status recorded "
            "by mistake first, or change the agreement instead."
        )
    if ProvisionAssessment.objects.filter(provision__agreement=agreement).exists():
        return _(
            "Civil society has assessed a provision of this agreement: its assessment is its "
            "own, and is never removed by a government role, so the agreement is kept."
        )
    return ""


def status_of(provision: GenderProvision, pk: int) -> ProvisionStatus:
    found = ProvisionStatus.objects.filter(provision=provision, pk=pk).first()
    if found is None:
        raise NotFound(_("No such implementation status."))
    return found


def provision_of(agreement: Agreement, pk: int) -> GenderProvision:
    found = GenderProvision.objects.filter(agreement=agreement, pk=pk).first()
    if found is None:
        raise NotFound(_("No such gender provision."))
    return found


def _provisions(agreements: Iterable[Agreement]) -> QuerySet[GenderProvision]:
    return (
        GenderProvision.objects.filter(agreement__in=list(agreements))
        .select_related("agreement")
        .prefetch_related(
            Prefetch("actions", queryset=FrameworkNode.objects.order_by("path")),
            "budget_lines",
            Prefetch("statuses", queryset=ProvisionStatus.objects.order_by("on", "pk")),
            Prefetch(
                "assessments",
                queryset=ProvisionAssessment.objects.select_related("organisation"),
            ),
        )
        .order_by("agreement", "category", "pk")
    )


def provision_views(
    agreements: Iterable[Agreement], visible: Callable[[ProvisionAssessment], bool]
) -> list[ProvisionView]:
    """The provisions of the agreements with their statuses in date order, and each civil-society
    assessment the reader may see (`visible`) beside the government's latest status (a fixed
    number of queries)."""
    found = []
    for provision in _provisions(agreements):
        statuses = list(provision.statuses.all())
        latest = latest_status(statuses)
        comparisons = [
            Comparison(assessment=a, government=latest)
            for a in provision.assessments.all()
            if visible(a)
        ]
        found.append(ProvisionView(provision=provision, statuses=statuses, comparisons=comparisons))
    return found


def published_only(assessment: ProvisionAssessment) -> bool:
    """For surfaces without a reader (the report): only what civil society published."""
    return assessment.published_at is not None
