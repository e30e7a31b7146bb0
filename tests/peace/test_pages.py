"""The pages: the trend as a table and a chart, read by whoever reads the plan; the forms for
the coordinator (and consultations for a civil-society monitor); refusals."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from tests.peace.conftest import PeaceWorld

from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.peace.models import Consultation, Delegation, PeaceProcess


def _client(pw: PeaceWorld, who: str | None) -> Client:
    client = Client()
    if who:
        client.force_login(pw.users[who])
    return client


def test_anonymous_reads_the_trend_table_and_chart_of_a_public_plan(trio: PeaceWorld) -> None:
    url = reverse("peace:process", args=[trio.plan.code, trio.process.pk])  # type: ignore[union-attr]
    page = _client(trio, None).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and "peace-trend-" in text
    assert "13.3 %" in text and "26.7 %" in text and "50 %" in text  # negotiators by round
    assert "(2/15)" in text
    listing = _client(trio, None).get(reverse("peace:processes", args=[trio.plan.code]))
    assert "Inter-Congolese dialogue" in listing.content.decode()
    plan_page = _client(trio, None).get(reverse("portal:plan", args=[trio.plan.code]))
    assert reverse("peace:processes", args=[trio.plan.code]) in plan_page.content.decode()


def test_a_draft_plan_is_hidden_from_outsiders(trio: PeaceWorld) -> None:
    trio.plan.status = PlanStatus.DRAFT
    trio.plan.save(update_fields=["status"])
    url = reverse("peace:processes", args=[trio.plan.code])
    assert _client(trio, None).get(url).status_code == 404
    assert _client(trio, "outsider").get(url).status_code == 404
    assert _client(trio, "viewer").get(url).status_code == 200


def test_coordinator_records_a_process_round_and_delegation(pw: PeaceWorld) -> None:
    client = _client(pw, "coordinator")
    code = pw.plan.code
    response = client.post(
        reverse("peace:process_new", args=[code]),
        {"name": "Local talks", "level": "local", "status": "ongoing", "started_on": "2024-01-01"},
    )
    assert response.status_code == 302
    process = PeaceProcess.objects.get(name="Local talks")
    client.post(
        reverse("peace:round_new", args=[code, process.pk]),
        {"number": "1", "started_on": "2024-02-01"},
    )
    round_ = process.rounds.get()
    response = client.post(
        reverse("peace:delegation_new", args=[code, process.pk, round_.pk]),
        {"party": "Elders", "seats_negotiator_women": "2", "seats_negotiator_men": "8"},
    )
    assert response.status_code == 302
    page = client.get(reverse("peace:process", args=[code, process.pk])).content.decode()
    assert "20 %" in page


def test_negative_count_on_the_form_is_refused(trio: PeaceWorld) -> None:
    client = _client(trio, "coordinator")
    url = reverse(
        "peace:delegation_new",
        args=[trio.plan.code, trio.process.pk, trio.rounds[0].pk],  # type: ignore[union-attr]
    )
    before = Delegation.objects.count()
    response = client.post(url, {"party": "X", "seats_negotiator_women": "-3"})
    assert response.status_code == 400
    assert "0 or more" in response.content.decode()
    assert Delegation.objects.count() == before


def test_round_outside_the_process_is_refused_on_the_form(trio: PeaceWorld) -> None:
    url = reverse("peace:round_new", args=[trio.plan.code, trio.process.pk])  # type: ignore[union-attr]
    response = _client(trio, "coordinator").post(url, {"number": "4", "started_on": "2026-01-01"})
    assert response.status_code == 400
    assert "within the process" in response.content.decode()


@pytest.mark.parametrize("who", ["monitor", "focal", "viewer"])
def test_others_may_not_open_the_coordinators_forms(trio: PeaceWorld, who: str) -> None:
    client = _client(trio, who)
    assert client.get(reverse("peace:process_new", args=[trio.plan.code])).status_code == 403
    url = reverse("peace:round_new", args=[trio.plan.code, trio.process.pk])  # type: ignore[union-attr]
    assert client.post(url, {"number": "4", "started_on": "2024-06-01"}).status_code == 403


def test_monitor_records_a_consultation_for_their_organisation(trio: PeaceWorld) -> None:
    url = reverse("peace:consultation_new", args=[trio.plan.code, trio.process.pk])  # type: ignore[union-attr]
    assert _client(trio, "focal").get(url).status_code == 403
    response = _client(trio, "monitor").post(
        url,
        {
            "held_on": "2024-01-15",
            "stage": "before",
            "method": "survey",
            "organisations_consulted": "10",
            "womens_organisations": "6",
            "asked": "Seats for displaced women.",
            "in_outcome": "no",
            "organisation": str(trio.women.pk),
        },
    )
    assert response.status_code == 302
    assert Consultation.objects.get().organisation == trio.women
    page = _client(trio, None).get(reverse("peace:process", args=[trio.plan.code, trio.process.pk]))  # type: ignore[union-attr]
    assert "Seats for displaced women." in page.content.decode()
