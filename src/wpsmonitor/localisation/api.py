"""The roll-up in the API: GET /plans/{plan}/localisation, what a national plan's local plans
contribute (docs/api.md, "Localisation"). Built by `router_for(reading_for)` in
wpsmonitor/api.py: publishing, which owns `reading_for`, is beside localisation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from wpsmonitor.accounts.auth import READ_AUTH, access_for_api
from wpsmonitor.core.api import READ_ERRORS
from wpsmonitor.indicators.reading import ReadingFor, figure_flags_out
from wpsmonitor.indicators.selectors import Figure
from wpsmonitor.localisation import selectors


class RollupLocalPlanOut(Schema):
    code: str
    title: str
    kind: str
    area: str
    reading: str  # "detail" or "release": which figures of this local plan the caller read
    release: int | None


class RollupProvinceOut(Schema):
    area: str
    name: str
    plans: list[str]


class RollupLocalFigureOut(Schema):
    plan: str
    indicator: str
    value: float | None
    numerator: float | None
    denominator: float | None
    flag: str | None
    flag_text: str | None
    threshold: int | None


class RollupNationalFigureOut(Schema):
    value: float | None
    numerator: float | None
    denominator: float | None
    plans_added: int


class RollupPeriodOut(Schema):
    period: str
    local: list[RollupLocalFigureOut]
    rolled_up: RollupNationalFigureOut | None
    rolled_up_note: str | None
    reported_nationally: float | None


class RollupIndicatorOut(Schema):
    code: str
    title: str
    kind: str
    roll_up: bool
    localised_in: list[str]
    reported_in: list[str]
    periods: list[RollupPeriodOut]


class RollupOut(Schema):
    plan: str
    local_plans: list[RollupLocalPlanOut]
    provinces: list[RollupProvinceOut]
    indicators: list[RollupIndicatorOut]


def _figure(plan: str, indicator: str, figure: Figure) -> dict[str, Any]:
    return {
        "plan": plan,
        "indicator": indicator,
        "value": figure.value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        **figure_flags_out(figure),
    }


def get_rollup(request: HttpRequest, plan: str, reading_for: ReadingFor) -> dict[str, Any]:
    access = access_for_api(request, plan)
    found = selectors.rollup(access, reading_for)
    code_of = {lp.plan.pk: lp.plan.code for lp in found.plans}
    indicators = []
    for item in found.indicators:
        local_code = {pid: ind.code for pid, ind in item.localised_in.items()}
        indicators.append(
            {
                "code": item.indicator.code,
                "title": item.indicator.title,
                "kind": item.indicator.kind,
                "roll_up": item.indicator.roll_up,
                "localised_in": sorted(code_of[pid] for pid in item.localised_in),
                "reported_in": sorted(code_of[pid] for pid in item.reported_in),
                "periods": [
                    {
                        "period": p.period_code,
                        "local": [
                            _figure(code_of[pid], local_code[pid], f)
                            for pid, f in sorted(p.figures.items(), key=lambda x: code_of[x[0]])
                        ],
                        "rolled_up": None
                        if p.national is None
                        else {
                            "value": p.national.value,
                            "numerator": p.national.numerator,
                            "denominator": p.national.denominator,
                            "plans_added": p.national.count,
                        },
                        "rolled_up_note": p.note or None,
                        "reported_nationally": None
                        if p.reported_nationally.suppressed
                        else p.reported_nationally.value,
                    }
                    for p in item.periods
                ],
            }
        )
    return {
        "plan": access.plan.code,
        "local_plans": [
            {
                "code": lp.plan.code,
                "title": lp.plan.title,
                "kind": lp.plan.kind,
                "area": lp.plan.area.code,
                "reading": "detail" if lp.reading.detail else "release",
                "release": lp.reading.release_number,
            }
            for lp in found.plans
        ],
        "provinces": [
            {"area": p.area.code, "name": p.area.name, "plans": [pl.code for pl in p.plans]}
            for p in found.provinces
        ],
        "indicators": indicators,
    }


def router_for(reading_for: ReadingFor) -> Router:
    """Localisation's router, reading what `reading_for` decides for each caller on each local
    plan (handed over by wpsmonitor/api.py)."""
    router = Router(tags=["plans"], auth=READ_AUTH)

    @router.get(
        "/plans/{plan}/localisation",
        response={200: RollupOut, **READ_ERRORS},
        summary="What the national plan's local plans contribute: for each national indicator, "
        "the figures of the local indicators localising it, a year at a time, the coverage, "
        "and the national figure built from them where the indicator says so",
        operation_id="localisation_get",
    )
    def localisation_get(request: HttpRequest, plan: str) -> dict[str, Any]:
        return get_rollup(request, plan, reading_for)

    return router
