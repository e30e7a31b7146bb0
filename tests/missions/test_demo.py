"""The demo's mission on a fixture plan: recorded through the services, once, and deleted
with its plan."""

from __future__ import annotations

from tests.missions.conftest import MissionWorld

from wpsmonitor.demo.missions import missions_load
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.missions import selectors
from wpsmonitor.missions.models import (
    Benchmark,
    MandateResolution,
    TransitionPhase,
    UNMission,
    WatchedIndicator,
    WpsProvision,
)


def test_the_demo_mission_on_a_fixture_plan(mw: MissionWorld) -> None:
    UNMission.objects.all().delete()
    rows = missions_load(mw.plan)
    assert rows > 0
    assert missions_load(mw.plan) == 0  # once
    mission = UNMission.objects.get(plan=mw.plan)
    assert "fictitious" in mission.name.lower()
    assert MandateResolution.objects.filter(mission=mission).count() == 2
    assert WpsProvision.objects.filter(resolution__mission=mission).count() == 6
    phases = list(TransitionPhase.objects.filter(transition__mission=mission).order_by("number"))
    assert [p.number for p in phases] == [1, 2, 3]
    assert all(Benchmark.objects.filter(phase=p).exists() for p in phases)
    # No PRO-01 nor PRO-06 in the fixture plan: its first indicator is watched instead.
    assert set(WatchedIndicator.objects.values_list("indicator__code", flat=True)) == {"SV-01"}
    first = selectors.progress(phases[0].transition).phases[0]
    assert (first.met, first.total) == (1, 2)


def test_deleting_the_plan_deletes_the_demo_mission(mw: MissionWorld) -> None:
    UNMission.objects.all().delete()
    missions_load(mw.plan)
    Indicator.objects.filter(plan=mw.plan).delete()  # as demo_delete does, before the plan
    mw.plan.delete()
    assert not UNMission.objects.exists()
    assert not Benchmark.objects.exists()


def test_on_a_drc_plan_the_provinces_and_the_sgbv_indicators_are_found(db: None) -> None:
    from tests.aggregation.conftest import build_world

    world = build_world(code="nap-cod", country="COD")
    for code in ("PRO-01", "PRO-06", "PAR-01"):
        world.indicator(code, frequency="quarter")
    assert missions_load(world.plan) > 0
    phases = TransitionPhase.objects.filter(transition__mission__plan=world.plan)
    assert [(p.number, p.area.code, p.area.name) for p in phases.order_by("number")] == [
        (1, "CD-SK", "Sud-Kivu"),
        (2, "CD-NK", "Nord-Kivu"),
        (3, "CD-IT", "Ituri"),
    ]
    watched = WatchedIndicator.objects.filter(phase__transition__mission__plan=world.plan)
    assert sorted(watched.values_list("phase__number", "indicator__code")) == [
        (1, "PRO-01"),
        (1, "PRO-06"),
        (2, "PRO-01"),
        (2, "PRO-06"),
    ]
