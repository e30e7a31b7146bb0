"""The plan quality scorecard in the API, under /plans/ (docs/quality.md).

Mounted before the plans router: "/plans/quality" would otherwise be read as a plan code.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from wpsmonitor.accounts.auth import READ_AUTH, WRITE_AUTH, access_for_api, api_user
from wpsmonitor.core.api import READ_ERRORS, ErrorOut
from wpsmonitor.plans.api import plan_ref
from wpsmonitor.plans.models import Plan, PlanKind
from wpsmonitor.plans.services import plan_quality_fields_set
from wpsmonitor.quality import scoring as quality
from wpsmonitor.quality.schemas import PlanQualityOut, QualityComparisonOut, QualityFieldsIn

router = Router(tags=["plans"], auth=READ_AUTH)

QUALITY_WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
}


class QualityFilters(Schema):
    kind: PlanKind | None = None


def _criterion_out(c: Any, *, brief: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"key": c.key, "status": c.status, "fraction": round(c.fraction, 4)}
    if brief:
        return out
    return {
        **out,
        "group": c.group,
        "title": c.title,
        "rule": c.rule,
        "why": c.why,
        "missing": [vars(i) for i in c.missing],
        "found": [vars(i) for i in c.found],
        "link": vars(c.link) if c.link else None,
    }


def _quality_out(card: Any, *, brief: bool = False) -> dict[str, Any]:
    return {
        "plan": plan_ref(card.plan),
        "points": round(card.points, 4),
        "maximum": card.maximum,
        "percent": round(card.percent, 2),
        "criteria": [_criterion_out(c, brief=brief) for c in card.criteria],
    }


@router.get(
    "/quality",
    response={200: QualityComparisonOut, **READ_ERRORS},
    summary="Quality scorecards of all readable plans, with the share of plans meeting each "
    "criterion",
    operation_id="plans_quality_compare",
)
def quality_compare(request: HttpRequest, filters: Query[QualityFilters]) -> dict[str, Any]:
    """Every plan the caller may read (by code), optionally of one kind; fixed query count."""
    comparison = quality.compare(quality.compared_plans(api_user(request), filters.kind or ""))
    return {
        "count": comparison.count,
        "statistics": [
            {
                "key": s.key,
                "group": s.group,
                "title": s.title,
                "applicable": s.applicable,
                "met": s.met,
                "partly": s.partly,
                "not_met": s.not_met,
                "met_percent": round(s.met_percent, 2) if s.met_percent is not None else None,
            }
            for s in comparison.statistics
        ],
        "plans": [_quality_out(card, brief=True) for card in comparison.scorecards],
    }


@router.get(
    "/{plan}/quality",
    response={200: PlanQualityOut, **READ_ERRORS},
    summary="Quality scorecard of a plan: every criterion, why, and what is missing",
    operation_id="plan_quality_get",
)
def get_plan_quality(request: HttpRequest, plan: str) -> dict[str, Any]:
    obj = access_for_api(request, plan).plan
    return _quality_fields_out(obj, quality.plan_scorecard(obj))


def _quality_fields_out(obj: Plan, card: Any) -> dict[str, Any]:
    return {
        **_quality_out(card),
        "me_description": obj.me_description,
        "civil_society_roles": list(obj.civil_society_roles or []),
        "alignment_references": list(obj.alignment_references or []),
    }


@router.patch(
    "/{plan}/quality",
    auth=WRITE_AUTH,
    response={200: PlanQualityOut, **QUALITY_WRITE_ERRORS},
    summary="Change what the plan says about its M&E, civil society's role and its alignment "
    "(coordinators); answers the new scorecard",
    operation_id="plan_quality_update",
)
def update_plan_quality(request: HttpRequest, plan: str, body: QualityFieldsIn) -> dict[str, Any]:
    access = access_for_api(request, plan)
    updated = plan_quality_fields_set(access=access, **body.dict(exclude_none=True))
    return _quality_fields_out(updated, quality.plan_scorecard(updated))
