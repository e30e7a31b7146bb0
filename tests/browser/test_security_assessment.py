"""An institution's self-assessments and the editing forms in a real browser at 360 px: the
list with its trend table and charts, an assessment, the form refused and then saved, the
institution's edit form and a peace process's edit form. Every page is checked with axe-core
and for sideways scrolling.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.reporting.conftest import Cycle

from wpsmonitor.peace import services as peace_services
from wpsmonitor.security import services
from wpsmonitor.security.assessment import THEMES

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-3"
PHONE = {"viewport": {"width": 360, "height": 800}}


def _checked(site: Site, page: Page, name: str) -> None:
    site.check_accessibility(page, name)
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], f"{name} scrolls sideways: {widths}"


def test_assessments_and_edit_forms_at_360_px(site: Site, browser_cycle: Cycle) -> None:
    coordinator = browser_cycle.users["coordinator"]
    assert isinstance(coordinator, User)
    plan = browser_cycle.plan
    police = services.institution_create(
        by=coordinator, plan=plan, code="PNC", kind="police", organisation=browser_cycle.police
    )
    codes = [t.code for t in THEMES["dcaf"]]
    for held, scores in (
        (date(2023, 5, 1), [1, 2, 2, 1, 3, 2]),
        (date(2025, 5, 1), [3, 2, 3, 2, 3, 4]),
    ):
        made = services.assessment_record(
            by=coordinator,
            institution=police,
            framework="dcaf",
            assessed_on=held,
            conducted_by="internal",
            scores=dict(zip(codes, scores, strict=True)),
            findings={"performance": "Few women in patrol units."},
            recommendations={"performance": "Recruit women patrol officers."},
        )
        services.assessment_publish(by=coordinator, assessment=made)
    process = peace_services.process_record(
        by=coordinator, plan=plan, name="Dialogue", level="national", status="ongoing"
    )

    page = site.sign_in("coordinator", start=f"/plans/{PLAN}/security/PNC/edit/", **PHONE)
    _checked(site, page, "institution-edit")
    page.goto(f"/plans/{PLAN}/security/PNC/assessments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessments of PNC")
    expect(page.locator("svg").first).to_be_visible()
    _checked(site, page, "assessments")
    site.screenshot(page, "assessments")

    with page.expect_navigation():
        page.get_by_role("link", name="DCAF Gender Self-Assessment, ", exact=False).first.click()
    expect(page.locator("main")).to_contain_text("Recruit women patrol officers.")
    _checked(site, page, "assessment")

    page.goto(f"/plans/{PLAN}/security/PNC/assessments/new/?framework=mowip")
    page.get_by_label("Date of the assessment").fill("2025-06-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator(".error-summary")).to_be_visible()
    _checked(site, page, "assessment-form-refused")
    site.screenshot(page, "assessment-form-refused")

    page.goto(f"/plans/{PLAN}/peace/{process.pk}/edit/")
    page.get_by_label("Ended (YYYY-MM-DD, optional)").fill("2020-01-01")
    page.get_by_label("Started (YYYY-MM-DD, optional)").fill("2021-01-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator(".error-summary")).to_be_visible()
    _checked(site, page, "process-edit-refused")
    site.assert_accessible()
