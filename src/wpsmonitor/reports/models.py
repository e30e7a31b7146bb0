"""What the standard report keeps (docs/reports.md).

`ReportNarrative`: the words the secretariat writes for a report, for the whole report or for
one pillar, per language. Never edited in place: each save adds a version, so what a signed or
published report said stays on record.
"""

from __future__ import annotations

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
