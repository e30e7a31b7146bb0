"""Stories and the consent that lets them be used (docs/stories.md).

A story (a testimony, a case study, a most-significant-change story, an observation) is held by
the organisation that collected it. What identifies the person who told it is encrypted at rest
(core/encryption.py): the text, the storyteller's name, who consented and who witnessed it.

Consent is a record, not a tick box: who consented, to which purposes (the plan's internal
monitoring, the standard report, the public portal), how, when and until when. A story is used
for a purpose only while a consent covers it (`Story.consented_to`); withdrawing consent ends
every use from then on. Who may read a story, and how much of it, is decided in one place
(accounts/access.py, `PlanAccess.story_reading`).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wpsmonitor.core.encryption import EncryptedFileField, EncryptedTextField


class StoryKind(models.TextChoices):
    TESTIMONY = "testimony", _("Testimony")
    CASE_STUDY = "case_study", _("Case study")
    SIGNIFICANT_CHANGE = "significant_change", _("Most significant change story")
    OBSERVATION = "observation", _("Observation")


class StorySensitivity(models.TextChoices):
    # Shown as recorded to whoever may read it (an organisation's own observation of a meeting).
    OPEN = "open", _("Open")
    # Readers outside the holder read it without its author, to the month and the province.
    PROTECTED = "protected", _("Protected")
    # Only the holder and the people it names read it; never in a report or on a public page.
    RESTRICTED = "restricted", _("Restricted")


class StoryStatus(models.TextChoices):
    # The holder's own: no one else reads it, whatever their role (civil society's independence).
    DRAFT = "draft", _("Draft")
    # Shared with the plan's members, as its consent and sensitivity allow.
    SHARED = "shared", _("Shared with the plan")
    # A second person of the holder approved it for the report and the public portal.
    APPROVED = "approved", _("Approved for publication")


class Purpose(models.TextChoices):
    """What a consent allows a story to be used for."""

    MONITORING = "monitoring", _("The plan's internal monitoring")
    REPORT = "report", _("The standard report")
    PUBLIC = "public", _("The public portal")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Signed consent form")
    RECORDED = "recorded", _("Recorded (audio or video)")
    ORAL_WITNESSED = "oral_witnessed", _("Oral, before a witness")


class Story(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="stories"
    )
    # The organisation that collected it and holds it (and its consent records).
    holder = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        related_name="stories",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StoryKind.choices)
    # Shown wherever the story is listed: it must not identify anyone (the form says so).
    title = models.CharField(_("title"), max_length=200)
    text = EncryptedTextField(_("text"))
    # The domain of change it speaks to (Most Significant Change), in the plan's words.
    domain = models.CharField(_("domain of change"), max_length=200, blank=True, default="")
    language = models.CharField(_("language"), max_length=10)
    nodes = models.ManyToManyField(
        "plans.FrameworkNode", verbose_name=_("pillars and actions"), blank=True, related_name="+"
    )
    indicators = models.ManyToManyField(
        "indicators.Indicator", verbose_name=_("indicators"), blank=True, related_name="+"
    )
    # The plan's recommendations (accountability) it speaks to: they name no one either.
    recommendations = models.ManyToManyField(
        "accountability.Recommendation",
        verbose_name=_("recommendations"),
        blank=True,
        related_name="+",
    )
    # Where and when it happened, as recorded; readers without the right read the province and
    # the month (stories/reading.py).
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    happened_on = models.DateField(_("happened on"), null=True, blank=True)
    # The storyteller's attributes the plan records (stories/attributes.py: age band, sex,
    # disability, displacement...): {"age": "18-29", ...}, fixed answers, never a name.
    storyteller = models.JSONField(_("storyteller"), default=dict, blank=True)
    # Only with a consent to be named.
    storyteller_name = EncryptedTextField(_("storyteller's name"), blank=True, default="")
    sensitivity = models.CharField(
        _("sensitivity"),
        max_length=12,
        choices=StorySensitivity.choices,
        default=StorySensitivity.PROTECTED,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StoryStatus.choices, default=StoryStatus.DRAFT
    )
    # People outside the holder a restricted story is shown to.
    named_readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("also shown to"), blank=True, related_name="+"
    )
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    collected_by_name = models.CharField(max_length=150, blank=True, default="")
    collected_on = models.DateField(_("collected on"), default=timezone.localdate)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by_name = models.CharField(max_length=150, blank=True, default="")
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    kept_names = {"collected_by": "collected_by_name", "approved_by": "approved_by_name"}

    class Meta:
        ordering = ["plan", "-collected_on", "pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in StoryKind]), name="story_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(sensitivity__in=[s.value for s in StorySensitivity]),
                name="story_sensitivity_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in StoryStatus]), name="story_status_valid"
            ),
            # Approved by someone: the second reviewer the publication needs.
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="story_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def consented_to(self, purpose: str, on: date | None = None) -> bool:
        """Whether a consent in force on `on` (default today) covers the purpose. Reads the
        prefetched `consents` when there are (a list of stories costs one query)."""
        on = on or timezone.localdate()
        return any(c.covers(purpose, on) for c in self.consents.all())

    def can_be_named(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return any(c.in_force(on) and c.to_be_named for c in self.consents.all())


class Consent(models.Model):
    story = models.ForeignKey(
        Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="consents"
    )
    # The storyteller, or the parent or guardian who consented for them.
    given_by = EncryptedTextField(_("given by"))
    for_monitoring = models.BooleanField(_("for the plan's internal monitoring"), default=False)
    for_report = models.BooleanField(_("for the standard report"), default=False)
    for_public = models.BooleanField(_("for the public portal"), default=False)
    to_be_named = models.BooleanField(_("to be named"), default=False)
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod.choices)
    witness = EncryptedTextField(_("witness"), blank=True, default="")
    given_on = models.DateField(_("given on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=150, blank=True, default="")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_by_name = models.CharField(max_length=150, blank=True, default="")
    withdrawal_note = models.TextField(_("note on the withdrawal"), blank=True, default="")

    kept_names = {"recorded_by": "recorded_by_name", "withdrawn_by": "withdrawn_by_name"}

    class Meta:
        ordering = ["story", "given_on", "pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=[m.value for m in ConsentMethod]),
                name="consent_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("given_on")),
                name="consent_ends_after_it_begins",
            ),
            models.CheckConstraint(
                condition=Q(for_monitoring=True) | Q(for_report=True) | Q(for_public=True),
                name="consent_has_a_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.story_id} {self.given_on}"

    def in_force(self, on: date) -> bool:
        if self.given_on > on:
            return False
        if self.valid_until is not None and self.valid_until < on:
            return False
        return self.withdrawn_on is None or self.withdrawn_on > on

    def covers(self, purpose: str, on: date) -> bool:
        allowed = {
            Purpose.MONITORING: self.for_monitoring,
            Purpose.REPORT: self.for_report,
            Purpose.PUBLIC: self.for_public,
        }
        return self.in_force(on) and allowed.get(Purpose(purpose), False)


class StoryRead(models.Model):
    """One read of a story beyond its holder's own (a page, the API, an export, a report): who,
    when and how. The holder reads its stories' log; nobody changes it."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reader_name = models.CharField(max_length=150, blank=True, default="")
    # "page", "api", "export", "report"; "anonymous" readers read public stories only.
    channel = models.CharField(max_length=20)
    # "full" or "coarse" (stories/reading.py).
    reading = models.CharField(max_length=10)
    at = models.DateTimeField(default=timezone.now)

    kept_names = {"reader": "reader_name"}

    class Meta:
        ordering = ["story", "-at"]


class MediumKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    AUDIO = "audio", _("Audio recording")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")


def _medium_path(instance: StoryMedium, filename: str) -> str:
    # A random name: the original name (which may name a person) is kept encrypted in the row,
    # and the file itself is stored encrypted (stories/media.py), never served from the folder.
    return f"stories/{uuid.uuid4().hex}"


class StoryMedium(models.Model):
    """A photo, an audio recording, a video or a document attached to a story by its holder. The
    file is stored encrypted (a photo re-encoded, a recording remuxed, without their metadata
    first) and read only through `stories/media.py`, after `read_story` (docs/stories.md,
    "Media")."""

    story = models.ForeignKey(
        Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="media"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MediumKind.choices)
    file = EncryptedFileField(upload_to=_medium_path)
    original_name = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=100)
    # Of the file as readers get it (after the photo's re-encoding or the remux), before encryption.
    size = models.PositiveIntegerField()
    # The holder judged that it identifies no one: readers of the coarse story get it too.
    safe_to_share = models.BooleanField(_("safe to share with every reader"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by_name = models.CharField(max_length=150, blank=True, default="")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    kept_names = {"uploaded_by": "uploaded_by_name"}

    class Meta:
        ordering = ["story", "uploaded_at", "pk"]
        verbose_name = _("medium")
        verbose_name_plural = _("media")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in MediumKind]), name="story_medium_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.story_id} {self.kind} {self.pk}"


