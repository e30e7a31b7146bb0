"""Counts of people and events are whole numbers (issue 12): which units count, and the CSV path.

The entry sheet's path is in tests/reporting/test_cycle.py, the API's in tests/api/test_write.py;
all go through indicators/ingest/value_rules.py.
"""

from __future__ import annotations

import pytest

from wpsmonitor.exchange.importer import import_files
from wpsmonitor.indicators.models import DataValue, Indicator, IndicatorKind, counts_whole_things

from .helpers import db_state, refused, write_csv


@pytest.mark.parametrize(
    ("kind", "unit", "whole"),
    [
        ("number", "people", True),
        ("number", "cases", True),
        ("number", "Cases reported", True),
        ("number", "personnes", True),
        ("number", "cas", True),
        ("number", "women trained", True),
        ("number", "deaths per 100,000 live births", False),  # a rate keeps its decimals
        ("number", "cas pour 1 000 habitants", False),
        ("number", "cases/month", False),
        ("number", "USD", False),
        ("number", "days", False),
        ("number", "", False),  # no unit: nothing is assumed
        ("percentage", "people", False),
        ("scale", "cases", False),
    ],
)
def test_which_units_count_whole_things(kind: str, unit: str, whole: bool) -> None:
    assert counts_whole_things(kind, unit) is whole


@pytest.mark.django_db
def test_a_fraction_in_a_count_of_cases_is_refused_from_a_csv(small_plan, tmp_path) -> None:
    Indicator.objects.filter(plan=small_plan, code="N1").update(unit="cases")
    rows = [
        "ken-nap-2,N1,2021Q1,KEN,sex=F;age=18-29,,1.5,,,,",
        "ken-nap-2,N1,2021Q1,KEN,sex=M;age=18-29,,12.0,,,,",
    ]
    path = write_csv(tmp_path / "v.csv", rows)
    before = db_state()
    assert refused(path) == ["v.csv:2:value: a count of cases is a whole number: 1.5"]
    assert db_state() == before

    # The same figures for a measure that is not a count keep their decimals.
    Indicator.objects.filter(plan=small_plan, code="N1").update(unit="hours")
    import_files(paths=[path])
    assert sorted(DataValue.objects.values_list("value", flat=True)) == [1.5, 12.0]
    assert Indicator(kind=IndicatorKind.NUMBER, unit="hours").whole_numbers is False
