"""Plans and their results frameworks, read-only.

Every endpoint makes a fixed number of queries whatever the size of the plan.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from wpsmonitor.accounts.access import readable_plans
from wpsmonitor.accounts.auth import READ_AUTH, access_for_api, api_user
from wpsmonitor.core.api import (
    READ_ERRORS,
    Offset,
    bad_parameter,
    page_limit,
    page_url,
)
from wpsmonitor.core.translated import texts_by_language
from wpsmonitor.directory.lookups import country_lookup
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.plans.models import (
    Plan,
    PlanKind,
    PlanStatus,
)
from wpsmonitor.plans.schemas import (
    PlanDetailOut,
    PlanPage,
)

router = Router(tags=["plans"], auth=READ_AUTH)

PLAN_PAGE_DEFAULT = 50
PLAN_PAGE_MAX = 200


def organisation_ref(org: Organisation | None) -> dict[str, Any] | None:
    if org is None:
        return None
    return {
        "code": org.code,
        "name": org.name,
        "acronym": org.acronym,
        "type": org.type,
        "original_language": org.original_language,
        "translations": texts_by_language(org, "name"),
    }


def plan_ref(plan: Plan) -> dict[str, Any]:
    return {"code": plan.code, "title": plan.title, "kind": plan.kind, "status": plan.status}


def _country_codes(plans: list[Plan]) -> dict[int, str]:
    """Root area (country) code by root id, for all plans at once."""
    root_ids = {p.area.ancestor_ids[0] for p in plans if p.area.path}
    return dict(Area.objects.filter(pk__in=root_ids).values_list("pk", "code"))


def _plan_out(plan: Plan, countries: dict[int, str]) -> dict[str, Any]:
    root = plan.area.ancestor_ids[0] if plan.area.path else None
    return {
        "code": plan.code,
        "title": plan.title,
        "kind": plan.kind,
        "status": plan.status,
        "country": countries.get(root) if root else None,
        "area": {"code": plan.area.code, "name": plan.area.name},
        "generation": plan.generation,
        "start": plan.start,
        "end": plan.end,
        "adopted_on": plan.adopted_on,
        "lead_organisation": organisation_ref(plan.lead_organisation),
        "coordination_mechanism": plan.coordination_mechanism,
        "languages": list(plan.languages or []),
        "description": plan.description,
        "document_url": plan.document_url,
        "parent": plan_ref(plan.parent) if plan.parent else None,
        "disclosure_threshold": plan.disclosure_threshold,
        "structural_zeros_safe": plan.structural_zeros_safe,
        "original_language": plan.original_language,
        "translations": texts_by_language(plan, "title"),
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
    }


class PlanFilters(Schema):
    kind: PlanKind | None = None
    status: PlanStatus | None = None
    country: str | None = Field(None, description="ISO 3166-1 code (alpha-2 or alpha-3)")
    parent: str | None = Field(None, description="Code of the parent plan")
    limit: int = page_limit(PLAN_PAGE_DEFAULT, PLAN_PAGE_MAX)
    offset: Offset = 0


@router.get(
    "", response={200: PlanPage, **READ_ERRORS}, summary="List plans", operation_id="plans_list"
)
def list_plans(request: HttpRequest, filters: Query[PlanFilters]) -> dict[str, Any]:
    """Plans ordered by code; filter by kind, status, country or parent plan."""
    plans = Plan.objects.select_related("area", "lead_organisation", "parent").filter(
        readable_plans(api_user(request))
    )
    if filters.kind:
        plans = plans.filter(kind=filters.kind)
    if filters.status:
        plans = plans.filter(status=filters.status)
    if filters.country:
        country = country_lookup(filters.country)
        if country is None:
            raise bad_parameter("country", _("not an ISO 3166-1 country code"))
        root = Area.objects.filter(code=country.alpha_3).first()
        plans = plans.none() if root is None else plans.filter(area__path__startswith=root.path)
    if filters.parent:
        plans = plans.filter(parent__code=filters.parent)
    plans = plans.order_by("code")
    count = plans.count()
    page = list(plans[filters.offset : filters.offset + filters.limit])
    countries = _country_codes(page)
    end = filters.offset + len(page)
    return {
        "count": count,
        "next": page_url(request, offset=end) if end < count else None,
        "items": [_plan_out(plan, countries) for plan in page],
    }


@router.get(
    "/{plan}",
    response={200: PlanDetailOut, **READ_ERRORS},
    summary="One plan",
    operation_id="plan_get",
)
def get_plan(request: HttpRequest, plan: str) -> dict[str, Any]:
    """All fields of a plan, with its parent and its child plans (local, institutional)."""
    obj = access_for_api(request, plan).plan
    out = _plan_out(obj, _country_codes([obj]))
    out["children"] = [plan_ref(child) for child in obj.children.order_by("code")]
    return out
