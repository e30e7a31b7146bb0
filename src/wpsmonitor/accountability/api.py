"""Recommendations in the JSON API: the summary, list, detail and the writes.

The same selectors and services as the pages, so the same numbers and the same rules: a plan
or recommendation the caller may not see is a 404, an action they may not take a 403. Writes
need a bearer token. A response with an evidence file is sent as multipart form data.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from wpsmonitor.accountability import selectors, services
from wpsmonitor.accountability.models import Assessment, Recommendation
from wpsmonitor.accounts.auth import READ_AUTH, WRITE_AUTH, access_for_api, api_user
from wpsmonitor.core.api import READ_ERRORS, ApiError, ErrorOut, Id, not_found
from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import FrameworkNode

router = Router(tags=["recommendations"], auth=READ_AUTH)

WRITE_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class FiltersIn(Schema):
    source: str = ""
    addressee: str = Field("", description="Organisation code")
    pillar: str = Field("", description="Pillar node code")
    status: str = ""


class RecommendationRowOut(Schema):
    key: str
    label: str
    total: int
    fully: int


class RecommendationSummaryOut(Schema):
    total: int
    fully: int
    by_status: dict[str, int]
    by_source: list[RecommendationRowOut]
    by_addressee: list[RecommendationRowOut] = Field(
        description="A recommendation counts once per addressee"
    )
    by_pillar: list[RecommendationRowOut] = Field(
        description="A recommendation counts once per pillar"
    )
    overdue: list[int] = Field(description="Ids of overdue recommendations, soonest due first")
    disagreements: list[int] = Field(
        description="Ids where a published civil-society assessment differs from the status"
    )


class ResponseOut(Schema):
    id: int
    organisation: str
    text: str
    status: str
    evidence: str
    at: datetime


class AssessmentOut(Schema):
    id: int
    organisation: str
    status: str
    comment: str
    published: bool
    published_at: datetime | None


class DecisionOut(Schema):
    organisation: str
    text: str
    decided_on: date


class RecommendationOut(Schema):
    id: int
    plan: str
    source: str
    reference: str
    issued_on: date
    text: str
    addressees: list[str]
    nodes: list[str]
    due_on: date | None
    status: str
    overdue: bool
    finding: int | None


class RecommendationDetailOut(RecommendationOut):
    responses: list[ResponseOut]
    assessments: list[AssessmentOut]
    decisions: list[DecisionOut]


class RecommendationIn(Schema):
    source: str
    reference: str = ""
    issued_on: date
    text: str
    addressees: list[str] = Field(description="Organisation codes")
    nodes: list[str] = Field([], description="Framework node codes")
    due_on: date | None = None


class ResponseIn(Schema):
    organisation: str
    text: str
    status: str


class AssessmentIn(Schema):
    organisation: str
    status: str
    comment: str = ""
    publish: bool = False


class PublishIn(Schema):
    organisation: str


class DecisionIn(Schema):
    organisation: str
    text: str
    decided_on: date


def _organisation(code: str) -> Organisation:
    org = Organisation.objects.filter(code=code).first()
    if org is None:
        raise ApiError(
            400,
            _("No organisation with code %(code)s.") % {"code": code},
            [{"row": None, "field": "organisation", "message": _("Unknown organisation.")}],
        )
    return org


def _ref(rec: Recommendation) -> dict[str, Any]:
    return {
        "id": rec.pk,
        "plan": rec.plan.code,
        "source": rec.source,
        "reference": rec.reference,
        "issued_on": rec.issued_on,
        "text": rec.text,
        "addressees": [o.code for o in rec.addressees.all()],
        "nodes": [n.code for n in rec.nodes.all()],
        "due_on": rec.due_on,
        "status": rec.status,
        "overdue": rec.is_overdue(),
        "finding": rec.finding_id,
    }


def _detail(rec: Recommendation) -> dict[str, Any]:
    return _ref(rec) | {
        "responses": [
            {
                "id": r.pk,
                "organisation": r.organisation.code,
                "text": r.text,
                "status": r.status,
                "evidence": r.filename,
                "at": r.at,
            }
            for r in rec.responses.all()
        ],
        "assessments": [
            {
                "id": a.pk,
                "organisation": a.organisation.code,
                "status": a.status,
                "comment": a.comment,
                "published": a.published,
                "published_at": a.published_at,
            }
            for a in rec.visible_assessments  # type: ignore[attr-defined]
        ],
        "decisions": [
            {"organisation": d.organisation.code, "text": d.text, "decided_on": d.decided_on}
            for d in rec.decisions.all()
        ],
    }


@router.get(
    "/plans/{plan}/recommendations/summary",
    response={200: RecommendationSummaryOut, **READ_ERRORS},
    summary="How many recommendations were fully implemented, by source, addressee and pillar, "
    "and which are overdue",
    operation_id="recommendations_summary",
)
def summary(request: HttpRequest, plan: str, filters: Query[FiltersIn]) -> dict[str, Any]:
    access = access_for_api(request, plan)
    found = selectors.Filters.from_params(filters.dict())
    return selectors.summary_data(selectors.summary(access, found))


@router.get(
    "/plans/{plan}/recommendations",
    response={200: list[RecommendationOut], **READ_ERRORS},
    summary="Recommendations of a plan, filtered by source, addressee, pillar or status",
    operation_id="recommendations_list",
)
def list_recommendations(
    request: HttpRequest, plan: str, filters: Query[FiltersIn]
) -> list[dict[str, Any]]:
    access = access_for_api(request, plan)
    found = selectors.Filters.from_params(filters.dict())
    return [_ref(r) for r in selectors.recommendations(access, found).select_related("plan")]


@router.get(
    "/plans/{plan}/recommendations/{pk}",
    response={200: RecommendationDetailOut, **READ_ERRORS},
    summary="One recommendation with its responses, visible assessments and decisions",
    operation_id="recommendation_get",
)
def get_recommendation(request: HttpRequest, plan: str, pk: Id) -> dict[str, Any]:
    return _detail(selectors.recommendation_for(access_for_api(request, plan), pk))


@router.post(
    "/plans/{plan}/recommendations",
    auth=WRITE_AUTH,
    response={200: RecommendationDetailOut, **WRITE_ERRORS},
    summary="Record a recommendation (coordinators)",
    operation_id="recommendation_create",
)
def create_recommendation(
    request: HttpRequest, plan: str, body: RecommendationIn
) -> dict[str, Any]:
    access = access_for_api(request, plan)
    if not access.can_manage_recommendations():
        raise ApiError(403, _("You may not do this."))
    addressees = list(Organisation.objects.filter(code__in=body.addressees))
    if len(addressees) != len(set(body.addressees)):
        raise ApiError(
            400,
            _("Every addressee must be an organisation of the directory."),
            [{"row": None, "field": "addressees", "message": _("Unknown organisation.")}],
        )
    nodes = list(FrameworkNode.objects.filter(plan=access.plan, code__in=body.nodes))
    if len(nodes) != len(set(body.nodes)):
        raise ApiError(400, _("Every framework node must belong to this plan."))
    rec = services.recommendation_create(
        by=api_user(request),
        plan=access.plan,
        source=body.source,
        reference=body.reference,
        issued_on=body.issued_on,
        text=body.text,
        addressees=addressees,
        nodes=nodes,
        due_on=body.due_on,
    )
    return _detail(selectors.recommendation_for(access, rec.pk))


@router.post(
    "/plans/{plan}/recommendations/{pk}/responses",
    auth=WRITE_AUTH,
    response={200: RecommendationDetailOut, **WRITE_ERRORS},
    summary="Respond for an addressee and claim a status (its focal points)",
    operation_id="recommendation_respond",
)
def respond(request: HttpRequest, plan: str, pk: Id, body: ResponseIn) -> dict[str, Any]:
    access = access_for_api(request, plan)
    rec = selectors.recommendation_for(access, pk)
    services.response_add(
        by=api_user(request),
        recommendation=rec,
        organisation=_organisation(body.organisation),
        text=body.text,
        status=body.status,
    )
    return _detail(selectors.recommendation_for(access, pk))


@router.post(
    "/plans/{plan}/recommendations/{pk}/responses/with-evidence",
    auth=WRITE_AUTH,
    response={200: RecommendationDetailOut, **WRITE_ERRORS},
    summary="Respond with an evidence file (multipart form: organisation, text, status, file)",
    operation_id="recommendation_respond_with_evidence",
)
def respond_with_evidence(
    request: HttpRequest,
    plan: str,
    pk: Id,
    organisation: Form[str],
    text: Form[str],
    status: Form[str],
    file: File[UploadedFile],
) -> dict[str, Any]:
    """The file is checked like reporting evidence (PDF, PNG, JPEG or office document)."""
    access = access_for_api(request, plan)
    rec = selectors.recommendation_for(access, pk)
    services.response_add(
        by=api_user(request),
        recommendation=rec,
        organisation=_organisation(organisation),
        text=text,
        status=status,
        upload=file,
    )
    return _detail(selectors.recommendation_for(access, pk))


@router.put(
    "/plans/{plan}/recommendations/{pk}/assessment",
    auth=WRITE_AUTH,
    response={200: RecommendationDetailOut, **WRITE_ERRORS},
    summary="Record or change your organisation's assessment (civil-society monitors)",
    operation_id="recommendation_assess",
)
def assess(request: HttpRequest, plan: str, pk: Id, body: AssessmentIn) -> dict[str, Any]:
    access = access_for_api(request, plan)
    rec = selectors.recommendation_for(access, pk)
    services.assessment_save(
        by=api_user(request),
        recommendation=rec,
        organisation=_organisation(body.organisation),
        status=body.status,
        comment=body.comment,
        publish=body.publish,
    )
    return _detail(selectors.recommendation_for(access, pk))


@router.post(
    "/plans/{plan}/recommendations/{pk}/assessment/publish",
    auth=WRITE_AUTH,
    response={200: RecommendationDetailOut, **WRITE_ERRORS},
    summary="Publish your organisation's assessment (civil-society monitors)",
    operation_id="recommendation_assessment_publish",
)
def publish(request: HttpRequest, plan: str, pk: Id, body: PublishIn) -> dict[str, Any]:
    access = access_for_api(request, plan)
    rec = selectors.recommendation_for(access, pk)
    assessment = (
        Assessment.objects.filter(recommendation=rec, organisation__code=body.organisation)
        .filter(selectors.visible_assessments(access))
        .first()
    )
    if assessment is None:
        raise not_found(_("No such assessment."))
    services.assessment_publish(
        by=api_user(request),
        assessment=assessment,
    )
    return _detail(selectors.recommendation_for(access, pk))


@router.post(
    "/plans/{plan}/recommendations/{pk}/decisions",
    auth=WRITE_AUTH,
    response={200: RecommendationDetailOut, **WRITE_ERRORS},
    summary="Record which office decided what, when (coordinators)",
    operation_id="recommendation_decision",
)
def decide(request: HttpRequest, plan: str, pk: Id, body: DecisionIn) -> dict[str, Any]:
    access = access_for_api(request, plan)
    rec = selectors.recommendation_for(access, pk)
    services.decision_record(
        by=api_user(request),
        recommendation=rec,
        organisation=_organisation(body.organisation),
        text=body.text,
        decided_on=body.decided_on,
    )
    return _detail(selectors.recommendation_for(access, pk))
