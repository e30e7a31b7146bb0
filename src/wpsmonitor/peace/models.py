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


# --- Agreements and their gender provisions, coded in PA-X's manner -------------------------
# (docs/peace-processes.md, "Agreements and gender provisions")


class AgreementStage(models.TextChoices):
    """PA-X's stages of agreement (its codebook's `Stage`): the values are PA-X's codes, so an
    imported row is stored as published."""

    PRE = "Pre", _("Pre-negotiation/process")
    CEASEFIRE = "Cea", _("Ceasefire/related")
    PARTIAL = "SubPar", _("Framework/substantive – partial")
    COMPREHENSIVE = "SubComp", _("Framework/substantive – comprehensive")
    IMPLEMENTATION = "Imp", _("Implementation/renegotiation")
    RENEWAL = "Ren", _("Renewal")
    OTHER = "Oth", pgettext_lazy("agreement stage", "Other")


class AgreementType(models.TextChoices):
    """PA-X's agreement type (`Agtp`): the conflict's and the agreement's level."""

    INTERSTATE = "Inter", _("Interstate")
    INTER_INTRA = "InterIntra", _("Interstate/intrastate")
    INTRASTATE = "Intra", _("Intrastate")
    LOCAL = "IntraLocal", _("Intrastate/local")


class WggCategory(models.TextChoices):
    """The top categories of PA-X's "Women, girls and gender" (WGG) coding: the values are the
    codebook's column names, flagged 1 or 0 in its CSV."""

    PARTICIPATION = "WggPar", _("Participation")
    EQUALITY = "WggEq", _("Equality")
    GROUPS = "WggGrp", _("Particular groups of women")
    INTERNATIONAL_LAW = "WggIntLaw", _("International law")
    NEW_INSTITUTIONS = "WggNewInst", _("New institutions")
    VIOLENCE = "WggVio", _("Violence against women")
    TRANSITIONAL_JUSTICE = "WggTraJus", _("Transitional justice")
    INSTITUTIONAL_REFORM = "WggInstRef", _("Institutional reform")
    DEVELOPMENT = "WggDev", _("Development")
    IMPLEMENTATION = "WggImpl", _("Implementation")
    OTHER = "WggOth", pgettext_lazy("gender provision", "Other")


class ImplementationStatus(models.TextChoices):
    """The Peace Accords Matrix's scale of a provision's implementation (Kroc Institute)."""

    NOT_INITIATED = "not_initiated", _("Not initiated")
    MINIMAL = "minimal", _("Minimal")
    INTERMEDIATE = "intermediate", _("Intermediate")
    FULL = "full", _("Full")


# The scale's steps in order: a difference between two readings is counted in steps.
STATUS_RANK = {s.value: i for i, s in enumerate(ImplementationStatus)}


class Agreement(models.Model):
    """A peace agreement under the plan, coded as PA-X codes it; `pax_id` is PA-X's AgtId when
    it came from (or is known to) PA-X, so that a re-import updates it."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    process = models.ForeignKey(
        PeaceProcess,
        verbose_name=_("peace process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    pax_id = models.PositiveIntegerField(_("PA-X agreement id (AgtId)"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=500)
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=AgreementStage.choices)
    agreement_type = models.CharField(
        _("agreement type"), max_length=12, choices=AgreementType.choices, blank=True, default=""
    )
    parties = models.TextField(_("parties"), blank=True, default="")
    source_url = models.URLField(_("source"), max_length=500, blank=True, default="")
    imported_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "signed_on", "name", "pk"]
        verbose_name = _("peace agreement")
        verbose_name_plural = _("peace agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "pax_id"],
                condition=Q(pax_id__isnull=False),
                name="peace_agreement_pax_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[v.value for v in AgreementStage]),
                name="peace_agreement_stage_valid",
            ),
            models.CheckConstraint(
                condition=Q(agreement_type__in=["", *[v.value for v in AgreementType]]),
                name="peace_agreement_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GenderProvision(models.Model):
    """A provision of an agreement on women, girls and gender, in one PA-X WGG category, linked
    to the NAP's actions and budget lines that carry it out (`finance.BudgetLine` is named by its
    label: peace does not import finance)."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("peace agreement"),
        on_delete=models.CASCADE,
        related_name="provisions",
    )
    category = models.CharField(_("category"), max_length=12, choices=WggCategory.choices)
    text = models.TextField(_("text of the provision"), blank=True, default="")
    reference = models.CharField(_("article or page"), max_length=200, blank=True, default="")
    actions = models.ManyToManyField(
        "plans.FrameworkNode", verbose_name=_("NAP actions"), blank=True, related_name="+"
    )
    budget_lines = models.ManyToManyField(
        "finance.BudgetLine", verbose_name=_("budget lines"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "category", "pk"]
        verbose_name = _("gender provision")
        verbose_name_plural = _("gender provisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=[v.value for v in WggCategory]),
                name="peace_provision_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.agreement})"


class ProvisionStatus(models.Model):
    """The implementation status of a provision on a date, as the plan's coordinator records it
    (the government's reading). One per provision and date; the latest date is the current one."""

    provision = models.ForeignKey(
        GenderProvision, on_delete=models.CASCADE, related_name="statuses"
    )
    on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=14, choices=ImplementationStatus.choices)
    note = models.TextField(_("note"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    kept_names = {"recorded_by": "recorded_by_name"}

    class Meta:
        ordering = ["provision", "on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["provision", "on"], name="peace_status_one_per_day"),
            models.CheckConstraint(
                condition=Q(status__in=[v.value for v in ImplementationStatus]),
                name="peace_status_valid",
            ),
        ]


class ProvisionAssessment(models.Model):
    """A civil-society organisation's own reading of a provision's implementation, on the same
    scale. One per organisation and provision (changed in place, its date with it). Only that
    organisation's monitors see it until it is published, and only they change it, ever."""

    provision = models.ForeignKey(
        GenderProvision, on_delete=models.CASCADE, related_name="assessments"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=14, choices=ImplementationStatus.choices)
    comment = models.TextField(_("comment"), blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField(max_length=150, blank=True, default="")
    at = models.DateTimeField(auto_now=True)

    kept_names = {"by": "by_name"}

    class Meta:
        ordering = ["provision", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provision", "organisation"], name="peace_assessment_one_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[v.value for v in ImplementationStatus]),
                name="peace_assessment_status_valid",
            ),
        ]

    @property
    def published(self) -> bool:
        return self.published_at is not None


def budget_line_model() -> type[models.Model]:
    """`finance.BudgetLine`, read off the provisions' link: peace does not import finance."""
    model = GenderProvision._meta.get_field("budget_lines").related_model
    assert model is not None and not isinstance(model, str)
    return model
