"""Writes on monitoring boards and periodic reports. Every function checks the caller's rights
(PlanAccess) itself; refusals raise PermissionDenied, bad input ValidationError, and nothing is
changed in either case (each write is one transaction, checked before anything is saved).

The report's life: draft → awaiting the board's signatures → published. With a board that
requires co-signature, publication happens by itself at the signature that gives the report a
valid signature from each side; otherwise the coordinator publishes. Editing an unpublished
report invalidates every signature given so far (the members approved another text).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.boards import notifications
from wpsmonitor.boards.models import (
    Board,
    BoardKind,
    BoardMember,
    Decision,
    DecisionStatus,
    DecisionUpdate,
    Dissent,
    EventKind,
    Meeting,
    PeriodicReport,
    ReportEvent,
    ReportStatus,
    Side,
    Signature,
    VersionSignature,
)
from wpsmonitor.boards.selectors import signed_sides
from wpsmonitor.core.periods import PeriodCodeError, parse_period
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Organisation, OrganisationType
from wpsmonitor.plans.models import Plan, PlanVersion
from wpsmonitor.plans.versions import content_hash
from wpsmonitor.reporting import evidence as evidence_files

# Who may sit for government: the state's own institutions. UN entities, donors, regional
# bodies and academia are neither side of the board's parity and are refused as members.
GOVERNMENT_TYPES = {
    OrganisationType.GOVERNMENT,
    OrganisationType.SECURITY,
    OrganisationType.PARLIAMENT,
    OrganisationType.LOCAL_GOVERNMENT,
}
PDF = "application/pdf"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


# Board ---------------------------------------------------------------------------------------


@service
def board_save(*, by: User, plan: Plan, name: str, requires_cosignature: bool) -> Board:
    """Create the plan's board, or change its name and its publication rule."""
    _require(PlanAccess.load(by, plan).can_manage_board())
    name = _text(name, _("Give the board a name."))[:200]
    board, created = Board.objects.get_or_create(
        plan=plan,
        defaults={"name": name, "requires_cosignature": requires_cosignature, "created_by": by},
    )
    if not created:
        board.name = name
        board.requires_cosignature = bool(requires_cosignature)
        board.save(update_fields=["name", "requires_cosignature"])
    return board


def _member_fields(
    board: Board,
    *,
    user: User | None,
    name: str,
    side: str,
    organisation: Any,
    since: Any,
    until: Any,
    exclude_pk: int | None = None,
) -> str:
    """Check a seat's fields; the name to store (an account's full name when left blank)."""
    if side not in Side.values:
        raise ValidationError(
            _("%(value)s is not a side; use one of: %(choices)s.")
            % {"value": side, "choices": ", ".join(Side.values)}
        )
    if not isinstance(organisation, Organisation) or not organisation.pk:
        raise ValidationError(_("Choose the member's organisation."))
    if side == Side.CIVIL_SOCIETY and organisation.type != OrganisationType.CIVIL_SOCIETY:
        raise ValidationError(
            _("%(org)s is not a civil-society organisation: its members sit for government.")
            % {"org": organisation.name}
        )
    if side == Side.GOVERNMENT and organisation.type not in GOVERNMENT_TYPES:
        raise ValidationError(
            _("%(org)s is not a government institution: it cannot sit for government.")
            % {"org": organisation.name}
        )
    if not isinstance(since, date):
        raise ValidationError(_("Give the date the membership starts."))
    if until is not None and (not isinstance(until, date) or until < since):
        raise ValidationError(_("The membership cannot end before it starts."))
    if user is not None:
        if not isinstance(user, get_user_model()) or not user.pk:
            raise ValidationError(_("The account does not exist."))
        # One seat at a time per person: overlapping seats would give two votes.
        others = BoardMember.objects.filter(board=board, user=user)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        for other in others:
            if other.since <= (until or date.max) and since <= (other.until or date.max):
                raise ValidationError(
                    _("%(user)s already sits on the board for these dates.")
                    % {"user": user.get_username()}
                )
    name = (name or "").strip()
    if not name and user is not None:
        name = user.get_full_name() or user.get_username()
    return _text(name, _("Give the member's name."))[:200]


