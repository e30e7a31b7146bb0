"""Peace processes under a plan (docs/peace-processes.md): the process, its negotiation rounds,
each round's delegations with their seats counted by role and sex, and the consultations of
civil society before and during the process.

Women's share of each role is computed from the seats (peace/selectors.py), never typed. The
delegates of peace talks are public figures acting in a public capacity, and a seat is a count
(no name is stored): the counts are shown as recorded, without disclosure control.

An agreement (PA-X coding, later) hangs off a process: `PeaceProcess` is its parent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProcessLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


class ProcessStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("peace process", "Planned")
    ONGOING = "ongoing", _("Ongoing")
    SUSPENDED = "suspended", _("Suspended")
    CONCLUDED = "concluded", _("Concluded")


class SeatRole(models.TextChoices):
    """The roles at the table. CFR counts the first three (negotiators, mediators,
    signatories); observers and technical advisers are counted too, and in the overall share."""

    NEGOTIATOR = "negotiator", _("Negotiators")
    MEDIATOR = "mediator", _("Mediators")
    SIGNATORY = "signatory", _("Signatories")
    OBSERVER = "observer", _("Observers")
    ADVISER = "adviser", _("Technical advisers")


class SeatSex(models.TextChoices):
    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    NOT_RECORDED = "not_recorded", _("Sex not recorded")


class ConsultationMethod(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    SURVEY = "survey", _("Survey")
    WRITTEN = "written", _("Written submissions")


class ConsultationStage(models.TextChoices):
    BEFORE = "before", _("Before the talks")
    DURING = "during", _("During the talks")


class InOutcome(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NOT_YET = "not_yet", _("Not yet known")


class PeaceProcess(models.Model):
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=ProcessLevel.choices)
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    mediators = models.TextField(_("mediating organisations"), blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=ProcessStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "name", "pk"]
        verbose_name = _("peace process")
        verbose_name_plural = _("peace processes")
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="peace_process_name_unique"),
            models.CheckConstraint(
                condition=Q(level__in=[v.value for v in ProcessLevel]),
                name="peace_process_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[v.value for v in ProcessStatus]),
                name="peace_process_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="peace_process_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NegotiationRound(models.Model):
    process = models.ForeignKey(
        PeaceProcess,
        verbose_name=_("peace process"),
        on_delete=models.CASCADE,
        related_name="rounds",
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200, blank=True, default="")
    started_on = models.DateField(_("first day"))
    ended_on = models.DateField(_("last day"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["process", "number"]
        verbose_name = _("negotiation round")
        verbose_name_plural = _("negotiation rounds")
        constraints = [
            models.UniqueConstraint(fields=["process", "number"], name="peace_round_number_unique"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="peace_round_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.number)


class Delegation(models.Model):
    """A party's delegation at one round: a name as typed, or an organisation of the
    directory (its name is then the organisation's)."""

    round = models.ForeignKey(
        NegotiationRound,
        verbose_name=_("negotiation round"),
        on_delete=models.CASCADE,
        related_name="delegations",
    )
    party = models.CharField(_("party"), max_length=200, blank=True, default="")
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["round", "party", "pk"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(party="") | Q(organisation__isnull=False),
                name="peace_delegation_has_party",
            ),
        ]

    def __str__(self) -> str:
        return self.party or str(self.organisation)


class Seat(models.Model):
    """How many seats of one role held by one sex in a delegation (a missing row is 0)."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="seats")
    role = models.CharField(max_length=12, choices=SeatRole.choices)
    sex = models.CharField(max_length=12, choices=SeatSex.choices)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["delegation", "role", "sex"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "role", "sex"], name="peace_seat_unique"),
            models.CheckConstraint(
                condition=Q(role__in=[v.value for v in SeatRole]), name="peace_seat_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(sex__in=[v.value for v in SeatSex]), name="peace_seat_sex_valid"
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="peace_seat_count_positive"),
        ]


class Consultation(models.Model):
    """A consultation of civil society before or during a process. `organisation`: the
    civil-society organisation that recorded it (its monitors change it), or null when the
    plan's coordinator recorded it."""

    process = models.ForeignKey(
        PeaceProcess,
        verbose_name=_("peace process"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    held_on = models.DateField(_("date"))
    stage = models.CharField(_("stage"), max_length=10, choices=ConsultationStage.choices)
    method = models.CharField(_("how"), max_length=10, choices=ConsultationMethod.choices)
    organisations_consulted = models.PositiveIntegerField(_("organisations consulted"))
    womens_organisations = models.PositiveIntegerField(_("of which women's organisations"))
    organisation_names = models.TextField(_("names of the organisations"), blank=True, default="")
    asked = models.TextField(_("what they asked"))
    in_outcome = models.CharField(
        _("in the outcome"), max_length=10, choices=InOutcome.choices, default=InOutcome.NOT_YET
    )
    outcome_note = models.TextField(_("note on the outcome"), blank=True, default="")
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("recorded by organisation"),
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

    kept_names = {"recorded_by": "recorded_by_name"}

    class Meta:
        ordering = ["process", "held_on", "pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(womens_organisations__lte=F("organisations_consulted")),
                name="peace_consultation_women_within",
            ),
            models.CheckConstraint(
                condition=Q(method__in=[v.value for v in ConsultationMethod]),
                name="peace_consultation_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[v.value for v in ConsultationStage]),
                name="peace_consultation_stage_valid",
            ),
            models.CheckConstraint(
                condition=Q(in_outcome__in=[v.value for v in InOutcome]),
                name="peace_consultation_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process} {self.held_on}"
