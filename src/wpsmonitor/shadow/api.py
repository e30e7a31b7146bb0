"""Shadow monitoring in the API: each action's government account beside every monitor's
(docs/shadow-monitoring.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from wpsmonitor.accounts.auth import READ_AUTH, access_for_api
from wpsmonitor.core.api import (
    READ_ERRORS,
    Offset,
    bad_parameter,
    not_found,
    page_limit,
    period_parameter,
)
from wpsmonitor.core.names import localized_name
from wpsmonitor.indicators.reading import ReadingFor, reading_out
from wpsmonitor.indicators.reading_periods import period_label
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.shadow.divergence import (
    Divergence,
    compare,
    divergence_period,
    divergence_periods,
)
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


# Where the accounts differ (the divergence view) ------------------------------------------------


class DivergenceOut(Schema):
    indicator: str = Field(description="Indicator code")
    indicator_title: str
    kind: str = Field(description="The indicator's kind (count, percentage, scale, ...)")
    area: str = Field(description="Area code")
    area_name: str
    source: str = Field(description="Code of the civil-society source")
    source_name: str
    government: float = Field(description="Percentages and yes/no shares on the 0-100 scale")
    civil_society: float
    government_label: str | None = Field(
        description="A scale's or milestone's step by its label; null for other kinds"
    )
    civil_society_label: str | None
    gap: float = Field(
        description="Percentage points (gap_in: points), or a share 0-1 of the larger figure "
        "(counts) or of the whole scale (scales and milestones)"
    )
    gap_in: str = Field(description="points, share_of_larger or share_of_scale")


class DivergencePage(Schema):
    plan: str
    reading: str = Field(
        "detail", description="detail (the plan's members) or release (everyone else)"
    )
    release: int | None = Field(
        None, description="The release compared; null for the detail or when none is published"
    )
    period: str = Field(description="The period compared (the default: see the operation)")
    period_label: str
    count: int = Field(description="Pairs in the period, all pages")
    not_compared: int = Field(
        0,
        description="Pairs of the release left out because one of their figures is suppressed "
        "(the difference would give it away); always 0 for the detail",
    )
    items: list[DivergenceOut] = Field(description="Largest difference first")


class DivergenceParams(Schema):
    period: str | None = Field(
        None,
        description="A period of the plan (e.g. 2025, 2025Q1) or ALL; default: the latest year "
        "in which both the government and civil society reported a figure to compare",
    )
    limit: int = page_limit(100, 1000)
    offset: Offset = 0


def _divergence_out(d: Divergence) -> dict[str, Any]:
    if d.in_points:
        gap_in = "points"
    elif d.in_steps:
        gap_in = "share_of_scale"
    else:
        gap_in = "share_of_larger"
    return {
        "indicator": d.indicator.code,
        "indicator_title": d.indicator.title,
        "kind": d.indicator.kind,
        "area": d.area.code,
        "area_name": localized_name(d.area.name),
        "source": d.source.code,
        "source_name": localized_name(d.source.name),
        "government": d.government,
        "civil_society": d.civil_society,
        "government_label": d.government_label or None,
        "civil_society_label": d.civil_society_label or None,
        "gap": d.gap,
        "gap_in": gap_in,
    }


DIVERGENCE_DOC = """The divergence page's table (docs/shadow-monitoring.md gives how gaps are
measured): each indicator total that the government and a civil-society source both report for
the same area, largest difference first. Without `period`, the latest year in which both
accounts have a figure to compare.

The plan's members compare the figures the platform holds (`reading` "detail"); everyone else
compares those of its latest published release (`reading` "release", `release` its number). A
pair of which either figure is suppressed is not compared, nor listed: its difference would give
the hidden figure away; `not_compared` counts them (the page lists them with their flags)."""


def list_divergence(
    request: HttpRequest, plan: str, params: DivergenceParams, reading_for: ReadingFor
) -> dict[str, Any]:
    access = access_for_api(request, plan)
    obj = access.plan
    reading = reading_for(access)
    figures = reading.figures
    periods = divergence_periods(obj, figures)
    asked = params.period.strip().upper() if params.period else None
    if asked and asked not in periods:
        if asked != "ALL":
            period_parameter(asked)  # a malformed code: 400 saying why
        raise bad_parameter(
            "period",
            _("Plan %(plan)s has no period %(period)s.") % {"plan": obj.code, "period": asked},
        )
    period = divergence_period(obj, periods, asked, figures)
    pairs = compare(obj, period, figures=figures, hidden=access.hidden_indicators())
    found = pairs.divergences
    window = found[params.offset : params.offset + params.limit]
    return {
        "plan": obj.code,
        **reading_out(reading),
        "period": period,
        "period_label": str(period_label(period)),
        "count": len(found),
        "not_compared": len(pairs.not_compared),
        "items": [_divergence_out(d) for d in window],
    }


def figures_router(reading_for: ReadingFor) -> Router:
    """The shadow endpoints that answer figures, reading what `reading_for` decides for each
    caller (handed over by wpsmonitor/api.py: this layer may not import publishing)."""
    figures = Router(tags=["reporting"], auth=READ_AUTH)

    @figures.get(
        "/plans/{plan}/divergence",
        response={200: DivergencePage, **READ_ERRORS},
        summary="Where the government's and civil society's figures differ most, for one period",
        operation_id="divergence_list",
        description=DIVERGENCE_DOC,
    )
    def divergence_list(
        request: HttpRequest, plan: str, params: Query[DivergenceParams]
    ) -> dict[str, Any]:
        return list_divergence(request, plan, params, reading_for)

    return figures
