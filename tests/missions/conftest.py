"""A public plan with a coordinator, a monitor, a focal point, a viewer and an outsider, and
a mission with two mandates, a transition plan of two phases (P1 handed over on 2025-01-01,
P2 not yet), benchmarks with status history, and one quarterly sensitive indicator watched in
P1 whose figures there are worked by hand:

    2024Q1 10, 2024Q2 20, 2024Q3 30, 2024Q4 40  | handover 2025-01-01 |  2025Q1 8, 2025Q2 12,
    2025Q3 14, 2025Q4 6 (and 2 in 2026Q1, the fifth after: outside the window)

before: the mean of 2024Q1-Q4 = 25; after: the mean of 2025Q1-Q4 = 10; change -15.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from tests.aggregation.conftest import World, build_world

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.vocabulary import PlanStatus, Sensitivity
from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.missions import services
from wpsmonitor.missions.models import Benchmark, TransitionPhase, TransitionPlan, UNMission

P1_VALUES = {
    "2024Q1": 10,
    "2024Q2": 20,
    "2024Q3": 30,
    "2024Q4": 40,
    "2025Q1": 8,
    "2025Q2": 12,
    "2025Q3": 14,
    "2025Q4": 6,
    "2026Q1": 2,
}


@dataclass
class MissionWorld:
    world: World
    users: dict[str, User]
    mission: UNMission
    transition: TransitionPlan
    phases: list[TransitionPhase]
    benchmarks: list[Benchmark]
    indicator: Indicator

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.world.plan


def build_mission_world() -> MissionWorld:
    world = build_world()
    world.plan.status = PlanStatus.IMPLEMENTATION
    world.plan.save(update_fields=["status"])
    ministry = Organisation.objects.create(code="min-m", name="Ministry", type="government")
    women = Organisation.objects.create(
        code="women-m", name="Women's league", type="civil_society", women_led=True
    )
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
    by = users["coordinator"]
    mission = services.mission_record(
        by=by,
        plan=world.plan,
        acronym="MONUSCO",
        name="Stabilization Mission (test)",
        kind="peacekeeping",
        status="drawing_down",
        started_on=date(2010, 7, 1),
        planned_end_on=date(2026, 12, 31),
    )
    first = services.resolution_record(
        by=by,
        mission=mission,
        symbol="S/RES/2666 (2022)",
        adopted_on=date(2022, 12, 20),
        mandate_until=date(2023, 12, 20),
    )
    services.provision_record(
        by=by,
        resolution=first,
        category="protection",
        paragraph="OP 29 (d)",
        text="Protect women and girls from sexual violence.",
    )
    second = services.resolution_record(
        by=by, mission=mission, symbol="S/RES/2717 (2023)", adopted_on=date(2023, 12, 19)
    )
    services.provision_record(
        by=by, resolution=second, category="participation", text="Support women's participation."
    )
    transition = services.transition_record(
        by=by,
        mission=mission,
        title="Disengagement plan",
        adopted_on=date(2023, 11, 21),
        gender_analysis="Women rely on patrols around the displacement sites.",
    )
    p1 = services.phase_record(
        by=by,
        transition=transition,
        number=1,
        name="Province 1 handed over",
        area=world.areas["P1"],
        handover_on=date(2025, 1, 1),
    )
    p2 = services.phase_record(
        by=by, transition=transition, number=2, name="Province 2", area=world.areas["P2"]
    )
    benchmarks = [
        services.benchmark_record(by=by, phase=p1, description="Police protect the sites"),
        services.benchmark_record(
            by=by, phase=p1, description="Centres funded", area=world.areas["D11"]
        ),
        services.benchmark_record(by=by, phase=p1, description="Courts sit"),
        services.benchmark_record(by=by, phase=p2, description="Networks handed over"),
    ]
    services.benchmark_status(by=by, benchmark=benchmarks[0], status="met", on=date(2024, 6, 1))
    services.benchmark_status(by=by, benchmark=benchmarks[1], status="met", on=date(2024, 9, 1))
    services.benchmark_status(
        by=by, benchmark=benchmarks[2], status="not_met", on=date(2025, 2, 1), note="No judges."
    )
    indicator = world.indicator(
        "SV-01", unit="cases", frequency="quarter", sensitivity=Sensitivity.SENSITIVE
    )
    for period, value in P1_VALUES.items():
        world.value(indicator, period, "P1", value)
    world.rebuild()
    services.watch_record(by=by, phase=p1, indicator=indicator)
    for b in benchmarks:
        b.refresh_from_db()
    return MissionWorld(
        world=world,
        users=users,
        mission=mission,
        transition=transition,
        phases=[p1, p2],
        benchmarks=benchmarks,
        indicator=indicator,
    )


@pytest.fixture
def mw(db: None) -> MissionWorld:
    return build_mission_world()
