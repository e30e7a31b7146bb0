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
    # The draft also raises a cell's target: the revision records it as a target change.
    from wpsmonitor.indicators.services import target_set

    grid = browser_cycle.grid
    target_set(
        indicator=grid,
        period="2025Q1",
        area=browser_cycle.province,
        cell="sex=F;age=18-29",
        value=60,
    )
    _submit(page, "Approve the revision")
    expect(page.locator("main")).to_contain_text("Dropped")
    anonymous = site.context(**PHONE).new_page()
    anonymous.goto(f"/plans/{PLAN}/indicators/{grid.code}/")
    changes = anonymous.get_by_role("region", name="Targets changed by a revision of the plan")
    expect(changes).to_contain_text("Version 2 (Mid-term review)")
    _checked(site, anonymous, "indicator-target-changes")
    anonymous.goto(f"/plans/{PLAN}/versions/2/")
    expect(anonymous.locator("main")).to_contain_text("IND-NAR")
    _checked(site, anonymous, "version-difference")
    anonymous.goto(f"/plans/{PLAN}/versions/")
    _checked(site, anonymous, "versions")
    site.assert_accessible()


def test_the_board_co_signs_a_version_before_its_approval(site: Site, browser_cycle: Cycle) -> None:
    from tests.boards.conftest import build_board

    build_board(browser_cycle)
    page = site.sign_in("coordinator", **PHONE)
    page.goto(site.url(f"/plans/{PLAN}/versions/"))
    page.get_by_label("Kind of revision").select_option("midterm")
    page.get_by_label("The plan requires the monitoring board's co-signature").check()
    _submit(page, "Prepare the revision")
    with page.expect_navigation():
        page.get_by_role("link", name="Version 2", exact=True).click()
    expect(page.locator("main")).to_contain_text("approval will be refused")
    _submit(page, "Approve the revision")
    expect(page.locator(".messages")).to_contain_text("co-signature of this version")
    _checked(site, page, "version-awaiting-board")

    signatures = f"/plans/{PLAN}/versions/2/signatures/"
    for name, side in (("gov_member", "Government"), ("cs_member", "Civil society")):
        member = site.sign_in(name, **PHONE)
        member.goto(site.url(signatures))
        _checked(site, member, f"version-signatures-before-{name}")
        _submit(member, "Sign the version")
        expect(member.locator("main")).to_contain_text("What will become public")
        _checked(site, member, f"version-sign-confirmation-{name}")
        _submit(member, "Sign the version")
        table = member.get_by_role("table")
        expect(table).to_contain_text(side)
    expect(member.locator("#signing-status")).to_contain_text("Co-signed by the board")
    expect(member.locator("main")).to_contain_text("Police Member")
    expect(member.locator("main")).to_contain_text("CS Member")
    _checked(site, member, "version-signatures-cosigned")

    page.reload()
    expect(page.locator("main")).to_contain_text("Co-signed by the board on")
    _submit(page, "Approve the revision")
    expect(page.locator(".messages")).to_contain_text("current version")
    _checked(site, page, "version-approved-cosigned")
    site.assert_accessible()
