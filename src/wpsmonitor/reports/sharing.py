"""Sharing a generated report with parliament in place (docs/oversight.md, "Sharing a
generated report with parliament"): which of its files may be shared, what the shared copy is
called, and whether that very file is shared already. Reads only; the write is
`services.report_share_with_parliament`, through oversight's `document_share`.

Only a **public version** is shared: an internal version is not disclosure-controlled and stays
with the plan's members (docs/reports.md, "Versions"). A report still being built or that
failed has no file to share.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from wpsmonitor.oversight.models import SharedDocument
from wpsmonitor.oversight.selectors import shared_documents
from wpsmonitor.reports import formats, naming
from wpsmonitor.reports.models import GeneratedReport, GenerationStatus, ReportVersion


def refusal(report: GeneratedReport) -> str:
    """Why this report cannot be shared with parliament ("" when it can)."""
    if report.status == GenerationStatus.FAILED:
        return _("The report failed to generate: there is no file to share. Generate it again.")
    if report.status != GenerationStatus.READY:
        return _("The report is not generated yet: share it once it is ready.")
    if report.version != ReportVersion.PUBLIC:
        return _(
            "An internal version is not disclosure-controlled: it stays with the plan's "
            "members. Share the public version."
        )
    if not share_formats(report):
        return _("The report has no file to share.")
    return ""


def share_formats(report: GeneratedReport) -> list[str]:
    """The formats the report has a file in, PDF first (the default choice)."""
    if report.status != GenerationStatus.READY:
        return []
    return [fmt for fmt in formats.FORMATS if report.file_of(fmt) is not None]


def shared_title(report: GeneratedReport, fmt: str) -> str:
    """The shared document's title: the report's title and its period, and the format."""
    return (
        _("%(title)s (%(scope)s %(year)s, %(format)s)")
        % {
            "title": report.title or report.get_scope_display(),
            "scope": report.get_scope_display(),
            "year": report.year,
            "format": fmt.upper(),
        }
    )[:300]


def shared_note(report: GeneratedReport) -> str:
    return _(
        "The generated standard report %(pk)s, public version, in %(language)s (content "
        "%(hash)s…), shared from its page."
    ) % {"pk": report.pk, "language": report.language, "hash": report.content_hash[:12]}


def report_bytes(report: GeneratedReport, fmt: str) -> bytes:
    stored = report.file_of(fmt)
    if stored is None:
        return b""
    with stored.open("rb") as handle:
        data: bytes = handle.read()
    return data


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def earlier_share(
    report: GeneratedReport, fmt: str, data: bytes | None = None
) -> SharedDocument | None:
    """The document of the plan shared with parliament that is this very file (same name,
    size and bytes), if it is still shared. A few candidates at most: only those of the same
    name and size are read."""
    data = report_bytes(report, fmt) if data is None else data
    if not data:
        return None
    candidates = shared_documents(report.plan).filter(
        filename=naming.download_name(report, fmt), size=len(data)
    )
    wanted = _digest(data)
    for document in candidates:
        with document.file.open("rb") as handle:
            if _digest(handle.read()) == wanted:
                return document
    return None
