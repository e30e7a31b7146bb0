"""Training and deployments in a real browser at 360 px: the coordinator reads an institution's
training page (the impact by unit), a session's roster, the deployment page against the
parity targets and the deployment's edit form (with a refused service number), then the public
figures. Every page is checked with axe-core and for sideways
scrolling.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.reporting.conftest import Cycle

from wpsmonitor.demo.security_training import training_load
from wpsmonitor.security import services
from wpsmonitor.security.models import Deployment, TrainingSession

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"viewport": {"width": 360, "height": 800}}


def _checked(site: Site, page: Page, name: str) -> None:
    site.check_accessibility(page, name)
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], f"{name} scrolls sideways: {widths}"


def test_training_and_deployment_pages(site: Site, browser_cycle: Cycle) -> None:
    plan = browser_cycle.plan
    coordinator_user = browser_cycle.users["coordinator"]
    army = services.institution_create(
        by=coordinator_user,  # type: ignore[arg-type]
        plan=plan,
        code="FARDC",
        kind="army",
        organisation=browser_cycle.other_cso,
    )
    police = services.institution_create(
        by=coordinator_user,  # type: ignore[arg-type]
        plan=plan,
        code="PNC",
        kind="police",
        organisation=browser_cycle.police,
    )
    training_load(army, police)
    base = f"/plans/{plan.code}/security/FARDC/"
    page = site.sign_in("coordinator", **PHONE)
    page.goto(site.url(base + "training/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Training of FARDC")
    expect(page.locator("main")).to_contain_text("1st Rapid Reaction Battalion (fictitious)")
    _checked(site, page, "security-training")
    site.screenshot(page, "security-training")

    session = TrainingSession.objects.filter(course__institution=army, phase="before").get()
    page.goto(site.url(f"{base}training/sessions/{session.pk}/"))
    expect(page.locator("main")).to_contain_text("DEMO-A-001")
    _checked(site, page, "security-session")

    deployment = Deployment.objects.get(institution=army)
    page.goto(site.url(f"{base}deployments/"))
    _checked(site, page, "security-deployments")
    with page.expect_navigation():
        page.get_by_role("link", name="MONUSCO, Military contingent").click()
    assert page.url.endswith(f"/deployments/{deployment.pk}/")
    expect(page.locator("main")).to_contain_text("Trained before deployment")
    _checked(site, page, "security-deployment")
    site.screenshot(page, "security-deployment")

    # The deployment's edit form at 360 px: its individuals, then an unknown service number
    # refused beside the field (docs/security-sector.md, "Editing training and deployments").
    page.goto(site.url(f"{base}deployments/{deployment.pk}/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Change the deployment, add or take out individuals").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change the deployment to MONUSCO")
    _checked(site, page, "security-deployment-edit")
    page.get_by_label("Service numbers").fill("NO-SUCH-NUMBER")
    with page.expect_navigation():
        page.get_by_role("button", name="Add them").click()
    expect(page.locator("#f-service_numbers-error")).to_contain_text("NO-SUCH-NUMBER")
    _checked(site, page, "security-deployment-edit-refused")
    site.screenshot(page, "security-deployment-edit")

    page.goto(site.url(f"/plans/{plan.code}/security/training/figures/"))
    expect(page.locator("main")).not_to_contain_text("DEMO-")
    _checked(site, page, "security-training-figures")
    site.assert_accessible()
