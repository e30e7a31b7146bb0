"""Action plans and their results frameworks (pillar → outcome → output → action)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wpsmonitor.core.models import TimeStamped
from wpsmonitor.core.trees import MaterialisedPath
from wpsmonitor.core.vocabulary import PlanStatus

# Disclosure control (docs/publishing.md). The default is the OECD's and most statistics
# offices' "fewer than 5"; below 3 a published count lets a person in the cell recognise the
# one or two others, so no plan or indicator may go lower.
DISCLOSURE_THRESHOLD_DEFAULT = 5
DISCLOSURE_THRESHOLD_FLOOR = 3
# Above this a threshold hides nearly every count; it also keeps the number inside any column.
DISCLOSURE_THRESHOLD_CEILING = 1000


def disclosure_threshold_message() -> str:
    """The refusal of a threshold below the floor, shared by the model, the workbook and the API."""
    return str(
        format_lazy(
            _("A disclosure threshold below {floor} protects no one: give {floor} or more."),
            floor=DISCLOSURE_THRESHOLD_FLOOR,
        )
    )


def disclosure_threshold_validate(value: int | None) -> None:
    """Refuse a threshold below the floor (None: the plan's, for an indicator)."""
    if value is not None and value < DISCLOSURE_THRESHOLD_FLOOR:
        raise ValidationError(disclosure_threshold_message(), code="below_floor")
    if value is not None and value > DISCLOSURE_THRESHOLD_CEILING:
        raise ValidationError(
            format_lazy(
                _(
                    "A disclosure threshold above {ceiling} would hide nearly every figure: give "
                    "{ceiling} or less."
                ),
                ceiling=DISCLOSURE_THRESHOLD_CEILING,
            ),
            code="above_ceiling",
        )


class PlanKind(models.TextChoices):
    NATIONAL = "national", _("National action plan (NAP)")
    LOCAL = "local", _("Local action plan (LAP)")
    REGIONAL = "regional", _("Regional action plan (RAP)")
    INSTITUTIONAL = "institutional", _("Institutional plan")


class CivilSocietyStage(models.TextChoices):
    """The stages of a plan's process where civil society has a defined role (WILPF's flag)."""

    DESIGN = "design", _("Design of the plan")
    IMPLEMENTATION = "implementation", _("Implementation")
    MONITORING = "monitoring", _("Monitoring and evaluation")


class AlignmentFramework(models.TextChoices):
    """International frameworks a plan declares itself aligned with (see docs/quality.md)."""

    CEDAW = "cedaw", _("CEDAW and its General Recommendation No. 30")
    SDG = "sdg", _("Sustainable Development Goals (SDG 5, SDG 16)")


class Plan(TimeStamped):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("country or area"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    generation = models.PositiveSmallIntegerField(_("generation"), null=True, blank=True)
    start = models.DateField(_("start of period"))
    end = models.DateField(_("end of period"))
    adopted_on = models.DateField(_("adoption date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    lead_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_plans",
    )
    coordination_mechanism = models.TextField(_("coordination mechanism"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # The language the plan's texts were written in (docs/languages.md, "Content in several
    # languages"): its nodes, indicators and recommendations too. A reader whose language has
    # no text reads this one, with a note saying so.
    original_language = models.CharField(
        _("original language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    description = models.TextField(_("description"), blank=True)
    document_url = models.URLField(_("document"), blank=True)
    # What the plan says about itself that the quality scorecard reads (docs/quality.md).
    me_description = models.TextField(_("monitoring and evaluation"), blank=True)
    civil_society_roles = models.JSONField(
        _("civil-society roles"),
        default=list,
        blank=True,
        help_text=_(
            "Stages where civil society has a defined role: design, implementation, monitoring."
        ),
    )
    alignment_references = models.JSONField(
        _("alignment references"),
        default=list,
        blank=True,
        help_text=_("Frameworks the plan is aligned with: cedaw, sdg."),
    )
    # Disclosure control of the plan's sensitive indicators (docs/publishing.md).
    disclosure_threshold = models.PositiveSmallIntegerField(
        _("disclosure threshold"),
        default=DISCLOSURE_THRESHOLD_DEFAULT,
        validators=[disclosure_threshold_validate],
        help_text=format_lazy(
            _(
                'Smallest count of a sensitive indicator that is published (default {default}, never below {floor}); smaller counts read "fewer than" it.'
            ),
            default=DISCLOSURE_THRESHOLD_DEFAULT,
            floor=DISCLOSURE_THRESHOLD_FLOOR,
        ),
    )
    structural_zeros_safe = models.BooleanField(
        _("structural zeros are safe"),
        default=False,
        help_text=_(
            "Publish the zeros of sensitive indicators. Leave unticked unless a zero can only "
            "mean that nothing could happen (a zero usually says something about someone)."
        ),
    )

    class Meta:
        ordering = ["area__name", "-start"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="plan_end_after_start"
            ),
            # disclosure_threshold_message(): the same floor in every path.
            models.CheckConstraint(
                condition=models.Q(disclosure_threshold__gte=DISCLOSURE_THRESHOLD_FLOOR),
                name="plan_disclosure_threshold_floor",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """The admin's check of the scorecard's lists (services clean them the same way)."""
        for name, choices in (
            ("civil_society_roles", CivilSocietyStage),
            ("alignment_references", AlignmentFramework),
        ):
            value = getattr(self, name)
            if not isinstance(value, list) or not set(value) <= set(choices.values):
                raise ValidationError(
                    {name: _("Give a list of codes among: %(codes)s.")
                     % {"codes": ", ".join(choices.values)}}
                )  # fmt: skip


class FrameworkLevel(models.Model):
    """A level of one plan's results tree; the deepest level holds the actions."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="levels")
    depth = models.PositiveSmallIntegerField(_("depth"))
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    holds_actions = models.BooleanField(_("holds actions"), default=False)

    class Meta:
        ordering = ["plan", "depth"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "depth"], name="level_depth_unique"),
            models.UniqueConstraint(fields=["plan", "code"], name="level_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


DEFAULT_LEVELS = [
    ("pillar", _("Pillar"), False),
    ("outcome", _("Outcome"), False),
    ("output", _("Output"), False),
    ("action", _("Action"), True),
]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("action status", "Not started")
    ONGOING = "ongoing", pgettext_lazy("action status", "Ongoing")
    COMPLETED = "completed", pgettext_lazy("action status", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("action status", "Cancelled")


class FrameworkNode(MaterialisedPath, TimeStamped):
    """One node of a plan's results tree: a pillar, outcome, output or action.

    Action fields (responsible organisation, dates, status) are used on nodes whose level
    holds actions. `path` is the materialised path of codes' ids for subtree queries.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    # RESTRICT, not PROTECT: a level with nodes cannot be deleted alone, but deleting the plan
    # removes both.
    level = models.ForeignKey(FrameworkLevel, on_delete=models.RESTRICT, related_name="nodes")
    code = models.CharField(_("code"), max_length=64)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")
    # The pillar vocabulary (participation, protection, prevention, relief_recovery, or a plan's
    # own such as coordination) on pillar nodes, so plans can be compared by pillar.
    pillar_theme = models.SlugField(_("pillar theme"), max_length=40, blank=True)
    source_node = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        help_text=_("The national node this local or institutional node was copied from."),
    )

    responsible_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_for",
    )
    partner_organisations = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="partner_in",
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), null=True, blank=True
    )

    class Meta:
        ordering = ["plan", "path"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="node_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def original_language(self) -> str:
        """The language of its texts: its plan's (core/translated.py)."""
        return self.plan.original_language

    def is_delayed(self, today: date) -> bool:
        """Derived, never stored: an open action past its planned end, or not begun by its start."""
        if self.status in (ActionStatus.COMPLETED, ActionStatus.CANCELLED):
            return False
        if self.planned_end and self.planned_end < today:
            return True
        return bool(
            self.status == ActionStatus.NOT_STARTED
            and self.planned_start
            and self.planned_start < today
        )


class ProposalStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("proposal status", "Open")
    ACCEPTED = "accepted", pgettext_lazy("proposal status", "Accepted")
    DECLINED = "declined", pgettext_lazy("proposal status", "Declined")


class LocalisationProposal(models.Model):
    """A change of the national plan offered to a local plan that copied the changed object
    (docs/localisation.md, "Proposals"): its coordinator accepts it (the change is applied to
    the local copy) or declines it; nothing is ever applied without them.

    One of `node` and `indicator` (the local copy) is set. The indicator is reached by app
    label, as accounts reaches the plans: plans sits below indicators and imports nothing of it.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("local plan")
    )
    node = models.ForeignKey(
        FrameworkNode, null=True, blank=True, on_delete=models.CASCADE, related_name="proposals"
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    field = models.CharField(_("field"), max_length=40)
    # Targets: the period of the target changed ("" for the other fields).
    period_code = models.CharField(_("period"), max_length=10, blank=True, default="")
    old_value = models.JSONField(_("national value before"), null=True, blank=True)
    new_value = models.JSONField(_("national value now"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    created_at = models.DateTimeField(_("offered"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "created_at", "pk"]
        verbose_name = _("localisation proposal")
        verbose_name_plural = _("localisation proposals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(node__isnull=True, indicator__isnull=False)
                | models.Q(node__isnull=False, indicator__isnull=True),
                name="proposal_one_object",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code}: {self.field}"


class VersionKind(models.TextChoices):
    """Why a plan's framework gets a new version (docs/revisions.md)."""

    ADOPTED = "adopted", pgettext_lazy("version kind", "As adopted")
    MIDTERM = "midterm", pgettext_lazy("version kind", "Mid-term review")
    GENERATION = "generation", pgettext_lazy("version kind", "New generation")
    CORRECTION = "correction", pgettext_lazy("version kind", "Correction")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("version status", "Draft")
    CURRENT = "current", pgettext_lazy("version status", "Current")
    SUPERSEDED = "superseded", pgettext_lazy("version status", "Superseded")
    ABANDONED = "abandoned", pgettext_lazy("version status", "Abandoned")


class PlanVersion(models.Model):
    """One version of a plan's results framework (docs/revisions.md).

    A draft names the revision being prepared on the live framework; approving it freezes the
    framework into `snapshot` and makes it current (the one before becomes superseded). An
    approved version is never changed again: revisions.services refuses any write to it.
    The review is reached by app label, as LocalisationProposal reaches the indicators.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=12, choices=VersionKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    reason = models.TextField(_("reason"), blank=True)
    review = models.ForeignKey(
        "accountability.Review",
        verbose_name=_("review"),
        null=True,
        blank=True,
        # RESTRICT, not PROTECT: the review behind a version is not deleted alone, but
        # deleting the plan deletes its reviews and versions together.
        on_delete=models.RESTRICT,
        related_name="plan_versions",
    )
    board_cosign_required = models.BooleanField(
        _("co-signature of the board required"), default=False
    )
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("prepared"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # The board's co-signature (boards.services stamps it when both sides have signed the
    # draft's content, clears it when that stops being so): when, and the content hash signed
    # (plans.versions.content_hash). revisions.services approves a draft that requires it only
    # while this hash is the draft's content hash now.
    board_cosigned_at = models.DateTimeField(
        _("co-signed by the board"), null=True, blank=True, editable=False
    )
    board_cosigned_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    abandoned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    abandoned_at = models.DateTimeField(_("abandoned"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
            # revisions.services: one draft and one current version at a time.
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(status="draft"),
                name="plan_version_one_draft",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(status="current"),
                name="plan_version_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "abandoned"])
                | models.Q(approved_at__isnull=False),
                name="plan_version_approved_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="abandoned") | models.Q(abandoned_at__isnull=False),
                name="plan_version_abandoned_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} v{self.number}"
