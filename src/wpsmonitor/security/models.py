"""The security sector (docs/security-sector.md): the plan's security institutions, the NATO-style
indicator package each adopts in one step, and the register of police stations' women's and
children's desks with the cases they received and referred.

The coordinator keeps the institutions and the desks (accounts/access.py,
`PlanAccess.can_manage_security`); a desk's case counts are entered by the focal points of its
institution's organisation in the desk's area, or by the coordinator. Case counts are read by
the plan's members only: they are never published (no page, download or API call of the public
shows them); the coverage of desks by province is public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InstitutionKind(models.TextChoices):
    ARMY = "army", _("Armed forces")
    POLICE = "police", _("Police")
    GENDARMERIE = "gendarmerie", _("Gendarmerie")
    JUSTICE = "justice", _("Justice")
    CORRECTIONS = "corrections", _("Corrections (prisons)")
    INTELLIGENCE = "intelligence", _("Intelligence")


# The kinds that run police stations, and so may hold women's and children's desks.
DESK_KINDS = (InstitutionKind.POLICE, InstitutionKind.GENDARMERIE)


class SecurityInstitution(models.Model):
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=20)
    kind = models.CharField(
        _("kind of institution"), max_length=20, choices=InstitutionKind.choices
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Its internal WPS plan: a plan of the institutional kind under this plan.
    institutional_plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("internal WPS plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("security institution")
        verbose_name_plural = _("security institutions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="security_institution_code"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in InstitutionKind]),
                name="security_institution_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class PackageAdoption(models.Model):
    """The indicator package an institution adopted, once, on a node of a plan."""

    institution = models.OneToOneField(
        SecurityInstitution, on_delete=models.CASCADE, related_name="package"
    )
    node = models.ForeignKey("plans.FrameworkNode", on_delete=models.PROTECT, related_name="+")
    indicators = models.ManyToManyField("indicators.Indicator", related_name="+")
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_by_name = models.CharField(max_length=150, blank=True, default="")
    adopted_at = models.DateTimeField(auto_now_add=True)

    kept_names = {"adopted_by": "adopted_by_name"}


class DeskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("desk status", "Open")
    PLANNED = "planned", pgettext_lazy("desk status", "Planned")
    CLOSED = "closed", pgettext_lazy("desk status", "Closed")


class WomensDesk(models.Model):
    """A police station's women's and children's desk."""

    institution = models.ForeignKey(
        SecurityInstitution, on_delete=models.CASCADE, related_name="desks"
    )
    name = models.CharField(_("police station"), max_length=200)
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    staffed_by = models.CharField(_("staffed by"), max_length=200, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=DeskStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["institution", "name", "pk"]
        verbose_name = _("women's and children's desk")
        verbose_name_plural = _("women's and children's desks")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in DeskStatus]),
                name="womens_desk_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DeskCases(models.Model):
    """The cases a desk received and referred in one period (members-only figures)."""

    desk = models.ForeignKey(WomensDesk, on_delete=models.CASCADE, related_name="cases")
    period = models.ForeignKey("indicators.Period", on_delete=models.PROTECT, related_name="+")
    received = models.PositiveIntegerField(_("cases received"))
    referred = models.PositiveIntegerField(_("cases referred"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by_name = models.CharField(max_length=150, blank=True, default="")
    entered_at = models.DateTimeField(auto_now=True)

    kept_names = {"entered_by": "entered_by_name"}

    class Meta:
        ordering = ["desk", "period__start"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "period"], name="desk_cases_one_per_period"),
            models.CheckConstraint(
                condition=Q(referred__lte=F("received")), name="desk_cases_referred_le_received"
            ),
        ]
