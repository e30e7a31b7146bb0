"""The report's formats, each drawn from the one `ReportDocument` (docs/reports.md, "Formats").

`render(document, fmt)` answers the file's bytes. PDF, DOCX and XLSX are to come (issue 14);
until then asking for one is refused, never answered with something else.
"""

from __future__ import annotations

from wpsmonitor.reports.document import ReportDocument

FORMATS = ("pdf", "docx", "xlsx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(document: ReportDocument, fmt: str, *, template: bytes | None = None) -> bytes:
    """The report as a file of format `fmt`; `template` is a plan's own Word template (DOCX)."""
    raise NotImplementedError(fmt)
