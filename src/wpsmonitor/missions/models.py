"""UN missions in the plan's country (docs/missions.md): the mission, its mandate resolutions
with their gender and WPS provisions coded by category, and its transition or exit plan with
its phases (an area handed over on a date), their benchmarks and each benchmark's dated status
history, and the plan's indicators watched in a phase's area before and after the handover.

Mandates and benchmarks are public documents: whoever reads the plan reads them. The watched
indicators' figures are read through the reader's figures (`indicators.reading`): the detail for
the plan's members, the latest published release, small counts hidden, for everyone else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MissionKind(models.TextChoices):
    PEACEKEEPING = "peacekeeping", _("Peacekeeping operation")
    POLITICAL = "political", _("Special political mission")


class MissionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DRAWING_DOWN = "drawing_down", _("Drawing down")
    CLOSED = "closed", pgettext_lazy("UN mission", "Closed")


class ProvisionCategory(models.TextChoices):
    """The categories of WPS language in mandates, after CIVIC's chart of gender language in
    peacekeeping mandates (2020) and Sharland, IPI (2021): docs/missions.md."""

    PROTECTION = "protection", _("Protection from sexual and gender-based violence, CRSV")
    PARTICIPATION = "participation", _("Women's participation in political processes")
    EXPERTISE = "expertise", _("Gender advisers and women protection advisers")
    SEA = "sea", _("Prevention of sexual exploitation and abuse")
    DDR_SSR = "ddr_ssr", _("Gender-responsive DDR, SSR and community violence reduction")
    PEACEKEEPERS = "peacekeepers", _("Women in peacekeeping and in security forces")
    REPORTING = "reporting", _("Reporting on WPS, sex-disaggregated data")
    CROSSCUTTING = "crosscutting", _("Gender as a cross-cutting issue")


class BenchmarkStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


class UNMission(models.Model):
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    acronym = models.CharField(_("acronym"), max_length=20)
    name = models.CharField(_("full name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=MissionKind.choices)
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MissionStatus.choices)

    class Meta:
        ordering = ["plan", "acronym", "pk"]
        verbose_name = _("UN mission")
        verbose_name_plural = _("UN missions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "acronym"], name="missions_acronym_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=[v.value for v in MissionKind]), name="missions_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[v.value for v in MissionStatus]),
                name="missions_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="missions_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True) | Q(planned_end_on__gte=F("started_on")),
                name="missions_planned_end_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.acronym


class MandateResolution(models.Model):
    mission = models.ForeignKey(
        UNMission, verbose_name=_("UN mission"), on_delete=models.CASCADE, related_name="mandates"
    )
    symbol = models.CharField(_("symbol"), max_length=40)
    adopted_on = models.DateField(_("adopted"))
    mandate_until = models.DateField(_("mandate until"), null=True, blank=True)

    class Meta:
        ordering = ["mission", "adopted_on", "pk"]
        verbose_name = _("mandate resolution")
        verbose_name_plural = _("mandate resolutions")
        constraints = [
            models.UniqueConstraint(fields=["mission", "symbol"], name="missions_symbol_unique"),
            models.CheckConstraint(
                condition=Q(mandate_until__isnull=True) | Q(mandate_until__gte=F("adopted_on")),
                name="missions_mandate_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.symbol


class WpsProvision(models.Model):
    resolution = models.ForeignKey(
        MandateResolution,
        verbose_name=_("mandate resolution"),
        on_delete=models.CASCADE,
        related_name="provisions",
    )
    category = models.CharField(_("category"), max_length=16, choices=ProvisionCategory.choices)
    paragraph = models.CharField(_("paragraph"), max_length=40, blank=True, default="")
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["resolution", "category", "pk"]
        verbose_name = _("WPS provision")
        verbose_name_plural = _("WPS provisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=[v.value for v in ProvisionCategory]),
                name="missions_provision_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resolution} {self.paragraph}"


class TransitionPlan(models.Model):
    """A mission's transition or exit plan (one per mission) and the gender analysis behind it."""

    mission = models.OneToOneField(
        UNMission, verbose_name=_("UN mission"), on_delete=models.CASCADE, related_name="transition"
    )
    title = models.CharField(_("title"), max_length=300)
    adopted_on = models.DateField(_("adopted"))
    gender_analysis = models.TextField(_("gender analysis"))
    document_url = models.URLField(_("document link"), blank=True, default="")

    class Meta:
        verbose_name = _("transition plan")
        verbose_name_plural = _("transition plans")

    def __str__(self) -> str:
        return self.title


class TransitionPhase(models.Model):
    """A phase of the exit: the area handed over (a province) and the date of its handover,
    the withdrawal date the watched indicators are read around."""

    transition = models.ForeignKey(
        TransitionPlan,
        verbose_name=_("transition plan"),
        on_delete=models.CASCADE,
        related_name="phases",
    )
    number = models.PositiveIntegerField(pgettext_lazy("transition phase", "number"))
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    handover_on = models.DateField(_("handover"), null=True, blank=True)

    class Meta:
        ordering = ["transition", "number"]
        verbose_name = _("transition phase")
        verbose_name_plural = _("transition phases")
        constraints = [
            models.UniqueConstraint(
                fields=["transition", "number"], name="missions_phase_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Benchmark(models.Model):
    """A benchmark of a phase in an area within the plan's; `status` is its latest update's."""

    phase = models.ForeignKey(
        TransitionPhase,
        verbose_name=_("transition phase"),
        on_delete=models.CASCADE,
        related_name="benchmarks",
    )
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"))
    target_on = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=BenchmarkStatus.choices,
        default=BenchmarkStatus.NOT_STARTED,
    )

    class Meta:
        ordering = ["phase", "area__name", "pk"]
        verbose_name = _("benchmark")
        verbose_name_plural = _("benchmarks")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[v.value for v in BenchmarkStatus]),
                name="missions_benchmark_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class BenchmarkUpdate(models.Model):
    benchmark = models.ForeignKey(
        Benchmark, verbose_name=_("benchmark"), on_delete=models.CASCADE, related_name="updates"
    )
    on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, choices=BenchmarkStatus.choices)
    note = models.TextField(_("note"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    kept_names = {"recorded_by": "recorded_by_name"}

    class Meta:
        ordering = ["benchmark", "on", "pk"]
        verbose_name = _("benchmark status update")
        verbose_name_plural = _("benchmark status updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[v.value for v in BenchmarkStatus]),
                name="missions_update_status_valid",
            ),
        ]


class WatchedIndicator(models.Model):
    """A plan indicator watched in a phase's area before and after its handover."""

    phase = models.ForeignKey(
        TransitionPhase,
        verbose_name=_("transition phase"),
        on_delete=models.CASCADE,
        related_name="watched",
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        ordering = ["phase", "indicator__code"]
        verbose_name = _("watched indicator")
        verbose_name_plural = _("watched indicators")
        constraints = [
            models.UniqueConstraint(fields=["phase", "indicator"], name="missions_watch_unique"),
        ]
