"""Audits and parliamentary hearings in the JSON API (docs/oversight.md), through the same
selectors as the pages: whoever reads the plan reads its audits, their findings and hearings,
their commitments, and the status of the recommendations they feed in the tracker. The
documents shared with parliament are not in the API (a page for the few who read them).

Writes (a bearer token, as every write of the API): audits and their findings, hearings and
their commitments, through the same services as the pages, which check the caller's rights
(403: the coordinator, an auditor for its own body, parliamentary oversight for its own
committee). Bad input is a 400 naming its field: the body's shape by the schema, unknown
organisation codes, framework codes and budget lines here, before anything is written."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field, StringConstraints

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.auth import READ_AUTH, WRITE_AUTH, access_for_api, api_user
from wpsmonitor.core.api import ApiError, ErrorOut, Id
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance.models import BudgetLine
from wpsmonitor.oversight import selectors, services
from wpsmonitor.oversight.models import Audit, Hearing
from wpsmonitor.plans.models import FrameworkNode


class FollowedOut(Schema):
    recommendation: int = Field(description="The recommendation's id in the tracker")
    text: str
    addressees: list[str] = Field(description="Organisation codes")
    status: str = Field(description="not_started, in_progress, partly, fully or rejected")
    due_on: date | None
    responses: int = Field(description="How many responses the addressees gave")


class FindingOut(Schema):
    id: int
    text: str
    severity: str = Field(description="high, medium or low")
    action: str | None = Field(description="The action's framework code")
    budget_line: int | None = Field(description="The budget line's id (finance API)")
    followed: FollowedOut | None


class AuditOut(Schema):
    id: int
    title: str
    body: str = Field(description="The auditing body's organisation code")
    held_on: date
    scope: str
    findings: int


class AuditDetailOut(AuditOut):
    plan: str
    finding_list: list[FindingOut]


class HearingOut(Schema):
    id: int
    title: str
    committee: str = Field(description="The committee's organisation code")
    held_on: date
    commitments: int


class HearingDetailOut(HearingOut):
    plan: str
    testified: str
    questions: str
    commitment_list: list[FollowedOut]


class AuditsOut(Schema):
    plan: str
    audits: list[AuditOut]


class HearingsOut(Schema):
    plan: str
    hearings: list[HearingOut]


ANSWERS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}

# A title: blanks around it dropped, then 1 to 300 characters (the models' limit).
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
# A required text of any length, not blank.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class AuditIn(Schema):
    auditing_body: Code = Field(description="The auditing body's organisation code")
    title: Title
    held_on: date = Field(description="The date of the audit (YYYY-MM-DD)")
    scope: str = ""


class FindingIn(Schema):
    text: Text = Field(description="The finding")
    severity: Literal["high", "medium", "low"]
    recommendation: Text = Field(description="Its recommendation, followed in the tracker")
    addressees: list[Code] = Field(
        min_length=1, description="Organisation codes of those who must respond"
    )
    action: Code | None = Field(None, description="The action's framework code")
    budget_line: Id | None = Field(None, description="A budget line of the plan (finance API)")
    due_on: date | None = None


class HearingIn(Schema):
    committee: Code = Field(description="The committee's organisation code")
    title: Title
    held_on: date = Field(description="The date of the hearing (YYYY-MM-DD)")
    testified: str = Field("", description="Who testified")
    questions: str = Field("", description="The questions asked")


class CommitmentIn(Schema):
    text: Text = Field(description="The commitment made")
    addressees: list[Code] = Field(
        min_length=1, description="Organisation codes of those who committed (they respond)"
    )
    nodes: list[Code] = Field([], description="Framework node codes it speaks to")
    due_on: date | None = None


router = Router(tags=["auditing bodies and parliament"], auth=READ_AUTH)


def _reader(request: HttpRequest, plan: str) -> PlanAccess:
    access = access_for_api(request, plan)
    if not access.can_read_oversight():
        raise PermissionDenied
    return access


def _followed(rec: Recommendation | None) -> dict[str, Any] | None:
    if rec is None:
        return None
    return {
        "recommendation": rec.pk,
        "text": rec.text,
        "addressees": [o.code for o in rec.addressees.all()],
        "status": rec.status,
        "due_on": rec.due_on,
        "responses": len(rec.responses.all()),
    }


@router.get(
    "/plans/{plan}/audits",
    response={200: AuditsOut, **ANSWERS},
    summary="Audits of the plan by auditing bodies",
)
def audits(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = _reader(request, plan)
    return {
        "plan": access.plan.code,
        "audits": [
            {
                "id": a.pk,
                "title": a.title,
                "body": a.body.code,
                "held_on": a.held_on,
                "scope": a.scope,
                "findings": a.finding_count,  # type: ignore[attr-defined]
            }
            for a in selectors.audits_of(
                access.plan, published_only=selectors.published_only(access)
            )
        ],
    }


@router.get(
    "/plans/{plan}/audits/{audit}",
    response={200: AuditDetailOut, **ANSWERS},
    summary="An audit, its findings and the recommendations they feed",
)
def audit(request: HttpRequest, plan: str, audit: Id) -> dict[str, Any]:
    access = _reader(request, plan)
    return _audit_detail(
        access,
        selectors.audit_of(access.plan, audit, published_only=selectors.published_only(access)),
    )


def _finding(f: Any) -> dict[str, Any]:
    return {
        "id": f.pk,
        "text": f.text,
        "severity": f.severity,
        "action": f.action.code if f.action else None,
        "budget_line": f.budget_line_id,
        "followed": _followed(f.recommendation),
    }


def _audit_detail(access: PlanAccess, found: Audit) -> dict[str, Any]:
    findings = list(selectors.findings_of(found))
    return {
        "plan": access.plan.code,
        "id": found.pk,
        "title": found.title,
        "body": found.body.code,
        "held_on": found.held_on,
        "scope": found.scope,
        "findings": len(findings),
        "finding_list": [_finding(f) for f in findings],
    }


@router.get(
    "/plans/{plan}/hearings",
    response={200: HearingsOut, **ANSWERS},
    summary="Parliamentary hearings on the plan",
)
def hearings(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = _reader(request, plan)
    return {
        "plan": access.plan.code,
        "hearings": [
            {
                "id": h.pk,
                "title": h.title,
                "committee": h.committee.code,
                "held_on": h.held_on,
                "commitments": h.commitment_count,  # type: ignore[attr-defined]
            }
            for h in selectors.hearings_of(
                access.plan, published_only=selectors.published_only(access)
            )
        ],
    }


@router.get(
    "/plans/{plan}/hearings/{hearing}",
    response={200: HearingDetailOut, **ANSWERS},
    summary="A hearing, who testified, the questions and the commitments made",
)
def hearing(request: HttpRequest, plan: str, hearing: Id) -> dict[str, Any]:
    access = _reader(request, plan)
    return _hearing_detail(
        access,
        selectors.hearing_of(access.plan, hearing, published_only=selectors.published_only(access)),
    )


def _hearing_detail(access: PlanAccess, found: Hearing) -> dict[str, Any]:
    commitments = list(selectors.commitments_of(found))
    return {
        "plan": access.plan.code,
        "id": found.pk,
        "title": found.title,
        "committee": found.committee.code,
        "held_on": found.held_on,
        "testified": found.testified,
        "questions": found.questions,
        "commitments": len(commitments),
        "commitment_list": [_followed(c.recommendation) for c in commitments],
    }


# Writes ----------------------------------------------------------------------------------------


def _refused(field: str, detail: str, message: str) -> ApiError:
    return ApiError(400, detail, [{"row": None, "field": field, "message": message}])


def _organisation(code: str, field: str) -> Organisation:
    found = Organisation.objects.filter(code=code).first()
    if found is None:
        raise _refused(
            field,
            _("No organisation with code %(code)s.") % {"code": code},
            _("Unknown organisation."),
        )
    return found


def _organisations(codes: list[str], field: str) -> list[Organisation]:
    wanted = list(dict.fromkeys(codes))
    found = {o.code: o for o in Organisation.objects.filter(code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise _refused(
            field,
            _("No organisation with code %(code)s.") % {"code": ", ".join(missing)},
            _("Unknown organisation."),
        )
    return [found[c] for c in wanted]


def _nodes(access: PlanAccess, codes: list[str], field: str) -> list[FrameworkNode]:
    wanted = list(dict.fromkeys(codes))
    found = {n.code: n for n in FrameworkNode.objects.filter(plan=access.plan, code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise _refused(
            field,
            _("No framework node %(code)s in this plan.") % {"code": ", ".join(missing)},
            _("Unknown framework node."),
        )
    return [found[c] for c in wanted]


def _budget_line(access: PlanAccess, pk: int) -> BudgetLine:
    found = (
        BudgetLine.objects.filter(pk=pk, action__plan=access.plan).select_related("action").first()
    )
    if found is None:
        raise _refused(
            "budget_line",
            _("No budget line %(id)s in this plan.") % {"id": pk},
            _("Unknown budget line."),
        )
    return found


def _refuse_unless(allowed: bool) -> None:
    # Before the body is looked at: a caller who may not record learns nothing from a 400.
    if not allowed:
        raise PermissionDenied


@router.post(
    "/plans/{plan}/audits",
    auth=WRITE_AUTH,
    response={200: AuditDetailOut, **ANSWERS},
    summary="Record an audit (the coordinator; an auditor for its own auditing body)",
    operation_id="audit_record",
)
def audit_create(request: HttpRequest, plan: str, body: AuditIn) -> dict[str, Any]:
    access = _reader(request, plan)
    _refuse_unless(access.can_record_audit())
    found = services.audit_record(
        by=api_user(request),
        plan=access.plan,
        body=_organisation(body.auditing_body, "auditing_body"),
        title=body.title,
        held_on=body.held_on,
        scope=body.scope,
    )
    return _audit_detail(access, selectors.audit_of(access.plan, found.pk))


@router.post(
    "/plans/{plan}/audits/{audit}/findings",
    auth=WRITE_AUTH,
    response={200: FindingOut, **ANSWERS},
    summary="Record a finding of an audit; its recommendation goes to the tracker (source audit)",
    operation_id="audit_finding_record",
)
def finding_create(request: HttpRequest, plan: str, audit: Id, body: FindingIn) -> dict[str, Any]:
    access = _reader(request, plan)
    found = selectors.audit_of(access.plan, audit)
    _refuse_unless(access.can_record_audit(found.body_id))
    action = _nodes(access, [body.action], "action")[0] if body.action else None
    line = _budget_line(access, body.budget_line) if body.budget_line is not None else None
    if line is not None and action is not None and line.action_id != action.pk:
        raise _refused(
            "budget_line",
            _("The budget line belongs to another action."),
            _("The budget line belongs to another action."),
        )
    finding = services.finding_record(
        by=api_user(request),
        audit=found,
        text=body.text,
        severity=body.severity,
        recommendation=body.recommendation,
        addressees=_organisations(body.addressees, "addressees"),
        action=action,
        budget_line=line,
        due_on=body.due_on,
    )
    return _finding(selectors.findings_of(found).get(pk=finding.pk))


@router.post(
    "/plans/{plan}/hearings",
    auth=WRITE_AUTH,
    response={200: HearingDetailOut, **ANSWERS},
    summary="Record a hearing (the coordinator; parliamentary oversight for its own committee)",
    operation_id="hearing_record",
)
def hearing_create(request: HttpRequest, plan: str, body: HearingIn) -> dict[str, Any]:
    access = _reader(request, plan)
    _refuse_unless(access.can_record_hearing())
    found = services.hearing_record(
        by=api_user(request),
        plan=access.plan,
        committee=_organisation(body.committee, "committee"),
        title=body.title,
        held_on=body.held_on,
        testified=body.testified,
        questions=body.questions,
    )
    return _hearing_detail(access, selectors.hearing_of(access.plan, found.pk))


@router.post(
    "/plans/{plan}/hearings/{hearing}/commitments",
    auth=WRITE_AUTH,
    response={200: FollowedOut, **ANSWERS},
    summary="Record a commitment made at a hearing; it is followed in the tracker (source "
    "parliament)",
    operation_id="hearing_commitment_record",
)
def commitment_create(
    request: HttpRequest, plan: str, hearing: Id, body: CommitmentIn
) -> dict[str, Any] | None:
    access = _reader(request, plan)
    found = selectors.hearing_of(access.plan, hearing)
    _refuse_unless(access.can_record_hearing(found.committee_id))
    commitment = services.commitment_record(
        by=api_user(request),
        hearing=found,
        text=body.text,
        addressees=_organisations(body.addressees, "addressees"),
        nodes=_nodes(access, body.nodes, "nodes"),
        due_on=body.due_on,
    )
    return _followed(selectors.commitments_of(found).get(pk=commitment.pk).recommendation)
