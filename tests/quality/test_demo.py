"""The demo's plans have meaningful, varied quality scorecards, and both pages render them."""

from __future__ import annotations

import pytest
from django.test import Client

from wpsmonitor.demo import content
from wpsmonitor.demo.builder import demo_load
from wpsmonitor.plans.models import Plan
from wpsmonitor.quality import scoring as quality

pytestmark = pytest.mark.django_db


def test_demo_scorecards_vary(monkeypatch: pytest.MonkeyPatch, client: Client) -> None:
    monkeypatch.setenv("WPSMONITOR_DEMO_PASSWORD", "demo-secret-42")
    assert demo_load(reports=False) is not None
    plans = list(Plan.objects.filter(code__in=[p["code"] for p in content.PLANS]).order_by("code"))
    comparison = quality.compare(plans)
    cards = {card.plan.code: card for card in comparison.scorecards}
    nap = cards[content.NAP_CODE]
    assert nap.plan.civil_society_roles == ["design", "implementation", "monitoring"]
    assert nap.criterion("civil_society").status == quality.Status.MET  # it has monitors too
    assert nap.criterion("me").status == quality.Status.MET  # the demo opens reporting rounds
    assert nap.criterion("disarmament").status == quality.Status.MET
    assert nap.criterion("localisation").status == quality.Status.MET
    assert cards["demo-cod-sk-lap"].criterion("civil_society").status == quality.Status.NOT_MET
    assert cards["demo-cod-nk-lap"].criterion("civil_society").status == quality.Status.PARTLY
    # Meaningful: not every criterion met anywhere, scores differ, every status occurs.
    assert len({round(card.points, 2) for card in cards.values()}) == 3
    statuses = {c.status for card in cards.values() for c in card.criteria}
    assert statuses == {"met", "partly", "not_met", "not_applicable"}
    for card in cards.values():
        assert 0 < card.points < card.maximum
        page = client.get(f"/plans/{card.plan.code}/quality/")
        assert page.status_code == 200
        assert f"of {card.maximum} points" in page.content.decode()
    page = client.get("/plans/compare/")
    # The three plans above and Kinshasa's, made by copy-down (demo/localisation.py).
    assert page.status_code == 200 and "4 plans compared" in page.content.decode()
