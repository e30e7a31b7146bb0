"""A plan's results framework in the API, with the indicators on each node.

It lives in indicators, not plans, because it lists each node's indicators (plans knows nothing
of indicators: docs/architecture.md).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from wpsmonitor.accounts.auth import READ_AUTH, access_for_api, api_user
from wpsmonitor.core.api import READ_ERRORS
from wpsmonitor.core.translated import texts_by_language
from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.in_force import in_force_filter
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.indicators.selectors import hidden_indicators_for
from wpsmonitor.plans.api import organisation_ref
from wpsmonitor.plans.models import FrameworkLevel, FrameworkNode
from wpsmonitor.plans.schemas import FrameworkOut

router = Router(tags=["plans"], auth=READ_AUTH)


@router.get(
    "/{plan}/framework",
    response={200: FrameworkOut, **READ_ERRORS},
    summary="Framework",
    operation_id="framework_get",
)
def get_framework(request: HttpRequest, plan: str) -> dict[str, Any]:
    """The results tree: levels, then every node depth-first, with action fields on actions."""
    obj = access_for_api(request, plan).plan
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
        # The current framework: not what an approved revision dropped (indicators/in_force.py;
        # the indicators endpoint lists it with its `dropped_in`).
        Indicator.objects.filter(in_force_filter(), plan=obj)
        # A civil-society organisation's draft indicator: its monitors' alone until published.
        .exclude(hidden_indicators_for(api_user(request), obj))
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
        "translations": texts_by_language(node, "title"),
        "indicators": indicator_codes.get(node.pk, []),
        "action": action,
    }
