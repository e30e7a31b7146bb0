"""The API answers the same figures as the page, to any signed-in caller of a public plan
(every endpoint requires a caller, docs/api.md)."""

from __future__ import annotations

from datetime import date

from django.test import Client
from tests.peace.conftest import PeaceWorld

from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.peace import services


def _outsider(pw: PeaceWorld) -> Client:
    """Signed in, with no role on the plan."""
    client = Client()
    client.force_login(pw.users["outsider"])
    return client


def test_processes_give_each_rounds_shares(trio: PeaceWorld) -> None:
    response = _outsider(trio).get(f"/api/v1/plans/{trio.plan.code}/peace/processes")
    assert response.status_code == 200
    (process,) = response.json()["processes"]
    assert process["name"] == "Inter-Congolese dialogue"
    shares = [r["roles"]["negotiator"]["share"] for r in process["rounds"]]
    assert shares == [0.1333, 0.2667, 0.5]
    second = process["rounds"][1]
    assert second["roles"]["negotiator"] == {
        "women": 4,
        "men": 11,
        "not_recorded": 2,
        "share": 0.2667,
    }
    assert [r["overall"]["share"] for r in process["rounds"]] == [0.125, 0.2941, 0.5]
    assert process["rounds"][0]["roles"]["signatory"]["share"] is None


def test_consultations(trio: PeaceWorld) -> None:
    services.consultation_record(
        by=trio.users["coordinator"],
        process=trio.process,
        held_on=date(2024, 1, 10),  # type: ignore[arg-type]
        stage="before",
        method="written",
        organisations_consulted=4,
        womens_organisations=4,
        asked="Gender provisions.",
        in_outcome="yes",
    )
    body = _outsider(trio).get(f"/api/v1/plans/{trio.plan.code}/peace/consultations").json()
    (found,) = body["consultations"]
    assert found["womens_organisations"] == 4 and found["in_outcome"] == "yes"


def test_a_draft_plan_answers_404_to_outsiders(trio: PeaceWorld) -> None:
    trio.plan.status = PlanStatus.DRAFT
    trio.plan.save(update_fields=["status"])
    assert Client().get(f"/api/v1/plans/{trio.plan.code}/peace/processes").status_code == 401
    client = Client()
    client.force_login(trio.users["outsider"])
    assert client.get(f"/api/v1/plans/{trio.plan.code}/peace/consultations").status_code == 404
