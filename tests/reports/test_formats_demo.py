"""The demo national plan's 2025 report in every format, read back: the same numbers as the
document and its JSON (the API's answer), in both versions; the PDF's pages are written under
test-output/reports/ for a person to look at (docs/reports.md, "Formats")."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.test import TestCase

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.demo import content
from wpsmonitor.demo.builder import demo_load
from wpsmonitor.reports.builder import build_report
from wpsmonitor.reports.context import report_context
from wpsmonitor.reports.document import INTERNAL, PUBLIC, YEAR, ReportDocument
from wpsmonitor.reports.formats import render

from .readback import assert_docx_matches, assert_pdf_matches, assert_xlsx_matches, page_images


def json_numbers(document: ReportDocument) -> dict[str, list[list[object]]]:
    def tables(section: dict[str, object]) -> list[dict[str, object]]:
        own = [b for b in section["blocks"] if b["type"] == "table"]  # type: ignore[index,attr-defined]
        return own + [t for s in section["subsections"] for t in tables(s)]  # type: ignore[attr-defined]

    data = document.as_json()
    return {
        t["key"]: [[c["value"] for c in row] for row in t["rows"]]  # type: ignore[attr-defined]
        for s in data["sections"]
        for t in tables(s)
    }


class DemoReportFormatsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        demo_load()
        cls.admin = User.objects.get(username="admin")

    def check(self, document: ReportDocument, name: str) -> None:
        assert document.tables, "the demo report has tables"
        assert json_numbers(document) == document.numbers()
        pdf = render(document, "pdf")
        assert_pdf_matches(document, pdf)
        assert_docx_matches(document, render(document, "docx"))
        assert_xlsx_matches(document, render(document, "xlsx"))
        page_images(pdf, name)

    def test_the_public_report_reads_the_same_in_every_format(self) -> None:
        access = plan_access(AnonymousUser(), content.NAP_CODE)
        document = build_report(report_context(access, scope=YEAR, year=2025, version=PUBLIC))
        self.check(document, "demo-public")

    def test_the_internal_report_reads_the_same_in_every_format(self) -> None:
        access = plan_access(self.admin, content.NAP_CODE)
        document = build_report(report_context(access, scope=YEAR, year=2025, version=INTERNAL))
        self.check(document, "demo-internal")
