"""The demo's recommendations: several sources, few fully implemented, several overdue,
civil-society assessments that sometimes disagree, a mid-term review with decisions."""

from __future__ import annotations

from datetime import date

import pytest

from wpsmonitor.accountability import selectors
from wpsmonitor.accountability.models import Decision, Finding, Recommendation, Review
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.demo import content
from wpsmonitor.demo.builder import demo_load
from wpsmonitor.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_demo_recommendations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WPSMONITOR_DEMO_PASSWORD", "demo-secret-42")
    assert demo_load(rebuild=False) is not None
    nap = Plan.objects.get(code=content.NAP_CODE)
    data = selectors.summary_data(
        selectors.summary(PlanAccess.load(None, nap), today=date(2026, 11, 22))
    )
    # The review's 30, and 5 from oversight: an audit's 3 findings, a hearing's 2 commitments.
    assert data["total"] == 35
    assert data["fully"] == 2
    assert len({r["key"] for r in data["by_source"]}) >= 7
    assert len(data["overdue"]) >= 5
    assert len(data["disagreements"]) >= 5
    review = Review.objects.get(plan=nap)
    assert Finding.objects.filter(review=review).count() == 3
    assert Recommendation.objects.filter(finding__review=review).count() == 6
    assert Decision.objects.filter(recommendation__plan=nap).count() == 3
    assert Recommendation.objects.filter(plan=nap, responses__isnull=False).distinct().count() > 5
    # A reset removes them with the plan and builds the same again.
    assert demo_load(reset=True, rebuild=False) is not None
    assert Recommendation.objects.filter(plan__code=content.NAP_CODE).count() == 35
