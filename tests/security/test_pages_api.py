"""The pages and the API: who reads what. Case counts are members-only, never in the API; the
institutions and the coverage are read by whoever reads the plan."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from tests.security.conftest import SecurityWorld

from wpsmonitor.indicators.models import Indicator
from wpsmonitor.security import services
from wpsmonitor.security.models import SecurityInstitution, WomensDesk

pytestmark = pytest.mark.django_db


def _client(sw: SecurityWorld, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(sw.users[who])
    return client


def _desk_with_cases(sw: SecurityWorld) -> WomensDesk:
    desk = services.desk_record(
        by=sw.users["coordinator"],
        institution=sw.institution(),
        name="Station Kalamu",
        area=sw.world.areas["D11"],
        status="open",
        opened_on=date(2024, 3, 8),
    )
    services.desk_cases_record(
        by=sw.users["coordinator"], desk=desk, period="2024Q1", received=4317, referred=2
    )
    return desk


@pytest.mark.parametrize(
    ("who", "sees"),
    [("coordinator", True), ("viewer", True), ("outsider", False), ("anonymous", False)],
)
def test_case_counts_only_for_members(sw: SecurityWorld, who: str, sees: bool) -> None:
    desk = _desk_with_cases(sw)
    page = _client(sw, who).get(reverse("security:desk", args=[sw.plan.code, desk.pk]))
    assert page.status_code == 200
    assert "Station Kalamu" in page.content.decode()
    assert ("4,317" in page.content.decode() or "4317" in page.content.decode()) is sees


def test_the_api_never_carries_case_counts(sw: SecurityWorld) -> None:
    _desk_with_cases(sw)
    # Every API call is authenticated; a signed-in non-member reads what the public reads.
    outsider = _client(sw, "outsider")
    for path in ("institutions", "desks/coverage"):
        response = outsider.get(f"/api/v1/plans/{sw.plan.code}/security/{path}")
        assert response.status_code == 200
        assert "4317" not in response.content.decode()
    coverage = outsider.get(f"/api/v1/plans/{sw.plan.code}/security/desks/coverage").json()
    assert {r["province"]: r["open"] for r in coverage["rows"]} == {"SEN-P1": 1, "SEN-P2": 0}
    listed = outsider.get(f"/api/v1/plans/{sw.plan.code}/security/institutions").json()
    assert listed["institutions"][0]["code"] == "PNC"
    assert listed["institutions"][0]["package_adopted"] is False


def test_the_coordinator_adopts_through_the_page(sw: SecurityWorld) -> None:
    sw.institution()
    client = _client(sw, "coordinator")
    url = reverse("security:adopt", args=[sw.plan.code, "PNC"])
    refused = client.post(url, {"node": ""})
    assert refused.status_code == 400
    done = client.post(url, {"node": sw.world.outcomes["O3"].pk})
    assert done.status_code == 302
    assert Indicator.objects.filter(code="PNC-PERS").exists()
    again = client.post(url, {"node": sw.world.outcomes["O3"].pk})
    assert again.status_code == 400
    assert "already adopted" in again.content.decode()


@pytest.mark.parametrize("who", ["viewer", "police_focal"])
def test_others_cannot_post(sw: SecurityWorld, who: str) -> None:
    sw.institution()
    client = _client(sw, who)
    code = sw.plan.code
    assert client.post(reverse("security:new", args=[code]), {"code": "X"}).status_code == 403
    adopt = reverse("security:adopt", args=[code, "PNC"])
    assert client.post(adopt, {"node": sw.world.outcomes["O3"].pk}).status_code == 403
    assert SecurityInstitution.objects.count() == 1


def test_pages_render_and_the_plan_links_here(sw: SecurityWorld) -> None:
    desk = _desk_with_cases(sw)
    client = _client(sw, "coordinator")
    code = sw.plan.code
    for url in (
        reverse("security:index", args=[code]),
        reverse("security:institution", args=[code, "PNC"]),
        reverse("security:coverage", args=[code]),
        reverse("security:desk", args=[code, desk.pk]),
    ):
        assert client.get(url).status_code == 200, url
    plan_page = client.get(reverse("portal:plan", args=[code])).content.decode()
    assert reverse("security:index", args=[code]) in plan_page
    made = client.post(
        reverse("security:desk_new", args=[code, "PNC"]),
        {"name": "Station B", "area": sw.world.areas["D21"].pk, "status": "planned"},
    )
    assert made.status_code == 302
    cases = client.post(
        reverse("security:cases", args=[code, desk.pk]),
        {"period": "2024Q2", "received": "3", "referred": "9"},
    )
    assert cases.status_code == 400
