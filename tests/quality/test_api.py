"""GET /api/v1/plans/quality, GET and PATCH /api/v1/plans/{plan}/quality: the pages' figures,
the same rights, clear errors, in the OpenAPI schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.plans.models import Plan, PlanStatus

from .conftest import World, build_full, national


def _headers(world: World, role: str) -> dict[str, str]:
    _token, raw = ApiToken.issue(user=world.users[role], name="quality")
    return {"Authorization": f"Bearer {raw}"}


def _get(world: World, role: str, url: str) -> Any:
    return Client().get(url, headers=_headers(world, role))


def _patch(world: World, role: str, url: str, body: dict[str, Any]) -> Any:
    return Client().patch(
        url, data=json.dumps(body), content_type="application/json", headers=_headers(world, role)
    )


def test_plan_quality(world: World) -> None:
    build_full(world)
    response = _get(world, "outsider", "/api/v1/plans/q-full/quality")
    assert response.status_code == 200
    body = response.json()
    assert body["plan"]["code"] == "q-full"
    assert (body["points"], body["maximum"]) == (13.45, 16)
    assert body["percent"] == pytest.approx(84.06, abs=0.01)
    assert body["civil_society_roles"] == ["design", "monitoring"]
    assert body["alignment_references"] == ["cedaw"]
    criteria = {c["key"]: c for c in body["criteria"]}
    assert len(criteria) == 16
    responsible = criteria["responsible"]
    assert (responsible["group"], responsible["status"], responsible["fraction"]) == (
        "oecd",
        "partly",
        0.8,
    )
    assert responsible["why"] == "1 of 5 actions has no responsible institution."
    assert responsible["missing"] == [
        {"kind": "action", "code": "A2", "title": "Include women in the small arms commission",
         "note": ""}
    ]  # fmt: skip
    assert responsible["link"] == {
        "url": "/plans/q-full/quality/#missing-responsible",
        "label": "See the list below",
    }
    assert criteria["localisation"]["found"][0]["code"] == "q-full-nbo"
    assert criteria["balance"]["link"] is None


def test_comparison(world: World) -> None:
    build_full(world)
    national(world, "q-other", status=PlanStatus.DRAFT)  # hidden from the outsider
    body = _get(world, "outsider", "/api/v1/plans/quality").json()
    assert body["count"] == 2
    assert [p["plan"]["code"] for p in body["plans"]] == ["q-full", "q-full-nbo"]
    full = body["plans"][0]
    assert (full["points"], full["maximum"]) == (13.45, 16)
    assert full["criteria"][0] == {"key": "responsible", "status": "partly", "fraction": 0.8}
    stats = {s["key"]: s for s in body["statistics"]}
    assert stats["localisation"] == {
        "key": "localisation",
        "group": "content",
        "title": "Localisation: local plans exist",
        "applicable": 1,
        "met": 1,
        "partly": 0,
        "not_met": 0,
        "met_percent": 100.0,
    }
    assert (stats["budget"]["met"], stats["budget"]["met_percent"]) == (1, 50.0)
    staff = _get(world, "staff", "/api/v1/plans/quality").json()
    assert staff["count"] == 4
    local = _get(world, "outsider", "/api/v1/plans/quality?kind=local").json()
    assert [p["plan"]["code"] for p in local["plans"]] == ["q-full-nbo"]
    bad = _get(world, "outsider", "/api/v1/plans/quality?kind=galactic")
    assert bad.status_code == 400


def test_empty_comparison_still_lists_criteria(world: World) -> None:
    body = _get(world, "outsider", "/api/v1/plans/quality").json()
    assert body["count"] == 0 and body["plans"] == []
    assert len(body["statistics"]) == 16
    assert body["statistics"][0]["met_percent"] is None


def test_rights_and_errors(world: World) -> None:
    plan = build_full(world)
    assert Client().get("/api/v1/plans/q-full/quality").status_code == 401
    assert Client().get("/api/v1/plans/quality").status_code == 401
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    hidden = _get(world, "outsider", "/api/v1/plans/q-full/quality")
    assert hidden.status_code == 404
    assert hidden.json()["detail"] == "No plan with code q-full."
    assert _get(world, "viewer", "/api/v1/plans/q-full/quality").status_code == 200


def test_patch_by_the_coordinator(world: World) -> None:
    build_full(world)
    response = _patch(
        world,
        "coordinator",
        "/api/v1/plans/q-full/quality",
        {"civil_society_roles": ["monitoring", "implementation", "design"]},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["civil_society_roles"] == ["design", "implementation", "monitoring"]
    # Fields left out stay as they were.
    assert body["me_description"].startswith("A steering committee")
    assert body["points"] == pytest.approx(13.45 + 0.25)
    civil = next(c for c in body["criteria"] if c["key"] == "civil_society")
    assert civil["status"] == "met"


@pytest.mark.parametrize("role", ["viewer", "monitor", "outsider"])
def test_patch_refused_to_others(world: World, role: str) -> None:
    build_full(world)
    response = _patch(world, role, "/api/v1/plans/q-full/quality", {"me_description": ""})
    assert response.status_code == 403
    assert Plan.objects.get(code="q-full").me_description.startswith("A steering committee")


def test_patch_bad_value_changes_nothing(world: World) -> None:
    build_full(world)
    response = _patch(
        world,
        "coordinator",
        "/api/v1/plans/q-full/quality",
        {"me_description": "New", "alignment_references": ["sdg", "cedaw", "upr"]},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Unknown alignment framework upr; use cedaw, sdg."
    plan = Plan.objects.get(code="q-full")
    assert plan.me_description.startswith("A steering committee")
    assert plan.alignment_references == ["cedaw"]


def test_patch_needs_a_token(world: World) -> None:
    build_full(world)
    client = Client()
    client.force_login(world.users["coordinator"])  # a browser session cannot write
    response = client.patch(
        "/api/v1/plans/q-full/quality", data="{}", content_type="application/json"
    )
    assert response.status_code == 401


def test_openapi_lists_the_endpoints(world: World) -> None:
    schema = Client().get("/api/v1/schema").json()
    paths = schema["paths"]
    compare = paths["/api/v1/plans/quality"]["get"]
    assert compare["operationId"] == "plans_quality_compare"
    assert "QualityComparisonOut" in json.dumps(compare["responses"]["200"])
    one = paths["/api/v1/plans/{plan}/quality"]
    assert "PlanQualityOut" in json.dumps(one["get"]["responses"]["200"])
    assert set(one["patch"]["responses"]) >= {"200", "400", "401", "403", "404"}
