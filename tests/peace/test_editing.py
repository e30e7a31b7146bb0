"""Changing and removing what was recorded of a peace process: processes, rounds, delegations
with their seats, consultations. Rights checked in the services and on the pages; refusals
located beside their field; a round with delegations is not removed."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from tests.peace.conftest import PeaceWorld, seats

from wpsmonitor.peace import selectors, services
from wpsmonitor.peace.models import Consultation, Delegation, NegotiationRound, Seat

pytestmark = pytest.mark.django_db


def _client(pw: PeaceWorld, who: str) -> Client:
    client = Client()
    client.force_login(pw.users[who])
    return client


def _consultation(pw: PeaceWorld, who: str = "monitor") -> Consultation:
    assert pw.process is not None
    return services.consultation_record(
        by=pw.users[who],
        process=pw.process,
        held_on=date(2024, 1, 20),
        stage="before",
        method="meeting",
        organisations_consulted=10,
        womens_organisations=4,
        asked="A women's delegation at the table.",
        organisation=pw.women if who == "monitor" else None,
    )


def test_a_round_is_changed_within_the_process(trio: PeaceWorld) -> None:
    r1 = trio.rounds[0]
    services.round_update(
        by=trio.users["coordinator"],
        round=r1,
        number=1,
        started_on=date(2024, 2, 3),
        ended_on=date(2024, 2, 6),
        title="Opening",
        place="Addis Ababa",
    )
    r1.refresh_from_db()
    assert (r1.started_on, r1.title, r1.place) == (date(2024, 2, 3), "Opening", "Addis Ababa")
    with pytest.raises(ValidationError) as refused:
        services.round_update(
            by=trio.users["coordinator"], round=r1, number=2, started_on=date(2024, 2, 3)
        )
    assert "number" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.round_update(
            by=trio.users["coordinator"], round=r1, number=1, started_on=date(2025, 6, 1)
        )
    assert "started_on" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.round_update(
            by=trio.users["monitor"], round=r1, number=1, started_on=date(2024, 2, 3)
        )


def test_a_round_with_delegations_is_not_removed(trio: PeaceWorld) -> None:
    r1 = trio.rounds[0]
    with pytest.raises(ValidationError):
        services.round_remove(by=trio.users["coordinator"], round=r1)
    assert NegotiationRound.objects.filter(pk=r1.pk).exists()
    assert trio.process is not None
    empty = services.round_record(
        by=trio.users["coordinator"], process=trio.process, number=4, started_on=date(2024, 11, 1)
    )
    with pytest.raises(PermissionDenied):
        services.round_remove(by=trio.users["viewer"], round=empty)
    services.round_remove(by=trio.users["coordinator"], round=empty)
    assert not NegotiationRound.objects.filter(pk=empty.pk).exists()


def test_changing_a_delegations_seats_changes_the_trend(trio: PeaceWorld) -> None:
    """Round 1 negotiators were 2 women of 15; the government's 2 + 8 become 4 + 6: 4 of 15."""
    assert trio.process is not None
    government = Delegation.objects.get(round=trio.rounds[0], party="Government")
    services.delegation_record(
        by=trio.users["coordinator"],
        round=trio.rounds[0],
        delegation=government,
        party="Government",
        seats=seats(negotiator_women=4, negotiator_men=6),
    )
    first = selectors.trend(trio.process)[0]
    assert (first.by_role["negotiator"].women, first.by_role["negotiator"].known) == (4, 15)


def test_a_consultation_is_changed_by_its_organisation_or_the_coordinator(
    trio: PeaceWorld,
) -> None:
    found = _consultation(trio)
    fields = {
        "held_on": date(2024, 1, 21),
        "stage": "before",
        "method": "survey",
        "organisations_consulted": 12,
        "womens_organisations": 5,
        "asked": "A quota of seats.",
        "in_outcome": "partly",
    }
    services.consultation_update(by=trio.users["monitor"], consultation=found, **fields)
    found.refresh_from_db()
    assert (found.method, found.womens_organisations, found.organisation_id) == (
        "survey",
        5,
        trio.women.pk,
    )
    for who in ("focal", "viewer"):
        with pytest.raises(PermissionDenied):
            services.consultation_update(by=trio.users[who], consultation=found, **fields)
    with pytest.raises(ValidationError) as refused:
        services.consultation_update(
            by=trio.users["coordinator"],
            consultation=found,
            **{**fields, "womens_organisations": 13},
        )
    assert "womens_organisations" in refused.value.message_dict
    found.refresh_from_db()
    assert found.womens_organisations == 5


# Pages ------------------------------------------------------------------------------------


