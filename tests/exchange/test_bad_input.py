"""Bad input gets a clear refusal, never a traceback or a silent wrong figure (issue 12, §5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import db_state, refused

pytestmark = pytest.mark.django_db


def test_a_json_plan_file_with_a_5001_digit_number_is_refused_with_a_message(
    small_plan, tmp_path: Path
) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{"plan": {"code": "x", "order": %s}}' % ("9" * 5001), encoding="utf-8")
    before = db_state()
    assert refused(path) == ["plan.json: a number has 5,001 characters; numbers have at most 40"]
    assert db_state() == before


# A values file as French Excel saves "CSV UTF-8": byte-order mark, semicolons, CRLF, decimal
# commas; the cells holding a semicolon (a cell code, a comment) quoted.
FRENCH_EXCEL_CSV = (
    "\ufeffplan;indicator;period;area;cell;source;value;numerator;denominator;text;comment\r\n"
    'ken-nap-2;N1;2021Q1;KE-30;"sex=F;age=18-29";;12;;;;"vérifié; 2 sites, 1 camp"\r\n'
    "ken-nap-2;P1;2021;KEN;sex=F;;;30,5;120;;\r\n"
    "ken-nap-2;S1;2021Q2;KEN;;;tabled, in committee;;;;\r\n"
    "ken-nap-2;T1;2021Q2;KEN;;;;;;Réunions tenues, 3;\r\n"
).encode()


def test_a_french_excel_csv_with_semicolons_and_decimal_commas_is_read(
    small_plan, tmp_path: Path
) -> None:
    from wpsmonitor.exchange.importer import import_files
    from wpsmonitor.indicators.models import DataValue, Indicator

    Indicator.objects.filter(code="S1").update(scale_labels=["drafted", "tabled, in committee"])
    path = tmp_path / "valeurs.csv"
    path.write_bytes(FRENCH_EXCEL_CSV)
    summary = import_files(paths=[path])
    assert summary.created == 4
    values = {v.indicator.code: v for v in DataValue.objects.select_related("indicator")}
    assert values["N1"].value == 12
    assert values["N1"].comment == "vérifié; 2 sites, 1 camp"
    assert (values["P1"].numerator, values["P1"].denominator) == (30.5, 120)
    assert values["S1"].value == 1  # a label with a comma is not read as a number
    assert values["T1"].text_value == "Réunions tenues, 3"


def test_a_decimal_comma_in_a_count_is_refused_by_the_whole_number_rule(
    small_plan, tmp_path: Path
) -> None:
    from wpsmonitor.indicators.models import Indicator

    Indicator.objects.filter(code="N1").update(unit="cas")
    path = tmp_path / "valeurs.csv"
    path.write_bytes(
        b'plan;indicator;period;area;cell;value\r\nken-nap-2;N1;2021Q1;KEN;"sex=F;age=0-17";1,5\r\n'
    )
    before = db_state()
    assert refused(path) == ["valeurs.csv:2:value: a count of cas is a whole number: 1.5"]
    assert db_state() == before


def test_a_comma_csv_keeps_commas_out_of_numbers(small_plan, tmp_path: Path) -> None:
    """In a comma-separated file "1,5" is two fields, never a decimal: the row is too wide."""
    path = tmp_path / "v.csv"
    path.write_bytes(b"plan,indicator,period,area,value\nken-nap-2,Y1,2021Q1,KEN,1,5\n")
    assert refused(path) == ["v.csv:2: the row has 6 fields; the header has 5"]


def test_a_tab_separated_file_is_told_its_separator(small_plan, tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_bytes(b"plan\tindicator\tperiod\tarea\tvalue\nken-nap-2\tY1\t2021Q1\tKEN\t1\n")
    assert refused(path) == [
        "v.csv:1: the columns are separated by '\\t'; separate them by commas (or semicolons) "
        "and save as CSV UTF-8"
    ]


def test_a_blank_frequency_is_one_problem_not_one_per_value(tmp_path: Path) -> None:
    """Before: the blank became "quarter" silently, then every yearly figure was refused."""
    from .workbooks import SHEETS, write_plan_workbook

    indicators = [
        {**row, "frequency": ""} if row["code"] == "IND2" else row for row in SHEETS["Indicators"]
    ]
    yearly = [
        {"indicator": "IND2", "period": str(year), "area": area, "numerator": 1, "denominator": 4}
        for year in (2023, 2024, 2025, 2026)
        for area in ("KEN", "KE-30")
    ]
    sheets = {"Indicators": indicators, "Values": [*SHEETS["Values"], *yearly]}
    before = db_state()
    problems = refused(write_plan_workbook(tmp_path / "plan.xlsx", sheets=sheets))
    row = 1 + [r["code"] for r in indicators].index("IND2") + 1
    assert problems == [f"plan.xlsx:Indicators:{row}:frequency: this column is required"]
    assert db_state() == before
