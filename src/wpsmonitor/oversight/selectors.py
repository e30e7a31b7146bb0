"""Reads of audits, hearings and shared documents, across their relations, for the pages, the
API and the report. Who may read is asked of PlanAccess by the callers; a hidden or missing
object is NotFound."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from wpsmonitor.accountability.models import (
    CLOSED_STATUSES,
    Assessment,
    Decision,
    Recommendation,
    Response,
    StatusChange,
)
from wpsmonitor.core.errors import NotFound
from wpsmonitor.oversight.models import Audit, AuditFinding, Commitment, Hearing, SharedDocument
from wpsmonitor.plans.models import Plan

if TYPE_CHECKING:
    from wpsmonitor.accounts.access import PlanAccess


def published_only(access: PlanAccess) -> bool:
    """Whether this reader sees only published audits and hearings (docs/oversight.md,
    "Publishing"): everyone but the plan's members, its oversight roles and the administrator.
    The pages and the API ask here."""
    return not access.can_read_unpublished_oversight()


def audits_of(plan: Plan, *, published_only: bool = False) -> QuerySet[Audit]:
    """The plan's audits; only the published ones for a reader who may not read the others
    (`PlanAccess.can_read_unpublished_oversight`)."""
    found = Audit.objects.filter(plan=plan)
    if published_only:
        found = found.filter(published_at__isnull=False)
    return (
        found.select_related("body")
        .annotate(finding_count=Count("findings"))
        .order_by("-held_on", "pk")
    )


def audit_of(plan: Plan, pk: int, *, published_only: bool = False) -> Audit:
    found = Audit.objects.filter(plan=plan, pk=pk).select_related("body", "plan").first()
    if found is not None and published_only and not found.published:
        found = None
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


def hearings_of(plan: Plan, *, published_only: bool = False) -> QuerySet[Hearing]:
    found = Hearing.objects.filter(plan=plan)
    if published_only:
        found = found.filter(published_at__isnull=False)
    return (
        found.select_related("committee")
        .annotate(commitment_count=Count("commitments"))
        .order_by("-held_on", "pk")
    )


def hearing_of(plan: Plan, pk: int, *, published_only: bool = False) -> Hearing:
    found = Hearing.objects.filter(plan=plan, pk=pk).select_related("committee", "plan").first()
    if found is not None and published_only and not found.published:
        found = None
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


def finding_of(audit: Audit, pk: int) -> AuditFinding:
    found = (
        AuditFinding.objects.filter(audit=audit, pk=pk)
        .select_related("audit__plan", "recommendation")
        .first()
    )
    if found is None:
        raise NotFound(_("No finding %(pk)s.") % {"pk": pk})
    return found


def commitment_of(hearing: Hearing, pk: int) -> Commitment:
    found = (
        Commitment.objects.filter(hearing=hearing, pk=pk)
        .select_related("hearing__plan", "recommendation")
        .first()
    )
    if found is None:
        raise NotFound(_("No commitment %(pk)s.") % {"pk": pk})
    return found


# --- what may still change (docs/oversight.md, "Changing and removing") ---------------------


def followed_up(recommendations: QuerySet[Recommendation]) -> set[int]:
    """The ids of those recommendations the tracker has followed up: an addressee's response,
    a change of status after it was recorded, an office's decision or civil society's
    assessment (a draft one too). One query."""
    rec = OuterRef("pk")
    return set(
        recommendations.filter(
            Q(Exists(Response.objects.filter(recommendation=rec)))
            | Q(Exists(StatusChange.objects.filter(recommendation=rec).exclude(old="")))
            | Q(Exists(Decision.objects.filter(recommendation=rec)))
            | Q(Exists(Assessment.objects.filter(recommendation=rec)))
        ).values_list("pk", flat=True)
    )


def _answered(rec_ids: Sequence[int | None]) -> bool:
    ids = [pk for pk in rec_ids if pk is not None]
    return bool(ids) and bool(followed_up(Recommendation.objects.filter(pk__in=ids)))


def _published(record: Audit | Hearing) -> str:
    if isinstance(record, Audit):
        return _("The audit is published: it is final and can no longer be changed or removed.")
    return _("The hearing is published: it is final and can no longer be changed or removed.")


def audit_change_refusal(audit: Audit, *, details: bool = False) -> str:
    """Why the audit cannot be changed, or "". `details`: its title, date or body, which its
    findings' recommendations carry (date issued, reference): fixed once one is followed up."""
    if audit.published:
        return _published(audit)
    ids = list(AuditFinding.objects.filter(audit=audit).values_list("recommendation", flat=True))
    if details and _answered(ids):
        return _(
            "The tracker already follows up a recommendation of this audit: its title, date and "
            "auditing body can no longer change (its scope can)."
        )
    return ""


