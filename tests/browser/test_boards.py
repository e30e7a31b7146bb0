"""The monitoring board co-signs a report in a real browser; a one-sided signature does not
publish it.

The coordinator sends the draft to the board. A government member who is not a plan member
follows the link (signs in, lands on the report) and signs: the report says it awaits the
civil-society signature and the public list still does not show it. A civil-society member
attaches a dissenting statement and signs: the report is published, the dissent with it.
Every page is checked with axe-core.

Run: pytest -m browser (needs /usr/bin/chromium; CI installs Debian's package).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.boards.conftest import build_board
from tests.browser.conftest import Site, needs_chromium
from tests.reporting.conftest import Cycle

from wpsmonitor.boards.models import PeriodicReport, ReportStatus

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-3"
DISSENT = "The report omits the police's own figures for Province 2."


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_the_board_co_signs_a_report(site: Site, browser_cycle: Cycle) -> None:
    built = build_board(browser_cycle)
    report = built.draft
    path = f"/plans/{PLAN}/reports/{report.pk}/"
    status = "#signing-status"

    # 1. The coordinator sends the draft to the board.
    coordinator = site.sign_in("coordinator", start=path)
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Annual report 2025")
    expect(coordinator.locator(status)).to_have_text("Draft: not yet sent to the board")
    site.check_accessibility(coordinator, "report-draft-as-coordinator")
    _submit(coordinator, "Send to the board for signature")
    expect(coordinator.locator(status)).to_have_text(
        "Awaiting government and civil-society signatures"
    )
    site.screenshot(coordinator, "sent-to-the-board")

    # 2. A government member (a board member only) follows the link, signs in and signs.
    government = site.sign_in("gov_member", start=path)
    assert government.url.endswith(path), "signing in should lead back to the report"
    _submit(government, "Sign the report")
    # Signing asks first (issue 12 §6): what becomes public, and that it publishes nothing yet.
    expect(government.locator("main")).to_contain_text("What will become public")
    expect(government.locator("main")).to_contain_text("Not signed yet for: Civil society")
    site.check_accessibility(government, "sign-confirmation")
    _submit(government, "Sign the report")
    expect(government.locator(status)).to_have_text(
        "Signed for government; awaiting civil-society signature"
    )
    expect(government.get_by_role("button", name="Withdraw my signature")).to_be_visible()
    site.screenshot(government, "signed-for-government")
    site.check_accessibility(government, "report-as-government-member")

    # One side is not enough: not published, invisible to the public.
    assert PeriodicReport.objects.get(pk=report.pk).status == ReportStatus.AWAITING
    public = site.context().new_page()
    public.goto(site.url(f"/plans/{PLAN}/reports/"))
    expect(public.locator("main")).not_to_contain_text("Annual report 2025")
    site.check_accessibility(public, "reports-public-before")

    # 3. A civil-society member dissents, then signs: the report is published.
    civil = site.sign_in("cs_member", start=path)
    civil.get_by_label("Your statement").fill(DISSENT)
    _submit(civil, "Attach the statement")
    expect(civil.locator("main")).to_contain_text(DISSENT)
    site.check_accessibility(civil, "report-as-civil-society-member")
    _submit(civil, "Sign the report")
    expect(civil.locator("main")).to_contain_text("Publishing cannot be undone")
    _submit(civil, "Sign and publish the report")
    expect(civil.locator(".messages")).to_contain_text(
        "Both sides have signed: the report is published."
    )
    expect(civil.locator(status)).to_have_text("Published")
    site.screenshot(civil, "published")

    # 4. The public reads it, with the dissent and the history of who signed.
    public.reload()
    expect(public.locator("main")).to_contain_text("Annual report 2025")
    public.get_by_role("link", name="Annual report 2025").click()
    public.wait_for_url(f"**{path}")
    dissents = public.locator("section", has=public.locator("#dissents-title"))
    expect(dissents).to_contain_text(DISSENT)
    expect(dissents).to_contain_text("CS Member")
    history = public.locator("section", has=public.locator("#history-title"))
    expect(history).to_contain_text("Police Member")
    expect(history).to_contain_text("Published")
    expect(public.get_by_role("button", name="Sign the report")).to_have_count(0)
    site.screenshot(public, "public-report")
    site.check_accessibility(public, "report-public")
    site.assert_accessible()
