"""The report as PDF: the HTML template and the print stylesheet through WeasyPrint
(docs/reports.md, "Formats").

Headings become the PDF's bookmarks and tags (PDF/UA-1 variant: a tagged PDF with its language
and title), the table of contents gets its page numbers from CSS (target-counter), and every
page carries the plan, the period and the version mark in its running header.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string

from wpsmonitor.reports.document import ReportDocument
from wpsmonitor.reports.formats.common import document_view

# Beside the HTML template (package data), so a restyle touches one folder.
STYLESHEET = Path(__file__).parent.parent / "templates" / "reports" / "report.css"


def report_html(document: ReportDocument) -> str:
    return render_to_string("reports/report.html", document_view(document))


def render_pdf(document: ReportDocument) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which no other page needs.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # Nothing is fetched while rendering, neither a file of the server nor an address on the
    # network: a report holds what the platform wrote into it (data: URIs only).
    fetcher = URLFetcher(allowed_protocols=("data",))
    html = HTML(string=report_html(document), base_url=None, url_fetcher=fetcher)
    pdf = html.write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))],
        pdf_variant="pdf/ua-1",
    )
    assert pdf is not None
    return bytes(pdf)
