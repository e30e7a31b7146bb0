"""Monitoring boards and the co-signed publication of a plan's periodic reports.

A plan may have one monitoring board: members from government and from civil society (the
sources ask for "half from government, half from women's organisations"), each with an
organisation, a position and the dates they sit. A member may be a named person without an
account; only members with an account can sign.

A periodic report (e.g. the annual report) is drafted by the coordinator, sent to the board,
and — when the board requires co-signature — published only once a government member and a
civil-society member both have a valid signature on it. Editing the report invalidates the
signatures given so far. Any member may attach a dissenting statement, published with the
report. Every step is kept in ReportEvent, the report's history.

Writes go through services.py, which checks rights; the models keep the invariants.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Side(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


class BoardKind(models.TextChoices):
    MONITORING = "monitoring", _("Monitoring board")
    STEERING = "steering", _("Steering committee")
    TASK_FORCE = "task_force", _("Joint task force")


class Board(models.Model):
    """A plan's monitoring board and its rule for publishing reports. The same joint body may
    be the plan's steering committee or joint task force (its kind): it then holds meetings
    and takes decisions (Meeting, Decision), with the same members and balance."""

    plan = models.OneToOneField(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="board"
    )
    name = models.CharField(_("name"), max_length=200)
    requires_cosignature = models.BooleanField(
        _("reports need the co-signature of both sides"),
        default=True,
        help_text=_(
            "A report is then published only when a government member and a civil-society "
            "member have both signed it."
        ),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=BoardKind.choices, default=BoardKind.MONITORING
    )
    secretary = models.ForeignKey(
        "BoardMember",
        verbose_name=_("secretary"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The member who records meetings and decisions with the coordinator."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monitoring board")
        verbose_name_plural = _("monitoring boards")
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="board_name_required")]

    def __str__(self) -> str:
        return self.name


class BoardMember(models.Model):
    """One seat on a board, for a period: a person (with or without an account) for a side."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        # A deleted account leaves the seat (and its signatures) as a named person's.
        on_delete=models.SET_NULL,
        related_name="board_seats",
    )
    name = models.CharField(_("name"), max_length=200)
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="board_seats",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    since = models.DateField(_("member from"))
    until = models.DateField(_("member until"), null=True, blank=True)

    class Meta:
        ordering = ["side", "name", "pk"]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        constraints = [
            models.CheckConstraint(
                condition=Q(side__in=["government", "civil_society"]),
                name="board_member_side_valid",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="board_member_until_after_since",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="board_member_name_required"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_current(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.since <= today and (self.until is None or self.until >= today)


class ReportStatus(models.TextChoices):
    # A context: French says "brouillon" for a report, "projet" for a plan.
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    AWAITING = "awaiting", _("Awaiting the board's signatures")
    PUBLISHED = "published", _("Published")


def _report_file_path(instance: PeriodicReport, filename: str) -> str:
    # A random name, as for evidence: the original name is kept in the row only.
    return f"reports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class PeriodicReport(models.Model):
    """A plan's periodic (e.g. annual) report: drafted by the coordinator, published once."""

    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="periodic_reports",
    )
    title = models.CharField(_("title"), max_length=300)
    period = models.CharField(
        _("period covered"), max_length=10, help_text=_("A period code: 2025, 2025S1, 2025Q3.")
    )
    summary = models.TextField(_("summary"))
    file = models.FileField(upload_to=_report_file_path, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The hash of the document the board signs when the report is generated by the platform
    # (reports' GeneratedReport, docs/boards.md, "The document hash"); empty for a report
    # written elsewhere. A change of it invalidates the signatures, as an edit does.
    document_hash = models.CharField(_("document hash"), max_length=64, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "-created_at", "-pk"]
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "awaiting", "published"]),
                name="periodic_report_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="published", published_at__isnull=False)
                | (~Q(status="published") & Q(published_at__isnull=True)),
                name="periodic_report_published_at_iff_published",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="periodic_report_title_required"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class Signature(models.Model):
    """A member's approval of the report as it stood. It stops counting when the member
    withdraws it or the report is edited (invalidated); the row stays for the history."""

    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="signatures")
    # RESTRICT, not PROTECT: deleting the plan deletes seats and signatures together.
    member = models.ForeignKey(BoardMember, on_delete=models.RESTRICT, related_name="signatures")
    side = models.CharField(max_length=20, choices=Side.choices)  # the member's, when signing
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    invalidated_at = models.DateTimeField(null=True, blank=True)
    # The report's document hash when signed: the signature is bound to that content.
    document_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "member"],
                condition=Q(withdrawn_at__isnull=True, invalidated_at__isnull=True),
                name="signature_one_valid_per_member",
            ),
        ]

    @property
    def is_valid(self) -> bool:
        return self.withdrawn_at is None and self.invalidated_at is None


