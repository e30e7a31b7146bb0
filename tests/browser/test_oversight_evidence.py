"""The auditor's list of approved submissions in a real browser, at 1280 and 360 px: the
auditor signs in, follows the link from the audits and hearings page, filters by
organisation, and downloads a file; every page checked with axe-core and for sideways
scrolling.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.reporting.conftest import Cycle, make_user
from tests.reporting.helpers import field, save

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Organisation
from wpsmonitor.reporting import services

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-3"


def _checked(site: Site, page: Page, name: str) -> None:
    site.check_accessibility(page, name)
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], f"{name} scrolls sideways: {widths}"


@pytest.mark.parametrize("width", [1280, 360])
def test_the_auditor_reads_the_evidence(site: Site, browser_cycle: Cycle, width: int) -> None:
    c = browser_cycle
    court = Organisation.objects.create(code="court", name="Court of Audit", type="government")
    PlanRole.objects.create(
        user=make_user("auditor"), plan=c.plan, role=Role.AUDITOR, organisation=court
    )
    focal, coordinator = c.users["focal"], c.users["coordinator"]
    submission = services.submission_start(
        by=focal, round_=c.round, organisation=c.built.ministry, area=c.province
    )
    assert save(focal, submission, {field(c.yes_no, "total"): "1"}).ok
    services.evidence_attach(
        by=focal,
        submission=submission,
        upload=SimpleUploadedFile("vouchers.pdf", b"%PDF-1.4 vouchers", "application/pdf"),
        description="Payment vouchers of the first quarter",
    )
    assert services.submission_submit(by=focal, submission=submission).ok
    services.submission_approve(by=coordinator, submission=submission)

    page = site.sign_in(
        "auditor",
        start=f"/plans/{PLAN}/oversight/evidence/",
        viewport={"width": width, "height": 900},
    )
    page.goto(site.url(f"/plans/{PLAN}/oversight/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Evidence of approved submissions").click()
    expect(page.locator("h1")).to_have_text("Evidence of approved submissions")
    expect(page.locator("main")).to_contain_text("vouchers.pdf")
    _checked(site, page, f"evidence-{width}")
    page.get_by_label("Reporting organisation").select_option(c.built.ministry.code)
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    expect(page.locator("main")).to_contain_text("1 approved submission")
    _checked(site, page, f"evidence-filtered-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name="vouchers.pdf").click()
    assert download.value.suggested_filename == "vouchers.pdf"
    site.assert_accessible()
