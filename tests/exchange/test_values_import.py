"""Values from CSV (and XLSX): upserts with audit, and every refusal with its exact location."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings
from openpyxl import Workbook

from wpsmonitor.exchange.importer import import_files
from wpsmonitor.indicators.models import DataValue, DataValueAudit, ImportBatch

from .helpers import db_state, refused, write_csv

pytestmark = pytest.mark.django_db

# The small_plan fixture (conftest.py): ken-nap-2, 2020-2024, KEN and KE-30; N1 number by
# sex x age (quarterly), P1 percentage by sex (yearly, factor 100), Y1 yes/no, S1 milestone
# (drafted | tabled | adopted), T1 narrative, D1 share (derived).


def test_csv_values_import_and_update_with_audit(small_plan, tmp_path: Path) -> None:
    first = write_csv(
        tmp_path / "v.csv",
        [
            "ken-nap-2,N1,2021Q1,KE-30,sex=F;age=18-29,,12,,,,first",
            "ken-nap-2,N1,2021Q1,KE,age=30-59; sex=M,cso,5,,,,",
            "ken-nap-2,P1,2021,KEN,sex=F,,,30,120,,",
            "ken-nap-2,Y1,2021Q2,KEN,,,oui,,,,",
            "ken-nap-2,S1,2021Q2,KEN,total,,2,,,,",
            "ken-nap-2,T1,2021Q2,KEN,,,,,,Committees met in all counties,",
        ],
    )
    summary = import_files(paths=[first])
    assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (6, 6, 0, 0)
    assert DataValue.objects.get(indicator__code="P1").value == pytest.approx(25.0)
    assert DataValue.objects.get(indicator__code="Y1").value == 1.0
    assert DataValue.objects.get(indicator__code="N1", source__code="cso").cell.code == (
        "sex=M;age=30-59"
    )

    second = write_csv(
        tmp_path / "v2.csv",
        [
            "ken-nap-2,N1,2021Q1,KE-30,sex=F;age=18-29,gov,15,,,,corrected",
            "ken-nap-2,P1,2021,KEN,sex=F,,,30,120,,",
            "ken-nap-2,N1,2021Q2,KE-30,sex=F;age=18-29,gov,4,,,,",
        ],
    )
    summary = import_files(paths=[second])
    assert (summary.created, summary.updated, summary.unchanged) == (1, 1, 1)
    value = DataValue.objects.get(indicator__code="N1", period__code="2021Q1", source__code="gov")
    assert (value.value, value.comment, value.batch_id) == (15, "corrected", summary.batch_id)
    audit = DataValueAudit.objects.get()
    assert (audit.old_value, audit.new_value, audit.action) == (12, 15, "update")
    assert audit.batch_id == summary.batch_id
    assert (audit.period.code, audit.area.code, audit.cell.code) == (
        "2021Q1",
        "KE-30",
        "sex=F;age=18-29",
    )
    batch = ImportBatch.objects.get(pk=summary.batch_id)
    assert (batch.kind, batch.rows, batch.created, batch.updated) == ("values", 3, 1, 1)
    assert batch.finished_at is not None


ROW_PROBLEMS = [
    # (csv row, expected problem after "v.csv:2:")
    ("ken-nap-9,N1,2021Q1,KEN,sex=F;age=18-29,,1,,,,", "plan: unknown plan 'ken-nap-9'"),
    (
        "ken-nap-2,N9,2021Q1,KEN,sex=F;age=18-29,,1,,,,",
        "indicator: unknown indicator 'N9' in plan ken-nap-2",
    ),
    ("ken-nap-2,N1,2021Q1,ZZ-99,sex=F;age=18-29,,1,,,,", "area: unknown area 'ZZ-99'"),
    ("ken-nap-2,N1,2021Q1,UGA,sex=F;age=18-29,,1,,,,", "area: unknown area 'UGA'"),
    ("ken-nap-2,N1,2021Q1,KEN,sex=F;age=18-29,donor9,1,,,,", "source: unknown source 'donor9'"),
    (
        "ken-nap-2,N1,2021Q1,KEN,sex=X;age=18-29,,1,,,,",
        "cell: 'X' is not an option of sex (F (Female), M (Male))",
    ),
    ("ken-nap-2,N1,2021Q1,KEN,sex=F,,1,,,,", "cell: missing dimension(s) age"),
    (
        "ken-nap-2,N1,2021Q1,KEN,sex=F;age=18-29;disability=yes,,1,,,,",
        "cell: dimension(s) disability are not in this indicator's disaggregation",
    ),
    (
        "ken-nap-2,Y1,2021Q1,KEN,sex=F,,1,,,,",
        "cell: this indicator is not disaggregated; leave the cell empty",
    ),
    (
        "ken-nap-2,P1,2021,KEN,sex=F,,,130,120,,",
        "numerator: the numerator (130) is above the denominator (120)",
    ),
    ("ken-nap-2,P1,2021,KEN,sex=F,,,0,0,,", "denominator: the denominator must be greater than 0"),
    ("ken-nap-2,P1,2021,KEN,sex=F,,,5,,,", "denominator: a percentage needs a denominator"),
    (
        "ken-nap-2,P1,2021,KEN,sex=F,,40,5,10,,",
        "value: the value of a percentage is computed from numerator and denominator (50); "
        "leave it empty",
    ),
    (
        "ken-nap-2,N1,2021Q5,KEN,sex=F;age=18-29,,1,,,,",
        "period: '2021Q5' is not a period code (use 2025, 2025S1, 2025Q3 or 2025-07)",
    ),
    (
        "ken-nap-2,N1,2026Q1,KEN,sex=F;age=18-29,,1,,,,",
        "period: 2026Q1 is outside the plan's dates (2020-01-01 to 2024-12-31)",
    ),
    (
        "ken-nap-2,N1,2021,KEN,sex=F;age=18-29,,1,,,,",
        "period: 2021 is a year but N1 is reported by quarter",
    ),
    ("ken-nap-2,N1,2021Q1,KEN,sex=F;age=18-29,,twelve,,,,", "value: 'twelve' is not a number"),
    (
        "ken-nap-2,N1,2021Q1,KEN,sex=F;age=18-29,,,,,,",
        "value: a value is required for a number indicator",
    ),
    ("ken-nap-2,N1,2021Q1,KEN,sex=F;age=18-29,,-3,,,,", "value: a count cannot be negative"),
    (
        "ken-nap-2,Y1,2021Q1,KEN,,,maybe,,,,",
        "value: 'maybe' is not yes or no (use 1/0, yes/no, oui/non, true/false)",
    ),
    ("ken-nap-2,S1,2021Q1,KEN,,,3,,,,", "value: '3' is not a step of S1: give 0 to 2 or a label"),
    ("ken-nap-2,T1,2021Q1,KEN,,,,,,,", "text: a narrative indicator needs its text"),
    (
        "ken-nap-2,D1,2021Q1,KEN,,,0.4,,,,",
        "indicator: D1 is derived: its values are computed, never typed",
    ),
    (
        "ken-nap-2,N1,2021Q1,KEN,sex=F;age=18-29,,4,1,,,",
        "numerator: numerator is not used by a number indicator; leave it empty",
    ),
]


@pytest.mark.parametrize(("row", "expected"), ROW_PROBLEMS)
def test_each_bad_row_is_refused_with_its_location(small_plan, tmp_path, row, expected) -> None:
    ok = "ken-nap-2,N1,2021Q2,KEN,sex=F;age=18-29,,1,,,,"
    before = db_state()
    problems = refused(write_csv(tmp_path / "v.csv", [row, ok]))
    assert problems == [f"v.csv:2:{expected}"]
    assert db_state() == before


def test_all_problems_are_listed_and_duplicates_name_both_rows(small_plan, tmp_path) -> None:
    rows = [
        "ken-nap-2,N1,2021Q1,KEN,sex=F;age=18-29,,1,,,,",
        "ken-nap-2,N9,2021Q1,KEN,,,1,,,,",
        "ken-nap-2,N1,2021Q1,KEN,age=18-29;sex=F,,2,,,,",
        "ken-nap-2,P1,2021Q1,KEN,sex=F,,,3,2,,",
    ]
    before = db_state()
    problems = refused(write_csv(tmp_path / "v.csv", rows))
    assert problems == [
        "v.csv:3:indicator: unknown indicator 'N9' in plan ken-nap-2",
        "v.csv:4:indicator: duplicate of v.csv:2 (same indicator, period, area, cell and source)",
        "v.csv:5:period: 2021Q1 is a quarter but P1 is reported by year",
        "v.csv:5:numerator: the numerator (3) is above the denominator (2)",
    ]
    assert db_state() == before


def test_a_value_already_stored_is_not_a_duplicate_but_a_second_row_is(small_plan, tmp_path):
    import_files(paths=[write_csv(tmp_path / "a.csv", ["ken-nap-2,Y1,2021Q1,KEN,,,1,,,,"])])
    problems = refused(
        write_csv(tmp_path / "b.csv", ["ken-nap-2,Y1,2021Q1,KEN,,,0,,,,"]),
        write_csv(tmp_path / "c.csv", ["ken-nap-2,Y1,2021Q1,KEN,,gov,no,,,,"]),
    )
    assert problems == [
        "c.csv:2:indicator: duplicate of b.csv:2 (same indicator, period, area, cell and source)"
    ]
    assert DataValue.objects.get().value == 1


@override_settings(IMPORT_MAX_ERRORS=3)
def test_problems_are_capped(small_plan, tmp_path) -> None:
    rows = [f"ken-nap-2,N{i},2021Q1,KEN,,,1,,,," for i in range(2, 12)]
    problems = refused(write_csv(tmp_path / "v.csv", rows))
    assert len(problems) == 3


def test_country_codes_iso2_and_iso3(small_plan, tmp_path) -> None:
    import_files(
        paths=[
            write_csv(
                tmp_path / "v.csv",
                ["ken-nap-2,Y1,2021Q1,KE,,,1,,,,", "ken-nap-2,Y1,2021Q2,ken,,,yes,,,,"],
            )
        ]
    )
    assert set(DataValue.objects.values_list("area__code", flat=True)) == {"KEN"}


def test_utf8_with_bom_and_columns_in_any_order(small_plan, tmp_path) -> None:
    path = tmp_path / "v.csv"
    path.write_bytes(
        "\ufeffindicator,plan,period,area,text\nT1,ken-nap-2,2021Q1,KEN,Réunion à Nairobi\n".encode()
    )
    import_files(paths=[path])
    assert DataValue.objects.get().text_value == "Réunion à Nairobi"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "v.csv: this is not a CSV text file (it contains binary data)",
        ),
        (
            "plan,indicator,period,area,text\nken-nap-2,T1,2021Q1,KEN,Réunion\n".encode("latin-1"),
            "v.csv: the file is not UTF-8 text; save it as CSV UTF-8",
        ),
        (
            b"plan,indicator,period,area,colour\n",
            "v.csv:1: unknown column(s) colour; the columns are plan, indicator, period, area, cell, source, value, numerator, denominator, text, comment",
        ),
        (b"plan,indicator,area\n", "v.csv:1:period: the column period is missing"),
        (
            b"plan,indicator,period,area,value\nken-nap-2,Y1,2021Q1,KEN,1,extra\n",
            "v.csv:2: the row has 6 fields; the header has 5",
        ),
    ],
)
def test_malformed_csv_is_refused_cleanly(small_plan, tmp_path, content, expected) -> None:
    path = tmp_path / "v.csv"
    path.write_bytes(content)
    before = db_state()
    assert refused(path) == [expected]
    assert db_state() == before


def test_oversized_file_is_refused_before_reading(small_plan, tmp_path) -> None:
    path = write_csv(tmp_path / "v.csv", ["ken-nap-2,Y1,2021Q1,KEN,,,1,,,,"] * 50)
    with override_settings(IMPORT_MAX_FILE_BYTES=1000):
        problems = refused(path)
    assert problems == [f"v.csv: the file is {path.stat().st_size} bytes; the limit is 1000 bytes"]


def test_values_only_workbook(small_plan, tmp_path) -> None:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Values"
    ws.append(["plan", "indicator", "period", "area", "cell", "value", "comment"])
    ws.append(["ken-nap-2", "N1", "2021Q1", "KEN", "sex=F;age=60+", 3, "+ more to come"])
    ws.append(["ken-nap-2", "N1", "2021Q2", "KEN", "sex=F;age=60+", "=1+2", None])
    workbook.save(tmp_path / "values.xlsx")
    assert refused(tmp_path / "values.xlsx") == [
        "values.xlsx:Values:3:value: formulas are not imported; copy the cells and paste them "
        "as values"
    ]
    ws.delete_rows(3)
    workbook.save(tmp_path / "values.xlsx")
    summary = import_files(paths=[tmp_path / "values.xlsx"])
    assert summary.created == 1
    assert DataValue.objects.get().comment == "+ more to come"
