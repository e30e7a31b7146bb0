"""The services: who records, and what they refuse before anything is stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.aggregation.conftest import build_world
from tests.missions.conftest import MissionWorld

from wpsmonitor.directory.services import area_country_ensure
from wpsmonitor.missions import services
from wpsmonitor.missions.models import BenchmarkUpdate, MandateResolution, UNMission


@pytest.mark.parametrize("who", ["monitor", "focal", "viewer", "outsider"])
def test_only_the_coordinator_records(mw: MissionWorld, who: str) -> None:
    by = mw.users[who]
    with pytest.raises(PermissionDenied):
        services.mission_record(
            by=by,
            plan=mw.plan,
            acronym="UNMISS",
            name="x",
            kind="peacekeeping",
            status="active",
            started_on=date(2011, 7, 9),
        )
    with pytest.raises(PermissionDenied):
        services.benchmark_status(
            by=by, benchmark=mw.benchmarks[3], status="met", on=date(2025, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.watch_record(by=by, phase=mw.phases[1], indicator=mw.indicator)
    assert UNMission.objects.count() == 1


def _mission(mw: MissionWorld, **kw: object) -> UNMission:
    fields: dict[str, object] = {
        "acronym": "UNMISS",
        "name": "Mission in South Sudan",
        "kind": "peacekeeping",
        "status": "active",
        "started_on": date(2011, 7, 9),
    }
    fields.update(kw)
    return services.mission_record(by=mw.users["coordinator"], plan=mw.plan, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ended_on": date(2010, 1, 1)}, "ended_on"),
        ({"planned_end_on": date(2011, 1, 1)}, "planned_end_on"),
        ({"kind": "observer"}, "kind"),
        ({"status": "paused"}, "status"),
        ({"acronym": "  "}, "acronym"),
        ({"acronym": "monusco"}, "acronym"),  # the plan has MONUSCO already
        ({"name": ""}, "name"),
    ],
)
def test_a_mission_refused(mw: MissionWorld, fields: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _mission(mw, **fields)
    assert field in caught.value.message_dict
    assert UNMission.objects.count() == 1


@pytest.mark.parametrize(
    ("symbol", "adopted", "until", "field"),
    [
        ("Resolution 2717", date(2023, 12, 19), None, "symbol"),
        ("S/RES/2717", date(2023, 12, 19), None, "symbol"),
        ("S/RES/2765 (2024)", date(2023, 12, 19), None, "adopted_on"),  # not the symbol's year
        ("S/RES/2765 (2024)", date(2024, 12, 20), date(2024, 1, 1), "mandate_until"),
        ("S/RES/2717 (2023)", date(2023, 12, 19), None, "symbol"),  # recorded already
    ],
)
def test_a_resolution_refused(
    mw: MissionWorld, symbol: str, adopted: date, until: date | None, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.resolution_record(
            by=mw.users["coordinator"],
            mission=mw.mission,
            symbol=symbol,
            adopted_on=adopted,
            mandate_until=until,
        )
    assert field in caught.value.message_dict
    assert MandateResolution.objects.count() == 2


def test_a_symbol_s_spaces_are_tidied(mw: MissionWorld) -> None:
    found = services.resolution_record(
        by=mw.users["coordinator"],
        mission=mw.mission,
        symbol="  S/RES/2765   (2024) ",
        adopted_on=date(2024, 12, 20),
    )
    assert found.symbol == "S/RES/2765 (2024)"


def test_a_provision_needs_a_known_category_and_a_text(mw: MissionWorld) -> None:
    resolution = mw.mission.mandates.first()
    assert resolution is not None
    for category, text, field in (("peace_dividend", "x", "category"), ("sea", " ", "text")):
        with pytest.raises(ValidationError) as caught:
            services.provision_record(
                by=mw.users["coordinator"], resolution=resolution, category=category, text=text
            )
        assert field in caught.value.message_dict


def test_a_phase_or_benchmark_area_outside_the_plan_is_refused(mw: MissionWorld) -> None:
    elsewhere = area_country_ensure("MLI")
    by = mw.users["coordinator"]
    with pytest.raises(ValidationError) as caught:
        services.phase_record(
            by=by, transition=mw.transition, number=3, name="Bamako", area=elsewhere
        )
    assert "area" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.benchmark_record(by=by, phase=mw.phases[0], description="x", area=elsewhere)
    assert "area" in caught.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"number": 1}, "number"),  # taken
        ({"number": 0}, "number"),
        ({"handover_on": date(2023, 1, 1)}, "handover_on"),  # before the plan's adoption
        ({"name": ""}, "name"),
    ],
)
def test_a_phase_refused(mw: MissionWorld, fields: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"number": 3, "name": "P3", "area": mw.world.areas["P2"]}
    values.update(fields)
    with pytest.raises(ValidationError) as caught:
        services.phase_record(by=mw.users["coordinator"], transition=mw.transition, **values)  # type: ignore[arg-type]
    assert field in caught.value.message_dict


def test_dates_out_of_order_are_refused(mw: MissionWorld) -> None:
    by = mw.users["coordinator"]
    with pytest.raises(ValidationError) as caught:
        services.transition_record(
            by=by, mission=mw.mission, title="t", adopted_on=date(2009, 1, 1), gender_analysis="g"
        )
    assert "adopted_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.benchmark_record(
            by=by, phase=mw.phases[0], description="x", target_on=date(2023, 1, 1)
        )
    assert "target_on" in caught.value.message_dict
    for on in (date(2023, 1, 1), timezone.localdate() + timedelta(days=1)):
        with pytest.raises(ValidationError) as caught:
            services.benchmark_status(by=by, benchmark=mw.benchmarks[3], status="met", on=on)
        assert "on" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.transition_record(
            by=by,
            mission=mw.mission,
            title="t",
            adopted_on=date(2023, 1, 1),
            gender_analysis="g",
            document_url="javascript:alert(1)",
        )


def test_the_status_is_the_latest_update_by_date(mw: MissionWorld) -> None:
    by = mw.users["coordinator"]
    bench = mw.benchmarks[0]  # met on 2024-06-01
    services.benchmark_status(by=by, benchmark=bench, status="in_progress", on=date(2024, 3, 1))
    bench.refresh_from_db()
    assert bench.status == "met"  # an older status recorded late does not overwrite it
    services.benchmark_status(by=by, benchmark=bench, status="not_met", on=date(2025, 3, 1))
    bench.refresh_from_db()
    assert bench.status == "not_met"
    assert list(
        BenchmarkUpdate.objects.filter(benchmark=bench)
        .order_by("on")
        .values_list("status", flat=True)
    ) == ["in_progress", "met", "not_met"]


def test_a_status_must_be_known(mw: MissionWorld) -> None:
    with pytest.raises(ValidationError):
        services.benchmark_status(
            by=mw.users["coordinator"],
            benchmark=mw.benchmarks[3],
            status="done",
            on=date(2025, 1, 1),
        )


def test_an_indicator_of_another_plan_is_not_watched(mw: MissionWorld) -> None:
    other = build_world(code="nap-other", country="MLI")
    foreign = other.indicator("X-01")
    by = mw.users["coordinator"]
    with pytest.raises(ValidationError):
        services.watch_record(by=by, phase=mw.phases[1], indicator=foreign)
    with pytest.raises(ValidationError):
        services.watch_record(by=by, phase=mw.phases[0], indicator=mw.indicator)  # twice


def test_deleting_the_plan_deletes_the_missions(mw: MissionWorld) -> None:
    from wpsmonitor.indicators.models import Indicator

    Indicator.objects.filter(plan=mw.plan).delete()
    mw.plan.delete()
    assert UNMission.objects.count() == 0
    assert BenchmarkUpdate.objects.count() == 0
