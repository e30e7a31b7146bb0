"""Writes on the register: what is refused, "remove now" leaving only the fact, and encryption
at rest of what could identify a person."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.defenders.conftest import MARKER, RegisterWorld

from wpsmonitor.core import encryption
from wpsmonitor.defenders.models import Incident, IncidentDeletion

pytestmark = pytest.mark.django_db

TABLES = ("defenders_incident", "defenders_incidentdeletion")


def _raw_rows() -> list[tuple[object, ...]]:
    """Every row of the register's tables as the database returns them."""
    rows: list[tuple[object, ...]] = []
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            rows += cursor.fetchall()
    return rows


def test_what_could_identify_a_person_is_unreadable_in_the_database(rw: RegisterWorld) -> None:
    incident = rw.incident()
    rows = _raw_rows()
    assert rows and not any(MARKER in str(value) for row in rows for value in row)
    assert sum(str(v).startswith(encryption.PREFIX) for row in rows for v in row) == 3
    again = Incident.objects.get(pk=incident.pk)
    assert MARKER in again.description and MARKER in again.protection_measures


def test_remove_now_asks_first_then_leaves_only_the_fact(rw: RegisterWorld) -> None:
    incident = rw.incident(funding_amount=Decimal("1200"), funding_currency="usd")
    client = Client()
    client.force_login(rw.users["second"])
    url = reverse("defenders:remove", args=[rw.plan.code, incident.uid])
    asked = client.post(url)
    assert asked.status_code == 200 and "cannot be undone" in asked.content.decode()
    assert Incident.objects.count() == 1  # nothing done before the confirmation
    done = client.post(url, {"confirm": "yes"})
    assert done.status_code == 302
    assert not Incident.objects.exists()
    fact = IncidentDeletion.objects.get()
    assert (fact.plan, fact.holder, fact.deleted_by) == (rw.plan, rw.women, rw.users["second"])
    rows = _raw_rows()
    assert len(rows) == 1
    text = " ".join(str(v) for v in rows[0])
    assert MARKER not in text and encryption.PREFIX not in text
    assert "threat" not in text and "2025-03-14" not in text and "1200" not in text
    gone = client.get(reverse("defenders:incident", args=[rw.plan.code, incident.uid]))
    assert gone.status_code == 404


def test_only_a_civil_society_organisation_holds_incidents(rw: RegisterWorld) -> None:
    # The ministry's focal point cannot keep a register for the ministry, nor for the women.
    for holder in (rw.ministry, rw.women):
        with pytest.raises(PermissionDenied):
            rw.incident(by="focal", holder=holder)
    for who in ("coordinator", "viewer", "admin", "other"):
        with pytest.raises(PermissionDenied):
            rw.incident(by=who)
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("fields", "at_fault"),
    [
        ({"kind": "burglary"}, "kind"),
        ({"perpetrator": "neighbour"}, "perpetrator"),
        ({"occurred_on": None}, "occurred_on"),
        ({"occurred_on": timezone.localdate() + timedelta(days=2)}, "occurred_on"),
        ({"description": "   "}, "description"),
        ({"funding_amount": Decimal("100")}, "funding_currency"),
        ({"funding_amount": Decimal("100"), "funding_currency": "XYZ"}, "funding_currency"),
        ({"funding_amount": Decimal("-1"), "funding_currency": "USD"}, "funding_amount"),
        ({"funding_currency": "USD"}, "funding_amount"),
    ],
)
def test_bad_input_is_refused_by_field(
    rw: RegisterWorld, fields: dict[str, object], at_fault: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        rw.incident(**fields)
    assert at_fault in refused.value.message_dict
    assert not Incident.objects.exists()


def test_an_area_outside_the_plan_and_a_funder_without_money_are_refused(
    rw: RegisterWorld,
) -> None:
    from wpsmonitor.directory.services import area_country_ensure

    elsewhere = area_country_ensure("MLI")
    with pytest.raises(ValidationError) as refused:
        rw.incident(area=elsewhere, funder=rw.ministry)
    assert set(refused.value.message_dict) == {"area", "funder"}


def test_the_form_says_what_is_wrong_beside_each_field(rw: RegisterWorld) -> None:
    client = Client()
    client.force_login(rw.users["monitor"])
    url = reverse("defenders:new", args=[rw.plan.code])
    response = client.post(
        url,
        {
            "holder": "women-watch",
            "kind": "threat",
            "occurred_on": "14/03/2025",
            "perpetrator": "unknown",
            "description": "",
            "funding_amount": "1,500",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="f-occurred_on-error"' in page and 'id="f-funding_amount-error"' in page
    assert 'aria-invalid="true"' in page
    assert not Incident.objects.exists()


def test_the_holder_records_and_changes_an_incident_through_the_pages(
    rw: RegisterWorld,
) -> None:
    client = Client()
    client.force_login(rw.users["monitor"])
    fields = {
        "holder": "women-watch",
        "kind": "office_raid",
        "occurred_on": "2025-05-02",
        "area": str(rw.world.areas["D21"].pk),
        "perpetrator": "state_security",
        "description": "The office was searched.",
        "funding_amount": "1500.50",
        "funding_currency": "eur",
        "funder": "min-gender",
    }
    response = client.post(reverse("defenders:new", args=[rw.plan.code]), fields)
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.holder, incident.area, incident.recorded_by) == (
        rw.women,
        rw.world.areas["D21"],
        rw.users["monitor"],
    )
    assert (incident.funding_amount, incident.funding_currency) == (Decimal("1500.50"), "EUR")
    edit = reverse("defenders:edit", args=[rw.plan.code, incident.uid])
    fields.pop("holder")
    response = client.post(edit, {**fields, "follow_up": "Office reopened.", "funder": ""})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.follow_up == "Office reopened." and incident.funder is None
