"""Plans and their results frameworks, read-only.

Every endpoint makes a fixed number of queries whatever the size of the plan.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from wpsmonitor.accounts.access import PlanAccess, readable_plans
from wpsmonitor.accounts.auth import READ_AUTH, WRITE_AUTH
from wpsmonitor.core.api import (
    READ_ERRORS,
    ApiError,
    ErrorOut,
    bad_parameter,
    not_found,
    page_url,
)
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.directory.services import country_lookup
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.indicators.selectors import hidden_indicators_for
from wpsmonitor.plans import quality
from wpsmonitor.plans.models import (
    FrameworkLevel,
    FrameworkNode,
    Plan,
    PlanKind,
    PlanStatus,
)
from wpsmonitor.plans.schemas import (
    FrameworkOut,
    PlanDetailOut,
    PlanPage,
    PlanQualityOut,
    QualityComparisonOut,
    QualityFieldsIn,
)
from wpsmonitor.plans.services import plan_quality_fields_set

router = Router(tags=["plans"], auth=READ_AUTH)

QUALITY_WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
}
PLAN_PAGE_DEFAULT = 50
PLAN_PAGE_MAX = 200


def plan_for_api(code: str, user: Any) -> Plan:
    """The plan with this code if the user may read it, else a 404 in the API's error shape
    (a draft hidden from the caller answers exactly like a plan that does not exist)."""
    plan = (
        Plan.objects.select_related("area", "lead_organisation", "parent")
        .filter(readable_plans(user), code=code)
        .first()
    )
    if plan is None:
        raise not_found(_("No plan with code %(code)s.") % {"code": code})
    return plan


def access_for_api(request: HttpRequest, code: str) -> PlanAccess:
    """The caller's rights on the plan with this code, or the 404 of `plan_for_api`."""
    user = request.auth  # type: ignore[attr-defined]
    return PlanAccess.load(user, plan_for_api(code, user))


def organisation_ref(org: Organisation | None) -> dict[str, Any] | None:
    if org is None:
        return None
    return {"code": org.code, "name": org.name, "acronym": org.acronym, "type": org.type}


def _plan_ref(plan: Plan) -> dict[str, Any]:
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
        "parent": _plan_ref(plan.parent) if plan.parent else None,
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
    }


class PlanFilters(Schema):
    kind: PlanKind | None = None
    status: PlanStatus | None = None
    country: str | None = Field(None, description="ISO 3166-1 code (alpha-2 or alpha-3)")
    parent: str | None = Field(None, description="Code of the parent plan")
    limit: int = Field(PLAN_PAGE_DEFAULT, ge=1, le=PLAN_PAGE_MAX)
    offset: int = Field(0, ge=0)


@router.get(
    "", response={200: PlanPage, **READ_ERRORS}, summary="List plans", operation_id="plans_list"
)
def list_plans(request: HttpRequest, filters: Query[PlanFilters]) -> dict[str, Any]:
    """Plans ordered by code; filter by kind, status, country or parent plan."""
    plans = Plan.objects.select_related("area", "lead_organisation", "parent").filter(
        readable_plans(request.auth)  # type: ignore[attr-defined]
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


# ---------------------------------------------------------------------------- quality (before
# "/{plan}", which would otherwise take "quality" for a plan code)


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
        "plan": _plan_ref(card.plan),
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
    comparison = quality.compare(
        quality.compared_plans(request.auth, filters.kind or "")  # type: ignore[attr-defined]
    )
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
    "/{plan}",
    response={200: PlanDetailOut, **READ_ERRORS},
    summary="One plan",
    operation_id="plan_get",
)
def get_plan(request: HttpRequest, plan: str) -> dict[str, Any]:
    """All fields of a plan, with its parent and its child plans (local, institutional)."""
    obj = plan_for_api(plan, request.auth)  # type: ignore[attr-defined]
    out = _plan_out(obj, _country_codes([obj]))
    out["children"] = [_plan_ref(child) for child in obj.children.order_by("code")]
    return out


