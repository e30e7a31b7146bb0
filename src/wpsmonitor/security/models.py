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
    node = models.ForeignKey("plans.FrameworkNode", on_delete=models.RESTRICT, related_name="+")
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


# Training and deployments (docs/security-sector.md, "Training", "Deployments and the parity
# targets") ---------------------------------------------------------------------------------
#
# Personnel are pseudonymous: a service number, never a name. The service numbers and every
# per-person row are read by the plan's members only (`PlanAccess.can_read_training_detail`);
# the public reads aggregates after disclosure control.


class Sex(models.TextChoices):
    # The codes of the shared `sex` dimension's options.
    FEMALE = "F", _("Women")
    MALE = "M", _("Men")


class RankBand(models.TextChoices):
    # The options of the package's `nato_rank` dimension (services.PACKAGE_DIMENSIONS).
    OF_GENERAL = "of_general", _("General or flag officers (OF-6 and above)")
    OF_SENIOR = "of_senior", _("Senior officers (OF-3 to OF-5)")
    OF_JUNIOR = "of_junior", _("Junior officers (OF-1 to OF-2)")
    OR_SENIOR = "or_senior", _("Senior NCOs (OR-6 to OR-9)")
    OR_JUNIOR = "or_junior", _("Junior NCOs (OR-4 to OR-5)")
    OR_OTHER = "or_other", _("Other ranks (OR-1 to OR-3)")


# Each band's category (the package's `nato_rank` options sit under `nato_rank_category`'s).
RANK_BAND_CATEGORY = {
    "of_general": "officers",
    "of_senior": "officers",
    "of_junior": "officers",
    "or_senior": "ncos",
    "or_junior": "ncos",
    "or_other": "other_ranks",
}


class TrainingTopic(models.TextChoices):
    WPS = "wps", _("Women, peace and security")
    SGBV = "sgbv", _("Sexual and gender-based violence")
    SEA = "sea", _("Prevention of sexual exploitation and abuse")
    GENDER = "gender", _("Gender perspective in operations")
    OTHER = "other", pgettext_lazy("training topic", "Other")


class TrainingPhase(models.TextChoices):
    BEFORE = "before", _("Before deployment")
    DURING = "during", _("During deployment")
    AFTER = "after", _("After deployment")
    GARRISON = "garrison", _("In garrison")


class SecurityUnit(models.Model):
    institution = models.ForeignKey(
        SecurityInstitution, on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("unit"), max_length=200)
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["institution", "name"]
        verbose_name = _("unit")
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="security_unit_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    institution = models.ForeignKey(
        SecurityInstitution, on_delete=models.CASCADE, related_name="courses"
    )
    title = models.CharField(_("course"), max_length=200)
    topic = models.CharField(_("topic"), max_length=10, choices=TrainingTopic.choices)
    provider = models.CharField(_("provider"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["institution", "title"]
        verbose_name = _("course")
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__in=[t.value for t in TrainingTopic]),
                name="security_course_topic_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phase = models.CharField(_("phase"), max_length=10, choices=TrainingPhase.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("training session")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="security_session_dates"
            ),
            models.CheckConstraint(
                condition=Q(phase__in=[p.value for p in TrainingPhase]),
                name="security_session_phase_valid",
            ),
        ]


class Personnel(models.Model):
    """A pseudonymous personnel record: a service number, never a name."""

    institution = models.ForeignKey(
        SecurityInstitution, on_delete=models.CASCADE, related_name="personnel"
    )
    service_number = models.CharField(_("service number"), max_length=40)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    rank = models.CharField(_("rank"), max_length=12, choices=RankBand.choices)
    # SET_NULL, not PROTECT: the institution's deletion cascades to units and people together.
    unit = models.ForeignKey(
        SecurityUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="personnel"
    )

    class Meta:
        ordering = ["institution", "service_number"]
        verbose_name = _("personnel record")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "service_number"], name="security_personnel_number"
            ),
            models.CheckConstraint(condition=Q(sex__in=["F", "M"]), name="security_personnel_sex"),
        ]


