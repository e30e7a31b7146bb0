"""Your API tokens in a real browser, at a phone's width: a coordinator (signed in with a second
factor) issues a token that reads sensitive items, sees its secret once, then revokes it. Every
page is checked with axe-core, and none scrolls sideways at 360 px.

Run: pytest -m browser (needs /usr/bin/chromium; CI installs Debian's package).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths

from wpsmonitor.accounts.models import ApiToken

pytestmark = [pytest.mark.browser, needs_chromium]


def _fits(page: Page, what: str) -> None:
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], f"{what} scrolls sideways: {widths}"


def test_issue_a_token_that_reads_sensitive_items_then_revoke_it(site: Site) -> None:
    page = site.sign_in("coordinator", viewport={"width": 360, "height": 800})
    page.goto(site.url("/accounts/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Your API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.locator("main")).to_contain_text("you may issue one")
    _fits(page, "the tokens page")
    site.check_accessibility(page, "API tokens")

    page.get_by_label("What the token is for").fill("ministry-sync")
    page.get_by_label("Reads sensitive items whole").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Issue the token").click()
    expect(page.get_by_role("status")).to_contain_text("shown this once")
    token = ApiToken.objects.get(name="ministry-sync")
    assert token.reads_sensitive and token.expires_at is not None
    expect(page.locator(".notice code")).to_contain_text("wps_")
    _fits(page, "the issued token")
    site.screenshot(page, "token-issued")
    site.check_accessibility(page, "a token issued")

    with page.expect_navigation():
        page.get_by_role("button", name="Revoke the token ministry-sync").click()
    expect(page.locator("main")).to_contain_text("The token is revoked")
    token.refresh_from_db()
    assert token.revoked
    site.check_accessibility(page, "a token revoked")
    site.assert_accessible()
