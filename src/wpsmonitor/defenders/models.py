"""The register of threats and attacks against women human rights defenders and women's
organisations: the "shrinking space" (docs/stories.md, "Threats against defenders").

An incident is held by the civil-society organisation that records it (`holder`): only that
organisation's people on the plan read and change it (accounts/access.py,
`PlanAccess.holds_incident`); no government role, not the coordinator, not the platform's
administrator. What could identify a person (the description, the follow-up, the protection
measures) is encrypted at rest (core/encryption.py). Nothing of an incident is ever shown to
anyone else: the plan's figures are counts by kind, province and year across all holders, after
disclosure control (defenders/selectors.py).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wpsmonitor.core.encryption import EncryptedTextField


class IncidentKind(models.TextChoices):
    THREAT = "threat", _("Threat")
    ONLINE_HARASSMENT = "online_harassment", _("Harassment online")
    PHYSICAL_ATTACK = "physical_attack", _("Physical attack")
    ARREST = "arrest", _("Arbitrary arrest or detention")
    OFFICE_RAID = "office_raid", _("Raid on or closure of an office")
    DEFAMATION = "defamation", _("Defamation")
    RESTRICTION = "restriction", _("Restriction of funding or registration")
    KILLING = "killing", _("Killing")
    OTHER = "other", _("Other")


class PerpetratorType(models.TextChoices):
    STATE_SECURITY = "state_security", _("State security forces")
    ARMED_GROUP = "armed_group", _("Armed group")
    COMMUNITY = "community", _("Community member")
    UNKNOWN = "unknown", _("Unknown")
    OTHER = "other", _("Other")


class Incident(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    # The civil-society organisation that recorded it and holds it.
    holder = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind of incident"), max_length=20, choices=IncidentKind.choices)
    occurred_on = models.DateField(_("date"))
    # As recorded: only the holder reads it; the plan's figures count it by its province.
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    perpetrator = models.CharField(_("perpetrator"), max_length=20, choices=PerpetratorType.choices)
    description = EncryptedTextField(_("description"))
    follow_up = EncryptedTextField(_("follow-up"), blank=True, default="")
    protection_measures = EncryptedTextField(_("protection measures taken"), blank=True, default="")
    funding_amount = models.DecimalField(
        _("funding of the protection measures"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    funding_currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    funder = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("funded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    kept_names = {"recorded_by": "recorded_by_name"}

    class Meta:
        ordering = ["plan", "-occurred_on", "pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in IncidentKind]), name="incident_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(perpetrator__in=[p.value for p in PerpetratorType]),
                name="incident_perpetrator_valid",
            ),
            # An amount has its currency, and a currency its amount; never negative.
            models.CheckConstraint(
                condition=(Q(funding_amount__isnull=True) & Q(funding_currency=""))
                | (Q(funding_amount__gte=0) & ~Q(funding_currency="")),
                name="incident_funding_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class IncidentDeletion(models.Model):
    """The fact that a holder removed an incident, and when: nothing of the incident is kept
    (not its kind, date, area or text)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    holder = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_by_name = models.CharField(max_length=150, blank=True, default="")
    deleted_at = models.DateTimeField(default=timezone.now)

    kept_names = {"deleted_by": "deleted_by_name"}

    class Meta:
        ordering = ["-deleted_at"]