class Participation(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(Personnel, on_delete=models.CASCADE, related_name="participations")
    pre_score = models.PositiveSmallIntegerField(_("pre-test score"), null=True, blank=True)
    post_score = models.PositiveSmallIntegerField(_("post-test score"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow-up evaluated on"), null=True, blank=True)
    follow_up_score = models.PositiveSmallIntegerField(_("follow-up score"), null=True, blank=True)
    follow_up_by = models.CharField(_("evaluated by"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["session", "person__service_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="security_participation_once"
            ),
            models.CheckConstraint(
                condition=(
                    (Q(pre_score__isnull=True) | Q(pre_score__lte=100))
                    & (Q(post_score__isnull=True) | Q(post_score__lte=100))
                    & (Q(follow_up_score__isnull=True) | Q(follow_up_score__lte=100))
                ),
                name="security_participation_scores",
            ),
        ]


class UNCategory(models.TextChoices):
    """The UN's categories of uniformed personnel, as the Uniformed Gender Parity Strategy
    sets its targets."""

    CONTINGENT = "contingent", _("Military contingent")
    STAFF_OBSERVERS = "staff_observers", _("Military staff officers and observers")
    FPU = "fpu", _("Formed police unit")
    IPO = "ipo", _("Individual police officer")
    JUSTICE = "justice", _("Justice and corrections")


class Deployment(models.Model):
    """A deployment to a peace operation: its people as individuals (`members`) or, when only
    counts are known, as counts by sex (with the entered counts trained before deployment)."""

    institution = models.ForeignKey(
        SecurityInstitution, on_delete=models.CASCADE, related_name="deployments"
    )
    unit = models.ForeignKey(
        SecurityUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mission = models.CharField(_("mission"), max_length=60)
    category = models.CharField(
        _("category of personnel"), max_length=20, choices=UNCategory.choices
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    women = models.PositiveIntegerField(_("women deployed"), null=True, blank=True)
    men = models.PositiveIntegerField(_("men deployed"), null=True, blank=True)
    women_trained = models.PositiveIntegerField(
        _("of whom women trained before deployment (entered)"), null=True, blank=True
    )
    men_trained = models.PositiveIntegerField(
        _("of whom men trained before deployment (entered)"), null=True, blank=True
    )
    members = models.ManyToManyField(Personnel, blank=True, related_name="deployments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("deployment")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in UNCategory]),
                name="security_deployment_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="security_deployment_dates",
            ),
        ]

    @property
    def by_counts(self) -> bool:
        return self.women is not None or self.men is not None


# Self-assessment (docs/security-sector.md, "Self-assessment") --------------------------------
#
# An institution assesses itself against the themes of one framework: DCAF's Gender
# Self-Assessment Guide for the Police, Armed Forces and Justice Sector (six themes), or the
# Elsie Initiative's MOWIP method (ten issue areas). The themes are reference data in code
# (security/assessment.py); a score is given per theme on the scale 1 to 4.

ASSESSMENT_SCALE_LOW = 1
ASSESSMENT_SCALE_HIGH = 4


class AssessmentFramework(models.TextChoices):
    DCAF = "dcaf", _("DCAF Gender Self-Assessment")
    MOWIP = "mowip", _("MOWIP (Elsie Initiative)")


class AssessmentConductor(models.TextChoices):
    INTERNAL = "internal", _("The institution's own team")
    EXTERNAL = "external", _("An external organisation")
    JOINT = "joint", _("An internal team with an external organisation")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("assessment status", "Draft")
    PUBLISHED = "published", pgettext_lazy("assessment status", "Published")


class InstitutionAssessment(models.Model):
    """One self-assessment of an institution, against one framework's themes."""

    institution = models.ForeignKey(
        SecurityInstitution, on_delete=models.CASCADE, related_name="assessments"
    )
    framework = models.CharField(_("framework"), max_length=10, choices=AssessmentFramework.choices)
    assessed_on = models.DateField(_("date of the assessment"))
    method = models.TextField(_("method"), blank=True, default="")
    conducted_by = models.CharField(
        _("conducted by"), max_length=10, choices=AssessmentConductor.choices
    )
    conducting_organisation = models.CharField(
        _("organisation that conducted it"), max_length=200, blank=True, default=""
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    published_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    kept_names = {"recorded_by": "recorded_by_name"}

    class Meta:
        ordering = ["institution", "framework", "assessed_on", "pk"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "framework", "assessed_on"],
                name="security_assessment_one_a_day",
            ),
            models.CheckConstraint(
                condition=Q(framework__in=[f.value for f in AssessmentFramework]),
                name="security_assessment_framework_valid",
            ),
            models.CheckConstraint(
                condition=Q(conducted_by__in=[c.value for c in AssessmentConductor]),
                name="security_assessment_conductor_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in AssessmentStatus]),
                name="security_assessment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.framework} {self.assessed_on}"

    @property
    def is_published(self) -> bool:
        return self.status == AssessmentStatus.PUBLISHED


class ThemeScore(models.Model):
    """An assessment's score on one theme, with its findings and recommendations."""

    assessment = models.ForeignKey(
        InstitutionAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    theme = models.CharField(_("theme"), max_length=40)
    score = models.PositiveSmallIntegerField(_("score"))
    findings = models.TextField(_("findings"), blank=True, default="")
    recommendations = models.TextField(_("recommendations"), blank=True, default="")

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "theme"], name="security_theme_score_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=ASSESSMENT_SCALE_LOW) & Q(score__lte=ASSESSMENT_SCALE_HIGH),
                name="security_theme_score_in_scale",
            ),
        ]