@service
def member_add(
    *,
    by: User,
    board: Board,
    name: str,
    side: str,
    organisation: Organisation,
    since: date,
    user: User | None = None,
    position: str = "",
    until: date | None = None,
) -> BoardMember:
    """A seat on the board; `user` is the member's account (needed to sign), if they have one."""
    _require(PlanAccess.load(by, board.plan).can_manage_board())
    name = _member_fields(
        board,
        user=user,
        name=name,
        side=side,
        organisation=organisation,
        since=since,
        until=until,
    )
    return BoardMember.objects.create(
        board=board,
        user=user,
        name=name,
        side=side,
        organisation=organisation,
        position=(position or "").strip()[:200],
        since=since,
        until=until,
    )


@service
def member_update(
    *,
    by: User,
    member: BoardMember,
    name: str,
    side: str,
    organisation: Organisation,
    since: date,
    user: User | None = None,
    position: str = "",
    until: date | None = None,
) -> BoardMember:
    """Change a seat; ending a membership is setting `until`. Signatures already given stay."""
    _require(PlanAccess.load(by, member.board.plan).can_manage_board())
    if side != member.side and (member.signatures.exists() or member.dissents.exists()):
        raise ValidationError(
            _("This member has signed or dissented for their side: end the membership instead.")
        )
    member.name = _member_fields(
        member.board,
        user=user,
        name=name,
        side=side,
        organisation=organisation,
        since=since,
        until=until,
        exclude_pk=member.pk,
    )
    member.user = user
    member.side = side
    member.organisation = organisation
    member.position = (position or "").strip()[:200]
    member.since = since
    member.until = until
    member.save()
    return member


@service
def member_remove(*, by: User, member: BoardMember) -> None:
    """Delete a seat entered by mistake. A member who signed or dissented stays in the record:
    end their membership instead."""
    _require(PlanAccess.load(by, member.board.plan).can_manage_board())
    if member.signatures.exists() or member.dissents.exists():
        raise ValidationError(
            _("This member has signed or dissented: end the membership instead of deleting it.")
        )
    member.delete()


# Reports -------------------------------------------------------------------------------------


def _period(value: str) -> str:
    value = (value or "").strip()
    try:
        parse_period(value)
    except PeriodCodeError:
        raise ValidationError(
            _("%(value)s is not a period; write e.g. 2025, 2025S1 or 2025Q3.") % {"value": value}
        ) from None
    return value


def _event(
    report: PeriodicReport,
    kind: str,
    by: User,
    member: BoardMember | None = None,
    note: str = "",
) -> None:
    ReportEvent.objects.create(
        report=report,
        kind=kind,
        by=by,
        member=member,
        side=member.side if member else "",
        note=note,
    )


def _board(plan: Plan) -> Board | None:
    return Board.objects.filter(plan=plan).first()


def _requires_cosignature(plan: Plan) -> bool:
    board = _board(plan)
    return board is not None and board.requires_cosignature


@service
def report_create(*, by: User, plan: Plan, title: str, period: str, summary: str) -> PeriodicReport:
    """A draft report on the plan (the coordinator)."""
    _require(PlanAccess.load(by, plan).can_draft_reports())
    title = _text(title, _("Give the report a title."))[:300]
    period = _period(period)
    summary = _text(summary, _("Write the report's summary."))
    with transaction.atomic():
        report = PeriodicReport.objects.create(
            plan=plan, title=title, period=period, summary=summary, created_by=by
        )
        _event(report, EventKind.CREATED, by)
    return report


def _editable(by: User, report: PeriodicReport) -> PlanAccess:
    access = PlanAccess.load(by, report.plan)
    _require(access.can_draft_reports())
    if report.is_published:
        raise ValidationError(_("A published report cannot be changed."))
    return access


