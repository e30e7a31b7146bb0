"""The review pages, a draft plan's tracker hidden from outsiders, French pages, and the
detail page's fixed query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.accountability.conftest import Tracker

from wpsmonitor.accountability import services
from wpsmonitor.accountability.models import Finding, Recommendation
from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.plans.models import PlanStatus

pytestmark = pytest.mark.django_db


def test_review_findings_become_recommendations(tracker: Tracker) -> None:
    client = Client()
    client.force_login(tracker.users["coordinator"])
    code = tracker.plan.code
    url = f"/plans/{code}/reviews/{tracker.review.pk}/"
    client.post(url + "act/", {"do": "finding", "text": "Data are late.", "node": "P2"})
    finding = Finding.objects.get(text="Data are late.")
    assert finding.node is not None and finding.node.code == "P2"
    response = client.post(
        url + "act/",
        {
            "do": "recommend",
            "finding": finding.pk,
            "text": "Report every quarter.",
            "addressees": ["police"],
        },
    )
    rec = Recommendation.objects.get(text="Report every quarter.")
    assert response.status_code == 302 and response["Location"].endswith(f"/{rec.pk}/")
    assert rec.finding == finding and rec.source == "midterm_review"
    assert [n.code for n in rec.nodes.all()] == ["P2"]  # the finding's node
    page = Client().get(url).content.decode()  # public plan: anyone reads the review
    assert "Data are late." in page and "Report every quarter." in page
    assert "Shelters postponed to the next plan." in page  # the decision on r4
    assert Client().get(f"/plans/{code}/reviews/").status_code == 200


def test_a_draft_plans_tracker_is_hidden_from_outsiders(tracker: Tracker) -> None:
    plan = tracker.plan
    plan.status = PlanStatus.DRAFT
    plan.save()
    code = plan.code
    r1 = tracker.recs["r1"].pk
    for role, expected in (("outsider", 404), ("viewer", 200)):
        client = Client()
        client.force_login(tracker.users[role])
        _token, raw = ApiToken.issue(user=tracker.users[role], name="t")
        headers = {"Authorization": f"Bearer {raw}"}
        assert client.get(f"/plans/{code}/recommendations/").status_code == expected
        assert client.get(f"/plans/{code}/recommendations/{r1}/").status_code == expected
        assert client.get(f"/plans/{code}/reviews/").status_code == expected
        api = client.get(f"/api/v1/plans/{code}/recommendations/summary", headers=headers)
        assert api.status_code == expected
    assert Client().get(f"/plans/{code}/recommendations/").status_code == 404


def test_pages_in_french(tracker: Tracker) -> None:
    client = Client(headers={"accept-language": "fr"})
    client.force_login(tracker.users["coordinator"])
    code = tracker.plan.code
    summary = client.get(f"/plans/{code}/recommendations/").content.decode()
    assert "1 recommandation sur 4 pleinement mise en œuvre." in summary
    assert "Recommandations en retard" in summary
    detail = client.get(f"/plans/{code}/recommendations/{tracker.recs['r1'].pk}/")
    assert "Enregistrer une décision" in detail.content.decode()
    # The history says what happened in the reader's language, whoever wrote it.
    # The organisation's name has no French text: its English one, marked as such.
    assert (
        'Réponse de <span lang="en" dir="ltr">Ministry of Gender</span>' in detail.content.decode()
    )
    assert "Enregistrée" in detail.content.decode()


def _count(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_detail_page_query_count_does_not_grow(tracker: Tracker) -> None:
    client = Client()
    client.force_login(tracker.users["focal"])
    r2 = tracker.recs["r2"]
    url = f"/plans/{tracker.plan.code}/recommendations/{r2.pk}/"
    ministry = tracker.cycle.built.ministry

    def add(i: int) -> None:
        services.response_add(
            by=tracker.users["focal"],
            recommendation=r2,
            organisation=ministry,
            text=f"Step {i}",
            status="in_progress" if i % 2 else "partly",
        )
        services.decision_record(
            by=tracker.users["coordinator"],
            recommendation=r2,
            organisation=ministry,
            text=f"Decision {i}",
            decided_on=r2.issued_on,
        )

    add(0)  # one of each first: an empty relation skips its prefetch
    before = _count(client, url)
    for i in range(1, 7):
        add(i)
    assert _count(client, url) == before


def test_publishing_an_assessment_asks_first(tracker: Tracker) -> None:
    """Issue 12 §6: one POST without confirmation publishes nothing; the page it answers
    says what becomes public and what is still blank."""
    plan, rec = tracker.cycle.plan.code, tracker.recs["r2"]
    monitor = Client()
    monitor.force_login(tracker.cycle.users["monitor"])
    url = f"/plans/{plan}/recommendations/{rec.pk}/act/"
    asked = monitor.post(url, {"do": "publish", "assessment": tracker.draft.pk})
    assert asked.status_code == 200
    assert "What will become public" in asked.content.decode()
    tracker.draft.refresh_from_db()
    assert tracker.draft.published_at is None
    other = Client()
    other.force_login(tracker.cycle.users["other_monitor"])
    refused = other.post(url, {"do": "publish", "assessment": tracker.draft.pk})
    assert refused.status_code == 404  # another organisation's draft is not there for them
    monitor.post(url, {"do": "publish", "assessment": tracker.draft.pk, "confirm": "yes"})
    tracker.draft.refresh_from_db()
    assert tracker.draft.published_at is not None
