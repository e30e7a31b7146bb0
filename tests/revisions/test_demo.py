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


def test_the_demo_revision_carries_the_boards_cosignature(db: None) -> None:
    from tests.revisions.test_cosign import build_cosign_world

    from wpsmonitor.plans.versions import board_cosigned

    cw = build_cosign_world()
    services_abandon(cw)
    assert revisions_load(cw.plan) == 3
    second = PlanVersion.objects.get(plan=cw.plan, status="current")
    assert second.number == 3  # after the abandoned draft
    assert second.board_cosign_required and board_cosigned(second)
    signatures = second.board_signatures.all()  # type: ignore[attr-defined]
    assert {s.side for s in signatures} == {"government", "civil_society"}
    assert all(s.at < second.approved_at for s in signatures)


def services_abandon(cw) -> None:  # type: ignore[no-untyped-def]
    from wpsmonitor.revisions import services

    services.revision_abandon(access=cw.rw.access(), version=cw.draft)
