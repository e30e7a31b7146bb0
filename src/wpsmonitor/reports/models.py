"""What the standard report keeps (docs/reports.md).

`ReportNarrative`: the words the secretariat writes for a report, for the whole report or for
one pillar, per language. Never edited in place: each save adds a version, so what a signed or
published report said stays on record.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportScope(models.TextChoices):
    YEAR = "year", _("Annual report")
    MIDTERM = "midterm", _("Mid-term report")
    WHOLE_PLAN = "plan", _("Whole-plan report")


class ReportNarrative(models.Model):
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="report_narratives"
    )
    scope = models.CharField(_("report"), max_length=10, choices=ReportScope.choices)
    # The last year the report covers (its year for an annual report).
    year = models.PositiveSmallIntegerField(_("year"))
    # None: the report's own summary; else the pillar (or any framework node) it speaks to.
    node = models.ForeignKey(
        "plans.FrameworkNode",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_narratives",
    )
    language = models.CharField(_("language"), max_length=10)
    text = models.TextField(_("text"))
    version = models.PositiveIntegerField(default=1)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who wrote it, kept when the account is deleted (core/history.py).
    written_by_name = models.CharField(max_length=150, blank=True, default="")
    written_at = models.DateTimeField(default=timezone.now)

    kept_names = {"written_by": "written_by_name"}

    class Meta:
        ordering = ["plan", "scope", "year", "node", "language", "-version"]
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "scope", "year", "node", "language", "version"],
                name="report_narrative_one_version",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(scope__in=["year", "midterm", "plan"]),
                name="report_narrative_scope_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.scope} {self.year} v{self.version}"


class GenerationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ReportVersion(models.TextChoices):
    PUBLIC = "public", _("Public version")
    INTERNAL = "internal", _("Internal version")


def file_path(row: models.Model | None, filename: str) -> str:
    # A random name, as for evidence and board reports: the file is served only through a view
    # that checks the reader's rights, never from the media folder by a guessable name.
    return f"generated-reports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class GeneratedReport(models.Model):
    """One generation of a plan's standard report: asked for, built off the request path
    (reports/tasks.py), kept with its document (JSON) and its files, one per format.

    Never generated twice: asking again makes a new row. Once published it is kept as it was
    generated: the services refuse any change, and the database refuses a published row that
    is not ready or lacks its content hash or publication time."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="generated_reports"
    )
    scope = models.CharField(_("report"), max_length=10, choices=ReportScope.choices)
    # The last year covered (its year for an annual report); docs/reports.md, "Periods".
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.CharField(_("version"), max_length=10, choices=ReportVersion.choices)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=GenerationStatus.choices,
        default=GenerationStatus.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True, default="")
    title = models.CharField(_("title"), max_length=300, blank=True, default="")
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, default="")
    document = models.JSONField(_("document"), null=True, blank=True)
    pdf = models.FileField(upload_to=file_path, blank=True)
    docx = models.FileField(upload_to=file_path, blank=True)
    xlsx = models.FileField(upload_to=file_path, blank=True)
    error = models.TextField(_("error"), blank=True, default="")
    # The release a public version reads (None for an internal one).
    release = models.ForeignKey(
        "publishing.Release",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="generated_reports",
    )
    # The board's periodic report this is the document of (boards: the members sign it).
    periodic_report = models.ForeignKey(
        "boards.PeriodicReport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="generated_reports",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by_name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)

    kept_names = {"requested_by": "requested_by_name"}

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["year", "midterm", "plan"]),
                name="generated_report_scope_valid",
            ),
            models.CheckConstraint(
                condition=Q(version__in=["public", "internal"]),
                name="generated_report_version_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "ready", "failed"]),
                name="generated_report_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="generated_report_progress_percent"
            ),
            # Published: ready, public, hashed, with its time; never otherwise.
            models.CheckConstraint(
                condition=Q(published=False, published_at__isnull=True)
                | Q(
                    published=True,
                    published_at__isnull=False,
                    status="ready",
                    version="public",
                )
                & ~Q(content_hash=""),
                name="generated_report_published_is_ready_public",
            ),
            # Ready: a document with its hash.
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(content_hash="") & Q(document__isnull=False)),
                name="generated_report_ready_has_document",
            ),
            # Only a public version is a board's document: it is published with the report.
            models.CheckConstraint(
                condition=Q(periodic_report__isnull=True) | Q(version="public"),
                name="generated_report_board_document_public",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.plan_id} {self.scope} {self.year} {self.version}"

    @property
    def is_public(self) -> bool:
        return self.version == ReportVersion.PUBLIC

    @property
    def is_running(self) -> bool:
        return self.status in (GenerationStatus.QUEUED, GenerationStatus.RUNNING)

    def file_of(self, fmt: str) -> models.fields.files.FieldFile | None:
        """The stored file of a format ("pdf", "docx", "xlsx"), if there is one."""
        field = getattr(self, fmt, None) if fmt in ("pdf", "docx", "xlsx") else None
        return field if field else None


def _template_path(instance: models.Model, filename: str) -> str:
    return f"report-templates/{uuid.uuid4().hex}"


class ReportTemplate(models.Model):
    """A plan's own Word template for the DOCX (its letterhead and fonts): one per plan,
    replaced by the next upload, checked before it is accepted (formats.check_template)."""

    plan = models.OneToOneField(
        "plans.Plan", on_delete=models.CASCADE, related_name="report_template"
    )
    file = models.FileField(upload_to=_template_path)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by_name = models.CharField(max_length=150, blank=True, default="")
    uploaded_at = models.DateTimeField(default=timezone.now)

    kept_names = {"uploaded_by": "uploaded_by_name"}

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")

    def __str__(self) -> str:
        return self.filename
