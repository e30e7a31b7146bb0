"""The reporting cycle: rounds, assignments, submissions, their review and their history.

A focal point's figures live in their Submission (SubmissionValue rows) until a coordinator
approves it; only then are they written to the DataValue fact table, through the same ingest
service as every import. So nothing unapproved can reach aggregates, viewers or exports: it is
simply not in the tables they read. A civil-society monitor's submission is published by its own
organisation, never approved or altered by government.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wpsmonitor.plans.models import ActionStatus


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("reporting round", "Open")
    CLOSED = "closed", pgettext_lazy("reporting round", "Closed")


class ReportingRound(models.Model):
    """One reporting period of a plan (e.g. 2026Q1), opened and closed by its coordinator."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="rounds"
    )
    period = models.ForeignKey(
        "indicators.Period", verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Reminders already sent, so that the daily job sends each one once.
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-period__start"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="round_period_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.period_id}"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class Assignment(models.Model):
    """Who reports on what, where: an organisation owes an indicator or an action for an area."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="assignments")
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    action = models.ForeignKey(
        "plans.FrameworkNode",
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(indicator__isnull=False, action__isnull=True)
                | models.Q(indicator__isnull=True, action__isnull=False),
                name="assignment_indicator_xor_action",
            ),
            models.UniqueConstraint(
                fields=["organisation", "area", "indicator"],
                condition=models.Q(indicator__isnull=False),
                name="assignment_indicator_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "area", "action"],
                condition=models.Q(action__isnull=False),
                name="assignment_action_unique",
            ),
        ]


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("submission", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("submission", "Submitted for review")
    RETURNED = "returned", pgettext_lazy("submission", "Returned for revision")
    APPROVED = "approved", pgettext_lazy("submission", "Approved")
    PUBLISHED = "published", pgettext_lazy("submission", "Published")


EDITABLE_STATUSES = {SubmissionStatus.DRAFT, SubmissionStatus.RETURNED}
# Figures of these are in the fact table (official approved, or civil society's own).
FINAL_STATUSES = {SubmissionStatus.APPROVED, SubmissionStatus.PUBLISHED}


class Submission(models.Model):
    """What one organisation reports for one round and area, in one source stream."""

    round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.ForeignKey(
        "indicators.Source", verbose_name=_("source"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "area__path", "organisation__name"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "area", "source"], name="submission_unique"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.round_id} {self.organisation_id} {self.area_id}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class SubmissionValue(models.Model):
    """One figure of a submission, on one cell of the indicator's scheme, for one period."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey("indicators.Period", on_delete=models.PROTECT, related_name="+")
    cell = models.ForeignKey("indicators.Cell", on_delete=models.RESTRICT, related_name="+")
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    text_value = models.TextField(blank=True, default="")
    comment = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator", "cell"], name="submission_value_unique"
            )
        ]


class ActionAssessment(models.TextChoices):
    """Civil society's score of an action, in the manner of shadow reports (not the status the
    implementing office reports: a monitor judges what was done, with evidence)."""

    IMPLEMENTED = "implemented", _("Implemented")
    PARTLY = "partly", _("Partly implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    UNKNOWN = "unknown", _("Unknown")


class ActionReport(models.Model):
    """Progress on one action, reported in a submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="actions")
    action = models.ForeignKey("plans.FrameworkNode", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, blank=True, default=""
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), null=True, blank=True
    )
    narrative = models.TextField(_("narrative"), blank=True, default="")
    # Civil-society submissions score the action; government ones report status and percent.
    assessment = models.CharField(
        _("assessment"), max_length=20, choices=ActionAssessment.choices, blank=True, default=""
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "action"], name="action_report_unique")
        ]


class ActionProgress(models.Model):
    """Approved (or, for civil society, published) progress on an action for a period.

    The action's own status follows the latest approved government report; every report
    stays here, by period and organisation, for the history and the side-by-side views.
    """

    action = models.ForeignKey(
        "plans.FrameworkNode", on_delete=models.CASCADE, related_name="progress_reports"
    )
    period = models.ForeignKey("indicators.Period", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("directory.Area", on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey("indicators.Source", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    submission = models.ForeignKey(
        Submission, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    percent_complete = models.PositiveSmallIntegerField(null=True, blank=True)
    narrative = models.TextField(blank=True, default="")
    assessment = models.CharField(
        max_length=20, choices=ActionAssessment.choices, blank=True, default=""
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "period", "area", "source", "organisation"],
                name="action_progress_unique",
            )
        ]


def _evidence_path(instance: Evidence, filename: str) -> str:
    # A random name: the original name (which may identify a person) is kept in the row only,
    # and files are never served straight from the media folder.
    return f"evidence/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A document or photo attached to a submission, for an indicator or an action.

    Served only through a view that checks the reader may see the submission, or, for a file
    its authors chose to share, that the submission is out and the reader may read the plan.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(
        "indicators.Indicator", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action = models.ForeignKey(
        "plans.FrameworkNode", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(upload_to=_evidence_path)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(_("description"), max_length=500, blank=True)
    # Its authors may show a file with the figures once they are out (approved or published):
    # then the plan's readers may download it. Off by default: a file may name a survivor.
    shared = models.BooleanField(_("shown with the published figures"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]


class EventKind(models.TextChoices):
    CREATED = "created", _("Started")
    SAVED = "saved", _("Figures changed")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")
    UNLOCKED = "unlocked", _("Unlocked for correction")
    PUBLISHED = "published", _("Published")
    EVIDENCE = "evidence", _("Evidence attached")


class SubmissionEvent(models.Model):
    """The history of a submission: every transition and every change of its figures.

    `changes` lists what changed, as [{"what": ..., "old": ..., "new": ...}], for saves.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The actor's name, kept when the account is deleted (core/history.py).
    actor_name = models.CharField(max_length=150, blank=True, default="")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, default="")
    changes = models.JSONField(default=list, blank=True)

    kept_names = {"actor": "actor_name"}

    class Meta:
        ordering = ["at", "pk"]


class LateEntryException(models.Model):
    """Permission, granted by a coordinator, to enter data after a round has closed."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="exceptions")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    until = models.DateField(_("until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
