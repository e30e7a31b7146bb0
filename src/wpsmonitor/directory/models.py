"""Who takes part (organisations) and where (areas in a hierarchy)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wpsmonitor.core.models import TimeStamped
from wpsmonitor.core.trees import MaterialisedPath


class OrganisationType(models.TextChoices):
    GOVERNMENT = "government", _("Ministry or government agency")
    SECURITY = "security", _("Security institution (police, army, justice)")
    PARLIAMENT = "parliament", _("Parliament")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    CIVIL_SOCIETY = "civil_society", _("Women's or civil-society organisation")
    UN = "un", _("UN entity")
    DONOR = "donor", _("Donor")
    REGIONAL = "regional", _("Regional organisation")
    ACADEMIA = "academia", _("Academia or research")


class Organisation(TimeStamped):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    country = models.ForeignKey(
        "directory.Area",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    women_led = models.BooleanField(_("women-led"), default=False)
    grassroots = models.BooleanField(_("grassroots"), default=False)
    youth_led = models.BooleanField(_("youth-led"), default=False)
    iati_ref = models.CharField(_("IATI organisation identifier"), max_length=128, blank=True)
    # The language its name was written in (docs/languages.md, "Content in several languages").
    original_language = models.CharField(
        _("original language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_civil_society(self) -> bool:
        return self.type == OrganisationType.CIVIL_SOCIETY


class AreaLevel(models.Model):
    """A level of the area hierarchy: 1 country, 2 province/region, 3 district, ..."""

    depth = models.PositiveSmallIntegerField(_("depth"), unique=True)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["depth"]
        verbose_name = _("area level")
        verbose_name_plural = _("area levels")

    def __str__(self) -> str:
        return self.name


class Area(MaterialisedPath, models.Model):
    """A country (ISO 3166-1 alpha-3 code), a subdivision (ISO 3166-2 or national code), a district.

    `path` is the materialised path of ids ("/12/40/") so that a subtree is one indexed
    prefix query and roll-ups never recurse in Python.
    """

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    level = models.ForeignKey(AreaLevel, verbose_name=_("level"), on_delete=models.PROTECT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    is_urban = models.BooleanField(_("urban"), null=True, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name
