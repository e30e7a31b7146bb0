"""A public plan with a coordinator, a women's organisation's monitor, a government focal
point and a viewer, and one peace process worked by hand over three rounds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from tests.aggregation.conftest import World, build_world

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.directory.models import Organisation
from wpsmonitor.peace import services
from wpsmonitor.peace.models import NegotiationRound, PeaceProcess


@dataclass
class PeaceWorld:
    world: World
    women: Organisation
    ministry: Organisation
    users: dict[str, User]
    process: PeaceProcess | None = None
    rounds: list[NegotiationRound] = field(default_factory=list)

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.world.plan


def build_peace_world() -> PeaceWorld:
    world = build_world()
    world.plan.status = PlanStatus.IMPLEMENTATION
    world.plan.save(update_fields=["status"])
    women = Organisation.objects.create(
        code="women-table", name="Women at the Table", type="civil_society", women_led=True
    )
    ministry = Organisation.objects.create(code="min-peace", name="Ministry", type="government")
    users = {
        n: get_user_model().objects.create_user(username=n, password="x")
        for n in ("coordinator", "monitor", "focal", "viewer", "outsider")
    }
    for name, role, organisation in (
        ("coordinator", Role.COORDINATOR, None),
        ("monitor", Role.MONITOR, women),
        ("focal", Role.FOCAL_POINT, ministry),
        ("viewer", Role.VIEWER, None),
    ):
        PlanRole.objects.create(
            user=users[name], plan=world.plan, role=role, organisation=organisation
        )
    return PeaceWorld(world=world, women=women, ministry=ministry, users=users)


def seats(**counts: int) -> dict[tuple[str, str], int]:
    """seats(negotiator_women=2, negotiator_men=8) → {("negotiator", "women"): 2, ...}."""
    found = {}
    for key, count in counts.items():
        role, sex = key.split("_", 1)
        found[(role, sex)] = count
    return found


def with_three_rounds(pw: PeaceWorld) -> PeaceWorld:
    """Worked by hand:

    round 1: government 2 women + 8 men negotiators, rebels 0 + 5 → negotiators 2 of 15;
             one mediator, a man; no signatory. Overall 2 of 16.
    round 2: government 3 + 7 negotiators, rebels 1 + 4 → 4 of 15; mediators 1 woman + 1 man;
             2 negotiators of sex not recorded. Overall 5 of 17, 2 not recorded.
    round 3: government 5 + 5 negotiators, signatories 1 woman + 3 men; mediators 1 + 1;
             observers 2 women. Overall 9 of 18.
    """
    coordinator = pw.users["coordinator"]
    pw.process = services.process_record(
        by=coordinator,
        plan=pw.plan,
        name="Inter-Congolese dialogue",
        level="national",
        status="ongoing",
        started_on=date(2024, 1, 1),
        ended_on=date(2024, 12, 31),
        mediators="African Union",
    )
    for number, day in ((1, date(2024, 2, 1)), (2, date(2024, 5, 1)), (3, date(2024, 9, 1))):
        pw.rounds.append(
            services.round_record(by=coordinator, process=pw.process, number=number, started_on=day)
        )
    r1, r2, r3 = pw.rounds
    record = services.delegation_record
    record(
        by=coordinator,
        round=r1,
        party="Government",
        seats=seats(negotiator_women=2, negotiator_men=8),
    )
    record(by=coordinator, round=r1, party="Rebels", seats=seats(negotiator_men=5))
    record(by=coordinator, round=r1, party="Facilitation", seats=seats(mediator_men=1))
    record(
        by=coordinator,
        round=r2,
        party="Government",
        seats=seats(negotiator_women=3, negotiator_men=7, negotiator_not_recorded=2),
    )
    record(
        by=coordinator, round=r2, party="Rebels", seats=seats(negotiator_women=1, negotiator_men=4)
    )
    record(
        by=coordinator,
        round=r2,
        party="Facilitation",
        seats=seats(mediator_women=1, mediator_men=1),
    )
    record(
        by=coordinator,
        round=r3,
        party="Government",
        seats=seats(negotiator_women=5, negotiator_men=5, signatory_women=1, signatory_men=3),
    )
    record(
        by=coordinator,
        round=r3,
        party="Facilitation",
        organisation=pw.women,
        seats=seats(mediator_women=1, mediator_men=1, observer_women=2),
    )
    return pw


@pytest.fixture
def pw(db: None) -> PeaceWorld:
    return build_peace_world()


@pytest.fixture
def trio(pw: PeaceWorld) -> PeaceWorld:
    return with_three_rounds(pw)
