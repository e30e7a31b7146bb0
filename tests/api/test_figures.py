"""Computed progress and indicator aggregates, read from the rebuilt aggregate table.

Hand-checked figures for the small Kenyan plan (gov source unless said):
PAR-1 (number, sum over time, by sex), values 2024Q1 KEN F 12, M 8; 2024Q2 KEN F 15;
2024Q2 Nairobi M 5; shadow 2024Q1 KEN F 9. Baseline F 10, target 2027 F 100.
PAR-2 (percentage, last value) 2024 KEN 70 / 350 x 100 = 20, target 30, no baseline.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.api.conftest import ApiClient, World

from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates


def fig(
    value: float | None = None,
    count: int = 0,
    numerator: float | None = None,
    denominator: float | None = None,
    baseline: float | None = None,
    target: float | None = None,
    achievement: float | None = None,
) -> dict[str, Any]:
    return {
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "baseline": baseline,
        "target": target,
        "achievement": achievement,
        "count": count,
        # A member reads the detail: no figure is suppressed.
        "flag": None,
        "flag_text": None,
        "threshold": None,
    }


def counts(
    total: int = 0,
    not_started: int = 0,
    completed: int = 0,
    delayed: int = 0,
    completion: float | None = None,
) -> dict[str, Any]:
    return {
        "total": total,
        "not_started": not_started,
        "ongoing": 0,
        "completed": completed,
        "cancelled": 0,
        "delayed": delayed,
        "completion": completion,
    }


@pytest.fixture
def rebuilt(world: World) -> World:
    rebuild_plan_aggregates(world.nap)
    return world


def test_plan_progress_for_the_whole_period(rebuilt: World, reader_api: ApiClient) -> None:
    response = reader_api.get("/plans/ken-nap-2/progress")
    assert response.status_code == 200
    body = response.json()
    assert body.pop("rebuilt_at") is not None
    # PAR-2 is the only indicator with a target on its total: 20 / 30.
    two_thirds = pytest.approx(2 / 3)
    both = counts(total=2, not_started=1, completed=1, delayed=1, completion=0.5)
    assert body == {
        "plan": "ken-nap-2",
        "reading": "detail",
        "release": None,
        "period": "ALL",
        "area": "KEN",
        "source": "gov",
        "refresh_pending": False,
        "indicators_total": 2,
        "indicators_measured": 1,
        "achievement": two_thirds,
        "actions": both,
        "dropped": [],  # no revision dropped an indicator (docs/revisions.md)
        "nodes": [
            {
                "code": "P1",
                "title": "Participation",
                "level": "pillar",
                "depth": 1,
                "parent": None,
                "is_action": False,
                "delayed": False,
                "indicators_total": 2,
                "indicators_measured": 1,
                "achievement": two_thirds,
                "actions": both,
                "indicators": [],
            },
            {
                "code": "O1.1",
                "title": "Women in decision-making",
                "level": "outcome",
                "depth": 2,
                "parent": "P1",
                "is_action": False,
                "delayed": False,
                "indicators_total": 2,
                "indicators_measured": 1,
                "achievement": two_thirds,
                "actions": both,
                "indicators": [
                    {
                        "code": "PAR-1",
                        "title": "Women trained as candidates",
                        "kind": "number",
                        "unit": "people",
                        # 12 + 8 + 15 nationally and 5 in Nairobi; never the shadow 9.
                        **fig(40, count=4),
                    },
                    {
                        "code": "PAR-2",
                        "title": "Share of seats held by women",
                        "kind": "percentage",
                        "unit": "%",
                        **fig(
                            20,
                            count=1,
                            numerator=70,
                            denominator=350,
                            target=30,
                            achievement=two_thirds,
                        ),
                    },
                ],
            },
            {
                "code": "A1.1.2",
                "title": "Advocate for a quota law",
                "level": "action",
                "depth": 3,
                "parent": "O1.1",
                "is_action": True,
                "delayed": True,
                "indicators_total": 0,
                "indicators_measured": 0,
                "achievement": None,
                "actions": counts(total=1, not_started=1, delayed=1, completion=0.0),
                "indicators": [],
            },
            {
                "code": "A1.1.1",
                "title": "Train women candidates",
                "level": "action",
                "depth": 3,
                "parent": "O1.1",
                "is_action": True,
                "delayed": False,
                "indicators_total": 0,
                "indicators_measured": 0,
                "achievement": None,
                "actions": counts(total=1, completed=1, completion=1.0),
                "indicators": [],
            },
            {
                "code": "P2",
                "title": "Protection",
                "level": "pillar",
                "depth": 1,
                "parent": None,
                "is_action": False,
                "delayed": False,
                "indicators_total": 0,
                "indicators_measured": 0,
                "achievement": None,
                "actions": counts(),
                "indicators": [],
            },
            {
                "code": "O2.1",
                "title": "Survivors supported",
                "level": "outcome",
                "depth": 2,
                "parent": "P2",
                "is_action": False,
                "delayed": False,
                "indicators_total": 0,
                "indicators_measured": 0,
                "achievement": None,
                "actions": counts(),
                "indicators": [],
            },
        ],
    }


def indicator_figures(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        ind["code"]: {k: ind[k] for k in ("value", "numerator", "denominator", "count")}
        for node in body["nodes"]
        for ind in node["indicators"]
    }


def test_progress_by_period_area_and_source(rebuilt: World, reader_api: ApiClient) -> None:
    q1 = reader_api.get("/plans/ken-nap-2/progress", period="2024q1").json()
    assert q1["period"] == "2024Q1"  # normalised
    assert indicator_figures(q1)["PAR-1"] == {
        "value": 20.0,  # 12 + 8 (Nairobi reported in Q2)
        "numerator": None,
        "denominator": None,
        "count": 2,
    }
    nairobi = reader_api.get("/plans/ken-nap-2/progress", area="KE-30").json()
    assert nairobi["area"] == "KE-30"
    assert indicator_figures(nairobi)["PAR-1"]["value"] == 5.0
    assert indicator_figures(nairobi)["PAR-2"]["value"] is None
    shadow = reader_api.get("/plans/ken-nap-2/progress", source="wpf-shadow").json()
    assert indicator_figures(shadow)["PAR-1"]["value"] == 9.0
    assert shadow["indicators_measured"] == 0  # no target for the shadow figures
    year = reader_api.get("/plans/ken-nap-2/progress", period="2024").json()
    assert indicator_figures(year) == {
        "PAR-1": {"value": 40.0, "numerator": None, "denominator": None, "count": 4},
        "PAR-2": {"value": 20.0, "numerator": 70.0, "denominator": 350.0, "count": 1},
    }


def test_progress_before_any_rebuild_says_so(world: World, reader_api: ApiClient) -> None:
    body = reader_api.get("/plans/ken-nap-2/progress").json()
    assert body["rebuilt_at"] is None
    assert body["indicators_measured"] == 0
    assert indicator_figures(body)["PAR-1"]["value"] is None


@pytest.mark.parametrize(
    ("path", "params", "field", "message"),
    [
        ("/plans/ken-nap-2/progress", {"period": "Q1-2024"}, "period", None),
        (
            "/plans/ken-nap-2/progress",
            {"area": "UGA"},
            "area",
            "this area is outside the plan's area",
        ),
        ("/plans/ken-nap-2/progress", {"area": "XXX"}, "area", "unknown area code"),
        ("/plans/ken-nap-2/progress", {"source": "rumour"}, "source", "unknown source code"),
        (
            "/plans/ken-nap-2/indicators/PAR-1/aggregates",
            {"period_type": "decade"},
            "period_type",
            None,
        ),
    ],
)
def test_figure_parameters_are_checked(
    rebuilt: World,
    reader_api: ApiClient,
    path: str,
    params: dict[str, str],
    field: str,
    message: str | None,
) -> None:
    response = reader_api.get(path, **params)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    if message:
        assert errors[0]["message"] == message


def test_aggregates_of_a_disaggregated_indicator(rebuilt: World, reader_api: ApiClient) -> None:
    body = reader_api.get(
        "/plans/ken-nap-2/indicators/PAR-1/aggregates", period="2024", cells="true"
    ).json()
    assert body == {
        "plan": "ken-nap-2",
        "reading": "detail",
        "release": None,
        "indicator": "PAR-1",
        "period": "2024",
        "area": "KEN",
        "source": "gov",
        "total": fig(40, count=4),
        # Women: 12 + 15 = 27 in 2024, men 8 + 5; the only target is for 2027, so none is
        # shown.
        "margins": {
            "sex=F": fig(27, count=2, baseline=10),
            "sex=M": fig(13, count=2),
        },
        "cells": {"sex=F": fig(27, count=2), "sex=M": fig(13, count=2)},
        "series": [
            {"period": "2024Q1", **fig(20, count=2)},
            {"period": "2024S1", **fig(40, count=4)},
            {"period": "2024", **fig(40, count=4)},
            {"period": "2024Q2", **fig(20, count=2)},
        ],
        "areas": [{"area": "KE-30", "name": "Nairobi", **fig(5, count=1)}],
    }
    # Without ?cells=true the cross-tab is not computed; everything else is the same.
    plain = reader_api.get("/plans/ken-nap-2/indicators/PAR-1/aggregates", period="2024").json()
    assert plain == {**body, "cells": None}
    # Plan to date, the running total of this flow is not measured against a yearly target.
    to_date = reader_api.get("/plans/ken-nap-2/indicators/PAR-1/aggregates").json()
    assert to_date["margins"]["sex=F"]["value"] == 27
    assert to_date["margins"]["sex=F"]["target"] is None


def test_aggregates_series_of_a_margin_at_one_granularity(
    rebuilt: World, reader_api: ApiClient
) -> None:
    body = reader_api.get(
        "/plans/ken-nap-2/indicators/PAR-1/aggregates", cell="sex=F", period_type="quarter"
    ).json()
    assert [(p["period"], p["value"]) for p in body["series"]] == [
        ("2024Q1", 12.0),
        ("2024Q2", 15.0),  # Nairobi's 5 are men
    ]


def test_aggregates_of_a_percentage_for_a_year_and_of_the_shadow_source(
    rebuilt: World, reader_api: ApiClient
) -> None:
    body = reader_api.get(
        "/plans/ken-nap-2/indicators/PAR-2/aggregates", period="2024", cells="true"
    ).json()
    assert body["total"] == fig(20, count=1, numerator=70, denominator=350)
    assert body["margins"] == {}
    assert body["cells"] == {"total": fig(20, count=1, numerator=70, denominator=350)}
    assert body["areas"] == [{"area": "KE-30", "name": "Nairobi", **fig()}]
    shadow = reader_api.get(
        "/plans/ken-nap-2/indicators/PAR-1/aggregates",
        source="wpf-shadow",
        period="2024Q1",
        cells="true",
    ).json()
    assert shadow["total"] == fig(9, count=1)
    assert shadow["cells"] == {"sex=F": fig(9, count=1)}


def test_aggregates_of_another_plans_indicator_is_404(
    rebuilt: World, reader_api: ApiClient
) -> None:
    response = reader_api.get("/plans/ken-nap-2/indicators/UG-9/aggregates")
    assert response.status_code == 404
    assert response.json()["detail"] == "Plan ken-nap-2 has no indicator UG-9."
