"""Early warning in the JSON API: the response times (docs/stories.md, "Early warning and
response"). The same selector as the page, so the same figures and the same rule: those who see
the plan's detail read them (a 403 for anyone else, a 404 for a plan they may not open)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from wpsmonitor.accounts.auth import READ_AUTH, access_for_api
from wpsmonitor.core.api import ErrorOut
from wpsmonitor.earlywarning import selectors

router = Router(tags=["early warning"], auth=READ_AUTH)


class By(StrEnum):
    QUARTER = selectors.QUARTER
    YEAR = selectors.YEAR


TargetDays = Annotated[int, Field(ge=1, le=90, description="The target, in days (1 to 90)")]


class TimesOut(Schema):
    done: int = Field(description="Signals that reached the step")
    median_days: float | None = Field(description="Median days from receipt to the step")
    within_target: float | None = Field(
        description="Share (0 to 1) that reached the step within the target, of those that "
        "reached it or are still waiting past the target"
    )
    counted: int = Field(description="The share's denominator")


class TimesRowOut(Schema):
    period: str = Field(description="The period the signals were received in: 2025 or 2025Q3")
    province: str | None = Field(description="The province's code; null: every province")
    province_name: str | None
    received: int
    acknowledge: TimesOut = Field(description="Time to acknowledge")
    respond: TimesOut = Field(description="Time to respond (to the action taken)")


class ResponseTimesOut(Schema):
    plan: str
    by: str
    target_days: int
    rows: list[TimesRowOut]


def _times(found: selectors.Times) -> dict[str, Any]:
    return {
        "done": found.done,
        "median_days": found.median,
        "within_target": found.within,
        "counted": found.counted,
    }


@router.get(
    "/plans/{plan}/early-warning/response-times",
    response={200: ResponseTimesOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Time to acknowledge and to respond to early-warning signals",
)
def response_times(
    request: HttpRequest,
    plan: str,
    by: By = By.QUARTER,
    target: TargetDays = selectors.TARGET_DAYS,
) -> dict[str, Any]:
    """By the period signals were received in and by province (each period also for every
    province together, first): the plan's members and the administrator only."""
    access = access_for_api(request, plan)
    if not access.can_read_signals():
        raise PermissionDenied
    rows = selectors.response_times(access.plan, by=by.value, target=target)
    return {
        "plan": access.plan.code,
        "by": by.value,
        "target_days": target,
        "rows": [
            {
                "period": r.period,
                "province": r.province.code if r.province else None,
                "province_name": r.province.name if r.province else None,
                "received": r.received,
                "acknowledge": _times(r.acknowledge),
                "respond": _times(r.respond),
            }
            for r in rows
        ],
    }
