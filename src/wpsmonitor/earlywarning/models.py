"""Early-warning signals and the response they received (docs/stories.md, "Early warning and
response").

A signal says what was seen (a category of a starting vocabulary after UN Women's
gender-responsive early-warning indicators), where (an area, as given), when, how severe, and
from what kind of source, in words (`description`, encrypted at rest: it may name people). It is
held by the plan and reported by an organisation, through an intake link the coordinator gave
it (`IntakeToken`) or by its people signed in.

Every signal enters a moderation queue (`received`) that no one but the plan's coordinators
reads, and then follows one loop, each step with its day and who took it:
received → acknowledged → referred (to an organisation) → action taken → closed.
Who reads what is decided in accounts/access.py (`PlanAccess.signal_reading`).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wpsmonitor.core.encryption import EncryptedTextField
from wpsmonitor.core.models import TimeStamped


class Category(models.TextChoices):
    """What was seen: a starting vocabulary after UN Women, "Gender-Responsive Early Warning:
    Overview and How-to Guide" (2012), not an official list."""

    THREATS_TO_WOMENS_GROUPS = "threats_womens_groups", _("Threats against women's groups")
    SEXUAL_VIOLENCE = "sexual_violence", _("Reports of sexual violence")
    MOVEMENT_RESTRICTED = "movement_restricted", _("Restrictions on women's movement")
    HATE_SPEECH = "hate_speech", _("Hate speech against women")
    ARMED_PRESENCE = "armed_presence", _("Armed groups near schools or markets")
    DISPLACEMENT = "displacement", _("Displacement")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class SourceType(models.TextChoices):
    WOMENS_GROUP = "womens_group", _("Women's group")
    MONITOR = "monitor", _("Monitor")
    COMMUNITY_MEMBER = "community_member", _("Community member")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other source")


class SignalStatus(models.TextChoices):
    # In the moderation queue: the coordinators' alone, shown nowhere else.
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    REFERRED = "referred", _("Referred")
    ACTION_TAKEN = "action_taken", _("Action taken")
    CLOSED = "closed", _("Closed")