def test_the_process_page_offers_the_changes_to_the_coordinator_only(trio: PeaceWorld) -> None:
    assert trio.process is not None
    url = reverse("peace:process", args=[trio.plan.code, trio.process.pk])
    edit = reverse("peace:process_edit", args=[trio.plan.code, trio.process.pk])
    assert edit in _client(trio, "coordinator").get(url).content.decode()
    assert edit not in _client(trio, "viewer").get(url).content.decode()


def test_the_process_form_locates_the_services_refusal(trio: PeaceWorld) -> None:
    assert trio.process is not None
    client = _client(trio, "coordinator")
    url = reverse("peace:process_edit", args=[trio.plan.code, trio.process.pk])
    page = client.get(url)
    assert 'value="Inter-Congolese dialogue"' in page.content.decode()
    refused = client.post(
        url,
        {
            "name": "Inter-Congolese dialogue",
            "level": "national",
            "status": "ongoing",
            "started_on": "2024-03-01",  # after round 1
        },
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'href="#id_started_on"' in body and 'id="id_started_on-error"' in body
    saved = client.post(
        url,
        {
            "name": "Dialogue",
            "level": "national",
            "status": "concluded",
            "started_on": "2024-01-01",
        },
    )
    assert saved.status_code == 302
    trio.process.refresh_from_db()
    assert (trio.process.name, trio.process.status) == ("Dialogue", "concluded")


def test_round_and_delegation_pages(trio: PeaceWorld) -> None:
    assert trio.process is not None
    code, pk, r1 = trio.plan.code, trio.process.pk, trio.rounds[0]
    client = _client(trio, "coordinator")
    government = Delegation.objects.get(round=r1, party="Government")
    edit = reverse("peace:delegation_edit", args=[code, pk, r1.pk, government.pk])
    form = client.get(edit).content.decode()
    assert 'name="seats_negotiator_women" value="2"' in form
    client.post(edit, {"party": "Government", "seats_negotiator_women": "3"})
    assert list(Seat.objects.filter(delegation=government).values_list("role", "sex", "count")) == [
        ("negotiator", "women", 3)
    ]
    refused = client.post(edit, {"party": "", "seats_negotiator_women": "1"})
    assert refused.status_code == 400 and 'href="#id_party"' in refused.content.decode()
    remove = reverse("peace:round_delete", args=[code, pk, r1.pk])
    assert client.get(remove).status_code == 400  # it has delegations: no button
    assert client.post(remove).status_code == 400
    assert NegotiationRound.objects.filter(pk=r1.pk).exists()
    confirm = reverse("peace:delegation_delete", args=[code, pk, r1.pk, government.pk])
    assert "This cannot be undone." in client.get(confirm).content.decode()
    assert client.post(confirm).status_code == 302
    assert not Delegation.objects.filter(pk=government.pk).exists()
    round_edit = reverse("peace:round_edit", args=[code, pk, r1.pk])
    client.post(round_edit, {"number": "1", "started_on": "2024-02-02", "place": "Sun City"})
    r1.refresh_from_db()
    assert r1.place == "Sun City"


@pytest.mark.parametrize("who", ["monitor", "focal", "viewer"])
def test_the_managers_pages_refuse_other_roles(trio: PeaceWorld, who: str) -> None:
    assert trio.process is not None
    code, pk, r1 = trio.plan.code, trio.process.pk, trio.rounds[0]
    delegation = Delegation.objects.filter(round=r1).first()
    assert delegation is not None
    client = _client(trio, who)
    for url in (
        reverse("peace:process_edit", args=[code, pk]),
        reverse("peace:round_edit", args=[code, pk, r1.pk]),
        reverse("peace:round_delete", args=[code, pk, r1.pk]),
        reverse("peace:delegation_edit", args=[code, pk, r1.pk, delegation.pk]),
        reverse("peace:delegation_delete", args=[code, pk, r1.pk, delegation.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert Delegation.objects.filter(pk=delegation.pk).exists()


def test_consultation_pages(trio: PeaceWorld) -> None:
    assert trio.process is not None
    found = _consultation(trio)
    code, pk = trio.plan.code, trio.process.pk
    edit = reverse("peace:consultation_edit", args=[code, pk, found.pk])
    assert _client(trio, "focal").get(edit).status_code == 403
    monitor = _client(trio, "monitor")
    refused = monitor.post(
        edit,
        {
            "held_on": "2024-01-20",
            "stage": "before",
            "method": "meeting",
            "organisations_consulted": "3",
            "womens_organisations": "4",
            "asked": "x",
            "in_outcome": "no",
        },
    )
    assert refused.status_code == 400
    assert 'href="#id_womens_organisations"' in refused.content.decode()
    remove = reverse("peace:consultation_delete", args=[code, pk, found.pk])
    assert monitor.post(remove).status_code == 302
    assert not Consultation.objects.filter(pk=found.pk).exists()
