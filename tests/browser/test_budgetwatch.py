"""Civil society on the budget in a real browser, on a phone (360 px): a monitor opens a
challenge on a budget line, the ministry's focal point answers it, the monitor disputes the
answer; a monitor gives an account with a file of evidence (a disguised file refused first),
downloads it and changes the draft. The line's page is checked with axe-core at each turn, and
never scrolls sideways.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.finance.conftest import build_money
from tests.reporting.conftest import Cycle

from wpsmonitor.finance.models import BudgetChallenge, MoneyAccount

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


def test_an_account_of_the_money_with_a_file_of_evidence(
    site: Site, browser_cycle: Cycle, tmp_path: Path
) -> None:
    money = build_money(browser_cycle)
    line = money.line("P1.O1.1.A1", 2024)
    path = f"/plans/{money.plan.code}/finance/lines/{line.pk}/civil-society/"
    statement = tmp_path / "treasury-statement.pdf"
    statement.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    disguised = tmp_path / "payments.docx"
    disguised.write_bytes(b"<html><script>alert(1)</script></html>")

    monitor = site.sign_in("monitor", viewport=PHONE)
    monitor.goto(site.url(path))
    form = monitor.locator("form", has=monitor.get_by_label("Reached the field (USD)"))
    site.check_accessibility(monitor, "budget-account-form-with-upload")
    _fits(monitor)
    monitor.get_by_label("Released (USD)").fill("250")
    monitor.get_by_label("Reached the field (USD)").fill("100")
    monitor.get_by_label("Evidence: what you saw", exact=False).fill("Treasury statements")
    monitor.get_by_label("Observed on (YYYY-MM-DD)").fill("2025-02-01")
    form.get_by_label("Files of evidence", exact=False).set_input_files([statement, disguised])
    _submit(monitor, "Save as a draft")
    # The disguised file refuses the whole save, by its name; nothing is stored.
    expect(monitor.locator("main")).to_contain_text("payments.docx: Attach a PDF")
    assert not MoneyAccount.objects.exists()
    site.check_accessibility(monitor, "budget-account-form-refused")

    monitor.get_by_label("Files of evidence", exact=False).set_input_files([statement])
    _submit(monitor, "Save as a draft")
    expect(monitor.locator("main")).to_contain_text("saved as a draft")
    expect(monitor.get_by_role("link", name="treasury-statement.pdf")).to_be_visible()
    with monitor.expect_download() as fetched:
        monitor.get_by_role("link", name="treasury-statement.pdf").click()
    assert Path(fetched.value.path()).read_bytes().startswith(b"%PDF-1.4")

    monitor.get_by_role("link", name="Change the draft observed on 2025-02-01").click()
    expect(
        monitor.get_by_role("heading", name="Change your draft observed on 2025-02-01")
    ).to_be_visible()
    site.check_accessibility(monitor, "budget-account-form-editing")
    _fits(monitor)
    monitor.get_by_label("Reached the field (USD)").fill("120")
    _submit(monitor, "Save the changes")
    expect(monitor.locator("main")).to_contain_text("Your account is changed.")
    assert str(MoneyAccount.objects.get().reached) == "120.00"
    site.screenshot(monitor, "budget-account-with-file")
    site.assert_accessible()
