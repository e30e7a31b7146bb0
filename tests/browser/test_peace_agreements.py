"""A peace agreement's page in a real browser at 360 px: the coordinator's list, the agreement
with a provision linked to an action, two statuses and civil society's published assessment
that differs, the provision form and the PA-X upload page; a civil-society monitor's assessment
form. Every page is checked with axe-core and for sideways scrolling.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.reporting.conftest import Cycle

from wpsmonitor.peace import services

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"viewport": {"width": 360, "height": 800}}


def _checked(site: Site, page: Page, name: str) -> None:
    site.check_accessibility(page, name)
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], f"{name} scrolls sideways: {widths}"


def test_an_agreement_side_by_side_at_360_px(site: Site, browser_cycle: Cycle) -> None:
    plan = browser_cycle.plan
    coordinator_user = browser_cycle.users["coordinator"]
    agreement = services.agreement_record(
        by=coordinator_user,  # type: ignore[arg-type]
        plan=plan,
        name="Fictitious accord for peace and reconciliation in the East",
        stage="SubComp",
        signed_on=date(2024, 3, 15),
        agreement_type="Intra",
        parties="Government (fictitious); armed group A (fictitious)",
        pax_id=90002,
        source_url="https://www.peaceagreements.org/",
    )
    provision = services.provision_record(
        by=coordinator_user,  # type: ignore[arg-type]
        agreement=agreement,
        category="WggImpl",
        text="Women's organisations shall sit on the committee that monitors this agreement.",
        reference="Art. 14",
        actions=[browser_cycle.action],
    )
    for on, status in ((date(2024, 6, 30), "intermediate"), (date(2025, 6, 30), "full")):
        services.provision_status_record(
            by=coordinator_user,  # type: ignore[arg-type]
            provision=provision,
            on=on,
            status=status,
        )
    services.provision_assessment_save(
        by=browser_cycle.users["monitor"],  # type: ignore[arg-type]
        provision=provision,
        organisation=browser_cycle.built.cso,
        assessed_on=date(2025, 10, 1),
        status="intermediate",
        comment="Two organisations sit on the committee, without a vote.",
        publish=True,
    )
    base = f"/plans/{plan.code}/peace/agreements/"
    coordinator = site.sign_in("coordinator", start=base + "new/", **PHONE)
    _checked(site, coordinator, "agreement-form")
    coordinator.goto(site.url(base))
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Peace agreements")
    _checked(site, coordinator, "agreements")
    with coordinator.expect_navigation():
        coordinator.get_by_role("link", name=agreement.name).click()
    main = coordinator.locator("main")
    expect(main).to_contain_text("Differs: sees less done, by 1 step")
    expect(main).to_contain_text("Readings differ")
    _checked(site, coordinator, "agreement")
    site.screenshot(coordinator, "agreement")
    with coordinator.expect_navigation():
        coordinator.get_by_role("link", name="Change the provision and its links").click()
    _checked(site, coordinator, "provision-form")
    coordinator.goto(site.url(base + "import/"))
    _checked(site, coordinator, "pax-import")

    monitor = site.sign_in(
        "monitor", start=base + f"{agreement.pk}/provisions/{provision.pk}/assessment/", **PHONE
    )
    expect(monitor.get_by_label("Comment (optional)")).to_have_value(
        "Two organisations sit on the committee, without a vote."
    )
    _checked(site, monitor, "assessment-form")
