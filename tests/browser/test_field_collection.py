"""Field collection in a real browser, on a phone's width: the focal point downloads the
XLSForm of their assignment in French, uploads a stale export (every problem listed, nothing
stored), then the good export, which lands in their draft. Every page is checked with axe-core.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.reporting.conftest import Cycle

from wpsmonitor.fieldcollection.xlsform import form_spec, to_xform
from wpsmonitor.reporting.models import Submission, SubmissionStatus, SubmissionValue

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-3"
PHONE = {"width": 360, "height": 780}


def _fits(page: Page) -> None:
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], widths


def _export(cycle: Cycle, instance: str, version: str) -> bytes:
    spec = form_spec(cycle.round, cycle.built.ministry, cycle.province, "en")
    return (
        "SubmissionDate;g__IND_YN-v__IND_YN;wps_round;wps_assignment;wps_framework;"
        "meta-instanceID\n"
        f"2025-03-02;1;2025Q1;{spec.assignment};{version or spec.version};{instance}\n"
    ).encode()


def test_the_focal_point_collects_offline_at_a_phones_width(
    site: Site, browser_cycle: Cycle
) -> None:
    focal = site.sign_in("focal", start=f"/plans/{PLAN}/reporting/", viewport=PHONE)
    with focal.expect_navigation():
        focal.get_by_role(
            "link", name="Field collection offline (XLSForm: ODK, KoboToolbox)"
        ).click()
    expect(focal.get_by_role("heading", level=1)).to_have_text("Field collection")
    section = focal.get_by_role("region", name="Ministry of Gender, Province 1 · 2025Q1")
    expect(section).to_be_visible()
    # Only the ministry's assignment in the focal point's province; no server buttons.
    expect(focal.get_by_role("button", name="Download XLSForm")).to_have_count(1)
    expect(focal.get_by_role("button", name="Send to server")).to_have_count(0)
    site.check_accessibility(focal, "field-collection")
    _fits(focal)
    site.screenshot(focal, "field-collection")

    # The XLSForm, in French, valid for ODK and Kobo (pyxform).
    section.get_by_label("Language of the form").select_option("fr")
    with focal.expect_download() as downloading:
        section.get_by_role("button", name="Download XLSForm").click()
    download = downloading.value
    assert download.suggested_filename.endswith(".xlsx")
    xform = to_xform(Path(download.path()).read_bytes())
    assert '<translation lang="French (fr)" default="true()">' in xform

    # A stale export: each problem listed by submission and field, nothing stored.
    upload = section.get_by_label("Exported submissions (CSV, XLSX or JSON)")
    upload.set_input_files(
        {
            "name": "old.csv",
            "mimeType": "text/csv",
            "buffer": _export(browser_cycle, "uuid:old", "0123abcd"),
        }
    )
    with focal.expect_navigation():
        section.get_by_role("button", name="Upload submissions").click()
    problems = focal.get_by_role("alert")
    expect(problems).to_contain_text("Nothing was imported")
    expect(problems).to_contain_text("submission uuid:old: field wps_framework:")
    assert not Submission.objects.exists()
    site.check_accessibility(focal, "field-collection-refused")
    _fits(focal)
    site.screenshot(focal, "field-collection-refused")

    # The good export lands in the draft, which the focal point reviews and submits.
    section = focal.get_by_role("region", name="Ministry of Gender, Province 1 · 2025Q1")
    section.get_by_label("Exported submissions (CSV, XLSX or JSON)").set_input_files(
        {
            "name": "export.csv",
            "mimeType": "text/csv",
            "buffer": _export(browser_cycle, "uuid:ok", ""),
        }
    )
    with focal.expect_navigation():
        section.get_by_role("button", name="Upload submissions").click()
    expect(focal.locator("main")).to_contain_text("Imported into the draft: 1 submissions")
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.DRAFT
    assert SubmissionValue.objects.get(submission=submission).value == 1.0
    assert focal.url.endswith(f"/submissions/{submission.pk}/")
    site.check_accessibility(focal, "field-collection-imported")
    _fits(focal)
    site.assert_accessible()
