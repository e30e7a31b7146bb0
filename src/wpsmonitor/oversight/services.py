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
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accountability.models import Mechanism, Recommendation
from wpsmonitor.accountability.services import recommendation_create
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.history import display_name
from wpsmonitor.core.services import service
from wpsmonitor.core.translated import text_set
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance.models import BudgetLine
from wpsmonitor.oversight import selectors
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


def _refuse(reason: str) -> None:
    """A record that may no longer change (selectors: published, or followed up)."""
    if reason:
        raise ValidationError(reason)


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
    _refuse(selectors.audit_change_refusal(audit))
    text = _text(text, _("Write the finding."))
    if severity not in Severity.values:
        raise ValidationError(
            _("%(value)s is not a severity; use one of: %(choices)s.")
            % {"value": severity, "choices": ", ".join(Severity.values)}
        )
    action = _finding_place(plan, action, budget_line)
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
    _refuse(selectors.hearing_change_refusal(hearing))
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


# --- changing, removing, publishing (docs/oversight.md, "Changing and removing") -------------


def _touch(record: Any, by: User) -> None:
    """Who changed it last, and when; the name is kept beside the account (core/history.py)."""
    record.updated_by = by
    record.updated_by_name = display_name(by)
    record.updated_at = timezone.now()


def _rec_update(
    rec: Recommendation | None,
    by: User,
    *,
    text: str | None = None,
    addressees: Iterable[Any] | None = None,
    nodes: Iterable[Any] | None = None,
    due_on: date | None = None,
    issued_on: date | None = None,
    reference: str | None = None,
) -> None:
    """Change the tracker's recommendation behind a finding or commitment, in the caller's
    transaction, with the checks of `recommendation_create`. The caller has checked that the
    tracker has not followed it up yet (selectors.followed_up)."""
    if rec is None:
        return
    plan = rec.plan
    if text is not None:
        text_set(rec, "text", text)  # the original language's text (core/translated.py)
    if issued_on is not None:
        rec.issued_on = issued_on
    if reference is not None:
        rec.reference = reference.strip()[:300]
    if text is not None or addressees is not None:
        rec.due_on = due_on
    if rec.due_on is not None and rec.due_on < rec.issued_on:
        raise ValidationError(_("The due date cannot be before the date issued."))
    rec.save()
    if addressees is not None:
        addressees = list(addressees)
        if not addressees:
            raise ValidationError(_("Name at least one addressee organisation."))
        if not all(isinstance(o, Organisation) and o.pk for o in addressees):
            raise ValidationError(_("Every addressee must be an organisation of the directory."))
        rec.addressees.set(addressees)
    if nodes is not None:
        nodes = list(nodes)
        if not all(isinstance(n, FrameworkNode) and n.plan_id == plan.pk for n in nodes):
            raise ValidationError(_("Every framework node must belong to this plan."))
        rec.nodes.set(nodes)


def _finding_place(
    plan: Plan, action: FrameworkNode | None, budget_line: BudgetLine | None
) -> FrameworkNode | None:
    if action is not None and action.plan_id != plan.pk:
        raise ValidationError(_("The action must belong to this plan."))
    if budget_line is not None:
        if budget_line.action.plan_id != plan.pk:
            raise ValidationError(_("The budget line must belong to this plan."))
        if action is not None and budget_line.action_id != action.pk:
            raise ValidationError(_("The budget line belongs to another action."))
        action = action or budget_line.action
    return action


@service
def audit_update(
    *, by: User, audit: Audit, body: Organisation, title: str, held_on: date, scope: str = ""
) -> Audit:
    """Change an unpublished audit: who may record it. Its title and date are those of its
    findings' recommendations (reference, date issued) and follow; once the tracker follows
    one of them up, only the scope may change."""
    access = PlanAccess.load(by, audit.plan)
    _require(access.can_record_audit(audit.body_id))
    body = _organisation(body, _("Name the auditing body, an organisation of the directory."))
    _require(access.can_record_audit(body.pk))
    _refuse(selectors.audit_change_refusal(audit))
    title = _text(title, _("Give the audit a title."), 300)
    held_on = _date(held_on, _("Give the date of the audit."))
    if (body.pk, title, held_on) != (audit.body_id, audit.title, audit.held_on):
        _refuse(selectors.audit_change_refusal(audit, details=True))
    audit.body, audit.title, audit.held_on = body, title, held_on
    audit.scope = (scope or "").strip()
    _touch(audit, by)
    audit.save()
    for finding in audit.findings.select_related("recommendation__plan"):
        _rec_update(finding.recommendation, by, issued_on=held_on, reference=title)
    return audit


@service
def finding_update(
    *,
    by: User,
    finding: AuditFinding,
    text: str,
    severity: str,
    recommendation: str,
    addressees: Iterable[Any],
    action: FrameworkNode | None = None,
    budget_line: BudgetLine | None = None,
    due_on: date | None = None,
) -> AuditFinding:
    """Change a finding and its recommendation in the tracker, in one transaction, while the
    audit is unpublished and the tracker has not followed the recommendation up (after that,
    a correction is a new finding)."""
    audit = finding.audit
    _require(PlanAccess.load(by, audit.plan).can_record_audit(audit.body_id))
    _refuse(selectors.finding_refusal(finding))
    if severity not in Severity.values:
        raise ValidationError(
            _("%(value)s is not a severity; use one of: %(choices)s.")
            % {"value": severity, "choices": ", ".join(Severity.values)}
        )
    finding.text = _text(text, _("Write the finding."))
    finding.severity = severity
    finding.action = _finding_place(audit.plan, action, budget_line)
    finding.budget_line = budget_line
    _touch(finding, by)
    finding.save()
    _rec_update(
        finding.recommendation,
        by,
        text=_text(recommendation, _("Write the finding's recommendation.")),
        addressees=addressees,
        nodes=[finding.action] if finding.action is not None else [],
        due_on=due_on,
    )
    return finding


