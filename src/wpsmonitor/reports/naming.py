"""Names and words a generated report goes by: its files' download names, and the reason the
board's history gives when it becomes the board's document."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wpsmonitor.reports.models import GeneratedReport


def document_reason(report: GeneratedReport) -> str:
    """Why the board's signatures lapse when this report becomes its document (in the
    report's history, in words)."""
    return _(
        "The generated report “%(title)s” (content %(hash)s…) became the report's document: "
        "signatures given to an earlier content no longer count."
    ) % {"title": report.title, "hash": report.content_hash[:12]}


def download_name(report: GeneratedReport, fmt: str) -> str:
    version = "public" if report.is_public else "internal"
    return f"{report.plan.code}-{report.scope}-{report.year}-{version}-{report.language}.{fmt}"