class StoryDeletion(models.Model):
    """The fact that a holder removed a story, and when: nothing of the story is kept."""

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


class UseKind(models.TextChoices):
    """Where a story was printed or shown beyond the platform's own pages."""

    REPORT = "report", _("A generated standard report")
    RELEASE = "release", _("A published release")
    PAGE = "page", _("The public portal")


class StoryUse(models.Model):
    """A document or public page that printed the story (stories/uses.py): a generated report
    (recorded when it is generated, marked when it is published), the public portal's page of
    stories (recorded when it shows the story). When a consent is withdrawn, the plan's
    coordinators are told which published ones used it. Goes with the story when it is
    deleted: the platform keeps nothing of a removed story."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="uses")
    kind = models.CharField(max_length=10, choices=UseKind.choices)
    # What it was: the generated report's number, "portal" for the public page of stories.
    reference = models.CharField(max_length=100)
    # Its title when it was used (a report's title in its language).
    title = models.CharField(max_length=300, blank=True, default="")
    # Its page on the platform (a path), for the coordinators' mail.
    link = models.CharField(max_length=300, blank=True, default="")
    used_at = models.DateTimeField(default=timezone.now)
    # When it became public (a report published; the portal's page, when it showed it).
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["story", "used_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "kind", "reference"], name="story_use_once_per_document"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in UseKind]), name="story_use_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.story_id} {self.kind} {self.reference}"


class StorySettings(models.Model):
    """What a plan's stories record about the storyteller: the codes of the attributes chosen
    among the vocabulary (stories/attributes.py), set by the plan's coordinator. A plan without
    one records the default three (age band, disability, displacement). Removing an attribute
    erases nothing already recorded: the forms stop asking it."""

    plan = models.OneToOneField(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="story_settings",
    )
    # ["age", "sex", ...]: codes of stories.attributes.VOCABULARY, in its order.
    attributes = models.JSONField(_("the storyteller's attributes recorded"), default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by_name = models.CharField(max_length=150, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    kept_names = {"updated_by": "updated_by_name"}

    class Meta:
        verbose_name = _("stories' settings")
        verbose_name_plural = _("stories' settings")

    def __str__(self) -> str:
        return f"{self.plan_id} {', '.join(self.attributes)}"


class NoticeOutcome(models.TextChoices):
    """How the coordinators settled a withdrawal notice."""

    REGENERATED = "regenerated", _("Generated again")
    KEPT = "kept", _("Kept as published")


class WithdrawalNotice(models.Model):
    """A task on the plan's coordinators' "What to do now": a consent withdrawn
    (`consent_withdraw`) ended the use of a story in a published standard report, which still
    prints it. Open until they act: the same report generated again (reports/generation.py)
    or kept as published, with who and when (docs/stories.md, "In the report and on the
    portal")."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    # None once its holder removed the story: its title goes with it (the report keeps it).
    story = models.ForeignKey(
        Story, null=True, on_delete=models.SET_NULL, related_name="withdrawal_notices"
    )
    withdrawn_on = models.DateField()
    # The published report that used it (StoryUse.reference: the generated report's number),
    # its title when it was used, and its page on the platform (a path).
    reference = models.CharField(max_length=100)
    title = models.CharField(max_length=300, blank=True, default="")
    link = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=12, blank=True, default="", choices=NoticeOutcome.choices)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    settled_by_name = models.CharField(max_length=150, blank=True, default="")
    settled_at = models.DateTimeField(null=True, blank=True)

    kept_names = {"settled_by": "settled_by_name"}

    class Meta:
        ordering = ["plan", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["", *NoticeOutcome.values]),
                name="withdrawal_notice_outcome_valid",
            ),
            # Settled: how and when; open: neither.
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(settled_at__isnull=True))
                | (~Q(outcome="") & Q(settled_at__isnull=False)),
                name="withdrawal_notice_settled_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.reference} {self.story_id}"

    @property
    def is_open(self) -> bool:
        return not self.outcome


