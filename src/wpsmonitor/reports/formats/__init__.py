"""The report's formats, each drawn from the one `ReportDocument` (docs/reports.md, "Formats").

`render(document, fmt)` answers the file's bytes: "pdf" (a Typst template compiled with the document), "docx" (the
default Word template or a plan's own, through docxtpl) and "xlsx" (the twin workbook). Each is
rendered in the document's language, whatever the request's.
"""

from __future__ import annotations

from django.utils.translation import override

from wpsmonitor.reports.document import ReportDocument

# An uploaded Word template's check (problems as sentences), and the error `render` raises
# rather than fill a bad one (its `problems`). Cheap to import: docxtpl loads when used.
from wpsmonitor.reports.formats.word import TemplateRefused, check_template

__all__ = ["CONTENT_TYPES", "FORMATS", "TemplateRefused", "check_template", "render"]

FORMATS = ("pdf", "docx", "xlsx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(document: ReportDocument, fmt: str, *, template: bytes | None = None) -> bytes:
    """The report as a file of format `fmt`; `template` is a plan's own Word template (DOCX),
    checked with `check_template` when it was uploaded (and again here: a bad one raises)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format: {fmt!r}")
    with override(document.language):
        if fmt == "pdf":
            from wpsmonitor.reports.formats.pdf import render_pdf

            return render_pdf(document)
        if fmt == "docx":
            from wpsmonitor.reports.formats.word import render_docx

            return render_docx(document, template=template)
        from wpsmonitor.reports.formats.workbook import render_xlsx

        return render_xlsx(document)