def _invalidate_signatures(report: PeriodicReport, by: User, note: str = "") -> int:
    """The members approved another text: their signatures stop counting; each is recorded
    (with `note`, the reason in words, when the kind does not say it all)."""
    now = timezone.now()
    valid = list(
        report.signatures.filter(withdrawn_at__isnull=True, invalidated_at__isnull=True)
        .select_related("member")
        .select_for_update(of=("self",))
    )
    for signature in valid:
        signature.invalidated_at = now
        signature.save(update_fields=["invalidated_at"])
        _event(report, EventKind.INVALIDATED, by, signature.member, note)
    return len(valid)


@service
def report_update(
    *, by: User, report: PeriodicReport, title: str, period: str, summary: str
) -> PeriodicReport:
    """Change an unpublished report. A real change invalidates the signatures given so far and,
    if the report awaits the board, asks the board again."""
    _editable(by, report)
    title = _text(title, _("Give the report a title."))[:300]
    period = _period(period)
    summary = _text(summary, _("Write the report's summary."))
    if (title, period, summary) == (report.title, report.period, report.summary):
        return report  # nothing changed: the signatures still stand
    with transaction.atomic():
        report.title, report.period, report.summary = title, period, summary
        report.save(update_fields=["title", "period", "summary"])
        _changed(report, by)
    return report


def _changed(
    report: PeriodicReport, by: User, kind: str = EventKind.EDITED, note: str = ""
) -> None:
    _event(report, kind, by, note=note)
    if _invalidate_signatures(report, by, note) and report.status == ReportStatus.AWAITING:
        transaction.on_commit(lambda: notifications.awaiting_signature(report.pk, edited=True))


@service
def report_attach(*, by: User, report: PeriodicReport, upload: UploadedFile) -> PeriodicReport:
    """Attach (or replace) the report's PDF, checked like evidence files and then as a PDF.
    Like any edit, it invalidates the signatures given so far."""
    _editable(by, report)
    if evidence_files.check(upload) != PDF:
        raise ValidationError(_("Attach the report as a PDF file."))
    with transaction.atomic():
        old = report.file.name if report.file else ""
        report.filename = evidence_files.safe_name(upload.name or "report.pdf")
        report.size = upload.size or 0
        report.file.save("report", upload, save=False)
        # A PDF written elsewhere is no longer the platform's generated document.
        report.document_hash = ""
        report.save(update_fields=["file", "filename", "size", "document_hash"])
        _changed(report, by)
        if old:
            storage = report.file.storage
            transaction.on_commit(lambda: storage.delete(old))
    return report


@service
def report_document_set(
    *,
    by: User,
    report: PeriodicReport,
    document_hash: str,
    pdf: bytes,
    filename: str,
    reason: str,
) -> bool:
    """Make a document generated by the platform the report's own (docs/boards.md, "The
    document hash"): its PDF becomes the report's file and its content hash the report's
    `document_hash`, to which the members' signatures are bound. When the hash changes (a
    regeneration that says something else), the signatures given so far are invalidated with
    `reason`, in words, in the history, and the board is asked again. The same hash changes
    nothing. Whether the document changed: True or False."""
    _editable(by, report)
    document_hash = (document_hash or "").strip().lower()
    if len(document_hash) != 64 or any(c not in "0123456789abcdef" for c in document_hash):
        raise ValidationError(_("The document hash must be a SHA-256 in hexadecimal."))
    if not pdf.startswith(b"%PDF-"):
        raise ValidationError(_("Attach the report as a PDF file."))
    with transaction.atomic():
        report = _locked(report)  # compared with the stored hash, not the caller's copy
        if document_hash == report.document_hash:
            return False
        old = report.file.name if report.file else ""
        report.document_hash = document_hash
        report.filename = evidence_files.safe_name(filename or "report.pdf")
        report.size = len(pdf)
        report.file.save("report", ContentFile(pdf), save=False)
        report.save(update_fields=["document_hash", "file", "filename", "size"])
        _changed(report, by, EventKind.DOCUMENT, reason)
        if old:
            storage = report.file.storage
            transaction.on_commit(lambda: storage.delete(old))
    return True


