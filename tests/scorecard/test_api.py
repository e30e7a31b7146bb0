"""GET /api/v1/plans/{plan}/scorecard: the page's figures, the same rights, clear errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from wpsmonitor.accounts.models import ApiToken

from .conftest import Built, build

URL = "/api/v1/plans/nap-sc/scorecard"


def _get(built: Built, role: str, url: str = URL) -> Any:
    _token, raw = ApiToken.issue(user=built.users[role], name="scorecard")
    return Client().get(url, headers={"Authorization": f"Bearer {raw}"})


def _total(level: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {s["year"]: (s["points"], s["maximum"]) for s in level["total"]}


def test_scores_and_items_as_on_the_page(built: Built) -> None:
    # A member reads the detail; anyone else the published release
    # (tests/publishing/test_no_small_cells_public.py).
    response = _get(built, "viewer")
    assert response.status_code == 200
    body = response.json()
    assert body["plan"] == "nap-sc" and body["max_points"] == 4
    assert body["ratings"] == {
        "no_progress": 0,
        "limited": 1,
        "moderate": 2,
        "substantial": 3,
        "met": 4,
    }
    assert body["action_points"] == {"implemented": 4, "partly": 2, "not_implemented": 0}
    (card,) = body["sources"]
    assert (card["source"], card["organisation"], card["years"]) == (
        "cso-shadow",
        "women-network",
        ["2024", "2025"],
    )
    national, local = card["levels"]
    assert national["level"] == "national" and local["level"] == "local"
    assert _total(national) == {"2024": (6, 12), "2025": (5, 12)}
    assert _total(local) == {"2024": (2, 4), "2025": (10, 16)}
    assert local["total"][1]["score"] == pytest.approx(62.5)
    assert local["total"][1]["no_target"] == 1
    pro = next(p for p in local["pillars"] if p["code"] == "PRO")
    assert [(s["points"], s["maximum"], s["score"]) for s in pro["scores"]] == [
        (0, 0, None),  # no data in 2024: null, not zero
        (0, 4, 0.0),
    ]
    assert [c["category"] for c in pro["categories"]] == ["prevention_protection"]
    assert [a["code"] for a in local["areas"]] == ["COD-P1", "COD-P2"]
    par01 = next(i for i in card["items"] if i["code"] == "PAR-01" and i["year"] == "2024")
    assert par01 == {
        "year": "2024",
        "level": "local",
        "area": "COD-P1",
        "pillar": "PAR",
        "category": "participation",
        "kind": "indicator",
        "code": "PAR-01",
        "title": "Indicator PAR-01",
        "value": pytest.approx(20.0),  # 5 of 25
        "baseline": 10.0,
        "target": 30.0,
        "target_basis": "national",
        "target_period": "2026",
        "achievement": pytest.approx(0.5),
        "assessment": "",
        "assessment_period": "",
        "rating": 2,
        "points": 2,
        "maximum": 4,
        "not_scored": "",
        "unpublished": False,
    }
    unknown = next(i for i in card["items"] if i["code"] == "PAR.A2")
    assert (unknown["points"], unknown["maximum"], unknown["not_scored"]) == (None, 0, "unknown")


def test_filters(built: Built) -> None:
    body = _get(built, "viewer", URL + "?source=cso-shadow&year=2024").json()
    (card,) = body["sources"]
    assert {i["year"] for i in card["items"]} == {"2024"}
    assert len(card["levels"][0]["total"]) == 2  # scores keep every year
    assert _get(built, "viewer", URL + "?items=false").json()["sources"][0]["items"] == []


def test_bad_parameters_are_named(built: Built) -> None:
    response = _get(built, "viewer", URL + "?source=cso-youth")  # publishes nothing
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "source"
    response = _get(built, "viewer", URL + "?year=1999")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "year"
    assert _get(built, "viewer", URL + "?items=perhaps").status_code == 400


def test_rights(built: Built) -> None:
    assert Client().get(URL).status_code == 401
    assert _get(built, "viewer", "/api/v1/plans/nope/scorecard").status_code == 404
    # An organisation's unpublished indicator: its monitor sees it, the coordinator does not.
    codes = {i["code"] for i in _get(built, "coordinator").json()["sources"][0]["items"]}
    assert "OWN-DRAFT" not in codes and "OWN-1" in codes
    mine = _get(built, "monitor").json()["sources"][0]["items"]
    assert next(i for i in mine if i["code"] == "OWN-DRAFT")["unpublished"] is True


def test_a_draft_plan_answers_404_to_outsiders(db: None) -> None:
    draft = build(code="nap-draft", status="draft")
    url = "/api/v1/plans/nap-draft/scorecard"
    assert _get(draft, "outsider", url).status_code == 404
    assert _get(draft, "viewer", url).status_code == 200


def test_session_readers_and_the_openapi_schema(built: Built) -> None:
    client = Client()
    client.force_login(built.users["viewer"])
    assert client.get(URL).status_code == 200
    schema = Client().get("/api/v1/schema").json()
    operation = schema["paths"]["/api/v1/plans/{plan}/scorecard"]["get"]
    assert operation["operationId"] == "scorecard_get"
    assert set(operation["responses"]) >= {"200", "400", "401", "404"}
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/ScorecardOut")
    assert "ItemOut" in schema["components"]["schemas"]
