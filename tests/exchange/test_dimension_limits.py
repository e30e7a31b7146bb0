"""A plan workbook's dimensions and disaggregations within the bounds of indicators/limits.py:
refused up front, located, before anything is stored (issue 12: a dimension of 500 options
imported, then crashed the rebuild after the commit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import db_state, refused
from .workbooks import SHEETS, write_plan_workbook

pytestmark = pytest.mark.django_db


def _indicators(disaggregation: str) -> list[dict[str, object]]:
    rows = [dict(r) for r in SHEETS["Indicators"]]
    rows[0]["disaggregation"] = disaggregation
    return rows


def test_a_dimension_of_500_options_is_refused_once_at_its_101st_option(tmp_path: Path) -> None:
    dimensions = [{"dimension": "big", "option": f"o{i}"} for i in range(500)]
    values = [
        {
            "indicator": "IND1",
            "period": "2023Q1",
            "area": "KE-30",
            "cell": "sex=F;big=o1",
            "value": 1,
        }
    ]
    path = write_plan_workbook(
        tmp_path / "big.xlsx",
        sheets={
            "Dimensions": dimensions,
            "Indicators": _indicators("sex;big"),
            "Targets": [],
            "Values": values,
        },
    )
    before = db_state()
    # Only the dimension's own problem: the indicator naming it, and its values, are not echoed.
    assert refused(path) == [
        "big.xlsx:Dimensions:102:option: the dimension big would have 101 options; the limit is 100"
    ]
    assert db_state() == before


def test_a_disaggregation_beyond_the_bounds_is_refused_on_its_indicator(tmp_path: Path) -> None:
    dimensions = [{"dimension": "big", "option": f"o{i}"} for i in range(100)] + [
        {"dimension": "mid", "option": f"m{i}"} for i in range(60)
    ]
    path = write_plan_workbook(
        tmp_path / "wide.xlsx",
        sheets={
            "Dimensions": dimensions,
            "Indicators": _indicators("big;mid"),
            "Targets": [],
            "Values": [],
        },
    )
    before = db_state()
    assert refused(path) == [
        "wide.xlsx:Indicators:2:disaggregation: the disaggregation big × mid would have 6000 "
        "cells; the limit is 5000"
    ]
    assert db_state() == before


def test_an_option_given_twice_is_one_problem(tmp_path: Path) -> None:
    dimensions = [dict(r) for r in SHEETS["Dimensions"]] + [
        {"dimension": "displacement", "option": "idp"}
    ]
    path = write_plan_workbook(tmp_path / "twice.xlsx", sheets={"Dimensions": dimensions})
    assert refused(path) == [
        "twice.xlsx:Dimensions:4:option: the option idp of displacement is given twice"
    ]
