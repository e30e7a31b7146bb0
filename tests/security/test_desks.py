"""The register of women's and children's desks, their cases by period, and the coverage by
province (security.services, security.selectors.coverage)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.security.conftest import SecurityWorld

from wpsmonitor.security import selectors, services
from wpsmonitor.security.models import DeskCases, SecurityInstitution, WomensDesk

pytestmark = pytest.mark.django_db


def _desk(
    sw: SecurityWorld,
    institution: SecurityInstitution,
    name: str,
    area: str,
    status: str = "open",
) -> WomensDesk:
    return services.desk_record(
        by=sw.users["coordinator"],
        institution=institution,
        name=name,
        area=sw.world.areas[area],
        status=status,
        opened_on=None if status == "planned" else date(2024, 3, 8),
        staffed_by="2 women officers",
    )


def test_coverage_by_province_counted_by_hand(sw: SecurityWorld) -> None:
    police = sw.institution()
    gendarmerie = sw.institution("GN", "gendarmerie")
    _desk(sw, police, "Station A", "D11")
    _desk(sw, police, "Station B", "D12")
    _desk(sw, gendarmerie, "Brigade C", "P1", status="closed")
    _desk(sw, police, "Station D", "D21", status="planned")
    _desk(sw, police, "Headquarters", "N")
    rows = selectors.coverage(sw.plan)
    got = {(r.area.code if r.area else None): (r.open, r.planned, r.closed) for r in rows}
    # Province 1: A and B open (its districts), C closed; Province 2: D planned; the
    # headquarters at the country's level sits in no province.
    assert got == {"SEN-P1": (2, 0, 1), "SEN-P2": (0, 1, 0), None: (1, 0, 0)}


def test_a_province_without_desk_is_listed(sw: SecurityWorld) -> None:
    _desk(sw, sw.institution(), "Station A", "D11")
    got = {r.area.code: r.open for r in selectors.coverage(sw.plan) if r.area}
    assert got == {"SEN-P1": 1, "SEN-P2": 0}


def test_a_desk_needs_a_police_institution_and_its_fields(sw: SecurityWorld) -> None:
    army = sw.institution("FARDC", "army")
    with pytest.raises(ValidationError) as caught:
        services.desk_record(
            by=sw.users["coordinator"], institution=army, name="", area=None, status="open"
        )
    assert set(caught.value.message_dict) == {"__all__", "name", "area", "opened_on"}
    assert not WomensDesk.objects.exists()


def test_a_desk_outside_the_plan_area_is_refused(sw: SecurityWorld) -> None:
    from wpsmonitor.directory.services import area_country_ensure

    elsewhere = area_country_ensure("MLI")
    with pytest.raises(ValidationError) as caught:
        services.desk_record(
            by=sw.users["coordinator"],
            institution=sw.institution(),
            name="Bamako",
            area=elsewhere,
            status="open",
            opened_on=date(2024, 1, 1),
        )
    assert "area" in caught.value.message_dict


@pytest.mark.parametrize("who", ["police_focal", "viewer", "outsider"])
def test_only_the_coordinator_keeps_the_register(sw: SecurityWorld, who: str) -> None:
    police = sw.institution()
    desk = _desk(sw, police, "Station A", "D11")
    with pytest.raises(PermissionDenied):
        services.desk_record(
            by=sw.users[who],
            institution=police,
            name="X",
            area=sw.world.areas["D11"],
            status="planned",
        )
    with pytest.raises(PermissionDenied):
        services.desk_update(
            by=sw.users[who],
            desk=desk,
            name="X",
            area=desk.area,
            status="closed",
            opened_on=date(2024, 1, 1),
        )
    assert WomensDesk.objects.get().name == "Station A"


def test_a_planned_desk_opens(sw: SecurityWorld) -> None:
    desk = _desk(sw, sw.institution(), "Station D", "D21", status="planned")
    services.desk_update(
        by=sw.users["coordinator"],
        desk=desk,
        name="Station D",
        area=desk.area,
        status="open",
        opened_on=date(2025, 1, 6),
    )
    desk.refresh_from_db()
    assert (desk.status, desk.opened_on) == ("open", date(2025, 1, 6))


def test_cases_by_the_institutions_focal_point_in_its_area(sw: SecurityWorld) -> None:
    desk = _desk(sw, sw.institution(), "Station A", "D11")
    services.desk_cases_record(
        by=sw.users["police_focal"], desk=desk, period="2024Q1", received=12, referred=5
    )
    # Entering the period again replaces it; the coordinator may too.
    services.desk_cases_record(
        by=sw.users["coordinator"], desk=desk, period="2024Q1", received=14, referred=6
    )
    services.desk_cases_record(
        by=sw.users["police_focal"], desk=desk, period="2024Q2", received=3, referred=0
    )
    got = [(c.period.code, c.received, c.referred) for c in selectors.desk_cases(desk)]
    assert got == [("2024Q1", 14, 6), ("2024Q2", 3, 0)]


@pytest.mark.parametrize("who", ["police_focal_p2", "army_focal", "viewer", "outsider"])
def test_cases_refused_to_others(sw: SecurityWorld, who: str) -> None:
    desk = _desk(sw, sw.institution(), "Station A", "D11")
    with pytest.raises(PermissionDenied):
        services.desk_cases_record(
            by=sw.users[who], desk=desk, period="2024Q1", received=1, referred=0
        )
    assert not DeskCases.objects.exists()


@pytest.mark.parametrize(
    ("period", "received", "referred", "fields"),
    [
        ("2024Q5", 3, 1, {"period"}),
        ("2024Q1", 3, 4, {"referred"}),
        ("2024Q1", None, -1, {"received", "referred"}),
    ],
)
def test_bad_cases_are_refused(
    sw: SecurityWorld, period: str, received: int | None, referred: int, fields: set[str]
) -> None:
    desk = _desk(sw, sw.institution(), "Station A", "D11")
    with pytest.raises(ValidationError) as caught:
        services.desk_cases_record(
            by=sw.users["coordinator"],
            desk=desk,
            period=period,
            received=received,
            referred=referred,
        )
    assert set(caught.value.message_dict) == fields
    assert not DeskCases.objects.exists()
