"""The public security sector and peace processes pages in a real browser, as an anonymous
reader at a phone's width (360 px): without JavaScript the desks' map (a link per province),
its table, the allegations with "fewer than 5" for the withheld count, the peace talks' chart
with its table; no sideways scroll; with JavaScript, axe-core finds no WCAG 2.2 A/AA violation.

Run: pytest tests/browser/test_public_security_peace.py (needs /usr/bin/chromium).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium
from tests.portal.security_peace_world import PLAN, build_security_peace_world
from tests.reporting.conftest import Cycle

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"width": 360, "height": 800}
SECURITY = f"/plans/{PLAN}/public/security/"
PEACE = f"/plans/{PLAN}/public/peace/"


def _no_sideways_scroll(page: Page, what: str) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.clientWidth, document.documentElement.scrollWidth]"
    )
    assert widths[1] <= widths[0], f"{what} scrolls sideways: {widths}"


def test_security_and_peace_pages_at_phone_width(site: Site, browser_cycle: Cycle) -> None:
    build_security_peace_world()
    page = site.context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(site.url(SECURITY))
    expect(page.get_by_role("heading", level=1)).to_have_text("Security sector")
    expect(page.locator("svg.map a")).to_have_count(3)
    expect(page.locator('svg.map a[aria-label^="Nord-Kivu: 2 open"]')).to_have_count(1)
    expect(page.locator("#desks-CD-NK")).to_contain_text("2")
    expect(page.locator("#conduct-heading")).to_be_visible()
    expect(page.get_by_text("fewer than 5").first).to_be_attached()
    _no_sideways_scroll(page, "public security page without JavaScript")
    site.screenshot(page, "public-security-360-no-js")

    page.goto(site.url(PEACE))
    expect(page.get_by_role("heading", level=1)).to_have_text("Peace processes")
    expect(page.locator("svg").first).to_be_attached()
    expect(page.get_by_text("30% (3 of 10)").first).to_be_visible()
    _no_sideways_scroll(page, "public peace page without JavaScript")
    site.screenshot(page, "public-peace-360-no-js")

    checked = site.context(viewport=PHONE).new_page()
    for name, url in (("public security page", SECURITY), ("public peace page", PEACE)):
        checked.goto(site.url(url))
        _no_sideways_scroll(checked, name)
        site.check_accessibility(checked, f"{name} at 360 px")
    checked.goto(site.url(SECURITY))
    first = checked.locator("svg.map a").first
    first.focus()
    expect(first).to_be_focused()
    expect(first).to_have_attribute("aria-label", re.compile(r"^[^:]+: .+"))
    site.assert_accessible()
