"""Changing, removing and publishing audits, findings, hearings and commitments
(docs/oversight.md, "Changing and removing", "Publishing"): who may (the rights matrix), what
follows into the tracker, what freezes once the tracker follows a recommendation up, and what a
publication makes final. Every refusal leaves everything as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from tests.oversight.conftest import HELD, OversightWorld

from wpsmonitor.accountability import services as tracker
from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Organisation
from wpsmonitor.oversight import services
from wpsmonitor.oversight.models import Audit, AuditFinding, Commitment, Hearing
from wpsmonitor.plans.models import FrameworkNode

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def _allowed(act: Callable[[Any], Any], by: Any) -> bool:
    """Whether `by` may `act`; what it did is undone either way."""
    try:
        with transaction.atomic():
            act(by)
            raise _Undo
    except _Undo:
        return True
    except PermissionDenied:
        return False


def _world(ow: OversightWorld) -> tuple[Audit, AuditFinding, Hearing, Commitment]:
    audit = services.audit_record(
        by=ow.users["auditor"], plan=ow.plan, body=ow.court, title="Audit 2025", held_on=HELD
    )
    finding = services.finding_record(
        by=ow.users["auditor"],
        audit=audit,
        text="Vouchers missing",
        severity="high",
        recommendation="File the vouchers",
        addressees=[ow.ministry],
        budget_line=ow.line,
        due_on=date(2025, 12, 31),
    )
    hearing = services.hearing_record(
        by=ow.users["parliament"],
        plan=ow.plan,
        committee=ow.committee,
        title="Hearing",
        held_on=HELD,
        testified="The minister",
    )
    commitment = services.commitment_record(
        by=ow.users["parliament"], hearing=hearing, text="Fund the desks", addressees=[ow.ministry]
    )
    return audit, finding, hearing, commitment


def _other_action(ow: OversightWorld) -> FrameworkNode:
    found = FrameworkNode.objects.filter(plan=ow.plan).exclude(pk=ow.action.pk).order_by("path")
    return found.last()  # type: ignore[return-value]


def _finding_fields(ow: OversightWorld, **changes: Any) -> dict[str, Any]:
    return {
        "text": "Vouchers missing for 2025",
        "severity": "medium",
        "recommendation": "File every voucher",
        "addressees": [ow.ministry],
        "budget_line": ow.line,
        "due_on": date(2026, 3, 31),
        **changes,
    }


def test_who_changes_removes_and_publishes(ow: OversightWorld) -> None:
    audit, finding, hearing, commitment = _world(ow)
    other_court = Organisation.objects.create(
        code="court2", name="Internal audit", type="government"
    )
    users = dict(ow.users)
    users["other_auditor"] = get_user_model().objects.create_user(username="other_auditor")
    PlanRole.objects.create(
        user=users["other_auditor"], plan=ow.plan, role=Role.AUDITOR, organisation=other_court
    )
    users["anonymous"] = AnonymousUser()

    # Each attempt reads the records afresh (an undone attempt leaves its copy changed).
    def a() -> Audit:
        return Audit.objects.get(pk=audit.pk)

    def f() -> AuditFinding:
        return AuditFinding.objects.get(pk=finding.pk)

    def h() -> Hearing:
        return Hearing.objects.get(pk=hearing.pk)

    def c() -> Commitment:
        return Commitment.objects.get(pk=commitment.pk)

    acts: dict[str, Callable[[Any], Any]] = {
        "audit_update": lambda by: services.audit_update(
            by=by, audit=a(), body=ow.court, title="Audit of 2025", held_on=HELD
        ),
        "finding_update": lambda by: services.finding_update(
            by=by, finding=f(), **_finding_fields(ow)
        ),
        "finding_remove": lambda by: services.finding_remove(by=by, finding=f()),
        "audit_remove": lambda by: services.audit_remove(by=by, audit=a()),
        "audit_publish": lambda by: services.audit_publish(by=by, audit=a()),
        "hearing_update": lambda by: services.hearing_update(
            by=by, hearing=h(), committee=ow.committee, title="Hearing 2", held_on=HELD
        ),
        "commitment_update": lambda by: services.commitment_update(
            by=by, commitment=c(), text="Fund every desk", addressees=[ow.ministry]
        ),
        "commitment_remove": lambda by: services.commitment_remove(by=by, commitment=c()),
        "hearing_remove": lambda by: services.hearing_remove(by=by, hearing=h()),
        "hearing_publish": lambda by: services.hearing_publish(by=by, hearing=h()),
    }
    audits = {"coordinator", "admin", "auditor"}
    hearings = {"coordinator", "admin", "parliament"}
    expected = {
        name: (audits if name.startswith(("audit", "finding")) else hearings) for name in acts
    }
    roles = ["coordinator", "admin", "auditor", "other_auditor", "parliament", "monitor"]
    roles += ["focal", "viewer", "anonymous"]
    found = {
        name: {who for who in roles if _allowed(act, users[who])} for name, act in acts.items()
    }
    assert found == expected
    # Nothing was left changed by all those attempts.
    audit.refresh_from_db()
    assert (audit.title, audit.published_at, audit.updated_by) == ("Audit 2025", None, None)
    assert AuditFinding.objects.get().text == "Vouchers missing"
    assert Commitment.objects.get().recommendation.text == "Fund the desks"


def test_a_change_reaches_the_tracker_and_keeps_who_made_it(ow: OversightWorld) -> None:
    audit, finding, hearing, commitment = _world(ow)
    other = _other_action(ow)
    services.finding_update(
        by=ow.users["coordinator"],
        finding=finding,
        **_finding_fields(ow, budget_line=None, action=other, addressees=[ow.ministry, ow.court]),
    )
    finding.refresh_from_db()
    rec = Recommendation.objects.get(pk=finding.recommendation_id)
    assert (finding.text, finding.severity, finding.action, finding.budget_line) == (
        "Vouchers missing for 2025",
        "medium",
        other,
        None,
    )
    assert (rec.text, rec.due_on) == ("File every voucher", date(2026, 3, 31))
    assert set(rec.addressees.all()) == {ow.ministry, ow.court}
    assert list(rec.nodes.all()) == [other]
    assert finding.updated_by == ow.users["coordinator"]
    assert finding.updated_by_name == "coordinator" and finding.updated_at is not None
    # The audit's title and date are its recommendations' reference and date issued.
    services.audit_update(
        by=ow.users["auditor"],
        audit=audit,
        body=ow.court,
        title="Audit of 2025",
        held_on=date(2025, 7, 1),
    )
    rec.refresh_from_db()
    assert (rec.reference, rec.issued_on) == ("Audit of 2025", date(2025, 7, 1))
    audit.refresh_from_db()
    assert audit.updated_by_name == "auditor"
    # A date after a due date is refused, and nothing changes.
    with pytest.raises(ValidationError, match="due date"):
        services.audit_update(
            by=ow.users["auditor"], audit=audit, body=ow.court, title="X", held_on=date(2026, 6, 1)
        )
    audit.refresh_from_db()
    assert (audit.title, audit.held_on) == ("Audit of 2025", date(2025, 7, 1))
    # An auditor cannot move its audit to another body.
    with pytest.raises(PermissionDenied):
        services.audit_update(
            by=ow.users["auditor"], audit=audit, body=ow.committee, title="X", held_on=HELD
        )
    services.commitment_update(
        by=ow.users["parliament"],
        commitment=commitment,
        text="Fund every desk",
        addressees=[ow.court],
    )
    commitment.refresh_from_db()
    assert commitment.recommendation.text == "Fund every desk"
    assert list(commitment.recommendation.addressees.all()) == [ow.court]
    assert commitment.updated_by_name == "parliament"
    # Bad input: nothing half-written.
    with pytest.raises(ValidationError):
        services.finding_update(
            by=ow.users["auditor"], finding=finding, **_finding_fields(ow, addressees=[])
        )
    finding.refresh_from_db()
    assert finding.text == "Vouchers missing for 2025"


def test_a_response_freezes_the_finding_and_keeps_the_audit(ow: OversightWorld) -> None:
    audit, finding, hearing, commitment = _world(ow)
    tracker.response_add(
        by=ow.users["focal"],
        recommendation=finding.recommendation,
        organisation=ow.ministry,
        text="Filed",
        status="in_progress",
    )
    with pytest.raises(ValidationError, match="record a new finding"):
        services.finding_update(by=ow.users["auditor"], finding=finding, **_finding_fields(ow))
    with pytest.raises(ValidationError):
        services.finding_remove(by=ow.users["auditor"], finding=finding)
    with pytest.raises(ValidationError):
        services.audit_remove(by=ow.users["coordinator"], audit=audit)
    with pytest.raises(ValidationError, match="scope"):
        services.audit_update(
            by=ow.users["auditor"], audit=audit, body=ow.court, title="Renamed", held_on=HELD
        )
    # Its scope may still change; a new finding may still be recorded.
    services.audit_update(
        by=ow.users["auditor"],
        audit=audit,
        body=ow.court,
        title="Audit 2025",
        held_on=HELD,
        scope="More",
    )
    finding.refresh_from_db()
    assert finding.text == "Vouchers missing" and AuditFinding.objects.count() == 1
    assert Audit.objects.get().scope == "More"
    # A coordinator's status change follows a commitment up too.
    tracker.recommendation_status_set(
        by=ow.users["coordinator"], recommendation=commitment.recommendation, status="rejected"
    )
    with pytest.raises(ValidationError, match="record a new commitment"):
        services.commitment_update(
            by=ow.users["parliament"], commitment=commitment, text="x", addressees=[ow.ministry]
        )
    with pytest.raises(ValidationError):
        services.hearing_remove(by=ow.users["parliament"], hearing=hearing)
    assert Commitment.objects.count() == 1 and Hearing.objects.count() == 1


def test_removal_takes_the_recommendations_with_it(ow: OversightWorld) -> None:
    audit, finding, hearing, commitment = _world(ow)
    before = Recommendation.objects.exclude(source__in=["audit", "parliament"]).count()
    services.commitment_remove(by=ow.users["parliament"], commitment=commitment)
    assert not Commitment.objects.exists()
    assert not Recommendation.objects.filter(source="parliament").exists()
    services.hearing_remove(by=ow.users["coordinator"], hearing=hearing)
    services.audit_remove(by=ow.users["auditor"], audit=audit)
    assert not Audit.objects.exists() and not AuditFinding.objects.exists()
    assert not Recommendation.objects.filter(source="audit").exists()
    # The tracker's other recommendations are untouched.
    assert Recommendation.objects.count() == before


def test_publishing_is_one_way_and_final(ow: OversightWorld) -> None:
    audit, finding, hearing, commitment = _world(ow)
    services.audit_publish(by=ow.users["auditor"], audit=audit)
    audit.refresh_from_db()
    assert audit.published and audit.updated_by_name == "auditor"
    finding.refresh_from_db()
    refused: list[Callable[[], Any]] = [
        lambda: services.audit_publish(by=ow.users["auditor"], audit=audit),
        lambda: services.audit_update(
            by=ow.users["coordinator"], audit=audit, body=ow.court, title="T", held_on=HELD
        ),
        lambda: services.audit_remove(by=ow.users["coordinator"], audit=audit),
        lambda: services.finding_update(
            by=ow.users["auditor"], finding=finding, **_finding_fields(ow)
        ),
        lambda: services.finding_remove(by=ow.users["auditor"], finding=finding),
        lambda: services.finding_record(
            by=ow.users["auditor"],
            audit=audit,
            text="Late",
            severity="low",
            recommendation="Report",
            addressees=[ow.ministry],
        ),
    ]
    for act in refused:
        with pytest.raises(ValidationError, match="published"):
            act()
    assert AuditFinding.objects.count() == 1 and Audit.objects.get().title == "Audit 2025"
    services.hearing_publish(by=ow.users["coordinator"], hearing=hearing)
    hearing.refresh_from_db()
    for act in (
        lambda: services.hearing_remove(by=ow.users["parliament"], hearing=hearing),
        lambda: services.commitment_remove(by=ow.users["parliament"], commitment=commitment),
        lambda: services.commitment_record(
            by=ow.users["parliament"], hearing=hearing, text="x", addressees=[ow.ministry]
        ),
    ):
        with pytest.raises(ValidationError, match="published"):
            act()
    # The tracker still follows them: responses and statuses go on after publication.
    tracker.response_add(
        by=ow.users["focal"],
        recommendation=commitment.recommendation,
        organisation=ow.ministry,
        text="Budgeted",
        status="fully",
    )
