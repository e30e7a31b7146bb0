"""The localisation pages and the API: who may open what, the copy-down form's refusals, and
the proposals' decisions through the site."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.plans.models import FrameworkNode, LocalisationProposal, Plan, ProposalStatus
from wpsmonitor.plans.services import node_update

from .conftest import Built

pytestmark = pytest.mark.django_db


def _client(built: Built, name: str | None) -> Client:
    client = Client()
    if name:
        client.force_login(built.users[name])
    return client


def test_overview_shows_the_matrix_and_the_rollup(built: Built) -> None:
    page = _client(built, "coord").get("/plans/nap-lo/localisation/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Localisation matrix" in text and "Plan local P1" in text
    assert "/plans/nap-lo/localisation/new/" in text  # the coordinator may copy down
    assert "Not taken up" in text  # P2 did not take PRO.1 up
    # A visitor reads the page without the link, and no draft local plan.
    anonymous = Client().get("/plans/nap-lo/localisation/").content.decode()
    assert "/localisation/new/" not in anonymous and "Plan local P1" not in anonymous
    # The national plan's page links to it.
    assert "/plans/nap-lo/localisation/" in Client().get("/plans/nap-lo/").content.decode()


def test_copy_down_page_is_the_coordinators(built: Built) -> None:
    assert _client(built, "viewer").get("/plans/nap-lo/localisation/new/").status_code == 403
    assert _client(built, "stranger").get("/plans/nap-lo/localisation/new/").status_code == 403
    assert Client().get("/plans/nap-lo/localisation/new/").status_code == 302  # sign in
    # A local plan is not copied down from.
    assert _client(built, "coord").get("/plans/lap-p1/localisation/new/").status_code == 403
    assert _client(built, "coord").get("/plans/nap-lo/localisation/new/").status_code == 200


def test_copy_down_through_the_site(built: Built) -> None:
    client = _client(built, "coord")
    data: dict[str, Any] = {
        "code": "lap-p3",
        "title": "Plan local P3",
        "kind": "local",
        "area": built.provinces["P3"].pk,
        "nodes": [built.nodes["PAR.1.1.2"].pk],
        "indicators": [built.indicators["CNT"].pk],
    }
    refused = client.post("/plans/nap-lo/localisation/new/", {**data, "code": "lap-p1"})
    assert refused.status_code == 400
    assert "already exists" in refused.content.decode()
    assert 'value="lap-p1"' in refused.content.decode()  # what was typed stays
    assert not Plan.objects.filter(code="lap-p3").exists()
    made = client.post("/plans/nap-lo/localisation/new/", data)
    assert made.status_code == 302 and made["Location"] == "/plans/lap-p3/"
    plan = Plan.objects.get(code="lap-p3")
    assert set(plan.nodes.values_list("code", flat=True)) == {
        "PAR",
        "PAR.1",
        "PAR.1.1",
        "PAR.1.1.2",
    }
    assert plan.indicators.get().source_indicator == built.indicators["CNT"]


def test_proposals_page_and_decisions(built: Built) -> None:
    node_update(node=built.nodes["PAR.1"], title="Les femmes dirigent")
    proposal = LocalisationProposal.objects.get(plan=built.p1_plan)
    assert _client(built, "viewer").get("/plans/lap-p1/proposals/").status_code == 403
    assert (
        _client(built, "viewer")
        .post(f"/plans/lap-p1/proposals/{proposal.pk}/", {"do": "accept"})
        .status_code
        == 403
    )
    client = _client(built, "coord")
    page = client.get("/plans/lap-p1/proposals/").content.decode()
    assert "Les femmes dirigent" in page and "Les femmes participent" in page
    assert "/plans/lap-p1/proposals/" in client.get("/plans/lap-p1/").content.decode()
    # Another plan's proposal is not found through this plan.
    other = LocalisationProposal.objects.get(plan=built.p2_plan)
    assert client.post(f"/plans/lap-p1/proposals/{other.pk}/", {"do": "accept"}).status_code == 404
    done = client.post(f"/plans/lap-p1/proposals/{proposal.pk}/", {"do": "accept"})
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert (
        FrameworkNode.objects.get(plan=built.p1_plan, code="PAR.1").title == "Les femmes dirigent"
    )
    client.post(f"/plans/lap-p2/proposals/{other.pk}/", {"do": "decline"})
    other.refresh_from_db()
    assert other.status == ProposalStatus.DECLINED
    assert "No open proposal." in client.get("/plans/lap-p2/proposals/").content.decode()


def test_api_rollup(built: Built) -> None:
    _token, raw = ApiToken.issue(user=built.users["coord"], name="localisation")
    answer = Client().get(
        "/api/v1/plans/nap-lo/localisation", headers={"Authorization": f"Bearer {raw}"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert [p["code"] for p in body["local_plans"]] == ["lap-p1", "lap-p2"]
    assert body["local_plans"][0]["reading"] == "detail"
    assert [p["plans"] for p in body["provinces"]] == [["lap-p1"], ["lap-p2"], []]
    cnt = next(i for i in body["indicators"] if i["code"] == "CNT")
    assert cnt["localised_in"] == ["lap-p1", "lap-p2"] and cnt["reported_in"] == cnt["localised_in"]
    period = cnt["periods"][0]
    assert [(f["plan"], f["value"]) for f in period["local"]] == [("lap-p1", 10), ("lap-p2", 5)]
    assert period["rolled_up"] == {
        "value": 15,
        "numerator": None,
        "denominator": None,
        "plans_added": 2,
    }
    # Someone with no role: the drafts are not read, nothing of them shows.
    _token, other = ApiToken.issue(user=built.users["stranger"], name="localisation")
    headers = {"Authorization": f"Bearer {other}"}
    stranger = Client().get("/api/v1/plans/nap-lo/localisation", headers=headers).json()
    assert stranger["local_plans"] == [] and stranger["indicators"] == []
    assert Client().get("/api/v1/plans/nope/localisation", headers=headers).status_code == 404