@service
def report_submit(*, by: User, report: PeriodicReport) -> PeriodicReport:
    """Send the draft to the board: its members with an account are told it awaits them."""
    _editable(by, report)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("The report is already with the board."))
    board = _board(report.plan)
    if board is None:
        raise ValidationError(_("The plan has no monitoring board: publish the report directly."))
    today = timezone.localdate()
    signers = {
        m.side
        for m in board.members.filter(user__isnull=False, user__is_active=True)
        if m.is_current(today)
    }
    if board.requires_cosignature and signers != {Side.GOVERNMENT, Side.CIVIL_SOCIETY}:
        # Otherwise the report would wait for a signature nobody can give.
        raise ValidationError(
            _(
                "The board needs a current member with an account on each side before it can "
                "co-sign a report."
            )
        )
    if not signers:
        raise ValidationError(_("The board has no current member with an account."))
    with transaction.atomic():
        report.status = ReportStatus.AWAITING
        report.save(update_fields=["status"])
        _event(report, EventKind.SUBMITTED, by)
        transaction.on_commit(lambda: notifications.awaiting_signature(report.pk))
    return report


def _publish(report: PeriodicReport, by: User, seat: BoardMember | None = None) -> None:
    """`seat`: the member whose signature completed both sides (the history names them)."""
    report.status = ReportStatus.PUBLISHED
    report.published_at = timezone.now()
    report.save(update_fields=["status", "published_at"])
    _event(report, EventKind.PUBLISHED, by, seat)


@service
def report_publish(*, by: User, report: PeriodicReport) -> PeriodicReport:
    """The coordinator publishes: only when the plan's board does not require co-signature
    (or the plan has no board)."""
    _editable(by, report)
    if _requires_cosignature(report.plan):
        raise ValidationError(
            _(
                "The board must co-sign this report: it is published when a government member "
                "and a civil-society member have both signed it."
            )
        )
    with transaction.atomic():
        _publish(report, by)
    return report


def _seat(by: User, report: PeriodicReport, *, signing: bool) -> BoardMember:
    access = PlanAccess.load(by, report.plan)
    _require(access.can_sign(report) if signing else access.can_dissent(report))
    assert access.board_seat is not None  # can_sign / can_dissent require it
    return access.board_seat


def _locked(report: PeriodicReport) -> PeriodicReport:
    """The report's row, locked: two last signatures at once must publish it once."""
    return PeriodicReport.objects.select_for_update().get(pk=report.pk)


@service
def report_sign(*, by: User, report: PeriodicReport) -> PeriodicReport:
    """A board member signs for their side. With co-signature required, the signature that
    completes both sides publishes the report."""
    seat = _seat(by, report, signing=True)
    with transaction.atomic():
        report = _locked(report)
        if report.status != ReportStatus.AWAITING:
            raise ValidationError(_("The report does not await signatures."))
        if report.signatures.filter(
            member=seat, withdrawn_at__isnull=True, invalidated_at__isnull=True
        ).exists():
            raise ValidationError(_("You have already signed this report."))
        Signature.objects.create(
            report=report,
            member=seat,
            side=seat.side,
            by=by,
            document_hash=report.document_hash,
        )
        _event(report, EventKind.SIGNED, by, seat)
        board = _board(report.plan)
        both = signed_sides(report) == {Side.GOVERNMENT, Side.CIVIL_SOCIETY}
        if board is not None and board.requires_cosignature and both:
            _publish(report, by, seat)
    return report


@service
def report_withdraw(*, by: User, report: PeriodicReport) -> PeriodicReport:
    """A member withdraws their signature, before publication."""
    seat = _seat(by, report, signing=True)
    with transaction.atomic():
        report = _locked(report)
        signature = report.signatures.filter(
            member=seat, withdrawn_at__isnull=True, invalidated_at__isnull=True
        ).first()
        if report.status != ReportStatus.AWAITING or signature is None:
            raise ValidationError(_("You have no signature to withdraw on this report."))
        signature.withdrawn_at = timezone.now()
        signature.save(update_fields=["withdrawn_at"])
        _event(report, EventKind.WITHDRAWN, by, seat)
    return report


