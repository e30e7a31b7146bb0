"""Shadow monitoring in a real browser: a coalition member defines an indicator of their
organisation's own and publishes it, scores an action and enters shadow figures on their entry
sheet (one mistake first), publishes; the divergence view, the action page and the indicator
page then show both accounts, the gap in words. Every new page is checked with axe-core.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium
from tests.portal.conftest import publish_release
from tests.reporting.conftest import Cycle
from tests.reporting.helpers import field

from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.models import DataValue, Indicator
from wpsmonitor.plans.services import action_status_set
from wpsmonitor.reporting.models import ActionProgress

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-3"


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _government_account(cycle: Cycle) -> None:
    """The ministry's figures and status, as its import and the plan record them."""
    share = cycle.built.indicators[1]  # a percentage, quarterly
    with transaction.atomic():
        values_ingest(
            rows=[
                {
                    "indicator": share.code,
                    "period": "2025Q1",
                    "area": cycle.plan.area.code,
                    "numerator": 34,
                    "denominator": 100,
                }
            ],
            plan=cycle.plan.code,
        )
    action_status_set(node=cycle.action, status="completed", percent_complete=100)
    rebuild_plan_aggregates(cycle.plan)


def test_a_coalition_member_shadows_the_plan(site: Site, browser_cycle: Cycle) -> None:
    cycle = browser_cycle
    _government_account(cycle)
    share = cycle.built.indicators[1]

    # 1. The monitor defines an indicator the plan lacks; it is a draft, theirs alone.
    monitor = site.sign_in("monitor", start=f"/plans/{PLAN}/civil-society-indicators/new/")
    expect(monitor.get_by_role("heading", level=1)).to_have_text(
        "Define an indicator for your organisation"
    )
    site.check_accessibility(monitor, "own-indicator-form")
    monitor.get_by_label("Code").fill("CSO-1")
    monitor.get_by_label("Title").fill("Women consulted before a provincial plan is adopted")
    monitor.get_by_label("Part of the plan's framework").select_option("P1.O1")
    monitor.get_by_label("Kind").select_option("number")
    monitor.get_by_label("Frequency").select_option("quarter")
    _submit(monitor, "Save as a draft")
    expect(monitor.get_by_text("Draft: only your organisation sees it.").first).to_be_visible()
    site.screenshot(monitor, "own-indicator-draft")
    site.check_accessibility(monitor, "own-indicator-edit")
    _submit(monitor, "Publish the indicator")
    expect(monitor.locator("main")).to_contain_text("What will become public")
    _submit(monitor, "Publish the indicator")  # the confirmation page's button
    expect(monitor.locator("main")).to_contain_text("The indicator is published.")
    own = Indicator.objects.get(code="CSO-1")
    assert own.published_at is not None and own.owner_organisation == cycle.built.cso

    # 2. From the to-do list, the monitor opens their organisation's sheet.
    monitor.goto(site.url("/reporting/"))
    row = monitor.get_by_role("row").filter(has_text="independent monitoring").first
    with monitor.expect_navigation():
        row.get_by_role("button", name="Start").click()
    assert re.search(r"/submissions/\d+/edit/$", monitor.url), monitor.url
    expect(monitor.get_by_role("group", name="Your assessment of the actions")).to_be_visible()
    site.check_accessibility(monitor, "monitor-entry-sheet")

    # 3. Shadow figures, one of them mistyped, and the action scored.
    monitor.locator(f'[name="{field(share, "total", "n")}"]').fill("12")
    monitor.locator(f'[name="{field(share, "total", "d")}"]').fill("cent")
    monitor.locator(f'[name="{field(own, "total")}"]').fill("9")
    monitor.get_by_label(f"{cycle.action.code}: assessment").select_option("not_implemented")
    monitor.get_by_label(f"{cycle.action.code}: what you found").fill(
        "No officer we met in Province 1 had been trained."
    )
    _submit(monitor, "Save draft")
    expect(monitor.locator("#error-summary")).to_be_visible()
    site.screenshot(monitor, "monitor-sheet-with-a-mistake")
    monitor.locator(f'[name="{field(share, "total", "d")}"]').fill("100")
    _submit(monitor, "Publish")
    # Publishing asks first, listing what is still blank (issue 12 §6).
    expect(monitor.locator("main")).to_contain_text("What will become public")
    site.screenshot(monitor, "monitor-publish-confirmation")
    site.check_accessibility(monitor, "publish-confirmation")
    _submit(monitor, "Publish the figures")
    expect(monitor.locator("main")).to_contain_text("Your figures are published.")
    site.screenshot(monitor, "monitor-published")
    assert DataValue.objects.get(indicator=own).value == 9
    progress = ActionProgress.objects.get(action=cycle.action, source__organisation=cycle.built.cso)
    assert progress.assessment == "not_implemented"

    # 4. Where the accounts differ: the plan's members see the figures compared (they are the
    # detail, before disclosure control: docs/publishing.md, "Who reads what").
    monitor.goto(site.url(f"/plans/{PLAN}/divergence/?period=2025Q1"))
    figures = monitor.get_by_role("table", name=re.compile("Largest differences first"))
    expect(figures.get_by_role("row").filter(has_text=share.code)).to_contain_text("22.0 points")
    # Anyone else compares the figures of the published release, and sees the actions'
    # accounts.
    publish_release(cycle.plan)
    reader = site.context().new_page()
    reader.goto(site.url(f"/plans/{PLAN}/divergence/?period=2025Q1"))
    expect(reader.locator("main")).to_contain_text("Published figures: release 1")
    published = reader.get_by_role("table", name=re.compile("Largest differences first"))
    expect(published.get_by_role("row").filter(has_text=share.code)).to_contain_text("22.0 points")
    actions = reader.get_by_role("table", name=re.compile("Actions, widest gap first"))
    expect(actions.get_by_role("row").filter(has_text=cycle.action.code)).to_contain_text(
        "Disagree completely"
    )
    site.screenshot(reader, "divergence")
    site.check_accessibility(reader, "divergence")

    with reader.expect_navigation():
        actions.get_by_role("link", name=re.compile(re.escape(cycle.action.code))).click()
    expect(reader.locator("main")).to_contain_text(
        "No officer we met in Province 1 had been trained."
    )
    expect(reader.locator("main")).to_contain_text("Disagree completely")
    site.screenshot(reader, "action-page")
    site.check_accessibility(reader, "action-page")

    reader.goto(site.url(f"/plans/{PLAN}/actions/"))
    expect(reader.locator("main")).to_contain_text("On 1 action the two accounts disagree.")
    site.check_accessibility(reader, "actions-list")

    reader.goto(site.url(f"/plans/{PLAN}/indicators/{share.code}/"))
    pairs = reader.get_by_role("table", name=re.compile("latest figure beside the government"))
    expect(pairs).to_contain_text("22 points lower than the government's")
    site.screenshot(reader, "indicator-side-by-side")
    site.check_accessibility(reader, "indicator-side-by-side")

    reader.goto(site.url(f"/plans/{PLAN}/civil-society-indicators/"))
    expect(reader.get_by_role("link", name=re.compile("CSO-1"))).to_be_visible()
    site.check_accessibility(reader, "own-indicators")
    site.assert_accessible()