def audit_removal_refusal(audit: Audit) -> str:
    if audit.published:
        return _published(audit)
    ids = list(AuditFinding.objects.filter(audit=audit).values_list("recommendation", flat=True))
    if _answered(ids):
        return _(
            "The tracker already follows up a recommendation of this audit (a response, a "
            "status change, a decision or an assessment): the audit cannot be removed."
        )
    return ""


def finding_refusal(finding: AuditFinding) -> str:
    """Why the finding can be neither changed nor removed, or ""."""
    if finding.audit.published:
        return _published(finding.audit)
    if _answered([finding.recommendation_id]):
        return _(
            "The tracker already follows up this finding's recommendation (a response, a status "
            "change, a decision or an assessment): it can no longer be changed or removed. To "
            "correct it, record a new finding."
        )
    return ""


def hearing_change_refusal(hearing: Hearing, *, details: bool = False) -> str:
    if hearing.published:
        return _published(hearing)
    ids = list(Commitment.objects.filter(hearing=hearing).values_list("recommendation", flat=True))
    if details and _answered(ids):
        return _(
            "The tracker already follows up a commitment of this hearing: its title, date and "
            "committee can no longer change (who testified and the questions can)."
        )
    return ""


def hearing_removal_refusal(hearing: Hearing) -> str:
    if hearing.published:
        return _published(hearing)
    ids = list(Commitment.objects.filter(hearing=hearing).values_list("recommendation", flat=True))
    if _answered(ids):
        return _(
            "The tracker already follows up a commitment of this hearing (a response, a status "
            "change, a decision or an assessment): the hearing cannot be removed."
        )
    return ""


def commitment_refusal(commitment: Commitment) -> str:
    if commitment.hearing.published:
        return _published(commitment.hearing)
    if _answered([commitment.recommendation_id]):
        return _(
            "The tracker already follows up this commitment (a response, a status change, a "
            "decision or an assessment): it can no longer be changed or removed. To correct it, "
            "record a new commitment."
        )
    return ""


# --- the public portal (docs/oversight.md, "On the public portal") ---------------------------


def public_audits(plan: Plan) -> list[Audit]:
    """The published audits, each with `public_findings`: severity, action, the
    recommendation's text and status (never a response, nor anyone's name)."""
    audits = list(audits_of(plan, published_only=True))
    findings: dict[int, list[AuditFinding]] = {}
    for f in (
        AuditFinding.objects.filter(audit__in=audits)
        .select_related("action", "recommendation__plan")
        .order_by("pk")
    ):
        findings.setdefault(f.audit_id, []).append(f)
    for a in audits:
        a.public_findings = findings.get(a.pk, [])  # type: ignore[attr-defined]
    return audits


def public_hearings(plan: Plan) -> list[Hearing]:
    """The published hearings, each with `public_commitments` (the recommendation's text,
    addressees, due date and status)."""
    hearings = list(hearings_of(plan, published_only=True))
    commitments: dict[int, list[Commitment]] = {}
    for c in (
        Commitment.objects.filter(hearing__in=hearings)
        .select_related("recommendation__plan")
        .prefetch_related("recommendation__addressees")
        .order_by("pk")
    ):
        commitments.setdefault(c.hearing_id, []).append(c)
    for h in hearings:
        h.public_commitments = commitments.get(h.pk, [])  # type: ignore[attr-defined]
    return hearings


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
