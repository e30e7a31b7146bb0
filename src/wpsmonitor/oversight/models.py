"""Auditing bodies and parliament (docs/oversight.md, "Auditing bodies and parliament").

An Audit of the plan by an auditing body (a supreme audit institution, an internal audit unit)
records findings against the plan's actions and budget lines; a parliamentary Hearing records
who testified, the questions asked and the commitments made. Each finding's recommendation and
each commitment is a Recommendation of the tracker (accountability), whose source is "audit"
or "parliament": the addressees respond and the status changes there, as for any other.

Writes go through services.py, which checks rights; the models keep the invariants.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Audit(models.Model):
    """One audit of the plan by an auditing body: its title, date and scope."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="audits"
    )
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("auditing body"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    scope = models.TextField(_("scope"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who recorded it, kept when the account is deleted (core/history.py).
    created_by_name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # The last change (docs/oversight.md, "Changing and removing"): who, when; the name is
    # kept when the account is deleted (core/history.py).
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by_name = models.CharField(max_length=150, blank=True, default="")
    updated_at = models.DateTimeField(null=True, blank=True)
    # Published on the public portal: one-way; a published record is final.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    kept_names = {"created_by": "created_by_name", "updated_by": "updated_by_name"}

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-held_on", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="audit_title_required")]

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.published_at is not None


class AuditFinding(models.Model):
    """A finding of an audit, on an action and/or a budget line, with its severity. Its
    recommendation is followed in the tracker (`recommendation`, source "audit"); the
    addressee's response is the tracker's Response to it."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("finding"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    action = models.ForeignKey(
        "plans.FrameworkNode",
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    budget_line = models.ForeignKey(
        "finance.BudgetLine",
        verbose_name=_("budget line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recommendation = models.OneToOneField(
        "accountability.Recommendation",
        verbose_name=_("recommendation"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="audit_finding",
    )
    # The last change (docs/oversight.md, "Changing and removing"): who, when; the name is
    # kept when the account is deleted (core/history.py).
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by_name = models.CharField(max_length=150, blank=True, default="")
    updated_at = models.DateTimeField(null=True, blank=True)

    kept_names = {"updated_by": "updated_by_name"}

    class Meta:
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="audit_finding_text_required"),
            models.CheckConstraint(
                condition=Q(severity__in=["high", "medium", "low"]),
                name="audit_finding_severity_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Hearing(models.Model):
    """A parliamentary hearing on the plan: the committee, who testified, the questions."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="hearings"
    )
    committee = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    testified = models.TextField(_("who testified"), blank=True)
    questions = models.TextField(_("questions asked"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # The last change (docs/oversight.md, "Changing and removing"): who, when; the name is
    # kept when the account is deleted (core/history.py).
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by_name = models.CharField(max_length=150, blank=True, default="")
    updated_at = models.DateTimeField(null=True, blank=True)
    # Published on the public portal: one-way; a published record is final.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    kept_names = {"created_by": "created_by_name", "updated_by": "updated_by_name"}

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["-held_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="hearing_title_required")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.published_at is not None


class Commitment(models.Model):
    """A commitment made at a hearing, followed in the tracker as a recommendation (source
    "parliament"): its text, addressees and due date are the recommendation's."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="commitments")
    recommendation = models.OneToOneField(
        "accountability.Recommendation",
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="hearing_commitment",
    )
    # The last change (docs/oversight.md, "Changing and removing"): who, when; the name is
    # kept when the account is deleted (core/history.py).
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by_name = models.CharField(max_length=150, blank=True, default="")
    updated_at = models.DateTimeField(null=True, blank=True)

    kept_names = {"updated_by": "updated_by_name"}

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["pk"]


def _shared_path(instance: SharedDocument, filename: str) -> str:
    # A random name, as for evidence: the original name is kept in the row only.
    return f"shared/parliament/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class SharedDocument(models.Model):
    """A document the coordinator shares with the plan's parliamentary oversight (a generated
    report downloaded, a briefing): read by the coordinators and parliamentary oversight only,
    through a view that checks, never from the media folder."""

    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="parliament_shares",
    )
    title = models.CharField(_("title"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    file = models.FileField(upload_to=_shared_path)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document shared with parliament")
        verbose_name_plural = _("documents shared with parliament")
        ordering = ["-shared_at", "-pk"]

    def __str__(self) -> str:
        return self.title
