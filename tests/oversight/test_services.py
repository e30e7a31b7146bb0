"""Audits, findings, hearings and commitments through the services: each finding's
recommendation and each commitment enters the tracker and is followed there (responses, status
changes); the wrong role, plan, body or input is refused and nothing is left behind."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.oversight.conftest import HELD, OversightWorld

from wpsmonitor.accountability import services as tracker_services
from wpsmonitor.accountability.models import Recommendation, StatusChange
from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.finance.models import BudgetLine
from wpsmonitor.oversight import services
from wpsmonitor.oversight.models import Audit, AuditFinding, Commitment, Hearing, SharedDocument
from wpsmonitor.plans.models import FrameworkNode

pytestmark = pytest.mark.django_db


def _audit(ow: OversightWorld, by: str = "auditor") -> Audit:
    return services.audit_record(
        by=ow.users[by], plan=ow.plan, body=ow.court, title="Audit 2025", held_on=HELD
    )


def test_a_finding_feeds_the_tracker_and_is_followed_there(ow: OversightWorld) -> None:
    audit = _audit(ow)
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
    rec = finding.recommendation
    assert rec is not None
    assert (rec.source, rec.text, rec.issued_on, rec.reference) == (
        "audit",
        "File the vouchers",
        HELD,
        "Audit 2025",
    )
    # The budget line's action is the finding's, and the recommendation's node.
    assert finding.action == ow.action
    assert list(rec.nodes.all()) == [ow.action]
    assert list(rec.addressees.all()) == [ow.ministry]
    # The addressee's focal point responds in the tracker: the status follows.
    tracker_services.response_add(
        by=ow.users["focal"],
        recommendation=rec,
        organisation=ow.ministry,
        text="Vouchers filed",
        status="fully",
    )
    rec.refresh_from_db()
    assert rec.status == "fully"
    assert [c.new for c in StatusChange.objects.filter(recommendation=rec)] == [
        "not_started",
        "fully",
    ]


def test_a_commitment_is_followed_like_a_recommendation(ow: OversightWorld) -> None:
    hearing = services.hearing_record(
        by=ow.users["parliament"],
        plan=ow.plan,
        committee=ow.committee,
        title="Hearing",
        held_on=HELD,
        testified="The minister",
        questions="Why?",
    )
    commitment = services.commitment_record(
        by=ow.users["parliament"], hearing=hearing, text="Fund the desks", addressees=[ow.ministry]
    )
    rec = commitment.recommendation
    assert (rec.source, rec.issued_on, rec.status) == ("parliament", HELD, "not_started")
    tracker_services.recommendation_status_set(
        by=ow.users["coordinator"], recommendation=rec, status="in_progress", note="Budgeted"
    )
    rec.refresh_from_db()
    assert rec.status == "in_progress"


@pytest.mark.parametrize("who", ["parliament", "viewer", "focal", "monitor", "outsider"])
def test_only_the_coordinator_and_auditors_record_audits(ow: OversightWorld, who: str) -> None:
    with pytest.raises(PermissionDenied):
        _audit(ow, who)
    assert not Audit.objects.exists()


def test_an_auditor_records_for_their_own_body_only(ow: OversightWorld) -> None:
    with pytest.raises(PermissionDenied):
        services.audit_record(
            by=ow.users["auditor"], plan=ow.plan, body=ow.committee, title="T", held_on=HELD
        )
    # The coordinator records for any body.
    assert services.audit_record(
        by=ow.users["coordinator"], plan=ow.plan, body=ow.committee, title="T", held_on=HELD
    )


@pytest.mark.parametrize("who", ["auditor", "viewer", "focal", "monitor"])
def test_only_the_coordinator_and_parliament_record_hearings(ow: OversightWorld, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.hearing_record(
            by=ow.users[who], plan=ow.plan, committee=ow.committee, title="H", held_on=HELD
        )
    assert not Hearing.objects.exists()


def test_parliament_does_not_add_findings_nor_the_auditor_commitments(ow: OversightWorld) -> None:
    audit = _audit(ow)
    hearing = services.hearing_record(
        by=ow.users["coordinator"], plan=ow.plan, committee=ow.committee, title="H", held_on=HELD
    )
    with pytest.raises(PermissionDenied):
        services.finding_record(
            by=ow.users["parliament"],
            audit=audit,
            text="x",
            severity="low",
            recommendation="y",
            addressees=[ow.ministry],
        )
    with pytest.raises(PermissionDenied):
        services.commitment_record(
            by=ow.users["auditor"], hearing=hearing, text="x", addressees=[ow.ministry]
        )
    assert not Recommendation.objects.filter(source__in=["audit", "parliament"]).exists()


def test_an_auditor_cannot_put_other_sources_in_the_tracker(ow: OversightWorld) -> None:
    with pytest.raises(PermissionDenied):
        tracker_services.recommendation_create(
            by=ow.users["auditor"],
            plan=ow.plan,
            source="cedaw",
            issued_on=HELD,
            text="x",
            addressees=[ow.ministry],
        )


def test_refusals_leave_nothing(ow: OversightWorld) -> None:
    audit = _audit(ow)
    other_action = FrameworkNode.objects.filter(plan=ow.plan).exclude(pk=ow.action.pk).first()
    assert other_action is not None
    cases: list[dict[str, Any]] = [
        {"severity": "catastrophic"},
        {"text": "  "},
        {"recommendation": ""},
        {"addressees": []},
        {"action": other_action, "budget_line": ow.line},  # the line is another action's
        {"due_on": date(2020, 1, 1)},  # before the audit
    ]
    for case in cases:
        fields = {
            "text": "Finding",
            "severity": "low",
            "recommendation": "Do it",
            "addressees": [ow.ministry],
            **case,
        }
        with pytest.raises(ValidationError):
            services.finding_record(by=ow.users["auditor"], audit=audit, **fields)  # type: ignore[arg-type]
    assert not AuditFinding.objects.exists()
    assert not Recommendation.objects.filter(source="audit").exists()


def test_a_budget_line_of_another_plan_is_refused(ow: OversightWorld) -> None:
    from tests.aggregation.conftest import build_world

    other = build_world(code="other-plan", country="MLI")
    node = FrameworkNode.objects.filter(plan=other.plan).first()
    assert node is not None
    line = BudgetLine.objects.create(action=node, year=2025, funding_kind="other", currency="USD")
    with pytest.raises(ValidationError):
        services.finding_record(
            by=ow.users["auditor"],
            audit=_audit(ow),
            text="x",
            severity="low",
            recommendation="y",
            addressees=[ow.ministry],
            budget_line=line,
        )


def test_a_revoked_auditor_records_nothing(ow: OversightWorld) -> None:
    PlanRole.objects.filter(user=ow.users["auditor"], role=Role.AUDITOR).delete()
    with pytest.raises(PermissionDenied):
        _audit(ow)


def _pdf(name: str = "briefing.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 briefing", content_type="application/pdf")


def test_sharing_with_parliament(ow: OversightWorld) -> None:
    document = services.document_share(
        by=ow.users["coordinator"], plan=ow.plan, title="Draft annual report", upload=_pdf()
    )
    assert (document.filename, document.content_type) == ("briefing.pdf", "application/pdf")
    assert document.file.read().startswith(b"%PDF")
    for who in ("parliament", "auditor", "viewer"):
        with pytest.raises(PermissionDenied):
            services.document_share(by=ow.users[who], plan=ow.plan, title="x", upload=_pdf())
    with pytest.raises(ValidationError):
        services.document_share(
            by=ow.users["coordinator"],
            plan=ow.plan,
            title="x",
            upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/pdf"),
        )
    with pytest.raises(PermissionDenied):
        services.document_unshare(by=ow.users["parliament"], document=document)
    services.document_unshare(by=ow.users["coordinator"], document=document)
    assert not SharedDocument.objects.exists()
    assert not Commitment.objects.exists()
