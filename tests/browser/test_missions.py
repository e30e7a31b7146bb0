"""UN missions in a real browser at 360 px: the coordinator records a mission, a mandate
resolution and one of its WPS provisions, the transition plan, a phase handing a province over,
a benchmark and its status; an anonymous reader then reads the mission, the transition table,
the benchmark's history and the protection page. Every page is checked with axe-core and for
sideways scrolling.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.reporting.conftest import Cycle

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-3"
PHONE = {"viewport": {"width": 360, "height": 800}}


def _submit(page: Page, button: str = "Record") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _checked(site: Site, page: Page, name: str) -> None:
    site.check_accessibility(page, name)
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], f"{name} scrolls sideways: {widths}"


def _follow(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).first.click()


def test_a_mission_from_its_mandate_to_its_exit(site: Site, browser_cycle: Cycle) -> None:
    province = browser_cycle.province
    page = site.sign_in("coordinator", start=f"/plans/{PLAN}/missions/new/", **PHONE)
    _checked(site, page, "mission-new")
    page.get_by_label("Acronym").fill("MONUSCO")
    page.get_by_label("Full name").fill("Stabilization Mission (test)")
    page.get_by_label("Status").select_option("drawing_down")
    page.get_by_label("Started (YYYY-MM-DD)").fill("2010-07-01")
    _submit(page)
    expect(page.locator("main")).to_contain_text("MONUSCO")
    _checked(site, page, "missions")
    _follow(page, "MONUSCO")
    _follow(page, "Add a mandate resolution")
    page.get_by_label("Symbol, such as S/RES/2717 (2023)").fill("S/RES/2717 (2023)")
    page.get_by_label("Adopted (YYYY-MM-DD)").fill("2023-12-19")
    _submit(page)
    _follow(page, "Add a WPS provision of S/RES/2717 (2023)")
    _checked(site, page, "provision-new")
    page.get_by_label("Category").select_option("protection")
    page.get_by_label("Text of the provision").fill("Protect women and girls from CRSV.")
    _submit(page)
    expect(page.locator("main")).to_contain_text("Protect women and girls from CRSV.")
    _checked(site, page, "mission")
    _follow(page, "Record the transition plan")
    page.get_by_label("Title").fill("Disengagement plan")
    page.get_by_label("Adopted (YYYY-MM-DD)").fill("2023-11-21")
    page.get_by_label("Gender analysis behind the plan").fill("Women rely on the patrols.")
    _submit(page)
    _follow(page, "Add a phase")
    page.get_by_label("Name").fill("Phase 1")
    page.get_by_label("Area handed over").select_option(str(province.pk))
    page.get_by_label("Handover (YYYY-MM-DD, optional)").fill("2024-07-01")
    _submit(page)
    _follow(page, "Add a benchmark")
    page.get_by_label("Benchmark").fill("Police protect the sites")
    _submit(page)
    expect(page.locator("main")).to_contain_text("0 of 1")
    _checked(site, page, "transition")
    _follow(page, "Police protect the sites")
    page.get_by_label("Status").select_option("met")
    page.get_by_label("Date (YYYY-MM-DD)").fill("2024-06-25")
    _submit(page)
    expect(page.locator("main")).to_contain_text("2024-06-25")
    _checked(site, page, "benchmark")
    benchmark_url = page.url

    # Editing (docs/missions.md, "Editing"): the form filled with what is recorded; a refusal
    # beside its field and listed at the top, linked to it; then saved.
    _follow(page, "Change the benchmark")
    expect(page.get_by_label("Benchmark")).to_have_value("Police protect the sites")
    _checked(site, page, "benchmark-edit")
    page.get_by_label("Target date (YYYY-MM-DD, optional)").fill("2001-01-01")
    _submit(page, "Save")
    expect(page.locator("#error-summary")).to_contain_text("after the transition plan")
    _checked(site, page, "benchmark-edit-refused")
    page.get_by_label("Target date (YYYY-MM-DD, optional)").fill("2025-06-30")
    page.get_by_label("Benchmark").fill("Police protect the sites day and night")
    _submit(page, "Save")
    expect(page.locator("main")).to_contain_text("2025-06-30")
    expect(page.get_by_role("link", name="Remove the benchmark")).to_have_count(0)
    page.goto(benchmark_url.rstrip("/") + "/delete/")
    expect(page.locator("main")).to_contain_text("status history")
    _checked(site, page, "benchmark-delete-refused")
    page.goto(benchmark_url)
    _follow(page, "MONUSCO")
    _follow(page, "Change the mission")
    _checked(site, page, "mission-edit")
    page.get_by_label("Ended (YYYY-MM-DD, optional)").fill("2009-01-01")
    _submit(page, "Save")
    _checked(site, page, "mission-edit-refused")
    page.get_by_label("Ended (YYYY-MM-DD, optional)").fill("")
    _submit(page, "Save")
    expect(page.locator("main")).to_contain_text("MONUSCO")

    reader = site.context(**PHONE).new_page()
    reader.goto(benchmark_url)
    expect(reader.locator("main")).to_contain_text("Met")
    _checked(site, reader, "benchmark-public")
    _follow(reader, "MONUSCO")
    _follow(reader, "Protection indicators before and after the handover")
    expect(reader.locator("main")).to_contain_text("No indicator is watched yet.")
    _checked(site, reader, "protection-public")
    site.screenshot(reader, "protection-public")
    site.assert_accessible()
