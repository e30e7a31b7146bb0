"""Recommendations from review mechanisms and their follow-up.

A recommendation (CEDAW, UPR, a plan review, a shadow report…) is addressed to organisations and
concerns framework nodes. Its status is the government's: it changes when an addressee responds
or the coordinator sets it, and every change is kept (StatusChange). Civil society's own view of
the same status is an Assessment, its organisation's alone until published. A Review of the plan
records findings; recommendations made from a finding keep the link; a Decision records which
office decided what, when, on a recommendation.

Writes go through services.py, which checks rights; the models keep the invariants.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Mechanism(models.TextChoices):
    CEDAW = "cedaw", _("CEDAW concluding observations")
    CEDAW_GR30 = "cedaw_gr30", _("CEDAW General Recommendation 30")
    UPR = "upr", _("Universal Periodic Review")
    SG_REPORT = "sg_report", _("Secretary-General's report")
    MIDTERM_REVIEW = "midterm_review", _("Mid-term review of the plan")
    FINAL_REVIEW = "final_review", _("Final evaluation of the plan")
    CSO_SHADOW_REPORT = "cso_shadow_report", _("Civil-society shadow report")
    PARLIAMENT = "parliament", _("Parliamentary hearing")
    AUDIT = "audit", _("Audit finding")
    OTHER = "other", _("Other")


class RecStatus(models.TextChoices):
    # A context: French agrees the word with "recommandation" (feminine).
    NOT_STARTED = "not_started", pgettext_lazy("recommendation status", "Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTLY = "partly", _("Partly implemented")
    FULLY = "fully", _("Fully implemented")
    REJECTED = "rejected", _("Rejected")


# Statuses that close a recommendation: it cannot be overdue.
CLOSED_STATUSES = (RecStatus.FULLY, RecStatus.REJECTED)


class ReviewKind(models.TextChoices):
    MIDTERM = "midterm", _("Mid-term review")
    FINAL = "final", _("Final review")


class Review(models.Model):
    """A mid-term or final review of a plan, with its findings."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reviews"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReviewKind.choices)
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["midterm", "final"]), name="review_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def mechanism(self) -> str:
        return (
            Mechanism.MIDTERM_REVIEW if self.kind == ReviewKind.MIDTERM else Mechanism.FINAL_REVIEW
        )


class Finding(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("finding"))
    node = models.ForeignKey(
        "plans.FrameworkNode",
        verbose_name=_("framework node"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]


class Recommendation(models.Model):
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    source = models.CharField(_("source"), max_length=20, choices=Mechanism.choices)
    reference = models.CharField(
        _("source reference"), max_length=300, blank=True, help_text=_("e.g. CEDAW/C/COD/CO/8 §23")
    )
    issued_on = models.DateField(_("date issued"))
    text = models.TextField(_("text"))
    addressees = models.ManyToManyField(
        "directory.Organisation", verbose_name=_("addressees"), related_name="recommendations"
    )
    nodes = models.ManyToManyField(
        "plans.FrameworkNode",
        verbose_name=_("pillars and framework nodes"),
        blank=True,
        related_name="recommendations",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RecStatus.choices, default=RecStatus.NOT_STARTED
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("finding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issued_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("issued_on")),
                name="recommendation_due_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(source__in=[c.value for c in Mechanism]),
                name="recommendation_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[c.value for c in RecStatus]),
                name="recommendation_status_valid",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="recommendation_text_required"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def original_language(self) -> str:
        """The language of its texts: its plan's (core/translated.py)."""
        return self.plan.original_language

    def is_overdue(self, today: date | None = None) -> bool:
        """Derived, never stored: due date passed and neither fully implemented nor rejected."""
        today = today or timezone.localdate()
        return bool(self.due_on and self.due_on < today and self.status not in CLOSED_STATUSES)


class StatusChange(models.Model):
    """One change of a recommendation's (government) status: who, when, from what, why."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="history"
    )
    old = models.CharField(max_length=20, choices=RecStatus.choices, blank=True)
    new = models.CharField(max_length=20, choices=RecStatus.choices)
    # What the person wrote; the kind of change (recorded, a response) is shown from the row
    # itself, in the reader's language, not stored as text in the writer's.
    note = models.TextField(blank=True)
    response = models.ForeignKey(
        "Response", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who changed it, kept when the account is deleted (core/history.py).
    by_name = models.CharField(max_length=150, blank=True, default="")
    at = models.DateTimeField(default=timezone.now)

    kept_names = {"by": "by_name"}

    class Meta:
        ordering = ["at", "pk"]


def _evidence_path(instance: Response, filename: str) -> str:
    # A random name, as for reporting evidence: the original name is kept in the row only.
    return f"evidence/responses/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class Response(models.Model):
    """An addressee's answer: what it did, the status it claims, and optional evidence."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="responses"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("response"))
    status = models.CharField(_("status claimed"), max_length=20, choices=RecStatus.choices)
    file = models.FileField(upload_to=_evidence_path, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="response_text_required"),
        ]


class Assessment(models.Model):
    """A civil-society organisation's own assessment of a recommendation's status.

    One per organisation and recommendation. Only that organisation's monitors see it until it
    is published, and only they may change it, ever.
    """

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="assessments"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status assessed"), max_length=20, choices=RecStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "organisation"], name="assessment_one_per_organisation"
            ),
        ]

    @property
    def published(self) -> bool:
        return self.published_at is not None


class Decision(models.Model):
    """What an office decided on a recommendation, and when: monitoring tied to decisions."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="decisions"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("office that decided"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("decision"))
    decided_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="decision_text_required"),
        ]
