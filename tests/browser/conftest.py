"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Helpers here sign people in (password, then a code from the authenticator app that the helper
sets up for them, computed as the app would: the real second step), take screenshots (into pytest's tmp path and a stable copy under
test-output/screenshots/ at the repository root) and run axe-core for WCAG 2.2 A and AA.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.db import connections
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    sync_playwright,
)
from tests.output import TEST_OUTPUT
from tests.reporting.conftest import PASSWORD, Cycle, build_cycle

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium calls home, and the closed network refuses it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STABLE_SCREENSHOTS = TEST_OUTPUT / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Set through the CSSOM, which the Content-Security-Policy allows (an injected <style>, as
# Playwright's screenshot(style=...) makes, it blocks); undone after the picture.
UNSTICK = "document.querySelectorAll('.form-actions').forEach(e => e.style.position = 'static')"
RESTICK = "document.querySelectorAll('.form-actions').forEach(e => e.style.position = '')"
# Fail fast: every step of these pages answers in well under a second.
STEP_TIMEOUT_MS = 10_000

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)",
)


@pytest.fixture
def playwright(monkeypatch: pytest.MonkeyPatch) -> Iterator[Playwright]:
    # Playwright's sync API keeps an event loop in this thread; Django's ORM, used by the test
    # beside it, would refuse to run. Only for this test: the rest of the suite keeps the guard.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as running:
        yield running
        # While Playwright's event loop runs, Django keeps this thread's database connections
        # apart (asgiref's Local); unclosed, they would outlive the test and PostgreSQL would
        # refuse to drop the test database at the end of the run.
        connections.close_all()


@pytest.fixture
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def browser_cycle(transactional_db: None) -> Cycle:
    """The reporting fixtures, committed so that the live server's thread sees them."""
    return build_cycle()


@dataclass
class Site:
    """The live server and a browser, with what a reviewer needs to look at afterwards."""

    base_url: str
    browser: Browser
    screenshot_dirs: list[Path]
    axe: Axe = field(default_factory=Axe)
    shots: list[Path] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    checked_pages: list[str] = field(default_factory=list)
    # What the Content-Security-Policy blocked: Chromium says so on the console.
    csp_violations: list[str] = field(default_factory=list)

    def context(self, **options: Any) -> BrowserContext:
        context = self.browser.new_context(base_url=self.base_url, **options)
        context.on("console", self._note_csp_violation)
        context.set_default_timeout(STEP_TIMEOUT_MS)
        context.set_default_navigation_timeout(STEP_TIMEOUT_MS)
        return context

    def _note_csp_violation(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(
                f"{message.page.url if message.page else ''}: {message.text}"
            )

    def url(self, path: str) -> str:
        return self.base_url + path

    def sign_in(self, username: str, *, start: str = "/reporting/", **options: Any) -> Page:
        """A new browser context (own cookies) for this person, signed in through the form: the
        password, then (an account that must use a second factor) the code of the authenticator
        app set up for them here."""
        device = authenticator_for(username)
        page = self.context(**options).new_page()
        page.goto(self.url(start))
        assert "/accounts/login/" in page.url, f"{start} did not ask {username} to sign in"
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        assert "/accounts/login/" not in page.url, f"{username} could not sign in"
        if "/accounts/two-factor/" in page.url:
            enter_code(page, device)
        return page

    def screenshot(self, page: Page, name: str) -> Path:
        number = len(self.shots) + 1
        filename = f"{number:02d}-{name}.png"
        first, *copies = self.screenshot_dirs
        path = first / filename
        # In a full-page picture the sticky bar of buttons would be drawn over the middle of
        # the form; in the flow it shows where it belongs.
        page.evaluate(UNSTICK)
        page.screenshot(path=str(path), full_page=True)
        page.evaluate(RESTICK)
        for folder in copies:
            shutil.copyfile(path, folder / filename)
        self.shots.append(path)
        return path

    def check_accessibility(self, page: Page, name: str) -> None:
        """Run axe-core on the page for WCAG 2.0, 2.1 and 2.2 A/AA; remember what it finds."""
        results = self.axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        self.checked_pages.append(name)
        if results.violations_count:
            self.violations.append(
                f"== {name} ({page.url})\n{results.generate_report()}".replace("\t", "  ")
            )

    def assert_accessible(self) -> None:
        assert not self.violations, (
            f"axe-core found WCAG A/AA violations on {len(self.violations)} of "
            f"{len(self.checked_pages)} pages:\n\n" + "\n\n".join(self.violations)
        )


def authenticator_for(username: str) -> TOTPDevice:
    """The person's authenticator app (set up now if they have none), as a phone would hold it."""
    user = get_user_model().objects.get(username=username)
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="browser test", confirmed=True)


def fresh_code(device: TOTPDevice) -> str:
    """The code the app shows, and one the site has not accepted yet (a code is used once: a
    second sign-in within the same 30 seconds takes the next step's code, which the site accepts
    as one step of clock drift, or waits for it)."""
    while True:
        device.refresh_from_db()
        now = TOTP(device.bin_key, drift=device.drift).t()
        step = max(now, device.last_t + 1)
        if step <= now + 1:
            return f"{hotp(device.bin_key, step):06d}"
        time.sleep(1)


def enter_code(page: Page, device: TOTPDevice) -> None:
    """The second step of signing in, as a person types the code from their app."""
    page.get_by_label("Code", exact=True).fill(fresh_code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert "/accounts/two-factor/" not in page.url, "the code was refused"


def page_widths(page: Page) -> dict[str, int]:
    """The screen's width and the page's and body's scrolling widths, in CSS pixels."""
    return page.evaluate(  # type: ignore[no-any-return]
        """() => ({
            viewport: document.documentElement.clientWidth,
            page: document.documentElement.scrollWidth,
            body: document.body.scrollWidth,
        })"""
    )


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


@pytest.fixture
def site(
    django_db_setup: None,  # before the live server, so the server is gone when it is dropped
    live_server: Any,
    browser: Browser,
    browser_cycle: Cycle,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    two_factor_flow: None,  # the real second step, typed as a person would (tests/conftest.py)
) -> Iterator[Site]:
    name = _slug(request.node.name.removeprefix("test_"))
    here = tmp_path / "screenshots"
    stable = STABLE_SCREENSHOTS / name
    shutil.rmtree(stable, ignore_errors=True)
    for folder in (here, stable):
        folder.mkdir(parents=True, exist_ok=True)
    made = Site(base_url=live_server.url, browser=browser, screenshot_dirs=[here, stable])
    yield made
    for context in browser.contexts:
        context.close()
    assert not made.csp_violations, "the Content-Security-Policy blocked:\n" + "\n".join(
        made.csp_violations
    )
