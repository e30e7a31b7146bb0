"""Auditing bodies and parliament in a real browser at 360 px: an auditor records an audit and
a finding on a budget line (its recommendation goes to the tracker); parliamentary oversight
records a hearing and a commitment; the auditor changes the audit and publishes it; an
anonymous reader reads the published audit, on the plan's pages and the public portal, and not
the unpublished hearing. Every page is checked with axe-core and for sideways scrolling.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.reporting.conftest import Cycle, make_user

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance.models import BudgetLine

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-3"
PHONE = {"viewport": {"width": 360, "height": 800}}


def _submit(page: Page, button: str = "Record") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _checked(site: Site, page: Page, name: str) -> None:
    site.check_accessibility(page, name)
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], f"{name} scrolls sideways: {widths}"


def _follow(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).first.click()


def test_an_audit_and_a_hearing(site: Site, browser_cycle: Cycle) -> None:
    plan = browser_cycle.plan
    court = Organisation.objects.create(code="court", name="Court of Audit", type="government")
    committee = Organisation.objects.create(
        code="committee", name="Gender committee", type="parliament"
    )
    for name, role, body in (
        ("auditor", Role.AUDITOR, court),
        ("parliament", Role.PARLIAMENT, committee),
    ):
        PlanRole.objects.create(user=make_user(name), plan=plan, role=role, organisation=body)
    BudgetLine.objects.create(
        action=browser_cycle.action,
        year=2025,
        funding_kind="national_budget",
        currency="USD",
        allocated=Decimal("1000"),
        budget_code="BL-42",
    )
    ministry = browser_cycle.built.ministry

    page = site.sign_in("auditor", start=f"/plans/{PLAN}/oversight/audits/add/", **PHONE)
    _checked(site, page, "audit-new")
    page.get_by_label("Auditing body").select_option(str(court.pk))
    page.get_by_label("Title").fill("Audit of 2025 spending")
    page.get_by_label("Date (YYYY-MM-DD)").fill("2026-03-15")
    _submit(page)
    _checked(site, page, "oversight")
    _follow(page, "Audit of 2025 spending")
    _follow(page, "Record a finding")
    _checked(site, page, "finding-new")
    page.get_by_label("Finding", exact=True).fill("Vouchers are missing.")
    page.get_by_label("Severity").select_option("high")
    page.get_by_label("Budget line (optional)").select_option(index=1)
    page.get_by_label("Recommendation").fill("File the vouchers within 30 days.")
    page.get_by_label("Addressees (who must respond)").select_option(str(ministry.pk))
    _submit(page)
    expect(page.locator("main")).to_contain_text("File the vouchers within 30 days.")
    _checked(site, page, "audit")
    # The auditor corrects the audit, then publishes it (after a confirmation page).
    _follow(page, "Change the audit")
    _checked(site, page, "audit-edit")
    page.get_by_label("Scope (optional)").fill("Allocations and disbursements of 2025.")
    _submit(page, "Save the changes")
    expect(page.locator("main")).to_contain_text("Allocations and disbursements of 2025.")
    _submit(page, "Publish the audit")
    _checked(site, page, "audit-publish-confirm")
    _submit(page, "Publish the audit")
    expect(page.locator("main")).to_contain_text("Published on")

    page = site.sign_in("parliament", start=f"/plans/{PLAN}/oversight/hearings/add/", **PHONE)
    _checked(site, page, "hearing-new")
    page.get_by_label("Committee").select_option(str(committee.pk))
    page.get_by_label("Title").fill("Hearing on year two")
    page.get_by_label("Date (YYYY-MM-DD)").fill("2026-04-22")
    page.get_by_label("Questions asked (optional)").fill("Why are the desks unfunded?")
    _submit(page)
    _follow(page, "Hearing on year two")
    _follow(page, "Record a commitment")
    page.get_by_label("Commitment made").fill("Fund the desks in 2027.")
    page.get_by_label("Who committed (they must respond)").select_option(str(ministry.pk))
    _submit(page)
    expect(page.locator("main")).to_contain_text("Fund the desks in 2027.")
    _checked(site, page, "hearing")
    page.goto(site.url(f"/plans/{PLAN}/oversight/shared/"))
    _checked(site, page, "shared")

    anonymous = site.context(**PHONE).new_page()
    anonymous.goto(site.url(f"/plans/{PLAN}/oversight/"))
    expect(anonymous.locator("main")).to_contain_text("Audit of 2025 spending")
    # The hearing is not published: the public does not read it.
    expect(anonymous.locator("main")).not_to_contain_text("Hearing on year two")
    _checked(site, anonymous, "oversight-anonymous")
    anonymous.goto(site.url(f"/plans/{PLAN}/public/oversight/"))
    expect(anonymous.locator("main")).to_contain_text("File the vouchers within 30 days.")
    _checked(site, anonymous, "oversight-public-portal")
    site.assert_accessible()
