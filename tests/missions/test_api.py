"""The API answers what the pages show: missions with their mandates' WPS provisions, the
transition plan with its phases' progress and benchmarks' history (any caller who reads the
plan); the protection figures are tested with the release in test_pages.py."""

from __future__ import annotations

from django.test import Client
from tests.missions.conftest import MissionWorld

from wpsmonitor.core.vocabulary import PlanStatus


def _client(mw: MissionWorld, who: str) -> Client:
    client = Client()
    client.force_login(mw.users[who])
    return client


def test_missions_with_mandates_and_provisions(mw: MissionWorld) -> None:
    body = _client(mw, "outsider").get(f"/api/v1/plans/{mw.plan.code}/missions").json()
    (mission,) = body["missions"]
    assert mission["acronym"] == "MONUSCO" and mission["transition"] is True
    assert [m["symbol"] for m in mission["mandates"]] == ["S/RES/2666 (2022)", "S/RES/2717 (2023)"]
    assert mission["mandates"][0]["provisions"] == [
        {
            "category": "protection",
            "paragraph": "OP 29 (d)",
            "text": "Protect women and girls from sexual violence.",
        }
    ]


def test_transition_phases_progress_and_history(mw: MissionWorld) -> None:
    url = f"/api/v1/plans/{mw.plan.code}/missions/{mw.mission.pk}/transition"
    body = _client(mw, "outsider").get(url).json()
    first, second = body["phases"]
    assert (first["met"], first["total"], second["met"], second["total"]) == (2, 3, 0, 1)
    assert first["area"] == "SEN-P1" and first["handover_on"] == "2025-01-01"
    courts = next(b for b in first["benchmarks"] if b["description"] == "Courts sit")
    assert courts["status"] == "not_met"
    assert courts["history"] == [{"on": "2025-02-01", "status": "not_met", "note": "No judges."}]


def test_members_read_the_detail_of_the_protection_figures(mw: MissionWorld) -> None:
    url = f"/api/v1/plans/{mw.plan.code}/missions/{mw.mission.pk}/protection"
    body = _client(mw, "viewer").get(url).json()
    assert body["reading"] == "detail" and body["window"] == 4
    (row,) = body["indicators"]
    assert row["indicator"] == "SV-01" and row["area"] == "SEN-P1"
    assert (row["before"]["mean"], row["after"]["mean"], row["change"]) == (25, 10, -15)
    assert [p["period"] for p in row["before"]["points"]] == [
        "2024Q1",
        "2024Q2",
        "2024Q3",
        "2024Q4",
    ]


def test_refusals(mw: MissionWorld) -> None:
    assert Client().get(f"/api/v1/plans/{mw.plan.code}/missions").status_code == 401
    missing = f"/api/v1/plans/{mw.plan.code}/missions/999999/transition"
    assert _client(mw, "outsider").get(missing).status_code == 404
    mw.plan.status = PlanStatus.DRAFT
    mw.plan.save(update_fields=["status"])
    assert _client(mw, "outsider").get(f"/api/v1/plans/{mw.plan.code}/missions").status_code in (
        403,
        404,
    )
    assert _client(mw, "viewer").get(f"/api/v1/plans/{mw.plan.code}/missions").status_code == 200
