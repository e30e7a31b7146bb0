"""A plan revision in a real browser at 360 px: the coordinator prepares a mid-term revision,
drops an indicator and approves it; an anonymous reader then reads the versions and the
difference. Every page is checked with axe-core and for sideways scrolling.

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


def test_a_revision_from_draft_to_difference(site: Site, browser_cycle: Cycle) -> None:
    page = site.sign_in("coordinator", **PHONE)
    page.goto(f"/plans/{PLAN}/versions/")
    _checked(site, page, "versions-empty")
    page.get_by_label("Kind of revision").select_option("midterm")
    page.get_by_label("Reason").fill("The mid-term review asked for it.")
    _submit(page, "Prepare the revision")
    expect(page.locator("main")).to_contain_text("Version 2")
    with page.expect_navigation():
        page.get_by_role("link", name="Version 2", exact=True).click()
    _checked(site, page, "version-draft")
    page.get_by_label("Indicator code").fill("IND-NAR")
    _submit(page, "Drop it")
    expect(page.locator("main")).to_contain_text("IND-NAR")
    _submit(page, "Approve the revision")
    expect(page.locator("main")).to_contain_text("Dropped")
    anonymous = site.context(**PHONE).new_page()
    anonymous.goto(f"/plans/{PLAN}/versions/2/")
    expect(anonymous.locator("main")).to_contain_text("IND-NAR")
    _checked(site, anonymous, "version-difference")
    anonymous.goto(f"/plans/{PLAN}/versions/")
    _checked(site, anonymous, "versions")
    site.assert_accessible()
