"""Every table of the plan, indicator and area pages downloads as CSV and XLSX, with the same
figures as the page, numbers as numbers, and text that a spreadsheet would run neutralised.

Figures as in test_pages.py (conftest.add_values).
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from openpyxl import load_workbook

from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import PlanStatus
from wpsmonitor.shell.downloads import Table, to_csv

from .conftest import BuiltPlan, add_round, build_plan

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://x","click")'


def get(client: Client, url: str, table: str, fmt: str, **params: str) -> HttpResponse:
    response = client.get(url, {**params, "download": fmt, "table": table})
    assert response.status_code == 200, (url, table, fmt)
    return response  # type: ignore[return-value]


def csv_rows(response: HttpResponse) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response: HttpResponse) -> tuple[list[list[Any]], dict[str, str]]:
    """The data sheet's rows, and the "About" sheet as a dict."""
    book = load_workbook(io.BytesIO(response.content))
    data, about = book.worksheets
    return (
        [list(row) for row in data.iter_rows(values_only=True)],
        {str(k): str(v) for k, v in about.iter_rows(values_only=True)},
    )


# --- the plan dashboard ----------------------------------------------------------------------


def test_off_track_as_csv_and_xlsx(client: Client, plan_with_values: BuiltPlan) -> None:
    response = get(client, "/plans/nap-3/", "off_track", "csv", period="2024")
    assert response["Content-Disposition"] == (
        'attachment; filename="nap-3_2024_COD_gov_off_track.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == [
        "Indicator code",
        "Indicator",
        "Framework code",
        "Value",
        "Target",
        "Achievement (capped at 1)",
        "Expected by now",
    ]
    assert rows[1][:5] == ["IND-1-1-N", "Women trained 1.1", "P1.O1", "135", "200"]
    assert float(rows[1][5]) == pytest.approx(115 / 180)
    assert rows[1][6] == "1"
    assert len(rows) == 3

    sheet, about = xlsx_rows(get(client, "/plans/nap-3/", "off_track", "xlsx", period="2024"))
    assert sheet[1][:5] == ["IND-1-1-N", "Women trained 1.1", "P1.O1", 135, 200]
    assert sheet[1][5] == pytest.approx(115 / 180)
    assert about["Plan"] == "National Action Plan nap-3"
    assert about["Period"] == "2024"
    assert about["Area"] == "Democratic Republic of the Congo (COD)"
    assert about["Page"] == "http://testserver/plans/nap-3/?period=2024"


