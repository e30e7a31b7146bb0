"""The demo's national plan has civil-society scorecards, and each one adds up: every score is
its items' points over their maximum, whatever data the demo's shadow monitoring brings."""

from __future__ import annotations

import pytest
from django.test import Client

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.demo import content
from wpsmonitor.demo.builder import demo_load
from wpsmonitor.plans.models import Plan
from wpsmonitor.scorecard.scoring import LEVELS, plan_scorecard

pytestmark = pytest.mark.django_db


def test_demo_scorecards_add_up(monkeypatch: pytest.MonkeyPatch, client: Client) -> None:
    monkeypatch.setenv("WPSMONITOR_DEMO_PASSWORD", "demo-secret-42")
    assert demo_load(reports=False) is not None
    nap = Plan.objects.get(code=content.NAP_CODE)
    found = plan_scorecard(PlanAccess.load(None, nap))
    assert found.cards, "the demo's civil society published nothing on the national plan"
    for card in found.cards:
        assert all(item.source_id == card.source.pk for item in card.items)
        for level in LEVELS:
            for year in card.years:
                items = [i for i in card.items if i.level == level and i.year == year]
                total = card.level(level).total.scores[year]
                assert total.points == sum(i.points or 0 for i in items)
                assert total.maximum == sum(i.maximum for i in items)
                assert total.unscored == sum(1 for i in items if i.points is None)
                pillars = card.level(level).pillars
                assert sum(p.scores[year].points for p in pillars) == total.points
        page = client.get(f"/plans/{nap.code}/scorecard/?source={card.source.code}")
        assert page.status_code == 200
        assert card.source.code in page.content.decode()
