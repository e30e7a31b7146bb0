"""The demo's mid-term revision on a fixture plan: version 2, linked to the mid-term review,
rewording an outcome, dropping one indicator and raising a target; recorded once."""

from __future__ import annotations

from tests.revisions.conftest import RevisionWorld

from wpsmonitor.demo.revisions import revisions_load
from wpsmonitor.plans.models import PlanVersion
from wpsmonitor.revisions import selectors


def test_the_demo_revision_on_a_fixture_plan(rw: RevisionWorld) -> None:
    assert revisions_load(rw.plan) == 3
    assert revisions_load(rw.plan) == 0  # once
    second = PlanVersion.objects.get(plan=rw.plan, number=2)
    assert (second.kind, second.status, second.review) == ("midterm", "current", rw.review)
    assert "fictitious" in second.reason
    diff = selectors.versions_between(rw.plan, 1, 2)
    assert [r.code for r in diff.nodes_changed] == ["O1"]
    assert [i["code"] for i in diff.indicators_removed] == ["IND-B"]
    assert [(t.indicator, t.period, t.before, t.after) for t in diff.targets_changed] == [
        ("IND-A", "2025", 200.0, 250.0)
    ]
    assert second.approved_at is not None and second.approved_at.date().isoformat() == "2025-07-30"
