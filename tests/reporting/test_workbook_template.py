"""The blank import workbook downloaded from the plan's workbook page: its instructions in the
reader's language, its sheet names and headers the importer's stable codes."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.test import Client
from openpyxl import load_workbook
from tests.reporting.conftest import Cycle

from wpsmonitor.exchange import formats as f


def _download(cycle: Cycle, user: str, language: str) -> tuple[int, bytes]:
    client = Client()
    client.force_login(cycle.users[user])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/plans/{cycle.plan.code}/reporting/workbook/template.xlsx")
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response.status_code, body


def test_the_template_downloaded_in_spanish_has_spanish_instructions_and_stable_sheets(
    cycle: Cycle,
) -> None:
    status, body = _download(cycle, "coordinator", "es")
    assert status == 200
    workbook = load_workbook(BytesIO(body))
    assert workbook.sheetnames == [f.INSTRUCTIONS, *(sheet.name for sheet in f.PLAN_SHEETS)]
    rows = list(workbook[f.INSTRUCTIONS].iter_rows(values_only=True))
    assert rows[0][0] == "Libro de importación de WPS Monitor"
    assert rows[5][:4] == ("Hoja", "Columna", "Obligatorio", "Significado")
    for sheet in f.PLAN_SHEETS:
        assert [c.value for c in workbook[sheet.name][1]] == sheet.column_names
    english = load_workbook(BytesIO(_download(cycle, "coordinator", "en")[1]))
    assert english.sheetnames == workbook.sheetnames
    assert next(english[f.INSTRUCTIONS].iter_rows(values_only=True))[0] == (
        "WPS Monitor import workbook"
    )


def test_only_those_who_manage_the_plan_download_it(cycle: Cycle) -> None:
    assert _download(cycle, "focal", "es")[0] == 403