# The loop, in order: a step is taken only from the status before it.
LOOP = [s.value for s in SignalStatus]


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class IntakeToken(models.Model):
    """A link through which a trusted organisation reports signals without signing in. Only its
    hash is kept; the link is shown once, when issued. Revoked, it answers like no link."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    label = models.CharField(_("label"), max_length=100, blank=True, default="")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by_name = models.CharField(max_length=150, blank=True, default="")
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_by_name = models.CharField(max_length=150, blank=True, default="")
    last_used_at = models.DateTimeField(null=True, blank=True)

    kept_names = {"issued_by": "issued_by_name", "revoked_by": "revoked_by_name"}

    class Meta:
        ordering = ["plan", "-issued_at", "pk"]
        verbose_name = _("intake link")
        verbose_name_plural = _("intake links")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.prefix}…"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class Signal(models.Model):
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    # The organisation that reported it (through its intake link, or its people signed in).
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    token = models.ForeignKey(
        IntakeToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="signals"
    )
    category = models.CharField(_("what"), max_length=30, choices=Category.choices)
    # As given; readers without the right read its province (directory/areas.py).
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("where"), on_delete=models.PROTECT, related_name="+"
    )
    observed_on = models.DateField(_("seen on"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    source_type = models.CharField(_("source"), max_length=20, choices=SourceType.choices)
    description = EncryptedTextField(_("description"))
    status = models.CharField(
        _("status"), max_length=15, choices=SignalStatus.choices, default=SignalStatus.RECEIVED
    )
    received_on = models.DateField(_("received on"))
    received_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=150, blank=True, default="")
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_by_name = models.CharField(max_length=150, blank=True, default="")
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    referred_to = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("referred to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referred_by_name = models.CharField(max_length=150, blank=True, default="")
    action_on = models.DateField(_("action taken on"), null=True, blank=True)
    # What was done, in words: it may name people, so it is encrypted too.
    action = EncryptedTextField(_("action taken"), blank=True, default="")
    action_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action_by_name = models.CharField(max_length=150, blank=True, default="")
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_by_name = models.CharField(max_length=150, blank=True, default="")

    kept_names = {
        "recorded_by": "recorded_by_name",
        "acknowledged_by": "acknowledged_by_name",
        "referred_by": "referred_by_name",
        "action_by": "action_by_name",
        "closed_by": "closed_by_name",
    }

    class Meta:
        ordering = ["plan", "-received_on", "-pk"]
        verbose_name = _("early-warning signal")
        verbose_name_plural = _("early-warning signals")
        indexes = [models.Index(fields=["plan", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in Category]), name="signal_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=[s.value for s in Severity]), name="signal_severity_valid"
            ),
            models.CheckConstraint(
                condition=Q(source_type__in=[s.value for s in SourceType]),
                name="signal_source_valid",
            ),
            models.CheckConstraint(condition=Q(status__in=LOOP), name="signal_status_valid"),
            # Each step past received has its day, and the days follow the loop's order.
            models.CheckConstraint(
                condition=Q(status="received")
                | Q(acknowledged_on__isnull=False, acknowledged_on__gte=F("received_on")),
                name="signal_acknowledged_dated",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["received", "acknowledged"])
                | Q(
                    referred_on__isnull=False,
                    referred_on__gte=F("acknowledged_on"),
                    referred_to__isnull=False,
                ),
                name="signal_referred_dated",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["received", "acknowledged", "referred"])
                | Q(action_on__isnull=False, action_on__gte=F("referred_on")),
                name="signal_action_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed")
                | Q(closed_on__isnull=False, closed_on__gte=F("action_on")),
                name="signal_closed_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.category} {self.received_on}"


class SignalRead(models.Model):
    """One read of a signal by someone who is not one of the plan's coordinators (the people
    of the organisations it concerns, reading it whole; the plan's other members, coarse): who,
    when, how, how much. The coordinators read the log; nobody changes it."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reader_name = models.CharField(max_length=150, blank=True, default="")
    # "page" (the signal's page), "list" (the plan's list of signals).
    channel = models.CharField(max_length=20)
    # "full" or "coarse" (earlywarning/selectors.py).
    reading = models.CharField(max_length=10)
    at = models.DateTimeField(default=timezone.now)

    kept_names = {"reader": "reader_name"}

    class Meta:
        ordering = ["signal", "-at"]


# The longest target of the response times, in days (the page's and the API's too).
MAX_TARGET_DAYS = 90


class ResponseIndicators(TimeStamped):
    """The plan's response times adopted as two indicators of the plan, on a node of its
    framework (docs/stories.md, "Response times"): the share of signals acknowledged within
    `target_days`, and the share acted on within them. The platform computes their figures
    from the signals (earlywarning/services.py, `response_indicators_refresh`); they go
    through the aggregation, the pages, the releases and the disclosure control of every
    indicator."""

    plan = models.OneToOneField(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    node = models.ForeignKey(
        "plans.FrameworkNode",
        verbose_name=_("framework node"),
        on_delete=models.RESTRICT,
        related_name="+",
    )
    target_days = models.PositiveSmallIntegerField(_("target (days)"))
    acknowledge = models.OneToOneField(
        "indicators.Indicator",
        verbose_name=_("acknowledged within the target"),
        on_delete=models.RESTRICT,
        related_name="+",
    )
    respond = models.OneToOneField(
        "indicators.Indicator",
        verbose_name=_("acted on within the target"),
        on_delete=models.RESTRICT,
        related_name="+",
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_by_name = models.CharField(max_length=150, blank=True, default="")
    # When the figures were last computed (a loop step, the command, the clock).
    refreshed_at = models.DateTimeField(null=True, blank=True)

    kept_names = {"adopted_by": "adopted_by_name"}

    class Meta:
        verbose_name = _("response-time indicators")
        verbose_name_plural = _("response-time indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_days__gte=1, target_days__lte=MAX_TARGET_DAYS),
                name="response_indicators_target_days_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.target_days}"
