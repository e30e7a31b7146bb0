"""A perception survey in a real browser at 360 px: the coordinator sets it up from the template
and opens a round for a women's organisation; its monitor types the answers; the indicator's
page shows the share. Every page is checked with axe-core and for sideways scrolling.

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


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _checked(site: Site, page: Page, name: str) -> None:
    site.check_accessibility(page, name)
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], f"{name} scrolls sideways: {widths}"


def test_a_survey_from_set_up_to_the_indicator_page(site: Site, browser_cycle: Cycle) -> None:
    province = browser_cycle.province
    coordinator = site.sign_in("coordinator", start=f"/plans/{PLAN}/surveys/new/", **PHONE)
    expect(coordinator.get_by_label("Question", exact=True).first).to_have_value(
        "How safe do you feel walking in your neighbourhood after dark?"
    )
    _checked(site, coordinator, "survey-set-up")
    coordinator.get_by_label("Code (lower-case").fill("pps")
    coordinator.get_by_label("Title", exact=True).fill("Women's perceptions of security")
    coordinator.get_by_label("Sex", exact=True).check()
    coordinator.get_by_label(f"{province.code} ", exact=False).first.check()
    _submit(coordinator, "Set up the survey and its indicators")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        "Women's perceptions of security"
    )
    coordinator.get_by_label("Period (a year").fill("2025")
    coordinator.get_by_label("Organisation that runs the round").select_option(
        label="Women's Network"
    )
    _submit(coordinator, "Open the round")
    expect(coordinator.locator("main")).to_contain_text("Women's Network")
    _checked(site, coordinator, "survey")
    site.screenshot(coordinator, "survey")

    monitor = site.sign_in("monitor", **PHONE)
    monitor.goto(coordinator.url)
    with monitor.expect_navigation():
        monitor.get_by_role("link", name=f"Answers in {province.name}").click()
    _checked(site, monitor, "answers")
    first = monitor.get_by_role(
        "region", name="1. How safe do you feel walking in your neighbourhood after dark?"
    )
    boxes = first.get_by_role("spinbutton")
    boxes.nth(0).fill("3")  # Female, very unsafe
    boxes.nth(3).fill("1")  # Female, very safe
    site.screenshot(monitor, "answers")
    _submit(monitor, "Save the answers")
    expect(monitor.locator("main")).to_contain_text("The answers are saved")
    with monitor.expect_navigation():
        monitor.get_by_role("link", name="Upload a file of answers").click()
    _checked(site, monitor, "upload")

    # The coordinator follows the question's link to its indicator: one woman in four feels safe.
    coordinator.goto(site.url(f"/plans/{PLAN}/surveys/"))
    _checked(site, coordinator, "surveys")
    with coordinator.expect_navigation():
        coordinator.get_by_role("link", name="Women's perceptions of security").click()
    with coordinator.expect_navigation():
        coordinator.get_by_role("link", name="PPS-Q1").click()
    expect(coordinator.locator("main")).to_contain_text("25.0%")
    site.screenshot(coordinator, "indicator")
    site.assert_accessible()
