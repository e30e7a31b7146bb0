"""Revisions through the services: version 1 recorded lazily, a draft compared with the live
framework, approval freezing it, the target in force for a period before and after the
revision, a dropped indicator keeping its figures, rights, and history never rewritten."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.revisions.conftest import RevisionWorld

from wpsmonitor.indicators.models import DataValue, Indicator, Period, TargetChange
from wpsmonitor.indicators.services import target_set
from wpsmonitor.plans.models import PlanVersion, VersionStatus
from wpsmonitor.plans.services import node_update
from wpsmonitor.revisions import selectors, services

APPROVED = datetime(2025, 7, 15, 12, tzinfo=UTC)


def _revise(rw: RevisionWorld) -> PlanVersion:
    """Version 2 after the mid-term review: O1 reworded, IND-B dropped, IND-A's 2024 and 2025
    targets raised (100 → 150, 200 → 250), approved on 15 July 2025."""
    access = rw.access()
    draft = services.revision_prepare(
        access=access, kind="midterm", reason="Mid-term findings", review=rw.review
    )
    node_update(node=rw.world.outcomes["O1"], title="Outcome 1, reworded")
    services.indicator_drop(access=access, version=draft, indicator=rw.b)
    target_set(indicator=rw.a, period="2024", value=150)
    target_set(indicator=rw.a, period="2025", value=250)
    return services.revision_approve(access=access, version=draft, at=APPROVED)


def test_preparing_records_version_one_as_the_plan_stood(rw: RevisionWorld) -> None:
    draft = services.revision_prepare(access=rw.access(), kind="midterm", review=rw.review)
    first = PlanVersion.objects.get(plan=rw.plan, number=1)
    assert (first.kind, first.status, draft.number, draft.status) == (
        "adopted", VersionStatus.CURRENT, 2, VersionStatus.DRAFT
    )  # fmt: skip
    assert {i["code"] for i in first.snapshot["indicators"]} == {"IND-A", "IND-B"}
    # The draft reads the live framework: nothing changed yet.
    assert selectors.version_difference(draft)[1].is_empty
    node_update(node=rw.world.outcomes["O1"], title="Outcome 1, reworded")
    before, diff = selectors.version_difference(draft)
    assert before == first
    assert [(r.code, r.after) for r in diff.nodes_changed] == [("O1", "Outcome 1, reworded")]


def test_approval_freezes_supersedes_and_records_target_changes(rw: RevisionWorld) -> None:
    second = _revise(rw)
    first = PlanVersion.objects.get(plan=rw.plan, number=1)
    assert (first.status, second.status) == (VersionStatus.SUPERSEDED, VersionStatus.CURRENT)
    assert second.approved_by == rw.users["coordinator"]
    diff = selectors.versions_between(rw.plan, 1, 2)
    assert [i["code"] for i in diff.indicators_removed] == ["IND-B"]
    assert [(t.period, t.before, t.after) for t in diff.targets_changed] == [
        ("2024", 100.0, 150.0),
        ("2025", 200.0, 250.0),
    ]
    changes = TargetChange.objects.filter(version=second).order_by("period__code")
    assert [(c.period.code, c.old_value, c.new_value) for c in changes] == [
        ("2024", 100.0, 150.0),
        ("2025", 200.0, 250.0),
    ]
    # Frozen: a later edit of the live framework leaves version 2 as approved.
    node_update(node=rw.world.outcomes["O1"], title="Edited again")
    assert selectors.versions_between(rw.plan, 1, 2) == diff


def test_target_in_force_before_and_after_the_revision(rw: RevisionWorld) -> None:
    _revise(rw)
    # 2024 ended before 15 July 2025: the old target; 2025 had not: the new one.
    assert selectors.target_in_force(rw.a, Period.objects.get(code="2024")) == 100.0
    assert selectors.target_in_force(rw.a, Period.objects.get(code="2025")) == 250.0


def test_achievement_uses_the_target_in_force(rw: RevisionWorld) -> None:
    """80 in 2024 against 100 (in force then, not 150): 0.8; 200 in 2025 against 250: 0.8."""
    rw.world.value(rw.a, "2024", value=80)
    rw.world.value(rw.a, "2025", value=200)
    _revise(rw)
    rw.world.rebuild()
    row_2024 = rw.world.agg(rw.a, "2024")
    row_2025 = rw.world.agg(rw.a, "2025")
    assert row_2024 is not None and row_2025 is not None
    assert (row_2024.target, row_2024.achievement) == (100.0, pytest.approx(0.8))
    assert (row_2025.target, row_2025.achievement) == (250.0, pytest.approx(0.8))


def test_a_dropped_indicator_keeps_its_figures(rw: RevisionWorld) -> None:
    rw.world.value(rw.b, "2024", value=7)
    _revise(rw)
    dropped = Indicator.objects.get(pk=rw.b.pk)
    assert dropped.retired_in is not None and dropped.retired_in.number == 2
    assert DataValue.objects.get(indicator=dropped).value == 7
    assert list(selectors.retired_indicators(rw.plan)) == [dropped]
    assert "IND-B" in {i["code"] for i in PlanVersion.objects.get(number=1).snapshot["indicators"]}
    rw.world.rebuild()
    assert rw.world.v(dropped, "2024") == 7


@pytest.mark.parametrize("name", ["viewer", "outsider"])
def test_only_the_coordinator_revises(rw: RevisionWorld, name: str) -> None:
    with pytest.raises(PermissionDenied):
        services.revision_prepare(access=rw.access(name), kind="midterm")
    draft = services.revision_prepare(access=rw.access(), kind="correction")
    for call in (
        lambda: services.indicator_drop(access=rw.access(name), version=draft, indicator=rw.b),
        lambda: services.revision_approve(access=rw.access(name), version=draft),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert PlanVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


def test_an_approved_version_is_never_changed(rw: RevisionWorld) -> None:
    second = _revise(rw)
    access = rw.access()
    with pytest.raises(ValidationError, match="never changed"):
        services.revision_approve(access=access, version=second)
    with pytest.raises(ValidationError, match="never changed"):
        services.indicator_drop(access=access, version=second, indicator=rw.a)
    first = PlanVersion.objects.get(plan=rw.plan, number=1)
    with pytest.raises(ValidationError, match="never changed"):
        services.indicator_keep(access=access, version=first, indicator=rw.b)


def test_bad_input_is_refused(rw: RevisionWorld) -> None:
    access = rw.access()
    with pytest.raises(ValidationError, match="kind of revision"):
        services.revision_prepare(access=access, kind="adopted")
    with pytest.raises(ValidationError, match="under 5,000"):
        services.revision_prepare(access=access, kind="midterm", reason="x" * 5001)
    other = type(rw.review).objects.create(
        plan=type(rw.plan).objects.create(
            code="other", title="Other", kind="national", area=rw.plan.area,
            start=rw.plan.start, end=rw.plan.end,
        ),
        kind="midterm", title="Other review", held_on=rw.review.held_on,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="another plan"):
        services.revision_prepare(access=access, kind="midterm", review=other)
    draft = services.revision_prepare(access=access, kind="midterm")
    with pytest.raises(ValidationError, match="already being prepared"):
        services.revision_prepare(access=access, kind="midterm")
    services.indicator_drop(access=access, version=draft, indicator=rw.b)
    with pytest.raises(ValidationError, match="already been dropped"):
        services.indicator_drop(access=access, version=draft, indicator=rw.b)
    services.indicator_keep(access=access, version=draft, indicator=rw.b)
    assert Indicator.objects.get(pk=rw.b.pk).retired_in is None
    # Approved before version 1 (the plan's start): refused, nothing written.
    with pytest.raises(ValidationError, match="after the one before"):
        services.revision_approve(access=access, version=draft, at=datetime(2020, 1, 1, tzinfo=UTC))
    assert PlanVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
