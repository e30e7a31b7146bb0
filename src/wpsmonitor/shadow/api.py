"""Shadow monitoring in the API: each action's government account beside every monitor's
(docs/shadow-monitoring.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from wpsmonitor.accounts.auth import READ_AUTH, access_for_api
from wpsmonitor.core.api import READ_ERRORS, not_found, period_parameter
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.shadow.selectors import ActionComparison, GovernmentAccount, action_comparisons

router = Router(tags=["reporting"], auth=READ_AUTH)


# Actions, both accounts -----------------------------------------------------------------------


class GovernmentAccountOut(Schema):
    status: str
    percent_complete: int | None
    narrative: str
    period: str = Field(description="Empty: the status recorded on the plan, not a report")
    step: int | None = Field(description="On the shared scale: 2 implemented, 1 partly, 0 not")


class MonitorAccountOut(Schema):
    organisation: str
    source: str
    period: str
    assessment: str
    narrative: str
    step: int | None
    gap: int | None = Field(description="Steps from the government's account; null: unknown")


class ActionAccountsOut(Schema):
    action: str
    title: str
    government: GovernmentAccountOut
    monitors: list[MonitorAccountOut]
    widest_gap: int | None


def _accounts_out(c: Any) -> dict[str, Any]:
    g = c.government
    return {
        "action": c.action.code,
        "title": c.action.title,
        "government": {
            "status": g.status,
            "percent_complete": g.percent_complete,
            "narrative": g.narrative,
            "period": g.period_code,
            "step": g.step,
        },
        "monitors": [
            {
                "organisation": m.report.organisation.code,
                "source": m.report.source.code,
                "period": m.report.period.code,
                "assessment": m.report.assessment,
                "narrative": m.report.narrative,
                "step": m.step,
                "gap": gap,
            }
            for m, gap in c.monitors
        ],
        "widest_gap": c.widest,
    }


class PeriodParams(Schema):
    period: str = Field("ALL", description='Period code, or "ALL": latest accounts to date')
    disagreements_only: bool = Field(False, description="Only actions whose accounts differ")


@router.get(
    "/plans/{plan}/action-accounts",
    response={200: list[ActionAccountsOut], **READ_ERRORS},
    summary="Every action civil society assessed: the government's account beside each monitor's",
    operation_id="action_accounts_list",
)
def list_action_accounts(
    request: HttpRequest, plan: str, params: Query[PeriodParams]
) -> list[dict[str, Any]]:
    """Widest disagreement first (docs/shadow-monitoring.md gives the scale)."""
    obj = access_for_api(request, plan).plan
    period = params.period.strip().upper()
    if period != "ALL":
        period = period_parameter(period).code
    found = action_comparisons(obj, period)
    if params.disagreements_only:
        found = [c for c in found if c.disagrees]
    return [_accounts_out(c) for c in found]


@router.get(
    "/plans/{plan}/actions/{action}/accounts",
    response={200: ActionAccountsOut, **READ_ERRORS},
    summary="One action: the government's account beside each monitor's",
    operation_id="action_accounts_get",
)
def get_action_accounts(request: HttpRequest, plan: str, action: str) -> dict[str, Any]:
    obj = access_for_api(request, plan).plan
    node = FrameworkNode.objects.filter(plan=obj, code=action, level__holds_actions=True).first()
    if node is None:
        raise not_found(
            _("Plan %(plan)s has no action %(code)s.") % {"plan": obj.code, "code": action}
        )
    found = action_comparisons(obj, action=node)
    if found:
        return _accounts_out(found[0])
    return _accounts_out(
        ActionComparison(
            action=node,
            government=GovernmentAccount(node.status, node.percent_complete, "", "", None),
        )
    )