def test_plan_indicators_table_holds_every_indicator(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    sheet, _about = xlsx_rows(get(client, "/plans/nap-3/", "indicators", "xlsx", period="2024"))
    header, *rows = sheet
    assert header[:5] == [
        "Framework code",
        "Part of the framework",
        "Indicator code",
        "Indicator",
        "Unit",
    ]
    assert [r[2] for r in rows] == ["IND-1-1-N", "IND-1-1-P", "IND-2-1-N", "IND-2-1-P"]
    number = dict(zip(header, rows[0], strict=True))
    assert number["Value"] == 135 and number["Baseline"] == 20 and number["Target"] == 200
    assert number["Values reported"] == 8
    percentage = dict(zip(header, rows[1], strict=True))
    # 2024 is the latest quarter, 2024Q2: (4 + 6) / (20 + 20).
    assert (percentage["Numerator"], percentage["Denominator"]) == (10, 40)
    assert percentage["Value"] == pytest.approx(25.0)
    assert percentage["Target"] is None


def test_action_tables(client: Client, plan_with_values: BuiltPlan) -> None:
    rows = csv_rows(get(client, "/plans/nap-3/", "actions_by_pillar", "csv"))
    assert rows[0][:3] == ["Code", "Pillar", "Actions"]
    assert rows[1][:4] == ["P1", "Pillar 1", "2", "0"]
    assert rows[-1][:3] == ["", "All actions", "4"]
    rows = csv_rows(get(client, "/plans/nap-3/", "actions_by_organisation", "csv"))
    assert rows[1][:3] == ["mogender", "MoG", "4"]


def test_completeness_only_with_a_round(client: Client, plan_with_values: BuiltPlan) -> None:
    no_round = client.get("/plans/nap-3/", {"download": "csv", "table": "completeness"})
    assert no_round.status_code == 404
    add_round(plan_with_values)
    rows = csv_rows(get(client, "/plans/nap-3/", "completeness", "csv"))
    assert rows == [
        ["Organisation", "Area", "Area code", "Status"],
        ["National Police", "Democratic Republic of the Congo", "COD", "Not submitted yet"],
        ["Ministry of Gender", "Province 1", "COD-P1", "Approved"],
        ["Ministry of Gender", "Province 2", "COD-P2", "Submitted, awaiting review"],
    ]


def test_hostile_names_are_not_formulas(client: Client, plan_with_values: BuiltPlan) -> None:
    Organisation.objects.filter(code="mogender").update(name=HOSTILE, acronym="")
    Indicator.objects.filter(code="IND-1-1-N").update(title=HOSTILE)
    add_round(plan_with_values)

    rows = csv_rows(get(client, "/plans/nap-3/", "indicators", "csv"))
    assert rows[1][3] == "'" + HOSTILE
    rows = csv_rows(get(client, "/plans/nap-3/", "completeness", "csv"))
    assert rows[2][0] == "'" + HOSTILE

    for table, column in (("actions_by_organisation", 1), ("completeness", 0)):
        response = get(client, "/plans/nap-3/", table, "xlsx")
        sheet, _about = xlsx_rows(response)
        cells = [row[column] for row in sheet]
        assert HOSTILE in cells  # kept as the text it is...
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in xml and "HYPERLINK" in xml  # ...and never as a formula
        book = load_workbook(io.BytesIO(response.content))
        found = [c for row in book.worksheets[0].iter_rows() for c in row if c.value == HOSTILE]
        assert found
        assert all(c.data_type == "s" and c.quotePrefix for c in found)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_neutralises_every_formula_trigger(text: str) -> None:
    content = to_csv(Table(key="t", title="t", columns=["a", "b"], rows=[[text, -1.5]]))
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'" + text, "-1.5"]  # the text neutralised, the number left alone


# --- the indicator page ----------------------------------------------------------------------


def test_indicator_tables(client: Client, plan_with_values: BuiltPlan) -> None:
    url = "/plans/nap-3/indicators/IND-1-1-N/"
    rows = csv_rows(get(client, url, "series", "csv"))
    assert rows[0] == [
        "Period",
        "Value",
        "Numerator",
        "Denominator",
        "Baseline",
        "Target",
        "Achievement",
        "Values reported",
    ]
    assert [r[:2] for r in rows[1:]] == [["2024Q1", "45"], ["2024Q2", "90"]]

    rows = csv_rows(get(client, url, "disaggregation", "csv", period="2024"))
    assert [r[:3] for r in rows[1:]] == [
        ["Sex", "Female", "90"],
        ["Sex", "Male", "45"],
        ["Total", "", "135"],
    ]
    assert rows[-1][6] == "200"  # the total's target

    sheet, _about = xlsx_rows(get(client, url, "by_area", "xlsx"))
    assert [r[:3] for r in sheet[1:]] == [
        ["Province 1", "COD-P1", 45],
        ["Province 2", "COD-P2", 90],
        ["Democratic Republic of the Congo", "COD", 135],
    ]

    rows = csv_rows(get(client, url, "sources", "csv"))
    assert rows == [
        ["Period", "Government (official)", "Shadow report"],
        ["2024Q1", "45", "10"],
        ["2024Q2", "90", "10"],
        ["Whole plan to date", "135", "20"],
    ]


def test_indicator_download_follows_the_filters(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    url = "/plans/nap-3/indicators/IND-1-1-N/"
    response = get(client, url, "series", "csv", area="COD-P1", source="cso-shadow")
    assert response["Content-Disposition"] == (
        'attachment; filename="nap-3_IND-1-1-N_ALL_COD-P1_cso-shadow_series.csv"'
    )
    assert [r[:2] for r in csv_rows(response)[1:]] == [["2024Q1", "10"], ["2024Q2", "10"]]
    # No comparison for the percentage indicator: no such table.
    percentage = "/plans/nap-3/indicators/IND-1-1-P/"
    assert client.get(percentage, {"download": "csv", "table": "sources"}).status_code == 404


def test_page_links_to_its_downloads_with_its_filters(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    html = client.get("/plans/nap-3/indicators/IND-1-1-N/", {"period": "2024"}).content.decode()
    for table in ("series", "disaggregation", "by_area", "sources"):
        for fmt in ("csv", "xlsx"):
            assert f'href="?period=2024&amp;table={table}&amp;download={fmt}"' in html
    plan = client.get("/plans/nap-3/", {"period": "2024"}).content.decode()
    for table in ("indicators", "off_track", "actions_by_pillar", "actions_by_organisation"):
        assert f'href="?period=2024&amp;table={table}&amp;download=csv"' in plan


# --- the area page ---------------------------------------------------------------------------


def test_area_tables(client: Client, plan_with_values: BuiltPlan) -> None:
    add_round(plan_with_values)
    rows = csv_rows(get(client, "/areas/COD/", "plans", "csv"))
    assert rows[1][:5] == [
        "nap-3",
        "National Action Plan nap-3",
        "National action plan (NAP)",
        "2024-01-01",
        "2027-12-31",
    ]
    assert rows[1][8] == "2024" and float(rows[1][9]) == pytest.approx(115 / 180)

    sheet, about = xlsx_rows(get(client, "/areas/COD-P1/", "indicators-nap-3", "xlsx"))
    assert sheet[0][3] == "Value, 2024"
    assert sheet[1][:4] == ["IND-1-1-N", "Women trained 1.1", "people", 45]
    assert about["Area"] == "Province 1 (COD-P1)"

    rows = csv_rows(get(client, "/areas/COD-P1/", "actions-nap-3", "csv"))
    assert [r[0] for r in rows[1:]] == ["P1.O1.1.A1", "P1.O1.1.A2", "P2.O1.1.A1", "P2.O1.1.A2"]
    assert rows[1][2:4] == ["Ministry of Gender", "Cancelled"]


# --- refusals --------------------------------------------------------------------------------


def test_unknown_table_or_format_is_404(client: Client, plan_with_values: BuiltPlan) -> None:
    for url in ("/plans/nap-3/", "/plans/nap-3/indicators/IND-1-1-N/", "/areas/COD/"):
        assert client.get(url, {"download": "csv", "table": "nope"}).status_code == 404
        assert client.get(url, {"download": "pdf", "table": "plans"}).status_code == 404


def test_a_hidden_draft_has_no_downloads(client: Client) -> None:
    build_plan(code="nap-draft", status=PlanStatus.DRAFT)
    for url in ("/plans/nap-draft/", "/plans/nap-draft/indicators/IND-1-1-N/"):
        assert client.get(url, {"download": "csv", "table": "series"}).status_code == 404
    # The area page of its country lists no draft, in the file either.
    rows = csv_rows(get(client, "/areas/COD/", "plans", "csv"))
    assert len(rows) == 1


def test_xlsx_has_number_formats_widths_a_frozen_header_and_a_filter() -> None:
    """Issue 12 §6: an XLSX a reader can use as it opens."""
    from wpsmonitor.shell.downloads import to_xlsx

    table = Table(
        key="t",
        title="T",
        columns=["Indicator", "Count", "Share", "Note"],
        rows=[
            ["A rather long indicator title for the width", 12000, 23.333, None],
            ["B", 5, 0.5, "x"],
        ],
    )
    book = load_workbook(io.BytesIO(to_xlsx(table, [("Plan", "NAP")])))
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D3"
    assert sheet["B2"].number_format == "#,##0" and sheet["B2"].value == 12000
    assert sheet["C2"].number_format == "#,##0.0##"
    assert sheet["A2"].number_format == "General"  # text stays text
    assert sheet.column_dimensions["A"].width == len(table.rows[0][0]) + 2  # type: ignore[arg-type]
    assert 5 <= sheet.column_dimensions["B"].width < 10
    assert sheet["A1"].font.bold
