"""Accountability for sexual exploitation and abuse and SGBV by security personnel
(docs/conduct.md), counted as the UN's conduct-in-field-missions data counts them: the
allegation is the unit.

An allegation is read only by the plan's coordinators and the people they name as conduct
readers (`ConductReader`), with a session verified by a second factor (accounts/access.py,
`PlanAccess.can_read_allegations`); not the platform's administrator. Every read is logged
(`AllegationRead`). The description is encrypted at rest; the public reads only counts by
category and kind × year, after disclosure control (conduct/selectors.py).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wpsmonitor.core.encryption import EncryptedTextField


class PersonnelCategory(models.TextChoices):
    MILITARY = "military", _("Military")
    POLICE = "police", _("Police")
    GENDARMERIE = "gendarmerie", _("Gendarmerie")
    CIVILIAN = "civilian", _("Civilian personnel")
    CORRECTIONS = "corrections", _("Corrections")
    VOLUNTEER = "volunteer", _("Volunteer")
    CONTRACTOR = "contractor", _("Contractor")
    OTHER = "other", _("Other")


class AllegationKind(models.TextChoices):
    EXPLOITATION = "exploitation", _("Sexual exploitation")
    ABUSE = "abuse", _("Sexual abuse")
    SGBV = "sgbv", _("Sexual and gender-based violence")


class Outcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("Unsubstantiated")
    CLOSED = "closed", _("Closed without a finding")


class Action(models.TextChoices):
    REPATRIATION = "repatriation", _("Repatriation")
    JAIL = "jail", _("Imprisonment")
    DISMISSAL = "dismissal", _("Dismissal")
    SUSPENSION = "suspension", _("Suspension")
    DISCIPLINARY = "disciplinary", _("Other disciplinary measure")
    PROSECUTION = "prosecution", _("Referred for prosecution")
    NONE = "none", _("No action")


class ConductReader(models.Model):
    """Someone the plan's coordinator named to read its allegations: who, by whom, when."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_by_name = models.CharField(max_length=150, blank=True, default="")
    named_at = models.DateTimeField(default=timezone.now)

    kept_names = {"named_by": "named_by_name"}

    class Meta:
        ordering = ["plan", "named_at"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "user"], name="conduct_reader_once"),
        ]


class Allegation(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    institution = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField(
        _("category of personnel"), max_length=20, choices=PersonnelCategory.choices
    )
    kind = models.CharField(_("kind of allegation"), max_length=20, choices=AllegationKind.choices)
    reported_on = models.DateField(_("reported on"))
    # As recorded; read to its province only (conduct/selectors.py).
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    victims_child = models.PositiveIntegerField(_("victims under 18"), default=0)
    victims_adult = models.PositiveIntegerField(_("adult victims"), default=0)
    victims_unknown = models.PositiveIntegerField(_("victims of unknown age"), default=0)
    perpetrators = models.PositiveIntegerField(_("alleged perpetrators"), default=1)
    investigation_opened_on = models.DateField(_("investigation opened on"), null=True, blank=True)
    investigation_closed_on = models.DateField(_("investigation closed on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, default=""
    )
    action = models.CharField(
        _("action taken"), max_length=20, choices=Action.choices, blank=True, default=""
    )
    action_on = models.DateField(_("action taken on"), null=True, blank=True)
    description = EncryptedTextField(_("description"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    kept_names = {"recorded_by": "recorded_by_name"}

    class Meta:
        ordering = ["plan", "-reported_on", "pk"]
        verbose_name = _("allegation")
        verbose_name_plural = _("allegations")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in PersonnelCategory]),
                name="allegation_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in AllegationKind]),
                name="allegation_kind_valid",
            ),
            # The steps in order: opened, then closed with its outcome, then the action.
            models.CheckConstraint(
                condition=Q(investigation_closed_on__isnull=True)
                | Q(investigation_opened_on__isnull=False, outcome__gt=""),
                name="allegation_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=(Q(action="") & Q(action_on__isnull=True))
                | Q(investigation_closed_on__isnull=False, action_on__isnull=False),
                name="allegation_action_after_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reported_on}"

    @property
    def victims(self) -> int:
        return self.victims_child + self.victims_adult + self.victims_unknown

    @property
    def days_to_outcome(self) -> int | None:
        if self.investigation_closed_on is None:
            return None
        return (self.investigation_closed_on - self.reported_on).days


class AllegationRead(models.Model):
    """One read of an allegation (its page, or the register's list): who, when, how. The
    plan's coordinators read the log; nobody changes it."""

    allegation = models.ForeignKey(Allegation, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reader_name = models.CharField(max_length=150, blank=True, default="")
    # "page" (the allegation whole) or "list" (its line in the register).
    channel = models.CharField(max_length=10)
    at = models.DateTimeField(default=timezone.now)

    kept_names = {"reader": "reader_name"}

    class Meta:
        ordering = ["-at", "-pk"]
