"""Copy-down in a real browser at 360 px: the national coordinator makes a local plan for a
province, after one refusal that keeps what was typed; then the national plan's local plans
(matrix and roll-up) and the local plan's proposals. Every page is checked with axe-core and
for sideways scrolling.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.reporting.conftest import Cycle

from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.plans.services import node_update

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


def test_copy_down_a_local_plan(site: Site, browser_cycle: Cycle) -> None:
    province = browser_cycle.province
    action = browser_cycle.action
    coordinator = site.sign_in("coordinator", start=f"/plans/{PLAN}/localisation/new/", **PHONE)
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Make a local plan")
    _checked(site, coordinator, "copy-down")
    coordinator.get_by_label("Code of the local plan").fill(PLAN)  # taken: refused
    coordinator.get_by_label("Title", exact=True).fill("Local plan of the province")
    coordinator.get_by_label("Province, district or area").select_option(str(province.pk))
    coordinator.locator(f"#cd-node-{action.pk}").check()
    coordinator.locator(f"#cd-ind-{browser_cycle.yes_no.pk}").check()
    _submit(coordinator, "Make the local plan")
    expect(coordinator.get_by_role("alert")).to_contain_text("already exists")
    expect(coordinator.get_by_label("Title", exact=True)).to_have_value(
        "Local plan of the province"
    )
    expect(coordinator.locator(f"#cd-node-{action.pk}")).to_be_checked()
    _checked(site, coordinator, "copy-down-refused")
    site.screenshot(coordinator, "copy-down-refused")

    coordinator.get_by_label("Code of the local plan").fill("lap-province")
    _submit(coordinator, "Make the local plan")
    assert coordinator.url.endswith("/plans/lap-province/")
    expect(coordinator.locator("main")).to_contain_text("Local plan lap-province made")
    local = Plan.objects.get(code="lap-province")
    copied = FrameworkNode.objects.get(plan=local, code=action.code)
    assert copied.source_node_id == action.pk
    assert local.indicators.get().source_indicator_id == browser_cycle.yes_no.pk

    coordinator.goto(site.url(f"/plans/{PLAN}/localisation/"))
    expect(coordinator.locator("main")).to_contain_text("Local plan of the province")
    _checked(site, coordinator, "localisation-overview")
    site.screenshot(coordinator, "localisation-overview")

    node_update(node=action, title="A new national wording")
    coordinator.goto(site.url("/plans/lap-province/proposals/"))
    expect(coordinator.locator("main")).to_contain_text("A new national wording")
    _checked(site, coordinator, "proposals")
    _submit(coordinator, "Accept")
    expect(coordinator.locator("main")).to_contain_text("No open proposal.")
    copied.refresh_from_db()
    assert copied.title == "A new national wording"
    site.assert_accessible()
