"""The demo's standard reports (issue 14, "Done means"): the 2025 annual report of the
national plan generated from release 2, the board's co-signed 2025 report with the dissent,
published in three formats and listed on the portal; a mid-term report draft (internal)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.test import Client, TestCase, override_settings

from wpsmonitor.boards.models import EventKind, PeriodicReport
from wpsmonitor.boards.selectors import signing, standing_dissents
from wpsmonitor.demo import content
from wpsmonitor.demo.builder import demo_load
from wpsmonitor.reports.models import GeneratedReport

MEDIA = tempfile.mkdtemp(prefix="wpsmonitor-demo-reports-")


class DemoReportsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        with override_settings(MEDIA_ROOT=MEDIA):
            demo_load()

    def test_the_2025_annual_report_is_the_boards_cosigned_document_and_published(self) -> None:
        annual = GeneratedReport.objects.get(
            plan__code=content.NAP_CODE, scope="year", year=2025, version="public"
        )
        assert annual.published and annual.release is not None and annual.release.number == 2
        periodic = PeriodicReport.objects.get(plan=annual.plan, period="2025")
        assert annual.periodic_report == periodic and periodic.is_published
        assert periodic.document_hash == annual.content_hash
        assert signing(periodic, None).sides == {"government", "civil_society"}
        assert all(
            s.document_hash == annual.content_hash for s in periodic.signatures.all() if s.is_valid
        )
        assert "Nord-Kivu" in standing_dissents(periodic)[0].text
        # The government signatures given to the text before the document lapsed, saying why.
        lapsed = periodic.events.filter(kind=EventKind.INVALIDATED)
        assert lapsed.count() == 2 and all("no longer count" in e.note for e in lapsed)
        page = Client().get(f"/plans/{content.NAP_CODE}/public/").content.decode()
        for fmt, head in (("pdf", b"%PDF-"), ("docx", b"PK"), ("xlsx", b"PK")):
            assert f"/standard-reports/{annual.pk}/{fmt}/" in page
            # Where the demo wrote it (the tests' own media folder changes per test).
            assert Path(MEDIA, getattr(annual, fmt).name).read_bytes().startswith(head)

    def test_a_midterm_report_draft_is_kept_for_the_plan_members(self) -> None:
        midterm = GeneratedReport.objects.get(plan__code=content.NAP_CODE, scope="midterm")
        assert midterm.version == "internal" and midterm.status == "ready"
        assert not midterm.published
        url = f"/plans/{content.NAP_CODE}/standard-reports/{midterm.pk}/pdf/"
        assert Client().get(url).status_code == 404
