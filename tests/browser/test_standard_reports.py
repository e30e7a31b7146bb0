"""The standard report in the cycle, in a real browser: the secretariat asks for a report, its
page says it is ready with a download per format, it is published after the confirmation page,
and the plan's public page lists it in each format. The narratives and the Word template pages
too. Every page is checked with axe-core, on a wide screen and at 360 px (no sideways scroll).

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium
from tests.reporting.conftest import Cycle

from wpsmonitor.publishing import services as publishing
from wpsmonitor.reports.models import GeneratedReport

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-3"


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _narrow(site: Site, page: Page, name: str) -> None:
    """The same page at 360 px: accessible, nothing scrolls sideways."""
    page.set_viewport_size({"width": 360, "height": 800})
    site.check_accessibility(page, f"{name}-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_secretariat_generates_and_publishes_a_report(
    site: Site, browser_cycle: Cycle, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    coordinator_user = browser_cycle.users["coordinator"]
    release = publishing.release_prepare(by=coordinator_user, plan=browser_cycle.plan)
    publishing.release_publish(by=coordinator_user, release=release, confirm=True)

    page = site.sign_in("coordinator", start=f"/plans/{PLAN}/standard-reports/narratives/")
    page.goto(site.url(f"/plans/{PLAN}/standard-reports/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Standard reports")
    site.check_accessibility(page, "standard-reports")
    _narrow(site, page, "standard-reports")
    # The tests' task backend builds the report as the request commits; a worker would later.
    _submit(page, "Generate the report")
    expect(page.locator("main")).to_contain_text("Ready, not published")
    for fmt in ("PDF", "DOCX", "XLSX"):
        expect(page.get_by_role("link", name=fmt, exact=True)).to_be_visible()
    site.check_accessibility(page, "generated-report")
    _narrow(site, page, "generated-report")
    site.screenshot(page, "generated-report")
    _submit(page, "Publish the report")  # the confirmation page
    expect(page.locator("main")).to_contain_text("cannot be changed")
    _submit(page, "Publish the report")
    expect(page.locator("main")).to_contain_text("Published")
    report = GeneratedReport.objects.get()
    assert report.published

    public = site.context().new_page()
    public.goto(site.url(f"/plans/{PLAN}/public/"))
    expect(public.locator("#standard-reports-heading")).to_have_text("Published reports")
    for fmt in ("pdf", "docx", "xlsx"):
        link = public.locator(f'a[href$="/standard-reports/{report.pk}/{fmt}/"]')
        expect(link).to_have_count(1)
    site.check_accessibility(public, "public-page-with-reports")

    page.goto(site.url(f"/plans/{PLAN}/standard-reports/narratives/"))
    summary = page.get_by_role("region", name="Summary")
    summary.get_by_label("Text").fill("The year the provinces joined.")
    with page.expect_navigation():
        summary.get_by_role("button", name="Save as a new version").click()
    expect(page.locator("main")).to_contain_text("saved as a new version")
    site.check_accessibility(page, "narratives")
    _narrow(site, page, "narratives")
    page.goto(site.url(f"/plans/{PLAN}/standard-reports/template/"))
    site.check_accessibility(page, "template")
    _narrow(site, page, "template")
    site.assert_accessible()