@service
def report_dissent(*, by: User, report: PeriodicReport, text: str) -> Dissent:
    """A member attaches a dissenting statement (replacing their earlier one), published with
    the report. It neither signs nor blocks publication."""
    seat = _seat(by, report, signing=False)
    text = _text(text, _("Write the dissenting statement."))
    with transaction.atomic():
        report = _locked(report)
        if report.is_published:
            raise ValidationError(_("A published report cannot be changed."))
        now = timezone.now()
        report.dissents.filter(member=seat, withdrawn_at__isnull=True).update(withdrawn_at=now)
        dissent = Dissent.objects.create(
            report=report, member=seat, side=seat.side, text=text, by=by, at=now
        )
        _event(report, EventKind.DISSENTED, by, seat)
    return dissent


@service
def report_dissent_withdraw(*, by: User, report: PeriodicReport) -> PeriodicReport:
    seat = _seat(by, report, signing=False)
    with transaction.atomic():
        report = _locked(report)
        if report.is_published:
            raise ValidationError(_("A published report cannot be changed."))
        if not report.dissents.filter(member=seat, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        ):
            raise ValidationError(_("You have no dissenting statement on this report."))
        _event(report, EventKind.DISSENT_WITHDRAWN, by, seat)
    return report


# Steering committee: meetings and decisions --------------------------------------------------


@service
def board_kind_set(*, by: User, board: Board, kind: str, secretary: BoardMember | None) -> Board:
    """Say what the joint body is (monitoring board, steering committee, joint task force) and
    name its secretary (a current seat), or none: the coordinator."""
    _require(PlanAccess.load(by, board.plan).can_manage_board())
    if kind not in BoardKind.values:
        raise ValidationError(
            {
                "kind": _("%(value)s is not a kind of body; use one of: %(choices)s.")
                % {"value": kind, "choices": ", ".join(BoardKind.values)}
            }
        )
    if secretary is not None and (secretary.board_id != board.pk or not secretary.is_current()):
        raise ValidationError(
            {"secretary": _("The secretary must be a current member of the body.")}
        )
    if secretary is not None and secretary.user_id is None:
        raise ValidationError(
            {"secretary": _("The secretary needs an account to record meetings.")}
        )
    board.kind = kind
    board.secretary = secretary
    board.save(update_fields=["kind", "secretary"])
    return board


def _manages_meetings(by: User, board: Board) -> None:
    _require(PlanAccess.load(by, board.plan).can_manage_meetings())


def _attendees(board: Board, held_on: date, attendees: Any) -> list[BoardMember]:
    chosen = list(attendees or [])
    for member in chosen:
        if not isinstance(member, BoardMember) or member.board_id != board.pk:
            raise ValidationError({"attendees": _("An attendee is not a member of the body.")})
        if not member.is_current(held_on):
            raise ValidationError(
                {
                    "attendees": _("%(name)s did not sit on the body on %(date)s.")
                    % {"name": member.name, "date": held_on.isoformat()}
                }
            )
    return chosen


