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
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from wpsmonitor.core.errors import NotFound
from wpsmonitor.peace.models import (
    Consultation,
    Delegation,
    NegotiationRound,
    PeaceProcess,
    Seat,
    SeatRole,
    SeatSex,
)
from wpsmonitor.plans.models import Plan

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