@router.get(
    "/{plan}/framework",
    response={200: FrameworkOut, **READ_ERRORS},
    summary="Framework",
    operation_id="framework_get",
)
def get_framework(request: HttpRequest, plan: str) -> dict[str, Any]:
    """The results tree: levels, then every node depth-first, with action fields on actions."""
    obj = plan_for_api(plan, request.auth)  # type: ignore[attr-defined]
    levels = list(FrameworkLevel.objects.filter(plan=obj).order_by("depth"))
    nodes = list(
        FrameworkNode.objects.filter(plan=obj)
        .select_related("level", "responsible_organisation")
        .prefetch_related(
            Prefetch("partner_organisations", queryset=Organisation.objects.order_by("code"))
        )
    )
    indicator_codes: dict[int, list[str]] = defaultdict(list)
    for node_id, code in (
        Indicator.objects.filter(plan=obj)
        # A civil-society organisation's draft indicator: its monitors' alone until published.
        .exclude(hidden_indicators_for(request.auth, obj))  # type: ignore[attr-defined]
        .order_by("order", "code")
        .values_list("node_id", "code")
    ):
        indicator_codes[node_id].append(code)

    children: dict[int | None, list[FrameworkNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    by_id = {node.pk: node for node in nodes}
    today = timezone.localdate()
    ordered: list[dict[str, Any]] = []

    def visit(parent_id: int | None, depth: int) -> None:
        for node in sorted(children.get(parent_id, []), key=lambda n: (n.order, n.code)):
            ordered.append(_node_out(node, depth, by_id, indicator_codes, today))
            visit(node.pk, depth + 1)

    visit(None, 1)
    return {
        "plan": obj.code,
        "levels": [
            {"depth": lv.depth, "code": lv.code, "name": lv.name, "holds_actions": lv.holds_actions}
            for lv in levels
        ],
        "nodes": ordered,
    }


def _node_out(
    node: FrameworkNode,
    depth: int,
    by_id: dict[int, FrameworkNode],
    indicator_codes: dict[int, list[str]],
    today: Any,
) -> dict[str, Any]:
    action = None
    if node.level.holds_actions:
        action = {
            "status": node.status,
            "delayed": node.is_delayed(today),
            "percent_complete": node.percent_complete,
            "planned_start": node.planned_start,
            "planned_end": node.planned_end,
            "responsible_organisation": organisation_ref(node.responsible_organisation),
            "partner_organisations": [
                organisation_ref(org) for org in node.partner_organisations.all()
            ],
        }
    parent = by_id.get(node.parent_id) if node.parent_id else None
    return {
        "code": node.code,
        "title": node.title,
        "description": node.description,
        "level": node.level.code,
        "depth": depth,
        "parent": parent.code if parent else None,
        "order": node.order,
        "pillar_theme": node.pillar_theme,
        "indicators": indicator_codes.get(node.pk, []),
        "action": action,
    }


@router.get(
    "/{plan}/quality",
    response={200: PlanQualityOut, **READ_ERRORS},
    summary="Quality scorecard of a plan: every criterion, why, and what is missing",
    operation_id="plan_quality_get",
)
def get_plan_quality(request: HttpRequest, plan: str) -> dict[str, Any]:
    obj = plan_for_api(plan, request.auth)  # type: ignore[attr-defined]
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
    obj = plan_for_api(plan, request.auth)  # type: ignore[attr-defined]
    access = PlanAccess.load(request.auth, obj)  # type: ignore[attr-defined]
    if not access.can_manage():
        raise ApiError(403, _("You may not do this."))
    try:
        updated = plan_quality_fields_set(access=access, **body.dict(exclude_none=True))
    except ValidationError as exc:
        raise ApiError(400, " ".join(str(m) for m in exc.messages)) from exc
    return _quality_fields_out(updated, quality.plan_scorecard(updated))