# --- Selection rounds (Most Significant Change; docs/stories.md, "Selection rounds") ----------


class SelectionLevel(models.TextChoices):
    """Where a panel sits: each level chooses among the stories the level below chose."""

    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")
    BOARD = "board", _("Monitoring board")


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("selection round", "Open")
    # Its choices are frozen and fed back to the holders of its candidate stories.
    DECIDED = "decided", pgettext_lazy("selection round", "Decided")


class SelectionRound(models.Model):
    """A panel's choice, at one level, of the most significant stories of a period, one per
    domain of change, with the reasons (Davies & Dart 2005). Its candidates are the stories the
    panel may read, those the round below chose where there is one (stories/selection.py)."""

    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="selection_rounds",
    )
    level = models.CharField(_("level"), max_length=10, choices=SelectionLevel.choices)
    # The province of a province round; none for the others.
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A year (2025) or a quarter (2025Q3): the stories that happened then (else collected).
    period = models.CharField(_("period"), max_length=10)
    # As the stories name it (Story.domain); blank: every domain, one choice each.
    domain = models.CharField(_("domain of change"), max_length=200, blank=True, default="")
    # The panel's members with an account (members of the plan)...
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("panel"), blank=True, related_name="+"
    )
    # ... and those without one, one a line (their names, as the panel agreed to record them).
    panel_others = models.TextField(_("other panel members"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    # The candidates when the round was decided: their holders read its feedback.
    candidates = models.ManyToManyField(Story, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by_name = models.CharField(max_length=150, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)

    kept_names = {"created_by": "created_by_name", "decided_by": "decided_by_name"}

    class Meta:
        ordering = ["plan", "-period", "level", "pk"]
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=[v.value for v in SelectionLevel]),
                name="selection_round_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in RoundStatus]),
                name="selection_round_status_valid",
            ),
            # A province round names its province; the others none.
            models.CheckConstraint(
                condition=Q(level="province", area__isnull=False)
                | (~Q(level="province") & Q(area__isnull=True)),
                name="selection_round_area_iff_province",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | Q(decided_at__isnull=False),
                name="selection_round_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.level} {self.period} {self.domain}"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    def others(self) -> list[str]:
        """The panel's members without an account."""
        return [line.strip() for line in self.panel_others.splitlines() if line.strip()]


class SelectionChoice(models.Model):
    """The story a round's panel chose for one domain of change, and why. Goes with the story
    when its holder removes it (the platform keeps nothing of a removed story)."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="choices")
    # The chosen story's domain (Story.domain) when it was chosen: one choice per domain.
    domain = models.CharField(_("domain of change"), max_length=200, blank=True, default="")
    story = models.ForeignKey(
        Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("why it was chosen"))
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_by_name = models.CharField(max_length=150, blank=True, default="")
    chosen_at = models.DateTimeField(default=timezone.now)

    kept_names = {"chosen_by": "chosen_by_name"}

    class Meta:
        ordering = ["round", "domain", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "domain"], name="selection_choice_once_per_domain"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="selection_choice_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.domain} {self.story_id}"


class SelectionRank(models.Model):
    """The panel's optional ranking of the other candidates of a choice's domain: 2 is the
    one after the chosen story, and so on."""

    choice = models.ForeignKey(SelectionChoice, on_delete=models.CASCADE, related_name="ranks")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["choice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["choice", "story"], name="selection_rank_once"),
            models.UniqueConstraint(
                fields=["choice", "position"], name="selection_rank_position_once"
            ),
        ]