@service
def hearing_update(
    *,
    by: User,
    hearing: Hearing,
    committee: Organisation,
    title: str,
    held_on: date,
    testified: str = "",
    questions: str = "",
) -> Hearing:
    """Change an unpublished hearing: who may record it. As for an audit, its title and date
    are its commitments' and are fixed once the tracker follows one of them up."""
    access = PlanAccess.load(by, hearing.plan)
    _require(access.can_record_hearing(hearing.committee_id))
    committee = _organisation(committee, _("Name the committee, an organisation of the directory."))
    _require(access.can_record_hearing(committee.pk))
    _refuse(selectors.hearing_change_refusal(hearing))
    title = _text(title, _("Give the hearing a title."), 300)
    held_on = _date(held_on, _("Give the date of the hearing."))
    if (committee.pk, title, held_on) != (hearing.committee_id, hearing.title, hearing.held_on):
        _refuse(selectors.hearing_change_refusal(hearing, details=True))
    hearing.committee, hearing.title, hearing.held_on = committee, title, held_on
    hearing.testified = (testified or "").strip()
    hearing.questions = (questions or "").strip()
    _touch(hearing, by)
    hearing.save()
    for commitment in hearing.commitments.select_related("recommendation__plan"):
        _rec_update(commitment.recommendation, by, issued_on=held_on, reference=title)
    return hearing


@service
def commitment_update(
    *,
    by: User,
    commitment: Commitment,
    text: str,
    addressees: Iterable[Any],
    due_on: date | None = None,
) -> Commitment:
    """Change a commitment (its recommendation's text, who committed, the due date) while the
    hearing is unpublished and the tracker has not followed it up."""
    hearing = commitment.hearing
    _require(PlanAccess.load(by, hearing.plan).can_record_hearing(hearing.committee_id))
    _refuse(selectors.commitment_refusal(commitment))
    _rec_update(
        commitment.recommendation,
        by,
        text=_text(text, _("Write the commitment.")),
        addressees=addressees,
        due_on=due_on,
    )
    _touch(commitment, by)
    commitment.save()
    return commitment


def _recs_delete(recs: QuerySet[Recommendation]) -> None:
    Recommendation.objects.filter(pk__in=list(recs.values_list("pk", flat=True))).delete()


@service
def audit_remove(*, by: User, audit: Audit) -> None:
    """Remove a mistaken audit, its findings and their recommendations in the tracker: who may
    record it, while it is unpublished and nothing in the tracker follows any of them up."""
    _require(PlanAccess.load(by, audit.plan).can_record_audit(audit.body_id))
    _refuse(selectors.audit_removal_refusal(audit))
    _recs_delete(Recommendation.objects.filter(audit_finding__audit=audit))
    audit.delete()


@service
def finding_remove(*, by: User, finding: AuditFinding) -> None:
    """Remove a mistaken finding and its recommendation, under the same conditions."""
    audit = finding.audit
    _require(PlanAccess.load(by, audit.plan).can_record_audit(audit.body_id))
    _refuse(selectors.finding_refusal(finding))
    if finding.recommendation_id is not None:
        _recs_delete(Recommendation.objects.filter(pk=finding.recommendation_id))
    finding.delete()


@service
def hearing_remove(*, by: User, hearing: Hearing) -> None:
    """Remove a mistaken hearing, its commitments and their recommendations in the tracker."""
    _require(PlanAccess.load(by, hearing.plan).can_record_hearing(hearing.committee_id))
    _refuse(selectors.hearing_removal_refusal(hearing))
    _recs_delete(Recommendation.objects.filter(hearing_commitment__hearing=hearing))
    hearing.delete()


@service
def commitment_remove(*, by: User, commitment: Commitment) -> None:
    """Remove a mistaken commitment; its recommendation goes with it (and the commitment with
    the recommendation)."""
    hearing = commitment.hearing
    _require(PlanAccess.load(by, hearing.plan).can_record_hearing(hearing.committee_id))
    _refuse(selectors.commitment_refusal(commitment))
    _recs_delete(Recommendation.objects.filter(pk=commitment.recommendation_id))


@service
def audit_publish(*, by: User, audit: Audit) -> Audit:
    """Publish the audit and its findings on the public portal: one-way; it is final after."""
    _require(PlanAccess.load(by, audit.plan).can_record_audit(audit.body_id))
    _refuse(selectors.audit_change_refusal(audit))
    audit.published_at = timezone.now()
    _touch(audit, by)
    audit.save()
    return audit


@service
def hearing_publish(*, by: User, hearing: Hearing) -> Hearing:
    """Publish the hearing and its commitments on the public portal: one-way; final after."""
    _require(PlanAccess.load(by, hearing.plan).can_record_hearing(hearing.committee_id))
    _refuse(selectors.hearing_change_refusal(hearing))
    hearing.published_at = timezone.now()
    _touch(hearing, by)
    hearing.save()
    return hearing


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
