"""Writes on audits, hearings and what is shared with parliament. Every function checks the
caller's rights (PlanAccess) itself; refusals raise PermissionDenied, bad input ValidationError,
and nothing is changed in either case (each write is one transaction).

A finding's recommendation and a hearing's commitment enter the recommendation tracker through
accountability's own service (`recommendation_create`, source "audit" or "parliament"), which
checks again who may put a recommendation of that source in the tracker."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from wpsmonitor.accountability.models import Mechanism
from wpsmonitor.accountability.services import recommendation_create
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance.models import BudgetLine
from wpsmonitor.oversight.models import (
    Audit,
    AuditFinding,
    Commitment,
    Hearing,
    Severity,
    SharedDocument,
)
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.reporting import evidence as evidence_files


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _text(value: str, message: str, limit: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    if limit is not None and len(value) > limit:
        raise ValidationError(
            _("At most %(limit)s characters, please (%(length)s given).")
            % {"limit": limit, "length": len(value)}
        )
    return value


def _date(value: Any, message: str) -> date:
    if not isinstance(value, date):
        raise ValidationError(message)
    return value


def _organisation(value: Any, message: str) -> Organisation:
    if not isinstance(value, Organisation) or not value.pk:
        raise ValidationError(message)
    return value


@service
def audit_record(
    *, by: User, plan: Plan, body: Organisation, title: str, held_on: date, scope: str = ""
) -> Audit:
    """An audit of the plan by an auditing body: the coordinator, or an auditor for their
    own body."""
    body = _organisation(body, _("Name the auditing body, an organisation of the directory."))
    _require(PlanAccess.load(by, plan).can_record_audit(body.pk))
    return Audit.objects.create(
        plan=plan,
        body=body,
        title=_text(title, _("Give the audit a title."), 300),
        held_on=_date(held_on, _("Give the date of the audit.")),
        scope=(scope or "").strip(),
        created_by=by,
    )


@service
def finding_record(
    *,
    by: User,
    audit: Audit,
    text: str,
    severity: str,
    recommendation: str,
    addressees: Iterable[Any],
    action: FrameworkNode | None = None,
    budget_line: BudgetLine | None = None,
    due_on: date | None = None,
) -> AuditFinding:
    """A finding of the audit, on an action and/or a budget line of the plan, and its
    recommendation, put in the tracker (source "audit") to be followed like the others."""
    plan = audit.plan
    _require(PlanAccess.load(by, plan).can_record_audit(audit.body_id))
    text = _text(text, _("Write the finding."))
    if severity not in Severity.values:
        raise ValidationError(
            _("%(value)s is not a severity; use one of: %(choices)s.")
            % {"value": severity, "choices": ", ".join(Severity.values)}
        )
    if action is not None and action.plan_id != plan.pk:
        raise ValidationError(_("The action must belong to this plan."))
    if budget_line is not None:
        if budget_line.action.plan_id != plan.pk:
            raise ValidationError(_("The budget line must belong to this plan."))
        if action is not None and budget_line.action_id != action.pk:
            raise ValidationError(_("The budget line belongs to another action."))
        action = action or budget_line.action
    rec = recommendation_create(
        by=by,
        plan=plan,
        source=Mechanism.AUDIT,
        issued_on=audit.held_on,
        text=_text(recommendation, _("Write the finding's recommendation.")),
        addressees=addressees,
        nodes=[action] if action is not None else [],
        due_on=due_on,
        reference=audit.title,
    )
    return AuditFinding.objects.create(
        audit=audit,
        text=text,
        severity=severity,
        action=action,
        budget_line=budget_line,
        recommendation=rec,
    )


@service
def hearing_record(
    *,
    by: User,
    plan: Plan,
    committee: Organisation,
    title: str,
    held_on: date,
    testified: str = "",
    questions: str = "",
) -> Hearing:
    """A parliamentary hearing on the plan: the coordinator, or parliamentary oversight for
    its own committee."""
    committee = _organisation(committee, _("Name the committee, an organisation of the directory."))
    _require(PlanAccess.load(by, plan).can_record_hearing(committee.pk))
    return Hearing.objects.create(
        plan=plan,
        committee=committee,
        title=_text(title, _("Give the hearing a title."), 300),
        held_on=_date(held_on, _("Give the date of the hearing.")),
        testified=(testified or "").strip(),
        questions=(questions or "").strip(),
        created_by=by,
    )


@service
def commitment_record(
    *,
    by: User,
    hearing: Hearing,
    text: str,
    addressees: Iterable[Any],
    nodes: Iterable[Any] = (),
    due_on: date | None = None,
) -> Commitment:
    """A commitment made at the hearing, put in the tracker (source "parliament") and followed
    like a recommendation: its addressees are those who committed."""
    _require(PlanAccess.load(by, hearing.plan).can_record_hearing(hearing.committee_id))
    rec = recommendation_create(
        by=by,
        plan=hearing.plan,
        source=Mechanism.PARLIAMENT,
        issued_on=hearing.held_on,
        text=_text(text, _("Write the commitment.")),
        addressees=addressees,
        nodes=nodes,
        due_on=due_on,
        reference=hearing.title,
    )
    return Commitment.objects.create(hearing=hearing, recommendation=rec)


@service
def document_share(
    *, by: User, plan: Plan, title: str, upload: UploadedFile, note: str = ""
) -> SharedDocument:
    """Share a document (a generated report downloaded, a briefing) with the plan's
    parliamentary oversight: the coordinator. The file is checked as evidence is."""
    _require(PlanAccess.load(by, plan).can_share_with_parliament())
    title = _text(title, _("Give the document a title."), 300)
    if upload is None:
        raise ValidationError(_("Choose the file to share."))
    content_type = evidence_files.check(upload)
    document = SharedDocument(
        plan=plan,
        title=title,
        note=(note or "").strip(),
        filename=evidence_files.safe_name(upload.name or "file"),
        content_type=content_type,
        shared_by=by,
    )
    # A photo without its metadata (GPS position, device), as for reporting evidence.
    stored = evidence_files.without_metadata(upload, content_type)
    document.size = stored.size or 0
    document.file.save("shared", stored, save=False)
    document.save()
    return document


@service
def document_unshare(*, by: User, document: SharedDocument) -> None:
    """Stop sharing a document: the coordinator. Its file goes with it."""
    _require(PlanAccess.load(by, document.plan).can_share_with_parliament())
    document.file.delete(save=False)
    document.delete()
