"""The conduct figures in the JSON API (docs/conduct.md): counts of allegations by category of
personnel and by kind × year, after disclosure control, through the page's selector; whoever
reads the plan. No allegation is ever answered through the API, to anyone."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.accounts.auth import READ_AUTH, api_user
from wpsmonitor.conduct import selectors
from wpsmonitor.core.api import ErrorOut

router = Router(tags=["conduct"], auth=READ_AUTH)


class ConductCellOut(Schema):
    year: int = Field(description="The year the allegations were reported")
    by: str = Field(description="category or kind")
    code: str
    label: str
    count: int | None = Field(description="null: below the plan's threshold, zero included")
    suppressed: bool


class ConductFiguresOut(Schema):
    plan: str
    threshold: int = Field(description="A count below it, zero included, is suppressed")
    years: list[int] = Field(description="Newest first")
    cells: list[ConductCellOut] = Field(
        description="Every year × category and year × kind, whatever was recorded; no totals"
    )


@router.get(
    "/plans/{plan}/conduct/figures",
    response={200: ConductFiguresOut, 401: ErrorOut, 404: ErrorOut},
    summary="Allegations of sexual exploitation and abuse by personnel, counted by category "
    "and kind × year, after disclosure control",
)
def figures(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = plan_access(api_user(request), plan, may_open=PlanAccess.can_read_allegation_figures)
    shown = selectors.figures(access.plan)
    cells = [
        {
            "year": year.year,
            "by": by,
            "code": code,
            "label": label,
            "count": count,
            "suppressed": count is None,
        }
        for by, tables in (("category", shown.by_category), ("kind", shown.by_kind))
        for year in tables
        for code, label, count in year.rows
    ]
    return {
        "plan": access.plan.code,
        "threshold": shown.threshold,
        "years": [y.year for y in shown.by_category],
        "cells": cells,
    }