def _meeting_fields(
    board: Board,
    *,
    held_on: Any,
    place: str,
    online: bool,
    agenda: str,
    minutes: str,
    document_url: str,
    attendees: Any,
) -> tuple[dict[str, Any], list[BoardMember]]:
    if not isinstance(held_on, date):
        raise ValidationError({"held_on": _("Give the date of the meeting.")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record a meeting once it has been held.")})
    place = (place or "").strip()[:200]
    if not place and not online:
        raise ValidationError(
            {"place": _("Give the place of the meeting, or say it was held online.")}
        )
    document_url = (document_url or "").strip()
    if document_url and not document_url.startswith(("https://", "http://")):
        raise ValidationError(
            {"document_url": _("The document must be a web address (https://…).")}
        )
    fields = {
        "held_on": held_on,
        "place": place,
        "online": bool(online),
        "agenda": (agenda or "").strip(),
        "minutes": (minutes or "").strip(),
        "document_url": document_url[:500],
    }
    return fields, _attendees(board, held_on, attendees)


@service
def meeting_create(
    *,
    by: User,
    board: Board,
    held_on: Any,
    place: str = "",
    online: bool = False,
    agenda: str = "",
    minutes: str = "",
    document_url: str = "",
    attendees: Any = (),
) -> Meeting:
    """Record a meeting held by the body (unpublished: its members and the plan's read it)."""
    _manages_meetings(by, board)
    fields, chosen = _meeting_fields(
        board,
        held_on=held_on,
        place=place,
        online=online,
        agenda=agenda,
        minutes=minutes,
        document_url=document_url,
        attendees=attendees,
    )
    meeting = Meeting.objects.create(board=board, created_by=by, **fields)
    meeting.attendees.set(chosen)
    return meeting


def _open_meeting(by: User, meeting: Meeting) -> Meeting:
    _manages_meetings(by, meeting.board)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.published_at is not None:
        raise ValidationError(_("The meeting is published: its record is final."))
    return locked


@service
def meeting_update(
    *,
    by: User,
    meeting: Meeting,
    held_on: Any,
    place: str = "",
    online: bool = False,
    agenda: str = "",
    minutes: str = "",
    document_url: str = "",
    attendees: Any = (),
) -> Meeting:
    """Change an unpublished meeting's record (date, place, attendance, agenda, minutes)."""
    locked = _open_meeting(by, meeting)
    fields, chosen = _meeting_fields(
        locked.board,
        held_on=held_on,
        place=place,
        online=online,
        agenda=agenda,
        minutes=minutes,
        document_url=document_url,
        attendees=attendees,
    )
    if fields["held_on"] != locked.held_on and locked.decisions.exists():
        # Its decisions' histories start on the meeting's day: they are never rewritten.
        raise ValidationError(
            {"held_on": _("The meeting has decisions: its date can no longer change.")}
        )
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(fields))
    locked.attendees.set(chosen)
    return locked


@service
def meeting_publish(*, by: User, meeting: Meeting) -> Meeting:
    """Publish the meeting's record and its decisions: final, public with the plan."""
    locked = _open_meeting(by, meeting)
    if not locked.minutes:
        raise ValidationError({"minutes": _("Write the minutes before publishing the meeting.")})
    locked.published_at = timezone.now()
    locked.save(update_fields=["published_at"])
    return locked


@service
def decision_add(
    *,
    by: User,
    meeting: Meeting,
    text: str,
    organisation: Organisation | None = None,
    member: BoardMember | None = None,
    due_on: date | None = None,
) -> Decision:
    """Record a decision taken at the meeting and who carries it out (an organisation, a
    member of the body, or both), by when. Its history starts "not started" on the meeting's
    date."""
    locked = _open_meeting(by, meeting)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the decision.")})
    text = text.strip()
    if organisation is None and member is None:
        raise ValidationError(
            {"member": _("Say who carries the decision out: an organisation or a member.")}
        )
    if member is not None and member.board_id != locked.board_id:
        raise ValidationError({"member": _("The member who carries it out must sit on the body.")})
    if due_on is not None and (not isinstance(due_on, date) or due_on < locked.held_on):
        raise ValidationError({"due_on": _("The due date cannot come before the meeting.")})
    decision = Decision.objects.create(
        meeting=locked, text=text, organisation=organisation, member=member, due_on=due_on
    )
    DecisionUpdate.objects.create(
        decision=decision, status=DecisionStatus.NOT_STARTED, on=locked.held_on, by=by
    )
    return decision


@service
def decision_update(
    *, by: User, decision: Decision, status: str, on: Any = None, note: str = ""
) -> Decision:
    """Add a dated status to the decision's history (never changing earlier steps): those who
    record meetings, and the member who carries it out."""
    _require(PlanAccess.load(by, decision.meeting.board.plan).can_update_decision(decision))
    if status not in DecisionStatus.values:
        raise ValidationError(
            {
                "status": _("%(value)s is not a status; use one of: %(choices)s.")
                % {"value": status, "choices": ", ".join(DecisionStatus.values)}
            }
        )
    on = on or timezone.localdate()
    if not isinstance(on, date):
        raise ValidationError({"on": _("Give the date of the update.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("An update cannot be dated in the future.")})
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    last = locked.updates.order_by("-on", "-pk").first()
    if last is not None and on < last.on:
        raise ValidationError(
            {
                "on": _("The history is never rewritten: date the update on or after %(date)s.")
                % {"date": last.on.isoformat()}
            }
        )
    if last is not None and last.status == status and not (note or "").strip():
        raise ValidationError(
            {"note": _("The decision already has this status: add a note or a change.")}
        )
    DecisionUpdate.objects.create(
        decision=locked, status=status, on=on, note=(note or "").strip(), by=by
    )
    locked.status = status
    locked.save(update_fields=["status"])
    return locked


# The board's co-signature of a plan version (docs/revisions.md, "The board's co-signature") ---


def _version_seat(by: User, version: PlanVersion) -> BoardMember:
    access = PlanAccess.load(by, version.plan)
    _require(access.can_cosign_version(version))
    assert access.board_seat is not None  # can_cosign_version requires it
    return access.board_seat


def _locked_version(version: PlanVersion) -> PlanVersion:
    """The version's row, locked: two last signatures at once must stamp it once."""
    return PlanVersion.objects.select_for_update().get(pk=version.pk)


def _stamp(version: PlanVersion, current: str) -> None:
    """Stamp the version co-signed when a government and a civil-society member's signatures
    count on its content now; clear the stamp when they no longer do."""
    sides = set(
        VersionSignature.objects.filter(
            version=version, withdrawn_at__isnull=True, content_hash=current
        ).values_list("side", flat=True)
    )
    if sides == {Side.GOVERNMENT, Side.CIVIL_SOCIETY}:
        if version.board_cosigned_hash != current or version.board_cosigned_at is None:
            version.board_cosigned_at = timezone.now()
            version.board_cosigned_hash = current
            version.save(update_fields=["board_cosigned_at", "board_cosigned_hash"])
    elif version.board_cosigned_at is not None or version.board_cosigned_hash:
        version.board_cosigned_at = None
        version.board_cosigned_hash = ""
        version.save(update_fields=["board_cosigned_at", "board_cosigned_hash"])


@service
def version_sign(*, by: User, version: PlanVersion, expected_hash: str = "") -> PlanVersion:
    """A current board member signs a draft version that requires the board's co-signature,
    for their side, on its content as it stands now. When a government and a civil-society
    signature both count, the version is stamped co-signed (PlanVersion.board_cosigned_at).
    `expected_hash`, when given (the content the signer read), must still be the content now:
    a draft changed in between is not signed unseen."""
    seat = _version_seat(by, version)
    version = _locked_version(version)
    if version.status != "draft" or not version.board_cosign_required:
        raise ValidationError(_("This version does not await the board's co-signature."))
    current = content_hash(version)
    if expected_hash and expected_hash != current:
        raise ValidationError(
            _("The draft changed since you opened it: read it again before signing.")
        )
    if VersionSignature.objects.filter(
        version=version, member=seat, withdrawn_at__isnull=True, content_hash=current
    ).exists():
        raise ValidationError(_("You have already signed this version as it stands."))
    VersionSignature.objects.create(
        version=version, member=seat, side=seat.side, by=by, content_hash=current
    )
    _stamp(version, current)
    return version


@service
def version_withdraw(*, by: User, version: PlanVersion) -> PlanVersion:
    """A member withdraws their signature of a draft version (every standing one, whatever
    content it was given on); the stamp goes if a side no longer counts."""
    seat = _version_seat(by, version)
    version = _locked_version(version)
    if version.status != "draft":
        raise ValidationError(_("An approved version is never changed: prepare a new revision."))
    if not VersionSignature.objects.filter(
        version=version, member=seat, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now()):
        raise ValidationError(_("You have no signature to withdraw on this version."))
    _stamp(version, content_hash(version))
    return version