class Dissent(models.Model):
    """A member's dissenting statement, published with the report. One standing statement per
    member; replacing or withdrawing it keeps the old row (withdrawn) for the history."""

    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="dissents")
    member = models.ForeignKey(BoardMember, on_delete=models.RESTRICT, related_name="dissents")
    side = models.CharField(max_length=20, choices=Side.choices)
    text = models.TextField(_("dissenting statement"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "member"],
                condition=Q(withdrawn_at__isnull=True),
                name="dissent_one_standing_per_member",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="dissent_text_required"),
        ]


class EventKind(models.TextChoices):
    CREATED = "created", _("Drafted")
    EDITED = "edited", _("Edited")
    SUBMITTED = "submitted", _("Sent to the board for signature")
    SIGNED = "signed", _("Signed")
    WITHDRAWN = "withdrawn", _("Signature withdrawn")
    INVALIDATED = "invalidated", _("Signature invalidated by an edit")
    DISSENTED = "dissented", _("Dissenting statement attached")
    DISSENT_WITHDRAWN = "dissent_withdrawn", _("Dissenting statement withdrawn")
    PUBLISHED = "published", _("Published")
    DOCUMENT = "document", _("Generated document attached")


class ReportEvent(models.Model):
    """One step in a report's life: who did what, when, for which side."""

    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who did it, kept when the account is deleted (core/history.py).
    by_name = models.CharField(max_length=150, blank=True, default="")
    member = models.ForeignKey(
        BoardMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=20, choices=Side.choices, blank=True)
    at = models.DateTimeField(default=timezone.now)
    # Why, in words, where the kind does not say it all (e.g. a signature invalidated because
    # the generated document changed).
    note = models.TextField(blank=True, default="")

    kept_names = {"by": "by_name"}

    class Meta:
        ordering = ["at", "pk"]


# Steering committee: meetings and decisions -------------------------------------------------


class Meeting(models.Model):
    """A meeting of the plan's joint body: when, where, who attended, the agenda and minutes.
    Recorded by the coordinator or the secretary; public once published (final)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    document_url = models.URLField(_("document (link)"), blank=True, max_length=500)
    attendees = models.ManyToManyField(
        BoardMember, verbose_name=_("attendees"), related_name="meetings_attended", blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") | Q(online=True), name="meeting_place_or_online"
            )
        ]

    def __str__(self) -> str:
        return self.held_on.isoformat()


class DecisionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (DecisionStatus.NOT_STARTED, DecisionStatus.IN_PROGRESS)


class Decision(models.Model):
    """A decision taken at a meeting and who carries it out (an organisation, a member or
    both), by when. Its status is its latest update (DecisionUpdate): never rewritten."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("carried out by (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        BoardMember,
        verbose_name=_("carried out by (member)"),
        null=True,
        blank=True,
        # RESTRICT, not PROTECT: a seat that carries a decision is not removed alone, but
        # deleting the plan deletes seats and decisions together.
        on_delete=models.RESTRICT,
        related_name="decisions_carried",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DecisionStatus.choices,
        default=DecisionStatus.NOT_STARTED,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="steering_decision_text_required"),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(member__isnull=False),
                name="steering_decision_carried_by",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "in_progress", "done", "dropped"]),
                name="steering_decision_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, today: date | None = None) -> bool:
        """Past its due date and neither done nor dropped."""
        today = today or timezone.localdate()
        return self.due_on is not None and self.due_on < today and self.status in OPEN_STATUSES


class DecisionUpdate(models.Model):
    """One dated step of a decision's status: the history, only ever added to."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=20, choices=DecisionStatus.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    kept_names = {"by": "by_name"}

    class Meta:
        ordering = ["on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "in_progress", "done", "dropped"]),
                name="steering_decision_update_status_valid",
            )
        ]


# The board's co-signature of a plan version (docs/revisions.md, "The board's co-signature") ---


class VersionSignature(models.Model):
    """A member's approval of a draft plan version as its content then stood (the content
    hash, plans.versions.content_hash). It counts while not withdrawn and while the draft's
    content hash is still the one signed: a later change of the draft leaves it standing in
    the history but no longer counting. Same rules as a periodic report's Signature: a current
    seat with an account signs for its side."""

    version = models.ForeignKey(
        "plans.PlanVersion", on_delete=models.CASCADE, related_name="board_signatures"
    )
    # RESTRICT, not PROTECT: deleting the plan deletes seats and signatures together.
    member = models.ForeignKey(
        BoardMember, on_delete=models.RESTRICT, related_name="version_signatures"
    )
    side = models.CharField(max_length=20, choices=Side.choices)  # the member's, when signing
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who signed, kept when the account is deleted (core/history.py).
    by_name = models.CharField(max_length=150, blank=True, default="")
    at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)

    kept_names = {"by": "by_name"}

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "member", "content_hash"],
                condition=Q(withdrawn_at__isnull=True),
                name="version_signature_one_standing_per_member_and_content",
            ),
            models.CheckConstraint(
                condition=Q(side__in=["government", "civil_society"]),
                name="version_signature_side_valid",
            ),
            models.CheckConstraint(
                condition=~Q(content_hash=""), name="version_signature_hash_required"
            ),
        ]

    def counts_for(self, current_hash: str) -> bool:
        return self.withdrawn_at is None and self.content_hash == current_hash
