"""Writes on recommendations and their follow-up. Every function checks the caller's rights
(PlanAccess) itself; refusals raise PermissionDenied, bad input ValidationError, and nothing is
changed in either case (each write is one transaction, checked before anything is saved)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accountability.models import (
    Assessment,
    Decision,
    Finding,
    Mechanism,
    Recommendation,
    RecStatus,
    Response,
    Review,
    ReviewKind,
    StatusChange,
)
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.core.translated import written_in
from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.reporting import evidence as evidence_files


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _status(value: str) -> str:
    if value not in RecStatus.values:
        raise ValidationError(
            _("%(value)s is not a status; use one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(RecStatus.values)}
        )
    return value


def _date(value: Any, message: str) -> date:
    if not isinstance(value, date):
        raise ValidationError(message)
    return value


@service
def recommendation_create(
    *,
    by: User,
    plan: Plan,
    source: str,
    issued_on: date,
    text: str,
    addressees: Iterable[Any],
    nodes: Iterable[Any] = (),
    due_on: date | None = None,
    reference: str = "",
    finding: Finding | None = None,
) -> Recommendation:
    """A recommendation addressed to one or more organisations, on nodes of the plan (an
    auditor's from an audit, parliament's from a hearing: `can_record_recommendation`)."""
    _require(PlanAccess.load(by, plan).can_record_recommendation(source))
    if source not in Mechanism.values:
        raise ValidationError(
            _("%(value)s is not a review mechanism; use one of: %(choices)s.")
            % {"value": source, "choices": ", ".join(Mechanism.values)}
        )
    text = _text(text, _("Write the text of the recommendation."))
    issued_on = _date(issued_on, _("Give the date the recommendation was issued."))
    if due_on is not None and due_on < issued_on:
        raise ValidationError(_("The due date cannot be before the date issued."))
    addressees = list(addressees)
    if not addressees:
        raise ValidationError(_("Name at least one addressee organisation."))
    if not all(isinstance(o, Organisation) and o.pk for o in addressees):
        raise ValidationError(_("Every addressee must be an organisation of the directory."))
    nodes = list(nodes)
    if not all(isinstance(n, FrameworkNode) and n.plan_id == plan.pk for n in nodes):
        raise ValidationError(_("Every framework node must belong to this plan."))
    if finding is not None and finding.review.plan_id != plan.pk:
        raise ValidationError(_("The finding belongs to another plan."))
    with transaction.atomic():
        rec = Recommendation.objects.create(
            plan=plan,
            source=source,
            reference=reference.strip()[:300],
            issued_on=issued_on,
            **written_in(plan.original_language, text=text),
            due_on=due_on,
            finding=finding,
            created_by=by,
        )
        rec.addressees.set(addressees)
        rec.nodes.set(nodes)
        StatusChange.objects.create(recommendation=rec, old="", new=rec.status, by=by)
    return rec


def _set_status(
    rec: Recommendation, status: str, by: User, note: str = "", response: Response | None = None
) -> None:
    if status == rec.status:
        return
    StatusChange.objects.create(
        recommendation=rec, old=rec.status, new=status, by=by, note=note, response=response
    )
    rec.status = status
    rec.save(update_fields=["status"])


@service
def recommendation_status_set(
    *, by: User, recommendation: Recommendation, status: str, note: str = ""
) -> Recommendation:
    """The coordinator sets the government's status (a rejection, a correction), with a note."""
    _require(PlanAccess.load(by, recommendation.plan).can_manage_recommendations())
    status = _status(status)
    with transaction.atomic():
        _set_status(recommendation, status, by, note.strip())
    return recommendation


