"""The versions pages: the list with kind, date, review and difference link; a version's
difference; the comparison of two versions; the coordinator's forms (POST then redirect) and
everyone else's 403; the API's versions and difference."""

from __future__ import annotations

from django.test import Client
from tests.revisions.conftest import RevisionWorld
from tests.revisions.test_services import _revise

from wpsmonitor.api import api
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import PlanVersion, VersionStatus


def _client(rw: RevisionWorld, who: str | None) -> Client:
    client = Client()
    if who:
        client.force_login(rw.users[who])
    return client


def test_the_plan_page_shows_its_versions(rw: RevisionWorld) -> None:
    # Signed in: anonymous readers get the public cache, which serves the copy before a
    # publication while the new one is drawn.
    client = _client(rw, "viewer")
    html = client.get(f"/plans/{rw.plan.code}/").content.decode()
    assert f"/plans/{rw.plan.code}/versions/" in html
    assert "What version 2 changed" not in html
    _revise(rw)
    html = client.get(f"/plans/{rw.plan.code}/").content.decode()
    assert "What version 2 changed" in html and f"/plans/{rw.plan.code}/versions/2/" in html
    assert f"/plans/{rw.plan.code}/reviews/{rw.review.pk}/" in html


def test_versions_list_and_difference_for_anyone(rw: RevisionWorld) -> None:
    _revise(rw)
    client = _client(rw, None)
    html = client.get(f"/plans/{rw.plan.code}/versions/").content.decode()
    assert "Mid-term review" in html and "2025-07-15" in html
    assert f"/plans/{rw.plan.code}/reviews/{rw.review.pk}/" in html
    assert f"/plans/{rw.plan.code}/versions/2/" in html
    assert "IND-B" in html  # dropped, listed with its version
    page = client.get(f"/plans/{rw.plan.code}/versions/2/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Outcome 1, reworded" in html and "<del>Outcome 1</del>" in html
    assert "IND-B" in html and "Dropped" in html
    assert "Approve the revision" not in html
    compare = client.get(f"/plans/{rw.plan.code}/versions/1/to/2/")
    assert compare.status_code == 200 and "Targets changed" in compare.content.decode()
    assert client.get(f"/plans/{rw.plan.code}/versions/9/").status_code == 404


def test_a_restricted_indicator_stays_out_of_the_public_difference(rw: RevisionWorld) -> None:
    Indicator.objects.filter(pk=rw.b.pk).update(sensitivity=Sensitivity.RESTRICTED)
    _revise(rw)
    html = _client(rw, None).get(f"/plans/{rw.plan.code}/versions/2/").content.decode()
    assert "IND-B" not in html
    assert (
        "IND-B"
        in _client(rw, "coordinator").get(f"/plans/{rw.plan.code}/versions/2/").content.decode()
    )


def test_the_coordinator_prepares_drops_and_approves(rw: RevisionWorld) -> None:
    client = _client(rw, "coordinator")
    base = f"/plans/{rw.plan.code}/versions/"
    assert "Prepare the revision" in client.get(base).content.decode()
    answer = client.post(
        base + "new/", {"kind": "midterm", "reason": "Findings", "review": rw.review.pk}
    )
    assert answer.status_code == 302
    draft = PlanVersion.objects.get(plan=rw.plan, status=VersionStatus.DRAFT)
    assert (draft.number, draft.review) == (2, rw.review)
    html = client.get(base + "2/").content.decode()
    assert "Approve the revision" in html and "What the draft changes from version 1" in html
    assert client.post(base + "2/drop/", {"indicator": "IND-B"}).status_code == 302
    assert Indicator.objects.get(pk=rw.b.pk).retired_in == draft
    # An unknown code is refused with a message, nothing dropped.
    client.post(base + "2/drop/", {"indicator": "NOPE"})
    assert client.post(base + "2/approve/").status_code == 302
    assert PlanVersion.objects.get(pk=draft.pk).status == VersionStatus.CURRENT


def test_others_are_refused_the_forms(rw: RevisionWorld) -> None:
    base = f"/plans/{rw.plan.code}/versions/"
    for who in ("viewer", "outsider"):
        client = _client(rw, who)
        assert "Prepare the revision" not in client.get(base).content.decode()
        assert client.post(base + "new/", {"kind": "midterm"}).status_code == 403
    assert _client(rw, None).post(base + "new/", {"kind": "midterm"}).status_code == 302
    assert not PlanVersion.objects.exists()


def test_api_versions_and_difference(rw: RevisionWorld) -> None:
    _revise(rw)
    client = _client(rw, "outsider")
    body = client.get(f"/api/v1/plans/{rw.plan.code}/versions").json()
    assert [(v["number"], v["kind"], v["status"]) for v in body["versions"]] == [
        (1, "adopted", "superseded"),
        (2, "midterm", "current"),
    ]
    assert body["versions"][1]["review"] == rw.review.pk
    diff = client.get(f"/api/v1/plans/{rw.plan.code}/versions/2/difference").json()
    assert (diff["before"], diff["after"]) == (1, 2)
    assert diff["nodes_changed"] == [
        {"code": "O1", "field": "title", "before": "Outcome 1", "after": "Outcome 1, reworded"}
    ]
    assert [i["code"] for i in diff["indicators_removed"]] == ["IND-B"]
    assert diff["targets_changed"][0] == {
        "indicator": "IND-A", "period": "2024", "area": rw.plan.area.code, "cell": "total",
        "before": 100.0, "after": 150.0,
    }  # fmt: skip
    first = client.get(f"/api/v1/plans/{rw.plan.code}/versions/1/difference").json()
    assert first["before"] is None and first["targets_changed"] == []
    assert client.get(f"/api/v1/plans/{rw.plan.code}/versions/7/difference").status_code == 404
    paths = api.get_openapi_schema()["paths"]
    assert {
        "/api/v1/plans/{plan}/versions",
        "/api/v1/plans/{plan}/versions/{number}/difference",
    } <= set(paths)
