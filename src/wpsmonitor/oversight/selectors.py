"""Reads of audits, hearings and shared documents, across their relations, for the pages, the
API and the report. Who may read is asked of PlanAccess by the callers; a hidden or missing
object is NotFound."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from wpsmonitor.accountability.models import CLOSED_STATUSES
from wpsmonitor.core.errors import NotFound
from wpsmonitor.oversight.models import Audit, AuditFinding, Commitment, Hearing, SharedDocument
from wpsmonitor.plans.models import Plan


def audits_of(plan: Plan) -> QuerySet[Audit]:
    return (
        Audit.objects.filter(plan=plan)
        .select_related("body")
        .annotate(finding_count=Count("findings"))
        .order_by("-held_on", "pk")
    )


def audit_of(plan: Plan, pk: int) -> Audit:
    found = Audit.objects.filter(plan=plan, pk=pk).select_related("body", "plan").first()
    if found is None:
        raise NotFound(_("No audit %(pk)s.") % {"pk": pk})
    return found


def findings_of(audit: Audit) -> QuerySet[AuditFinding]:
    """The audit's findings with their action, budget line and recommendation, the
    recommendation's addressees and responses (the addressee's answers)."""
    return (
        AuditFinding.objects.filter(audit=audit)
        .select_related("action", "budget_line", "recommendation")
        .prefetch_related(
            "recommendation__addressees",
            "recommendation__responses__organisation",
        )
        .order_by("pk")
    )


def hearings_of(plan: Plan) -> QuerySet[Hearing]:
    return (
        Hearing.objects.filter(plan=plan)
        .select_related("committee")
        .annotate(commitment_count=Count("commitments"))
        .order_by("-held_on", "pk")
    )


def hearing_of(plan: Plan, pk: int) -> Hearing:
    found = Hearing.objects.filter(plan=plan, pk=pk).select_related("committee", "plan").first()
    if found is None:
        raise NotFound(_("No hearing %(pk)s.") % {"pk": pk})
    return found


def commitments_of(hearing: Hearing) -> QuerySet[Commitment]:
    return (
        Commitment.objects.filter(hearing=hearing)
        .select_related("recommendation")
        .prefetch_related("recommendation__addressees", "recommendation__responses__organisation")
        .order_by("pk")
    )


def shared_documents(plan: Plan) -> QuerySet[SharedDocument]:
    return SharedDocument.objects.filter(plan=plan).order_by("-shared_at", "-pk")


def shared_document_of(plan: Plan, pk: int) -> SharedDocument:
    found = SharedDocument.objects.filter(plan=plan, pk=pk).select_related("plan").first()
    if found is None:
        raise NotFound(_("No shared document %(pk)s.") % {"pk": pk})
    return found


@dataclass(frozen=True)
class Overview:
    """Counts for the report: audits, findings by severity, hearings, commitments, and how
    many of the recommendations they fed are closed (fully implemented or rejected)."""

    audits: int
    findings: int
    by_severity: dict[str, int]
    findings_closed: int
    hearings: int
    commitments: int
    commitments_closed: int


def overview(plan: Plan) -> Overview:
    findings = AuditFinding.objects.filter(audit__plan=plan)
    by_severity = {
        row["severity"]: row["n"]
        for row in findings.values("severity").annotate(n=Count("pk")).order_by()
    }
    commitments = Commitment.objects.filter(hearing__plan=plan)
    return Overview(
        audits=Audit.objects.filter(plan=plan).count(),
        findings=findings.count(),
        by_severity=by_severity,
        findings_closed=findings.filter(recommendation__status__in=CLOSED_STATUSES).count(),
        hearings=Hearing.objects.filter(plan=plan).count(),
        commitments=commitments.count(),
        commitments_closed=commitments.filter(recommendation__status__in=CLOSED_STATUSES).count(),
    )