@service
def response_add(
    *,
    by: User,
    recommendation: Recommendation,
    organisation: Organisation,
    text: str,
    status: str,
    upload: UploadedFile | None = None,
) -> Response:
    """An addressee's focal point answers, claims a status (which becomes the recommendation's,
    recorded in its history) and may attach evidence (checked like reporting evidence)."""
    access = PlanAccess.load(by, recommendation.plan)
    addressees = set(recommendation.addressees.values_list("pk", flat=True))
    _require(access.can_respond(addressees))
    if organisation.pk not in addressees or organisation.pk not in access.focal_organisations():
        raise PermissionDenied(_("You may respond only for your organisation, as an addressee."))
    text = _text(text, _("Write what was done."))
    status = _status(status)
    content_type = evidence_files.check(upload) if upload is not None else ""
    with transaction.atomic():
        response = Response(
            recommendation=recommendation,
            organisation=organisation,
            text=text,
            status=status,
            by=by,
        )
        if upload is not None:
            # A photo without its metadata (GPS position, device), as for reporting evidence.
            stored = evidence_files.without_metadata(upload, content_type)
            response.filename = evidence_files.safe_name(upload.name or "file")
            response.content_type = content_type
            response.size = stored.size or 0
            response.file.save("evidence", stored, save=False)
        response.save()
        _set_status(recommendation, status, by, response=response)
    return response


@service
def assessment_save(
    *,
    by: User,
    recommendation: Recommendation,
    organisation: Organisation,
    status: str,
    comment: str = "",
    publish: bool = False,
) -> Assessment:
    """A civil-society monitor records (or changes) their organisation's assessment."""
    access = PlanAccess.load(by, recommendation.plan)
    _require(access.can_assess() and organisation.pk in access.monitor_organisations())
    status = _status(status)
    with transaction.atomic():
        assessment, _created = Assessment.objects.select_for_update().get_or_create(
            recommendation=recommendation,
            organisation=organisation,
            defaults={"status": status, "by": by},
        )
        assessment.status = status
        assessment.comment = comment.strip()
        assessment.by = by
        assessment.at = timezone.now()
        if publish and assessment.published_at is None:
            assessment.published_at = assessment.at
        assessment.save()
    return assessment


@service
def assessment_publish(*, by: User, assessment: Assessment) -> Assessment:
    """Make the assessment public (it stays editable by its organisation only)."""
    access = PlanAccess.load(by, assessment.recommendation.plan)
    _require(access.can_edit_assessment(assessment))
    if assessment.published_at is None:
        assessment.published_at = timezone.now()
        assessment.save(update_fields=["published_at"])
    return assessment


@service
def decision_record(
    *,
    by: User,
    recommendation: Recommendation,
    organisation: Organisation,
    text: str,
    decided_on: date,
) -> Decision:
    """Which office decided what, when, on a recommendation (recorded by the coordinator)."""
    _require(PlanAccess.load(by, recommendation.plan).can_manage_recommendations())
    if not isinstance(organisation, Organisation) or not organisation.pk:
        raise ValidationError(_("The office that decided must be an organisation."))
    text = _text(text, _("Write what was decided."))
    decided_on = _date(decided_on, _("Give the date of the decision."))
    return Decision.objects.create(
        recommendation=recommendation,
        organisation=organisation,
        text=text,
        decided_on=decided_on,
        recorded_by=by,
    )


@service
def review_create(*, by: User, plan: Plan, kind: str, title: str, held_on: date) -> Review:
    _require(PlanAccess.load(by, plan).can_manage_recommendations())
    if kind not in ReviewKind.values:
        raise ValidationError(_("A review is mid-term or final."))
    title = _text(title, _("Give the review a title."))
    held_on = _date(held_on, _("Give the date of the review."))
    return Review.objects.create(plan=plan, kind=kind, title=title, held_on=held_on, created_by=by)


@service
def finding_add(
    *, by: User, review: Review, text: str, node: FrameworkNode | None = None
) -> Finding:
    _require(PlanAccess.load(by, review.plan).can_manage_recommendations())
    text = _text(text, _("Write the finding."))
    if node is not None and node.plan_id != review.plan_id:
        raise ValidationError(_("Every framework node must belong to this plan."))
    return Finding.objects.create(review=review, text=text, node=node)


@service
def recommendation_from_finding(
    *,
    by: User,
    finding: Finding,
    text: str,
    addressees: Iterable[Any],
    due_on: date | None = None,
    nodes: Iterable[Any] | None = None,
) -> Recommendation:
    """A recommendation the review makes from one of its findings (source: the review)."""
    review = finding.review
    return recommendation_create(
        by=by,
        plan=review.plan,
        source=review.mechanism,
        reference=review.title,
        issued_on=review.held_on,
        text=text,
        addressees=addressees,
        nodes=nodes if nodes is not None else ([finding.node] if finding.node else []),
        due_on=due_on,
        finding=finding,
    )
