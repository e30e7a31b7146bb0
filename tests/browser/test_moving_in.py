"""Moving in from another system in a real browser at 360 px: the coordinator checks another
app's export, downloads the mapping sheet of the labels the plan could not match, fills it and
imports. Every page is checked with axe-core and for sideways scrolling.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.reporting.conftest import Cycle

from wpsmonitor.exchange.models import LabelMapping
from wpsmonitor.indicators.models import DataValue

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-3"
PHONE = {"viewport": {"width": 360, "height": 800}}


def _checked(site: Site, page: Page, name: str) -> None:
    site.check_accessibility(page, name)
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], f"{name} scrolls sideways: {widths}"


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_the_mapping_step(site: Site, browser_cycle: Cycle, tmp_path: Path) -> None:
    province = browser_cycle.province
    export = tmp_path / "autre-app.json"
    records = [
        {
            "indicateur": "Survivantes appuyées",
            "province": province.name + "e",  # spelt as the other app spells it
            "periode": "T1 2025",
            "sexe": sex,
            "tranche d'âge": "18-29",
            "valeur": figure,
        }
        for sex, figure in (("Femme", 7), ("Homme", 2))
    ]
    export.write_text(json.dumps({"data": records}), encoding="utf-8")
    page = site.sign_in("coordinator", start=f"/plans/{PLAN}/reporting/", **PHONE)
    with page.expect_navigation():
        page.get_by_role("link", name="Move in from another system").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move in from another system")
    _checked(site, page, "moving-in")

    page.get_by_label("Export to move in").set_input_files(str(export))
    _submit(page, "Check")
    expect(page.get_by_role("heading", level=2)).to_contain_text("2 labels to map")
    table = page.get_by_role("table", name="Labels the plan could not match")
    expect(table).to_contain_text(province.name + "e")
    expect(table).to_contain_text(f"{province.code} ({province.name})")
    _checked(site, page, "moving-in-labels")
    site.screenshot(page, "moving-in-labels")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the mapping sheet").click()
    workbook = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    for ws in (workbook["Indicators"], workbook["Areas"]):
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            row[header.index("code")].value = (
                "IND-GRID" if ws.title == "Indicators" else row[header.index("suggestion_1")].value
            )
    filled = tmp_path / "mapping.xlsx"
    workbook.save(filled)

    page.get_by_label("Export to move in").set_input_files(str(export))
    page.get_by_label("Filled mapping sheet").set_input_files(str(filled))
    _submit(page, "Check")
    expect(page.get_by_role("heading", level=2)).to_have_text("Every label matches")
    _checked(site, page, "moving-in-checked")
    assert DataValue.objects.count() == 0

    page.get_by_label("Export to move in").set_input_files(str(export))
    page.get_by_label("Filled mapping sheet").set_input_files(str(filled))
    _submit(page, "Import")
    expect(page.locator("main")).to_contain_text("Moved in: 2 values (2 created")
    expect(page.locator("main")).to_contain_text("2 labels mapped in earlier move-ins are kept")
    _checked(site, page, "moving-in-done")
    site.assert_accessible()
    assert DataValue.objects.filter(indicator__code="IND-GRID").count() == 2
    assert LabelMapping.objects.count() == 2
