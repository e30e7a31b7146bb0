"""A recommendation's follow-up in a real browser: the addressee answers, civil society disagrees.

The ministry's focal point responds to a CEDAW recommendation, claims it fully implemented and
attaches evidence; the women's network saves an assessment ("partly implemented") that nobody
else sees until it is published; once published, the public page shows both accounts side by
side with the disagreement spelled out in words. Every page is checked with axe-core.

Run: pytest -m browser (needs /usr/bin/chromium; CI installs Debian's package).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium
from tests.reporting.conftest import Cycle

from wpsmonitor.accountability import services
from wpsmonitor.accountability.models import Assessment, Recommendation, RecStatus
from wpsmonitor.plans.models import FrameworkNode

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-3"
TEXT = "Adopt a law criminalising all forms of gender-based violence."
RESPONSE = "The law was adopted by parliament and promulgated in June."
CS_COMMENT = "Promulgated, but no implementing decree: courts cannot apply it yet."


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _signed_in(site: Site, username: str, path: str) -> Page:
    """Recommendations are public pages: sign in through the to-do list, then go there."""
    page = site.sign_in(username)
    page.goto(site.url(path))
    return page


def _recommendation(cycle: Cycle) -> Recommendation:
    pillar = FrameworkNode.objects.get(plan=cycle.plan, code="P1")
    return services.recommendation_create(
        by=cycle.users["coordinator"],
        plan=cycle.plan,
        source="cedaw",
        reference="CEDAW/C/COD/CO/8, para. 25",
        issued_on=date(2024, 3, 1),
        text=TEXT,
        addressees=[cycle.built.ministry],
        nodes=[pillar],
        due_on=timezone.localdate() + timedelta(days=120),
    )


def test_an_addressee_answers_and_civil_society_disagrees(
    site: Site, browser_cycle: Cycle, tmp_path: Path
) -> None:
    rec = _recommendation(browser_cycle)
    path = f"/plans/{PLAN}/recommendations/{rec.pk}/"
    evidence = tmp_path / "journal-officiel.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% the law as promulgated\n%%EOF\n")

    # 1. The ministry's focal point responds for the ministry, with evidence.
    focal = _signed_in(site, "focal", path)
    expect(focal.get_by_role("heading", level=1)).to_have_text("Recommendation")
    expect(focal.locator("main")).to_contain_text(TEXT)
    site.check_accessibility(focal, "recommendation-as-addressee")
    focal.get_by_label("What was done").fill(RESPONSE)
    focal.locator("#resp-status").select_option(RecStatus.FULLY)
    focal.get_by_label("Evidence (PDF, photo or office document, optional)").set_input_files(
        str(evidence)
    )
    _submit(focal, "Send the response")
    responses = focal.locator("section", has=focal.locator("#responses-title"))
    expect(responses).to_contain_text(RESPONSE)
    expect(responses.get_by_role("link", name="journal-officiel.pdf")).to_be_visible()
    expect(focal.locator("dl")).to_contain_text("Fully implemented")
    site.screenshot(focal, "addressee-responded")
    rec.refresh_from_db()
    assert rec.status == RecStatus.FULLY

    # 2. The monitor saves a dissenting assessment without publishing it...
    monitor = _signed_in(site, "monitor", path)
    monitor.locator("#as-status").select_option(RecStatus.PARTLY)
    monitor.get_by_label("Comment").fill(CS_COMMENT)
    _submit(monitor, "Save the assessment")
    assessments = monitor.locator("section", has=monitor.locator("#assessments-title"))
    expect(assessments).to_contain_text("not published: only your organisation sees it")
    expect(assessments).to_contain_text("disagrees")
    site.screenshot(monitor, "monitor-draft-assessment")
    site.check_accessibility(monitor, "recommendation-as-monitor")

    # ...which neither the coordinator, nor the addressee, nor the public can see.
    coordinator = _signed_in(site, "coordinator", path)
    for page in (coordinator, focal):
        page.reload()
        expect(page.locator("main")).not_to_contain_text(CS_COMMENT)
    public = site.context().new_page()
    public.goto(site.url(path))
    expect(public.locator("main")).not_to_contain_text(CS_COMMENT)

    # 3. Published, both accounts stand side by side, the disagreement in words.
    _submit(monitor, "Publish")
    _submit(monitor, "Publish the assessment")  # after the confirmation page
    assessment = Assessment.objects.get(recommendation=rec)
    assert assessment.published_at is not None and assessment.status == RecStatus.PARTLY
    public.reload()
    shown = public.locator("section", has=public.locator("#assessments-title"))
    expect(shown).to_contain_text(CS_COMMENT)
    expect(shown).to_contain_text("Partly implemented")
    expect(shown).to_contain_text("disagrees")
    expect(public.locator("dl")).to_contain_text("Fully implemented")
    # Evidence files may name people: the public reads the response, not the file.
    expect(public.get_by_role("link", name="journal-officiel.pdf")).to_have_count(0)
    site.screenshot(public, "public-both-accounts")
    site.check_accessibility(public, "recommendation-public")

    # 4. The summary counts it among the fully implemented and among those civil society disputes.
    public.goto(site.url(f"/plans/{PLAN}/recommendations/"))
    expect(public.get_by_role("heading", level=1)).to_have_text(re.compile("Recommendations"))
    expect(public.locator("main")).to_contain_text(TEXT[:40])
    site.screenshot(public, "public-summary")
    site.check_accessibility(public, "recommendations-summary")
    site.assert_accessible()
