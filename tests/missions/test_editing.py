"""Changing and removing missions, mandates, the transition plan, phases and benchmarks
(docs/missions.md, "Editing"): the coordinator only (a rights matrix), one service each with
the creation's checks, refusals shown beside their field, confirmation before a removal, and
removals refused where a record would be lost. The protection page reads a fixed number of
queries, however many indicators are watched."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.missions.conftest import MissionWorld
from tests.portal.conftest import publish_release

from wpsmonitor.directory.services import area_country_ensure
from wpsmonitor.missions import services
from wpsmonitor.missions.models import (
    Benchmark,
    BenchmarkUpdate,
    MandateResolution,
    TransitionPhase,
    UNMission,
    WatchedIndicator,
    WpsProvision,
)

ROLES = [None, "outsider", "viewer", "focal", "monitor", "coordinator"]


def _client(mw: MissionWorld, who: str | None) -> Client:
    client = Client()
    if who:
        client.force_login(mw.users[who])
    return client


def _url(mw: MissionWorld, name: str, *args: int) -> str:
    return reverse(f"missions:{name}", args=[mw.plan.code, mw.mission.pk, *args])


def _resolution(mw: MissionWorld) -> MandateResolution:
    found = mw.mission.mandates.order_by("adopted_on").first()
    assert found is not None
    return found


def _fresh_benchmark(mw: MissionWorld) -> Benchmark:
    """A benchmark without any status: removable."""
    return services.benchmark_record(
        by=mw.users["coordinator"], phase=mw.phases[1], description="Typed by mistake"
    )


def _edit_and_remove_urls(mw: MissionWorld) -> list[str]:
    fresh = _fresh_benchmark(mw)
    return [
        _url(mw, "mission_edit"),
        _url(mw, "mission_delete"),
        _url(mw, "resolution_edit", _resolution(mw).pk),
        _url(mw, "resolution_delete", _resolution(mw).pk),
        _url(mw, "transition_edit"),
        _url(mw, "phase_edit", mw.phases[1].pk),
        _url(mw, "phase_delete", mw.phases[1].pk),
        _url(mw, "benchmark_edit", fresh.pk),
        _url(mw, "benchmark_delete", fresh.pk),
    ]


@pytest.mark.parametrize("who", ROLES)
def test_rights_matrix_for_every_edit_and_removal_page(mw: MissionWorld, who: str | None) -> None:
    client = _client(mw, who)
    before = (
        UNMission.objects.count(),
        MandateResolution.objects.count(),
        TransitionPhase.objects.count(),
        Benchmark.objects.count(),
    )
    for url in _edit_and_remove_urls(mw):
        got = client.get(url)
        posted = client.post(url, {})
        if who is None:
            assert got.status_code == 302 and "/login" in got["Location"], url
            assert posted.status_code == 302 and "/login" in posted["Location"], url
        elif who == "coordinator":
            assert got.status_code in (200, 400), url  # 400: a refused removal says why
        else:
            assert got.status_code == 403, (who, url)
            assert posted.status_code == 403, (who, url)
    if who != "coordinator":
        after = (
            UNMission.objects.count(),
            MandateResolution.objects.count(),
            TransitionPhase.objects.count(),
            Benchmark.objects.count() - 1,  # the fresh benchmark made for the URLs
        )
        assert after == before


@pytest.mark.parametrize("who", ["outsider", "viewer", "focal", "monitor"])
def test_services_refuse_every_role_but_the_coordinator(mw: MissionWorld, who: str) -> None:
    by = mw.users[who]
    calls = [
        lambda: services.mission_record(
            by=by,
            plan=mw.plan,
            mission=mw.mission,
            acronym="X",
            name="X",
            kind="peacekeeping",
            status="active",
            started_on=date(2010, 1, 1),
        ),
        lambda: services.mission_remove(by=by, mission=mw.mission),
        lambda: services.resolution_update(
            by=by, resolution=_resolution(mw), symbol="S/RES/1 (2022)", adopted_on=date(2022, 1, 1)
        ),
        lambda: services.resolution_remove(by=by, resolution=_resolution(mw)),
        lambda: services.phase_update(
            by=by, phase=mw.phases[1], number=2, name="x", area=mw.phases[1].area
        ),
        lambda: services.phase_remove(by=by, phase=mw.phases[1]),
        lambda: services.benchmark_update(by=by, benchmark=mw.benchmarks[3], description="x"),
        lambda: services.benchmark_remove(by=by, benchmark=mw.benchmarks[3]),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


def test_the_edit_form_is_filled_with_what_is_recorded(mw: MissionWorld) -> None:
    client = _client(mw, "coordinator")
    page = client.get(_url(mw, "mission_edit")).content.decode()
    assert 'value="MONUSCO"' in page and 'value="2010-07-01"' in page
    page = client.get(_url(mw, "resolution_edit", _resolution(mw).pk)).content.decode()
    assert 'value="S/RES/2666 (2022)"' in page and 'value="2023-12-20"' in page
    page = client.get(_url(mw, "phase_edit", mw.phases[0].pk)).content.decode()
    assert 'value="2025-01-01"' in page and "Province 1 handed over" in page
    page = client.get(_url(mw, "transition_edit")).content.decode()
    assert "Women rely on patrols" in page


def test_the_coordinator_changes_a_mission_and_sees_it(mw: MissionWorld) -> None:
    client = _client(mw, "coordinator")
    response = client.post(
        _url(mw, "mission_edit"),
        {
            "acronym": "MONUSCO",
            "name": "Stabilization Mission, renamed",
            "kind": "peacekeeping",
            "status": "closed",
            "started_on": "2010-07-01",
            "ended_on": "2026-06-30",
            "planned_end_on": "",
        },
    )
    assert response.status_code == 302
    mw.mission.refresh_from_db()
    assert (mw.mission.name, mw.mission.status, mw.mission.ended_on) == (
        "Stabilization Mission, renamed",
        "closed",
        date(2026, 6, 30),
    )
    assert "renamed" in client.get(_url(mw, "mission")).content.decode()


def test_a_refused_change_is_shown_beside_its_field_and_listed_at_the_top(
    mw: MissionWorld,
) -> None:
    client = _client(mw, "coordinator")
    response = client.post(
        _url(mw, "mission_edit"),
        {
            "acronym": "MONUSCO",
            "name": "x",
            "kind": "peacekeeping",
            "status": "active",
            "started_on": "2010-07-01",
            "ended_on": "2009-01-01",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_ended_on-error"' in page
    assert 'href="#id_ended_on"' in page
    assert "A mission cannot end before it started." in page
    mw.mission.refresh_from_db()
    assert mw.mission.ended_on is None


def test_a_mission_cannot_start_after_its_transition_plan_was_adopted(mw: MissionWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        services.mission_record(
            by=mw.users["coordinator"],
            plan=mw.plan,
            mission=mw.mission,
            acronym="MONUSCO",
            name="x",
            kind="peacekeeping",
            status="active",
            started_on=date(2024, 1, 1),
        )
    assert "started_on" in refused.value.message_dict


def test_a_resolution_change_keeps_the_creation_checks(mw: MissionWorld) -> None:
    by = mw.users["coordinator"]
    first, second = mw.mission.mandates.order_by("adopted_on")
    cases = [
        ({"symbol": "2666/2022", "adopted_on": date(2022, 12, 20)}, "symbol"),
        ({"symbol": "S/RES/2666 (2022)", "adopted_on": date(2021, 12, 20)}, "adopted_on"),
        ({"symbol": second.symbol, "adopted_on": second.adopted_on}, "symbol"),
        (
            {
                "symbol": "S/RES/2666 (2022)",
                "adopted_on": date(2022, 12, 20),
                "mandate_until": date(2022, 1, 1),
            },
            "mandate_until",
        ),
    ]
    for given, field in cases:
        with pytest.raises(ValidationError) as refused:
            services.resolution_update(by=by, resolution=first, **given)  # type: ignore[arg-type]
        assert field in refused.value.message_dict, given
    # Its own symbol is not "already recorded"; spaces are tidied.
    services.resolution_update(
        by=by, resolution=first, symbol="S/RES/2666  (2022)", adopted_on=date(2022, 12, 21)
    )
    first.refresh_from_db()
    assert (first.symbol, first.adopted_on) == ("S/RES/2666 (2022)", date(2022, 12, 21))


def test_removing_a_resolution_removes_its_provisions_after_confirmation(
    mw: MissionWorld,
) -> None:
    client = _client(mw, "coordinator")
    resolution = _resolution(mw)
    url = _url(mw, "resolution_delete", resolution.pk)
    page = client.get(url).content.decode()
    assert "S/RES/2666 (2022) and its WPS provisions (1)" in page
    assert MandateResolution.objects.filter(pk=resolution.pk).exists()  # a GET removes nothing
    assert client.post(url).status_code == 302
    assert not MandateResolution.objects.filter(pk=resolution.pk).exists()
    assert not WpsProvision.objects.filter(resolution_id=resolution.pk).exists()
    assert WpsProvision.objects.filter(resolution__mission=mw.mission).count() == 1


def test_a_mission_with_mandates_or_a_transition_plan_is_not_removed(mw: MissionWorld) -> None:
    client = _client(mw, "coordinator")
    response = client.post(_url(mw, "mission_delete"))
    assert response.status_code == 400
    assert "transition plan" in response.content.decode()
    assert UNMission.objects.filter(pk=mw.mission.pk).exists()
    empty = services.mission_record(
        by=mw.users["coordinator"],
        plan=mw.plan,
        acronym="UNTYPO",
        name="Typed by mistake",
        kind="political",
        status="active",
        started_on=date(2020, 1, 1),
    )
    url = reverse("missions:mission_delete", args=[mw.plan.code, empty.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not UNMission.objects.filter(pk=empty.pk).exists()


def test_the_transition_plan_s_adoption_cannot_move_after_what_is_dated_from_it(
    mw: MissionWorld,
) -> None:
    client = _client(mw, "coordinator")
    response = client.post(
        _url(mw, "transition_edit"),
        {
            "title": "Disengagement plan",
            "adopted_on": "2024-07-01",  # after the status of 2024-06-01
            "gender_analysis": "A new gender analysis.",
            "document_url": "",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_adopted_on-error"' in page and "2024-06-01" in page
    mw.transition.refresh_from_db()
    assert mw.transition.gender_analysis.startswith("Women rely")
    # Within the dates, the gender analysis changes.
    response = client.post(
        _url(mw, "transition_edit"),
        {
            "title": "Disengagement plan",
            "adopted_on": "2023-11-21",
            "gender_analysis": "A revised gender analysis, after consulting women's groups.",
            "document_url": "",
        },
    )
    assert response.status_code == 302
    mw.transition.refresh_from_db()
    assert mw.transition.gender_analysis.startswith("A revised gender analysis")


def test_a_phase_change_keeps_the_checks_and_moves_the_handover(mw: MissionWorld) -> None:
    by = mw.users["coordinator"]
    p1, p2 = mw.phases
    with pytest.raises(ValidationError) as refused:
        services.phase_update(by=by, phase=p2, number=1, name="P2", area=p2.area)
    assert "number" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.phase_update(
            by=by, phase=p2, number=2, name="P2", area=p2.area, handover_on=date(2020, 1, 1)
        )
    assert "handover_on" in refused.value.message_dict
    elsewhere = area_country_ensure("MLI")
    with pytest.raises(ValidationError) as refused:
        services.phase_update(by=by, phase=p2, number=2, name="P2", area=elsewhere)
    assert "area" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.benchmark_update(
            by=by, benchmark=mw.benchmarks[3], description="x", area=elsewhere
        )
    assert "area" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.phase_update(by=by, phase=p2, number=2, name="  ", area=p2.area)
    assert "name" in refused.value.message_dict
    services.phase_update(
        by=by, phase=p2, number=2, name="Province 2", area=p2.area, handover_on=date(2026, 1, 1)
    )
    p2.refresh_from_db()
    assert p2.handover_on == date(2026, 1, 1)
    # Its own number is not "already used".
    services.phase_update(by=by, phase=p1, number=1, name="P1", area=p1.area)


def test_a_phase_with_benchmarks_is_not_removed_and_the_page_says_why(mw: MissionWorld) -> None:
    client = _client(mw, "coordinator")
    url = _url(mw, "phase_delete", mw.phases[0].pk)
    page = client.get(url)
    assert page.status_code == 400
    assert "The phase has benchmarks" in page.content.decode()
    assert "<button" not in page.content.decode().split("</h1>")[1]
    assert client.post(url).status_code == 400
    assert TransitionPhase.objects.filter(pk=mw.phases[0].pk).exists()


def test_a_phase_without_benchmarks_is_removed_with_its_watched_indicators(
    mw: MissionWorld,
) -> None:
    by = mw.users["coordinator"]
    phase = services.phase_record(
        by=by, transition=mw.transition, number=3, name="P3", area=mw.phases[1].area
    )
    services.watch_record(by=by, phase=phase, indicator=mw.indicator)
    client = _client(mw, "coordinator")
    assert client.post(_url(mw, "phase_delete", phase.pk)).status_code == 302
    assert not TransitionPhase.objects.filter(pk=phase.pk).exists()
    assert not WatchedIndicator.objects.filter(phase_id=phase.pk).exists()
    assert WatchedIndicator.objects.filter(phase=mw.phases[0]).count() == 1


def test_a_benchmark_change_keeps_its_history_and_its_status(mw: MissionWorld) -> None:
    client = _client(mw, "coordinator")
    bench = mw.benchmarks[0]
    response = client.post(
        _url(mw, "benchmark_edit", bench.pk),
        {"description": "Police patrol the sites day and night", "area": "", "target_on": ""},
    )
    assert response.status_code == 302
    bench.refresh_from_db()
    assert bench.description == "Police patrol the sites day and night"
    assert bench.area == mw.phases[0].area  # the phase's by default
    assert bench.status == "met"
    assert BenchmarkUpdate.objects.filter(benchmark=bench).count() == 1
    response = client.post(
        _url(mw, "benchmark_edit", bench.pk),
        {"description": "x", "area": "", "target_on": "2001-01-01"},
    )
    assert response.status_code == 400
    assert 'id="id_target_on-error"' in response.content.decode()
    response = client.post(
        _url(mw, "benchmark_edit", bench.pk), {"description": "", "target_on": "31/12/2025"}
    )
    assert response.status_code == 400


def test_a_benchmark_with_a_status_history_is_kept_and_the_page_says_why(
    mw: MissionWorld,
) -> None:
    client = _client(mw, "coordinator")
    bench = mw.benchmarks[0]
    page = client.get(_url(mw, "benchmark", bench.pk)).content.decode()
    assert _url(mw, "benchmark_edit", bench.pk) in page
    assert _url(mw, "benchmark_delete", bench.pk) not in page
    response = client.post(_url(mw, "benchmark_delete", bench.pk))
    assert response.status_code == 400
    assert "status history" in response.content.decode()
    assert Benchmark.objects.filter(pk=bench.pk).exists()
    with pytest.raises(ValidationError):
        services.benchmark_remove(by=mw.users["coordinator"], benchmark=bench)


def test_a_benchmark_without_status_is_removed_after_confirmation(mw: MissionWorld) -> None:
    client = _client(mw, "coordinator")
    bench = mw.benchmarks[3]
    url = _url(mw, "benchmark_delete", bench.pk)
    assert "Networks handed over" in client.get(url).content.decode()
    assert Benchmark.objects.filter(pk=bench.pk).exists()
    assert client.post(url).status_code == 302
    assert not Benchmark.objects.filter(pk=bench.pk).exists()


def test_the_links_show_to_the_coordinator_only(mw: MissionWorld) -> None:
    links = [
        (_url(mw, "mission"), _url(mw, "mission_edit")),
        (_url(mw, "mission"), _url(mw, "resolution_delete", _resolution(mw).pk)),
        (_url(mw, "transition"), _url(mw, "phase_edit", mw.phases[1].pk)),
        (
            _url(mw, "benchmark", mw.benchmarks[3].pk),
            _url(mw, "benchmark_delete", mw.benchmarks[3].pk),
        ),
    ]
    for who in ROLES:
        client = _client(mw, who)
        for page, link in links:
            shown = link in client.get(page).content.decode()
            assert shown == (who == "coordinator"), (who, link)


def test_a_mission_of_another_plan_is_not_found(mw: MissionWorld) -> None:
    client = _client(mw, "coordinator")
    url = reverse("missions:mission_edit", args=[mw.plan.code, 999_999])
    assert client.get(url).status_code == 404


def _watch_more(mw: MissionWorld, n: int) -> None:
    by = mw.users["coordinator"]
    for i in range(n):
        indicator = mw.world.indicator(f"XW-{i:02d}", unit="cases", frequency="quarter")
        mw.world.value(indicator, "2024Q4", "P1", 5 + i)
        services.watch_record(by=by, phase=mw.phases[0], indicator=indicator)


def _protection_queries(mw: MissionWorld, who: str | None) -> int:
    client = _client(mw, who)
    url = _url(mw, "protection")
    client.get(url)  # warm the caches (session, translations)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["coordinator", None])
def test_the_protection_page_reads_a_fixed_number_of_queries(
    mw: MissionWorld, who: str | None
) -> None:
    publish_release(mw.plan)
    one = _protection_queries(mw, who)
    _watch_more(mw, 5)
    mw.world.rebuild()
    publish_release(mw.plan)  # anonymous readers read the latest release
    six = _protection_queries(mw, who)
    assert six == one
    if who == "coordinator":
        page = _client(mw, who).get(_url(mw, "protection")).content.decode()
        assert "XW-04" in page
