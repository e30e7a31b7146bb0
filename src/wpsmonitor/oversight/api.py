"""Audits and parliamentary hearings in the JSON API (docs/oversight.md), through the same
selectors as the pages: whoever reads the plan reads its audits, their findings and hearings,
their commitments, and the status of the recommendations they feed in the tracker. The
documents shared with parliament are not in the API (a page for the few who read them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.auth import READ_AUTH, access_for_api
from wpsmonitor.core.api import ErrorOut, Id
from wpsmonitor.oversight import selectors


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
            for a in selectors.audits_of(access.plan)
        ],
    }


@router.get(
    "/plans/{plan}/audits/{audit}",
    response={200: AuditDetailOut, **ANSWERS},
    summary="An audit, its findings and the recommendations they feed",
)
def audit(request: HttpRequest, plan: str, audit: Id) -> dict[str, Any]:
    access = _reader(request, plan)
    found = selectors.audit_of(access.plan, audit)
    findings = list(selectors.findings_of(found))
    return {
        "plan": access.plan.code,
        "id": found.pk,
        "title": found.title,
        "body": found.body.code,
        "held_on": found.held_on,
        "scope": found.scope,
        "findings": len(findings),
        "finding_list": [
            {
                "id": f.pk,
                "text": f.text,
                "severity": f.severity,
                "action": f.action.code if f.action else None,
                "budget_line": f.budget_line_id,
                "followed": _followed(f.recommendation),
            }
            for f in findings
        ],
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
            for h in selectors.hearings_of(access.plan)
        ],
    }


@router.get(
    "/plans/{plan}/hearings/{hearing}",
    response={200: HearingDetailOut, **ANSWERS},
    summary="A hearing, who testified, the questions and the commitments made",
)
def hearing(request: HttpRequest, plan: str, hearing: Id) -> dict[str, Any]:
    access = _reader(request, plan)
    found = selectors.hearing_of(access.plan, hearing)
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
