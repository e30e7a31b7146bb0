"""Two-factor sign-in in a real browser: a coordinator without an authenticator app signs in with
the password, is sent to set one up, reads the secret off the page (as an app scanning the QR
code would), confirms with the app's code, keeps the recovery codes and reaches the to-do list;
signing in again asks for the code after the password. Every page is checked with axe-core.

Run: pytest -m browser (needs /usr/bin/chromium; CI installs Debian's package).
"""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, enter_code, needs_chromium
from tests.reporting.conftest import PASSWORD, Cycle

pytestmark = [pytest.mark.browser, needs_chromium]


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _password(page: Page) -> None:
    page.get_by_label("User name").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    _submit(page, "Sign in")


def test_set_up_two_factor_then_sign_in_with_a_code(site: Site, browser_cycle: Cycle) -> None:
    assert not TOTPDevice.objects.filter(user=browser_cycle.users["coordinator"]).exists()

    # 1. Password: the coordinator has no app yet, so is sent to set one up, and nowhere else.
    page = site.context().new_page()
    page.goto(site.url("/reporting/"))
    _password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    page.goto(site.url("/reporting/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code of the secret")).to_be_visible()
    site.screenshot(page, "set-up")
    site.check_accessibility(page, "set up two-factor sign-in")

    # 2. A wrong code is refused, said next to the field.
    page.get_by_label("Code shown by the app").fill("12345")
    _submit(page, "Confirm")
    expect(page.get_by_role("alert")).to_contain_text("does not match")
    site.check_accessibility(page, "set up with an error")

    # 3. The app's code (computed from the secret shown on the page) confirms it.
    secret = page.locator("#secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code shown by the app").fill(f"{totp(key):06d}")
    _submit(page, "Confirm")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(
        10
    )
    site.screenshot(page, "recovery-codes")
    site.check_accessibility(page, "recovery codes")
    with page.expect_navigation():
        page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My reporting")

    # 4. The account page, from the menu.
    with page.expect_navigation():
        page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator("main")).to_contain_text("You have 10 recovery codes left.")
    site.check_accessibility(page, "your account")
    with page.expect_navigation():
        page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password confirmation").fill("short")
    _submit(page, "Change password")
    expect(page.get_by_role("alert")).to_contain_text("at least 12 characters")
    site.screenshot(page, "password-too-short")
    site.check_accessibility(page, "change your password, with an error")

    # 5. Another browser: the password forgotten, then found again; the password, then the code.
    other = site.context().new_page()
    other.goto(site.url("/reporting/"))
    with other.expect_navigation():
        other.get_by_role("link", name="Forgotten your password?").click()
    site.check_accessibility(other, "forgotten password")
    other.go_back()
    _password(other)
    expect(other.get_by_role("heading", level=1)).to_have_text("Enter your code")
    site.screenshot(other, "enter-your-code")
    site.check_accessibility(other, "enter your code")
    device = TOTPDevice.objects.get(user=browser_cycle.users["coordinator"])
    enter_code(other, device)
    expect(other.get_by_role("heading", level=1)).to_have_text("My reporting")
    site.assert_accessible()
