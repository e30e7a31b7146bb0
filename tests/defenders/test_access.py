"""Who reads and changes the register (accounts/access.py: can_hold_incidents,
holds_incident, can_read_incident_figures), through the pages: only the holder's people read an
incident; everyone who reads the plan reads the counts, never an incident."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from tests.defenders.conftest import MARKER, RegisterWorld

from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.defenders.models import Incident

pytestmark = pytest.mark.django_db

READERS = [
    "monitor",
    "second",
    "other",
    "coordinator",
    "focal",
    "viewer",
    "outsider",
    "admin",
    "anonymous",
]
HOLDER = {"monitor", "second"}  # the women's organisation's monitor and organisation admin


def _client(rw: RegisterWorld, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(rw.users[who])
    return client


def _signed_out(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", READERS)
def test_the_list_is_the_holders_alone(rw: RegisterWorld, who: str) -> None:
    incident = rw.incident()
    response = _client(rw, who).get(reverse("defenders:incidents", args=[rw.plan.code]))
    if who == "anonymous":
        assert _signed_out(response)
    elif who in HOLDER:
        assert response.status_code == 200
        assert str(incident.uid) in response.content.decode()
    elif who == "other":  # keeps its own register, and sees nothing of the women's
        assert response.status_code == 200
        assert str(incident.uid) not in response.content.decode()
    else:  # coordinator, ministry's focal point, viewer, outsider, platform admin
        assert response.status_code == 403


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("page", ["incident", "edit"])
def test_an_incident_is_read_by_the_holder_only(rw: RegisterWorld, who: str, page: str) -> None:
    incident = rw.incident()
    url = reverse(f"defenders:{page}", args=[rw.plan.code, incident.uid])
    response = _client(rw, who).get(url)
    if who == "anonymous":
        assert _signed_out(response)
    elif who in HOLDER:
        assert response.status_code == 200
        assert MARKER in response.content.decode()
    else:  # its existence is not told
        assert response.status_code == 404
        assert MARKER not in response.content.decode()


@pytest.mark.parametrize("who", READERS)
def test_only_the_holder_changes_or_removes_an_incident(rw: RegisterWorld, who: str) -> None:
    incident = rw.incident()
    client = _client(rw, who)
    edit = reverse("defenders:edit", args=[rw.plan.code, incident.uid])
    fields = {
        "kind": "killing",
        "occurred_on": "2025-03-14",
        "perpetrator": "unknown",
        "description": "Changed",
    }
    response = client.post(edit, fields)
    if who in HOLDER:
        assert response.status_code == 302
        assert Incident.objects.get().kind == "killing"
    else:
        assert _signed_out(response) if who == "anonymous" else response.status_code == 404
        assert Incident.objects.get().kind == "threat"
    remove = reverse("defenders:remove", args=[rw.plan.code, incident.uid])
    response = client.post(remove, {"confirm": "yes"})
    assert Incident.objects.exists() == (who not in HOLDER)
    if who not in HOLDER:
        assert _signed_out(response) if who == "anonymous" else response.status_code == 404


@pytest.mark.parametrize("who", READERS)
def test_recording_is_for_a_civil_society_organisations_people(rw: RegisterWorld, who: str) -> None:
    url = reverse("defenders:new", args=[rw.plan.code])
    fields = {
        "holder": "women-watch",
        "kind": "threat",
        "occurred_on": "2025-03-14",
        "perpetrator": "unknown",
        "description": "A threat",
    }
    response = _client(rw, who).post(url, fields)
    if who == "anonymous":
        assert _signed_out(response)
    elif who in HOLDER:
        assert response.status_code == 302
    elif who == "other":  # may not record in another organisation's name
        assert response.status_code == 400
    else:
        assert response.status_code == 403
    assert Incident.objects.filter(holder=rw.women).count() == (1 if who in HOLDER else 0)


@pytest.mark.parametrize("who", READERS)
def test_the_figures_are_read_by_whoever_reads_the_plan_never_an_incident(
    rw: RegisterWorld, who: str
) -> None:
    for _ in range(5):
        rw.incident()
    response = _client(rw, who).get(reverse("defenders:figures", args=[rw.plan.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<td class="num">5</td>' in page
    assert MARKER not in page and "District 11" not in page
    assert not any(str(i.uid) in page for i in Incident.objects.all())


@pytest.mark.parametrize("who", READERS)
def test_the_figures_of_a_draft_plan_are_its_members(rw: RegisterWorld, who: str) -> None:
    rw.plan.status = PlanStatus.DRAFT
    rw.plan.save(update_fields=["status"])
    response = _client(rw, who).get(reverse("defenders:figures", args=[rw.plan.code]))
    assert response.status_code == (404 if who in {"outsider", "anonymous"} else 200)
