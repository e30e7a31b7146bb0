"""Building a generated report off the request path (docs/reports.md, "In the cycle").

The task (reports/tasks.py) calls `generate(report_id)`. It shows its progress as it goes (each
step committed on its own, so the reports page, refreshing, sees it), builds the document once,
renders each format from it, and then stores everything in one transaction: the files, the
document, its hash, "ready" and, for the board's document, the periodic report's new content.
Anything that fails marks the report failed with the reason in words and leaves no file and no
half-stored report behind. The requester is mailed either way, once committed.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.boards import services as boards
from wpsmonitor.reports import formats, notifications
from wpsmonitor.reports.builder import build_report
from wpsmonitor.reports.context import report_context
from wpsmonitor.reports.models import (
    GeneratedReport,
    GenerationStatus,
    ReportTemplate,
    file_path,
)
from wpsmonitor.reports.naming import document_reason, download_name
from wpsmonitor.reports.sections.qualitative import story_uids
from wpsmonitor.stories import uses as story_uses

log = logging.getLogger(__name__)

# How far along each step is, in per cent: the document, then one share per format.
BUILT = 25
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)"}


def _progress(report_id: int, percent: int, step: str) -> None:
    # Outside any transaction: the page that refreshes reads it at once.
    GeneratedReport.objects.filter(pk=report_id).update(progress=percent, step=step)


def generate(report_id: int) -> str:
    """Build a queued report; its final status ("ready", "failed"), or why nothing was done."""
    # Claimed once: a second worker (or a task run twice) finds it no longer queued.
    claimed = GeneratedReport.objects.filter(pk=report_id, status=GenerationStatus.QUEUED).update(
        status=GenerationStatus.RUNNING, progress=1
    )
    if not claimed:
        return "not queued"
    report = GeneratedReport.objects.select_related("plan", "requested_by").get(pk=report_id)
    storage = report.pdf.storage
    stored: list[str] = []
    try:
        with translation.override(report.language):
            _build(report, storage, stored)
    except Exception as error:  # any failure: recorded, in words, with nothing half-done
        for name in stored:
            storage.delete(name)
        with translation.override(report.language):
            message = _why(error)
        if not isinstance(error, (ValidationError, PermissionDenied)):
            log.exception("report %s failed", report_id)
        GeneratedReport.objects.filter(pk=report_id).update(
            status=GenerationStatus.FAILED, error=message, finished_at=timezone.now()
        )
    transaction.on_commit(lambda: notifications.report_finished(report_id))
    return str(GeneratedReport.objects.values_list("status", flat=True).get(pk=report_id))


def _why(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    if isinstance(error, PermissionDenied):
        return _("The requester may no longer build this report: %(why)s") % {
            "why": str(error) or _("their role on the plan changed.")
        }
    return _(
        "The report could not be generated (%(error)s). Ask for it again; if it fails "
        "again, tell the platform's administrator."
    ) % {"error": type(error).__name__}


def _build(report: GeneratedReport, storage: Storage, stored: list[str]) -> None:
    requester: User | AnonymousUser = report.requested_by or AnonymousUser()
    access = PlanAccess.load(requester, report.plan)
    if not access.can_generate_reports():
        raise PermissionDenied(_("their role on the plan changed."))
    _progress(report.pk, 5, _("Reading the figures"))
    context = report_context(
        access,
        scope=report.scope,
        year=report.year,
        version=report.version,  # type: ignore[arg-type]
    )
    document = build_report(context)
    template = ReportTemplate.objects.filter(plan=report.plan).first()
    template_bytes = None
    if template is not None:
        with template.file.open("rb") as handle:
            template_bytes = handle.read()
    _progress(report.pk, BUILT, _("Writing the files"))
    files: dict[str, bytes] = {}
    share = (100 - BUILT - 5) // len(formats.FORMATS)
    for number, fmt in enumerate(formats.FORMATS):
        _progress(
            report.pk,
            BUILT + share * number,
            _("Writing the %(format)s") % {"format": FORMAT_NAMES.get(fmt, fmt)},
        )
        data = formats.render(document, fmt, template=template_bytes if fmt == "docx" else None)
        files[fmt] = data
        stored.append(storage.save(file_path(row=None, filename=fmt), ContentFile(data)))
    _progress(report.pk, 95, _("Storing the report"))
    content_hash = document.content_hash()
    with transaction.atomic():
        row = GeneratedReport.objects.select_for_update().get(pk=report.pk)
        for fmt, name in zip(formats.FORMATS, stored, strict=True):
            getattr(row, fmt).name = name
        row.document = document.as_json()
        row.content_hash = content_hash
        row.title = document.title
        row.release = context.release
        row.status = GenerationStatus.READY
        row.progress = 100
        row.step = ""
        row.error = ""
        row.finished_at = timezone.now()
        row.save()
        # Where each story was printed: the coordinators are told if its consent is withdrawn
        # once the report is published (stories/uses.py).
        story_uses.uses_record(
            story_uids=story_uids(document),
            kind="report",
            reference=str(row.pk),
            title=row.title,
            link=reverse("reports:report", args=[row.plan.code, row.pk]),
        )
        # The same report published before, generated again: the coordinators' tasks about
        # its stories whose consent was withdrawn since are done (this one read consent today).
        earlier = (
            GeneratedReport.objects.filter(
                plan_id=row.plan_id,
                scope=row.scope,
                year=row.year,
                version=row.version,
                language=row.language,
                published=True,
            )
            .exclude(pk=row.pk)
            .values_list("pk", flat=True)
        )
        story_uses.notices_regenerated(
            by=row.requested_by, plan=row.plan, references=[str(pk) for pk in earlier]
        )
        periodic = row.periodic_report
        if periodic is not None and report.requested_by is not None:
            boards.report_document_set(
                by=report.requested_by,
                report=periodic,
                document_hash=content_hash,
                pdf=files["pdf"],
                filename=download_name(row, "pdf"),
                reason=document_reason(row),
            )
