"""Early warning in the JSON API (docs/stories.md, "Early warning and response"), through the
same selectors as the pages, so the same figures and the same rules:

- the response times: those who see the plan's detail read them (a 403 for anyone else, a 404
  for a plan they may not open);
- the counts of signals after disclosure control: whoever reads the plan, the same suppressed
  cells as the page (a count below the plan's threshold, a zero included, is null)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.accounts.auth import READ_AUTH, access_for_api, api_user
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


class FigureCellOut(Schema):
    year: int = Field(description="The year the signals were seen in")
    category: str = Field(description="What was seen (a category's code)")
    province: str | None = Field(description="The province's code; null: province not recorded")
    count: int | None = Field(
        description="Signals acknowledged or later; null when suppressed (fewer than the "
        "threshold, a zero included)"
    )
    suppressed: bool


class CategoryOut(Schema):
    code: str
    label: str


class ProvinceOut(Schema):
    code: str
    name: str


class SignalFiguresOut(Schema):
    plan: str
    threshold: int = Field(
        description="The plan's disclosure threshold: a count below it, a "
        "zero included, is suppressed"
    )
    categories: list[CategoryOut]
    provinces: list[ProvinceOut] = Field(
        description="The columns, then province not recorded (null in the cells)"
    )
    years: list[int] = Field(description="Newest first")
    cells: list[FigureCellOut] = Field(
        description="Every year × category × province, whatever was recorded; no totals"
    )


@router.get(
    "/plans/{plan}/early-warning/figures",
    response={200: SignalFiguresOut, 401: ErrorOut, 404: ErrorOut},
    summary="Early-warning signals counted by category, province and year, after disclosure "
    "control",
)
def figures(request: HttpRequest, plan: str) -> dict[str, Any]:
    """Signals acknowledged or later (never the moderation queue), by category × province × the
    year they were seen in, with the page's suppression: whoever reads the plan."""
    access = plan_access(api_user(request), plan, may_open=PlanAccess.can_read_signal_figures)
    shown = selectors.figures(access.plan)
    columns = [p.code for p in shown.provinces] + [None]
    return {
        "plan": access.plan.code,
        "threshold": shown.threshold,
        "categories": [{"code": code, "label": label} for code, label in shown.rows],
        "provinces": [{"code": p.code, "name": p.name} for p in shown.provinces],
        "years": [t.year for t in shown.tables],
        "cells": [
            {
                "year": table.year,
                "category": code,
                "province": column,
                "count": count,
                "suppressed": count is None,
            }
            for table in shown.tables
            for (code, _label), (_same, counts) in zip(shown.rows, table.rows, strict=True)
            for column, count in zip(columns, counts, strict=True)
        ],
    }
