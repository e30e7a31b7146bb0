"""Writes of the standard report in the cycle (docs/reports.md, "In the cycle"). Every function
checks the caller's rights (PlanAccess) itself and is one transaction: a refusal changes
nothing.

A report is asked for (`report_request`: a queued GeneratedReport, and the task that builds it
enqueued once the transaction commits); the task (reports/generation.py) builds it. A published
report is kept as generated: nothing here changes it, and asking again makes a new one.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.boards import services as boards
from wpsmonitor.boards.models import PeriodicReport
from wpsmonitor.core.services import service
from wpsmonitor.oversight.models import SharedDocument
from wpsmonitor.oversight.services import document_share
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.publishing.selectors import published_release
from wpsmonitor.reports import formats, sharing
from wpsmonitor.reports.context import years_covered
from wpsmonitor.reports.models import (
    GeneratedReport,
    GenerationStatus,
    ReportNarrative,
    ReportScope,
    ReportTemplate,
    ReportVersion,
)
from wpsmonitor.reports.naming import document_reason, download_name
from wpsmonitor.shell.public_cache import bump_public_generation
from wpsmonitor.shell.uploads import safe_name
from wpsmonitor.stories import uses as story_uses

# A Word template is a few hundred kilobytes; a letterhead with images, a few megabytes.
TEMPLATE_MAX_BYTES = 5 * 1024 * 1024


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _language(language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ValidationError(
            _("%(value)s is not a language of the platform; use one of: %(choices)s.")
            % {"value": language, "choices": ", ".join(codes)}
        )
    return language


def _board_document(plan: Plan, periodic_report: PeriodicReport | None, version: str) -> None:
    """A board's periodic report may take a generated report as its document: a public version
    (it is published with the report), of the same plan, before the board publishes."""
    if periodic_report is None:
        return
    if periodic_report.plan_id != plan.pk:
        raise ValidationError(_("The periodic report belongs to another plan."))
    if version != ReportVersion.PUBLIC:
        raise ValidationError(
            _("Only a public version can be the board's report: the board publishes it.")
        )
    if periodic_report.is_published:
        raise ValidationError(
            _("The board's report is published: it keeps the document it was signed with.")
        )


@service
def report_request(
    *,
    by: User,
    plan: Plan,
    scope: str,
    year: int | None,
    version: str,
    language: str,
    periodic_report: PeriodicReport | None = None,
) -> GeneratedReport:
    """Ask for a report: it is queued and built off the request path (reports/tasks.py); the
    requester gets a mail when it is ready. `periodic_report`: the board's report whose
    document it becomes once built (its signatures are then bound to its content)."""
    _require(PlanAccess.load(by, plan).can_generate_reports())
    if scope not in ReportScope.values:
        raise ValidationError(_("Unknown report scope: %(scope)s.") % {"scope": scope})
    if version not in ReportVersion.values:
        raise ValidationError(_("Choose the public or the internal version."))
    language = _language(language)
    _first, last = years_covered(plan, scope, year)
    if version == ReportVersion.PUBLIC and published_release(plan) is None:
        raise ValidationError(
            _(
                "The plan has no published release yet: the public report is built from "
                "one (publish a release first, or build the internal report)."
            )
        )
    _board_document(plan, periodic_report, version)
    report = GeneratedReport.objects.create(
        plan=plan,
        scope=scope,
        year=last,
        version=version,
        language=language,
        periodic_report=periodic_report,
        requested_by=by,
        step=_("Waiting for its turn"),
    )
    from wpsmonitor.reports.tasks import generate_report

    transaction.on_commit(lambda: generate_report.enqueue(report.pk))
    return report


@service
def report_regenerate(*, by: User, report: GeneratedReport) -> GeneratedReport:
    """Ask again for the same report: a new generation, the old one kept as it was (a
    published one included). When the new one is the board's document and says something
    else, the signatures given to the old one are invalidated, with the reason."""
    _require(PlanAccess.load(by, report.plan).can_generate_reports())
    linked = report.periodic_report
    if linked is not None and linked.is_published:
        linked = None  # the board's published report keeps the document it was signed with
    return report_request(
        by=by,
        plan=report.plan,
        scope=report.scope,
        year=report.year,
        version=report.version,
        language=report.language,
        periodic_report=linked,
    )


def _unpublished(report: GeneratedReport) -> None:
    if report.published:
        raise ValidationError(_("A published report is kept as it was generated."))


@service
def report_link_board(
    *, by: User, report: GeneratedReport, periodic_report: PeriodicReport
) -> GeneratedReport:
    """Make a ready public report the board's periodic report's document: its PDF becomes the
    periodic report's file and its content hash the one the members sign. If the board had
    signed another content, those signatures are invalidated, with the reason."""
    _require(PlanAccess.load(by, report.plan).can_generate_reports())
    _unpublished(report)
    if report.status != GenerationStatus.READY or not report.pdf:
        raise ValidationError(_("The report is not ready yet."))
    _board_document(report.plan, periodic_report, report.version)
    with report.pdf.open("rb") as pdf:
        data = pdf.read()
    boards.report_document_set(
        by=by,
        report=periodic_report,
        document_hash=report.content_hash,
        pdf=data,
        filename=download_name(report, "pdf"),
        reason=document_reason(report),
    )
    report.periodic_report = periodic_report
    report.save(update_fields=["periodic_report"])
    return report


@service
def report_publish(*, by: User, report: GeneratedReport) -> GeneratedReport:
    """Publish a ready public version: everyone who reads the plan may then download it, and
    it is never changed again. The board's document is published once the board has published
    its report, with the content it signed."""
    access = PlanAccess.load(by, report.plan)
    _require(access.can_generate_reports())
    report = GeneratedReport.objects.select_for_update().get(pk=report.pk)
    _unpublished(report)
    if report.version != ReportVersion.PUBLIC:
        raise ValidationError(_("An internal version is never published."))
    if report.status != GenerationStatus.READY:
        raise ValidationError(_("The report is not ready yet."))
    linked = report.periodic_report
    if linked is not None and (
        not linked.is_published or linked.document_hash != report.content_hash
    ):
        raise ValidationError(
            _(
                "This report is the board's document: it is published once the board has "
                "co-signed and published its report with this content."
            )
        )
    assert access.can_publish_generated(report)
    report.published = True
    report.published_at = timezone.now()
    report.save(update_fields=["published", "published_at"])
    story_uses.uses_published(kind="report", reference=str(report.pk))
    bump_public_generation()  # the plan's public page lists it
    return report


@service
def narrative_save(
    *,
    by: User,
    plan: Plan,
    scope: str,
    year: int,
    node: FrameworkNode | None,
    language: str,
    text: str,
) -> ReportNarrative:
    """A new version of the report's summary (node None) or of a pillar's narrative. The
    versions before it stay: what a signed or published report said is kept. Saving the same
    text adds nothing."""
    _require(PlanAccess.load(by, plan).can_write_report_narratives())
    if scope not in ReportScope.values:
        raise ValidationError(_("Unknown report scope: %(scope)s.") % {"scope": scope})
    years_covered(plan, ReportScope.YEAR, year)  # a year of the plan, or a clear refusal
    language = _language(language)
    if node is not None and node.plan_id != plan.pk:
        raise ValidationError(_("The part belongs to another plan."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the narrative."))
    latest = (
        ReportNarrative.objects.select_for_update()
        .filter(plan=plan, scope=scope, year=year, node=node, language=language)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.text == text:
        return latest
    return ReportNarrative.objects.create(
        plan=plan,
        scope=scope,
        year=year,
        node=node,
        language=language,
        text=text,
        version=(latest.version + 1) if latest else 1,
        written_by=by,
    )


@service
def template_upload(*, by: User, plan: Plan, upload: UploadedFile) -> ReportTemplate:
    """Accept (or replace) the plan's Word template, once checked: a real DOCX, known
    placeholders only, size bounded, no macros, no external links. Every problem is named."""
    _require(PlanAccess.load(by, plan).can_upload_report_template())
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    if upload.size > TEMPLATE_MAX_BYTES:
        raise ValidationError(
            _("The template is larger than %(mb)d MB.") % {"mb": TEMPLATE_MAX_BYTES // 2**20}
        )
    upload.seek(0)
    data = upload.read()
    problems = formats.check_template(data)
    if problems:
        raise ValidationError(problems)
    found = ReportTemplate.objects.select_for_update().filter(plan=plan).first()
    old = found.file.name if found and found.file else ""
    template = found or ReportTemplate(plan=plan)
    template.filename = safe_name(upload.name or "template.docx")
    template.size = len(data)
    template.uploaded_by = by
    template.uploaded_at = timezone.now()
    template.file.save("template", ContentFile(data), save=False)
    template.save()
    if old:
        storage = template.file.storage
        transaction.on_commit(lambda: storage.delete(old))
    return template


@service
def report_share_with_parliament(*, by: User, report: GeneratedReport, fmt: str) -> SharedDocument:
    """Share one file of a generated report with the plan's parliamentary oversight, in place:
    the coordinator (`can_share_with_parliament`), a public version that is ready, in one of
    the formats it has. The file goes through oversight's `document_share` (checked and stored
    as every shared document). A second share of the same file while it is still shared is
    refused, naming the first: parliament would read the same file twice."""
    access = PlanAccess.load(by, report.plan)
    _require(access.can_share_with_parliament() and access.can_read_generated(report))
    why = sharing.refusal(report)
    if why:
        raise ValidationError(why)
    if fmt not in sharing.share_formats(report):
        raise ValidationError(
            {
                "fmt": _("%(value)s is not a format of this report; use one of: %(choices)s.")
                % {"value": fmt, "choices": ", ".join(sharing.share_formats(report))}
            }
        )
    # Two coordinators sharing the same file at once: the second waits for the first's
    # transaction here, then finds its document.
    Plan.objects.select_for_update().filter(pk=report.plan_id).first()
    data = sharing.report_bytes(report, fmt)
    earlier = sharing.earlier_share(report, fmt, data)
    if earlier is not None:
        raise ValidationError(
            _("This file is already shared with parliament, as “%(title)s” on %(day)s.")
            % {"title": earlier.title, "day": earlier.shared_at.date().isoformat()}
        )
    return document_share(
        by=by,
        plan=report.plan,
        title=sharing.shared_title(report, fmt),
        note=sharing.shared_note(report),
        upload=SimpleUploadedFile(
            download_name(report, fmt), data, content_type=formats.CONTENT_TYPES[fmt]
        ),
    )
