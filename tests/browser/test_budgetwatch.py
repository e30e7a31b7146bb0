"""Civil society on the budget in a real browser, on a phone (360 px): a monitor opens a
challenge on a budget line, the ministry's focal point answers it, the monitor disputes the
answer; the line's page is checked with axe-core at each side's turn, and never scrolls sideways.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.finance.conftest import build_money
from tests.reporting.conftest import Cycle

from wpsmonitor.finance.models import BudgetChallenge

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"width": 360, "height": 780}


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _fits(page: Page) -> None:
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], f"the page scrolls sideways: {widths}"


def test_a_challenge_on_a_budget_line(site: Site, browser_cycle: Cycle) -> None:
    money = build_money(browser_cycle)
    line = money.line("P1.O1.1.A1", 2024)
    path = f"/plans/{money.plan.code}/finance/lines/{line.pk}/civil-society/"

    monitor = site.sign_in("monitor", viewport=PHONE)
    monitor.goto(site.url(path))
    expect(monitor.get_by_role("heading", level=1)).to_contain_text("Budget line of P1.O1.1.A1")
    site.check_accessibility(monitor, "budget-line-civil-society-monitor")
    _fits(monitor)
    monitor.get_by_label("Subject").fill("Where did the rest go?")
    monitor.get_by_label("Your question or objection").fill("The centres saw 100 of 300.")
    _submit(monitor, "Open the challenge")
    expect(monitor.locator("main")).to_contain_text("The challenge is open and public")
    site.screenshot(monitor, "budget-challenge-open")

    focal = site.sign_in("focal", viewport=PHONE)
    focal.goto(site.url(path))
    site.check_accessibility(focal, "budget-line-civil-society-ministry")
    focal.get_by_label("Your answer").fill("Salaries of shelter staff.")
    _submit(focal, "Answer")
    expect(focal.locator("main")).to_contain_text("Your answer is recorded.")

    monitor.goto(site.url(path))
    monitor.get_by_label("Why you dispute the answer, or why the matter is resolved").fill(
        "No payment order was published."
    )
    _submit(monitor, "Dispute the answer")
    expect(monitor.locator("main")).to_contain_text("Disputed")
    site.check_accessibility(monitor, "budget-line-civil-society-disputed")
    _fits(monitor)
    site.screenshot(monitor, "budget-challenge-disputed")
    assert BudgetChallenge.objects.get().status == "disputed"
    site.assert_accessible()
