"""The pages: mandates and benchmarks read by whoever reads the plan; the forms for the
coordinator only (an access matrix); the protection figures as `reading_for` decides: the
detail for members, the published release, small counts hidden, for everyone else."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from tests.missions.conftest import MissionWorld
from tests.portal.conftest import publish_release

from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.indicators.models import AggregateValue, DataValue
from wpsmonitor.missions.models import Benchmark, BenchmarkUpdate, UNMission
from wpsmonitor.publishing.models import ReleaseFigure

SENTINEL = 4242


def _client(mw: MissionWorld, who: str | None) -> Client:
    client = Client()
    if who:
        client.force_login(mw.users[who])
    return client


def _read_urls(mw: MissionWorld) -> list[str]:
    code, pk = mw.plan.code, mw.mission.pk
    return [
        reverse("missions:missions", args=[code]),
        reverse("missions:mission", args=[code, pk]),
        reverse("missions:transition", args=[code, pk]),
        reverse("missions:benchmark", args=[code, pk, mw.benchmarks[0].pk]),
        reverse("missions:protection", args=[code, pk]),
    ]


def _form_urls(mw: MissionWorld) -> list[str]:
    code, pk = mw.plan.code, mw.mission.pk
    resolution = mw.mission.mandates.first()
    assert resolution is not None
    phase = mw.phases[0].pk
    return [
        reverse("missions:mission_new", args=[code]),
        reverse("missions:resolution_new", args=[code, pk]),
        reverse("missions:provision_new", args=[code, pk, resolution.pk]),
        reverse("missions:transition_edit", args=[code, pk]),
        reverse("missions:phase_new", args=[code, pk]),
        reverse("missions:benchmark_new", args=[code, pk, phase]),
        reverse("missions:watch_new", args=[code, pk, phase]),
        reverse("missions:benchmark_status", args=[code, pk, mw.benchmarks[0].pk]),
    ]


@pytest.mark.parametrize("who", [None, "outsider", "viewer", "focal", "monitor", "coordinator"])
def test_access_matrix(mw: MissionWorld, who: str | None) -> None:
    client = _client(mw, who)
    for url in _read_urls(mw):
        assert client.get(url).status_code == 200, url
    for url in _form_urls(mw):
        status = client.get(url).status_code
        if who == "coordinator":
            assert status == 200, url
        elif who is None:
            assert status == 302, url  # to sign in
        else:
            assert status == 403, url


def test_a_draft_plan_is_hidden_from_outsiders_and_read_by_members(mw: MissionWorld) -> None:
    mw.plan.status = PlanStatus.DRAFT
    mw.plan.save(update_fields=["status"])
    for url in _read_urls(mw):
        assert _client(mw, None).get(url).status_code == 404
        assert _client(mw, "outsider").get(url).status_code == 404
        assert _client(mw, "viewer").get(url).status_code == 200


def test_the_mission_page_shows_mandates_and_provisions(mw: MissionWorld) -> None:
    text = _client(mw, None).get(_read_urls(mw)[1]).content.decode()
    assert "S/RES/2666 (2022)" in text and "S/RES/2717 (2023)" in text
    assert "Protect women and girls from sexual violence." in text
    assert "Protection from sexual and gender-based violence, CRSV" in text
    assert "OP 29 (d)" in text
    assert reverse("missions:resolution_new", args=[mw.plan.code, mw.mission.pk]) not in text
    plan_page = _client(mw, None).get(reverse("portal:plan", args=[mw.plan.code]))
    assert reverse("missions:missions", args=[mw.plan.code]) in plan_page.content.decode()


def test_the_transition_page_is_a_table_of_phases_by_area(mw: MissionWorld) -> None:
    text = _client(mw, None).get(_read_urls(mw)[2]).content.decode()
    assert "Women rely on patrols around the displacement sites." in text
    assert "2 of 3" in text and "0 of 1" in text
    assert "District 11" in text
    assert text.count('<th scope="col">') >= 5  # phase, handover, 3 areas, met


def test_the_benchmark_page_shows_its_history(mw: MissionWorld) -> None:
    url = reverse("missions:benchmark", args=[mw.plan.code, mw.mission.pk, mw.benchmarks[2].pk])
    text = _client(mw, None).get(url).content.decode()
    assert "2025-02-01" in text and "Not met" in text and "No judges." in text
    assert "<form" not in text.split("<main", 1)[1]  # no status form for a reader


def test_the_coordinator_records_a_mission_a_status_and_is_refused_with_the_field(
    mw: MissionWorld,
) -> None:
    client = _client(mw, "coordinator")
    code = mw.plan.code
    response = client.post(
        reverse("missions:mission_new", args=[code]),
        {
            "acronym": "MINUSCA",
            "name": "Mission in CAR",
            "kind": "peacekeeping",
            "status": "active",
            "started_on": "2014-04-10",
            "ended_on": "2013-01-01",
        },
    )
    assert response.status_code == 400
    assert "cannot end before it started" in response.content.decode()
    assert not UNMission.objects.filter(acronym="MINUSCA").exists()
    response = client.post(
        reverse("missions:mission_new", args=[code]),
        {
            "acronym": "MINUSCA",
            "name": "Mission in CAR",
            "kind": "peacekeeping",
            "status": "active",
            "started_on": "2014-04-10",
        },
    )
    assert response.status_code == 302
    bench = mw.benchmarks[3]
    url = reverse("missions:benchmark_status", args=[code, mw.mission.pk, bench.pk])
    response = client.post(url, {"status": "met", "on": "2025-10-01", "note": "Done."})
    assert response.status_code == 302
    assert Benchmark.objects.get(pk=bench.pk).status == "met"
    assert BenchmarkUpdate.objects.filter(benchmark=bench).count() == 1
    forbidden = _client(mw, "monitor").post(url, {"status": "not_met", "on": "2025-10-02"})
    assert forbidden.status_code == 403
    assert Benchmark.objects.get(pk=bench.pk).status == "met"


def test_a_phase_outside_the_plan_s_area_cannot_be_chosen(mw: MissionWorld) -> None:
    from wpsmonitor.directory.services import area_country_ensure

    elsewhere = area_country_ensure("MLI")
    url = reverse("missions:phase_new", args=[mw.plan.code, mw.mission.pk])
    response = _client(mw, "coordinator").post(
        url, {"number": 3, "name": "Bamako", "area": elsewhere.pk}
    )
    assert response.status_code == 400
    assert mw.transition.phases.count() == 2


def _main(content: bytes) -> str:
    page = content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return main.replace("\u00a0", " ").replace("&nbsp;", " ").replace("\u202f", " ")


def test_members_read_the_detail_before_and_after(mw: MissionWorld) -> None:
    text = _main(_client(mw, "viewer").get(_read_urls(mw)[4]).content)
    assert "2024Q1: 10" in text and "2025Q4: 6" in text
    assert ">25 cases<" in text and ">10 cases<" in text and ">-15<" in text
    assert "2026Q1" not in text  # the fifth period after is outside the window


def test_the_public_reads_only_the_published_release(mw: MissionWorld) -> None:
    url = _read_urls(mw)[4]
    # No release yet: no figure at all for the public.
    text = _main(_client(mw, None).get(url).content)
    assert "No figures published yet." in text
    assert "2024Q1: 10" not in text and ">25<" not in text
    # A small count in the window (3 survivors in 2025Q4) is hidden by the release.
    DataValue.objects.filter(
        indicator=mw.indicator, area=mw.world.areas["P1"], period__code="2025Q4"
    ).update(value=3)
    mw.world.rebuild()
    release = publish_release(mw.plan)
    hidden = ReleaseFigure.objects.filter(
        release=release, indicator=mw.indicator, area=mw.world.areas["P1"], cell_key=""
    ).exclude(flag="")
    assert "2025Q4" in set(hidden.values_list("period_code", flat=True))
    # Plant a trap in the aggregates where the release hides a figure.
    for period in hidden.values_list("period_code", flat=True):
        AggregateValue.objects.filter(
            indicator=mw.indicator, area=mw.world.areas["P1"], period_code=period
        ).update(value=SENTINEL)
    for who in (None, "outsider"):
        text = _main(_client(mw, who).get(url).content)
        assert not re.search(r"4[,.\s\u00a0\u202f]?242", text)
        assert "2025Q4: fewer than" in text or "2025Q4: hidden" in text
        assert "2024Q1: 10" in text  # a free figure of the release
        assert ">-15<" not in text  # the after side's mean is hidden with its small count
    api = _client(mw, "outsider").get(
        f"/api/v1/plans/{mw.plan.code}/missions/{mw.mission.pk}/protection"
    )
    assert api.status_code == 200
    body = api.json()
    assert body["reading"] == "release"
    (row,) = body["indicators"]
    assert row["after"]["mean"] is None and row["after"]["hidden"] is True
    assert SENTINEL not in [p["value"] for p in row["after"]["points"]]
    assert row["before"]["mean"] == 25


def test_an_unknown_mission_or_benchmark_is_404(mw: MissionWorld) -> None:
    client = _client(mw, None)
    code = mw.plan.code
    assert client.get(reverse("missions:mission", args=[code, 999999])).status_code == 404
    url = reverse("missions:benchmark", args=[code, mw.mission.pk, 999999])
    assert client.get(url).status_code == 404
    other = UNMission.objects.create(
        plan=mw.plan,
        acronym="UNMISS",
        name="x",
        kind="peacekeeping",
        status="active",
        started_on=date(2011, 7, 9),
    )
    assert client.get(reverse("missions:transition", args=[code, other.pk])).status_code == 404
