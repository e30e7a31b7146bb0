"""Releases: the dated, immutable snapshots of a plan's figures that the public reads.

A release (docs/publishing.md, "The release") holds the approved government figures and the
published civil-society figures of a plan after disclosure control, each stream apart, every
suppressed figure with its flag and no value, and its disclosure audit (for the coordinator,
never public). Drafts are prepared and replaced; a published release is never changed: its
figures are never updated (`ReleaseFigure.save` and the querysets refuse), and a correction
is a new release. A withdrawn release keeps its rows (the record) but is read by no one.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wpsmonitor.core.vocabulary import SourceKind


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("release status", "Draft")
    PUBLISHED = "published", pgettext_lazy("release status", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("release status", "Withdrawn")


def default_licence() -> str:
    return str(getattr(settings, "WPSMONITOR_OPEN_DATA_LICENCE", "") or "CC-BY-4.0")


class ImmutableError(Exception):
    """A write that would change a published release's figures or audit."""


class Release(models.Model):
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="releases"
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.DRAFT
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, default="")
    licence = models.CharField(_("licence"), max_length=64, default=default_licence)
    # The release the change log compares with: the latest published one when prepared.
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_log = models.TextField(_("change log"), blank=True, default="")
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    newly_suppressed = models.PositiveIntegerField(default=0)
    figures = models.PositiveIntegerField(default=0)
    suppressed = models.PositiveIntegerField(default=0)
    # Boards (docs/publishing.md): when the plan's board must co-sign, the co-signed periodic
    # report this release accompanies (the latest published one when it was published).
    board_report = models.ForeignKey(
        "boards.PeriodicReport",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
    )

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="release_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "withdrawn"]),
                name="release_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | (~Q(status="draft") & Q(published_at__isnull=False)),
                name="release_published_at_iff_published",
            ),
            models.CheckConstraint(
                condition=Q(status="withdrawn", withdrawn_at__isnull=False)
                & ~Q(withdrawal_reason="")
                | (~Q(status="withdrawn") & Q(withdrawn_at__isnull=True)),
                name="release_withdrawn_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} #{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == ReleaseStatus.DRAFT


class Flag(models.TextChoices):
    """The public flag of a figure: `disclosure.Flag`, plus free ("")."""

    FREE = "", _("free")
    PRIMARY = "primary", _("primary suppression")
    SECONDARY = "secondary", _("secondary suppression")
    DERIVED = "derived", _("derived from a suppressed figure")


class _NoUpdateQuerySet(models.QuerySet[Any]):
    """Figures and audit rows are written once, in bulk: no queryset updates them."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableError("release figures are never updated: prepare a new release")


class ReleaseFigure(models.Model):
    """One figure of a release: a total or a one-dimension margin, of one stream."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="figure_rows")
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.RESTRICT, related_name="+", db_index=False
    )
    period_code = models.CharField(max_length=10)
    area = models.ForeignKey(
        "directory.Area", on_delete=models.RESTRICT, related_name="+", db_index=False
    )
    cell_key = models.CharField(max_length=255, default="", blank=True)
    source = models.ForeignKey(
        "indicators.Source", on_delete=models.RESTRICT, related_name="+", db_index=False
    )
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
        db_index=False,
    )
    value = models.DecimalField(max_digits=30, decimal_places=6, null=True)
    numerator = models.DecimalField(max_digits=30, decimal_places=6, null=True)
    denominator = models.DecimalField(max_digits=30, decimal_places=6, null=True)
    # As the aggregate the figure comes from (indicators.AggregateValue), so that the pages
    # read a release as they read the aggregates: none of them when the figure is suppressed.
    baseline = models.FloatField(null=True)
    target = models.FloatField(null=True)
    achievement = models.FloatField(null=True)
    value_count = models.PositiveIntegerField(default=0)
    flag = models.CharField(max_length=10, choices=Flag.choices, default="", blank=True)
    threshold = models.PositiveSmallIntegerField(null=True)  # "fewer than N" (primary only)
    kind = models.CharField(max_length=20)
    unit = models.CharField(max_length=64, blank=True, default="")

    objects = _NoUpdateQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["release", "indicator", "source", "area", "cell_key", "period_code"],
                name="release_figure_unique",
            ),
            # A suppressed figure carries no value, in any column.
            models.CheckConstraint(
                condition=Q(flag="")
                | Q(
                    value__isnull=True,
                    numerator__isnull=True,
                    denominator__isnull=True,
                    achievement__isnull=True,
                ),
                name="release_figure_suppressed_has_no_value",
            ),
            models.CheckConstraint(
                condition=Q(flag__in=["", "primary", "secondary", "derived"]),
                name="release_figure_flag_valid",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableError("release figures are never updated: prepare a new release")
        super().save(*args, **kwargs)


class DisclosureAuditEntry(models.Model):
    """Why a figure of a release is suppressed, or a problem that blocks publishing it.

    For the coordinator only, never public. A problem (`problem`: a suppressed figure the
    published ones still reveal, with no complement left) must be resolved, with a note,
    before the release is published.
    """

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="audit")
    figure = models.ForeignKey(
        ReleaseFigure, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    description = models.CharField(max_length=500, blank=True, default="")
    rule = models.CharField(max_length=12)  # disclosure.Rule, "problem" or "disclosed"
    # The engine's id of the suppressed cell, and its figure: what the next release compares
    # with to carry this release's suppression pattern forward (docs/publishing.md, "Stable
    # suppression across releases"). Never public, like the whole audit.
    cell = models.CharField(max_length=255, blank=True, default="")
    withheld = models.DecimalField(max_digits=30, decimal_places=6, null=True, blank=True)
    details = models.TextField(blank=True, default="")
    problem = models.BooleanField(default=False)
    resolved = models.BooleanField(default=False)
    resolution_note = models.TextField(blank=True, default="")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = _NoUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["release", "-problem", "pk"]
        indexes = [models.Index(fields=["release", "problem", "resolved"], name="audit_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved=False) | ~Q(resolution_note=""),
                name="audit_resolved_with_note",
            )
        ]
