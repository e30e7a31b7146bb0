"""Monitoring boards and periodic reports in the JSON API.

The same selectors and services as the pages, so the same rules: a plan or report the caller
may not see is a 404, an action they may not take a 403. Writes need a bearer token. The
report's life is driven by one transition endpoint: submit, publish, sign, withdraw, dissent,
withdraw-dissent.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.auth import READ_AUTH, WRITE_AUTH, api_user
from wpsmonitor.boards import selectors, services
from wpsmonitor.boards.models import Board, BoardMember, Decision, Meeting, PeriodicReport
from wpsmonitor.core.api import READ_ERRORS, ApiError, ErrorOut, Id, not_found
from wpsmonitor.core.history import kept_name
from wpsmonitor.directory.models import Organisation

router = Router(tags=["boards"], auth=READ_AUTH)

WRITE_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class BalanceOut(Schema):
    government: int = Field(description="Current government members")
    civil_society: int = Field(description="Current civil-society members")
    state: str = Field(description="no_members, below_parity, parity or civil_society_majority")
    below_parity: bool
    label: str


class MemberOut(Schema):
    id: int
    name: str
    has_account: bool = Field(description="Whether the member has an account (needed to sign)")
    username: str | None = Field(
        description="The member's account: shown to those who manage the board only (null for "
        "everyone else: login names are not published)"
    )
    side: str
    organisation: str = Field(description="Organisation code")
    position: str
    since: date
    until: date | None
    current: bool


class BoardOut(Schema):
    plan: str
    name: str
    kind: str = Field(description="monitoring, steering (committee) or task_force (joint)")
    requires_cosignature: bool
    balance: BalanceOut
    members: list[MemberOut]


class BoardIn(Schema):
    name: str
    requires_cosignature: bool = True


class MemberIn(Schema):
    name: str = Field("", description="Empty: the account's name")
    username: str | None = Field(None, description="The member's account, needed to sign")
    side: str = Field(description="government or civil_society")
    organisation: str = Field(description="Organisation code")
    position: str = ""
    since: date
    until: date | None = None


class SignatureOut(Schema):
    member: int
    name: str
    side: str
    organisation: str
    at: datetime
    valid: bool
    withdrawn_at: datetime | None
    invalidated_at: datetime | None
    document_hash: str = Field(
        "", description="The report's document hash when signed: the content it is bound to"
    )


class DissentOut(Schema):
    member: int
    name: str
    side: str
    organisation: str
    text: str
    at: datetime


class ReportEventOut(Schema):
    kind: str
    by: str | None = Field(
        description="Who acted, by name (the member's, or the account's full name), never a login"
    )
    member: int | None
    side: str
    at: datetime
    note: str = Field("", description="Why, in words, where the kind does not say it all")


class ReportOut(Schema):
    id: int
    plan: str
    title: str
    period: str
    status: str = Field(description="draft, awaiting or published")
    published_at: datetime | None
    file: str | None = Field(description="Address of the PDF, for readers of the report")
    figures: str = Field(description="Address of the plan's figures for the period")
    document_hash: str = Field(
        "",
        description="SHA-256 of the generated document the board signs; empty for a report "
        "written elsewhere",
    )


class ReportDetailOut(ReportOut):
    summary: str
    signing: str = Field(description="Where the report stands with the board, in words")
    signed_sides: list[str]
    signatures: list[SignatureOut] = Field(description="Every signature, valid or not")
    dissents: list[DissentOut] = Field(description="Standing dissenting statements")
    history: list[ReportEventOut]


class ReportIn(Schema):
    title: str
    period: str = Field(description="Period code: 2025, 2025S1, 2025Q3")
    summary: str


class Transition(StrEnum):
    SUBMIT = "submit"
    PUBLISH = "publish"
    SIGN = "sign"
    WITHDRAW = "withdraw"
    DISSENT = "dissent"
    WITHDRAW_DISSENT = "withdraw-dissent"


class TransitionIn(Schema):
    text: str = Field("", description="The dissenting statement (dissent only)")


def _access(request: HttpRequest, plan: str) -> PlanAccess:
    return selectors.board_access(api_user(request), plan)


def _board(access: PlanAccess) -> Board:
    board = selectors.board_of(access.plan)
    if board is None:
        raise not_found(_("The plan has no monitoring board."))
    return board


def _member_out(m: BoardMember, *, managed: bool) -> dict[str, Any]:
    """A seat: the member's name and seat; their login only for the board's managers."""
    return {
        "id": m.pk,
        "name": m.name,
        "has_account": m.user_id is not None,
        "username": m.user.get_username() if managed and m.user else None,
        "side": m.side,
        "organisation": m.organisation.code,
        "position": m.position,
        "since": m.since,
        "until": m.until,
        "current": m.is_current(),
    }


def _board_out(board: Board, access: PlanAccess) -> dict[str, Any]:
    members = list(board.members.all())
    found = selectors.balance(members)
    return {
        "plan": board.plan.code,
        "name": board.name,
        "kind": board.kind,
        "requires_cosignature": board.requires_cosignature,
        "balance": {
            "government": found.government,
            "civil_society": found.civil_society,
            "state": found.state,
            "below_parity": found.below_parity,
            "label": found.label,
        },
        "members": [_member_out(m, managed=access.can_manage_board()) for m in members],
    }


def _report_out(r: PeriodicReport) -> dict[str, Any]:
    code = r.plan.code
    return {
        "id": r.pk,
        "plan": code,
        "title": r.title,
        "period": r.period,
        "status": r.status,
        "published_at": r.published_at,
        "file": reverse("boards:report_file", args=[code, r.pk]) if r.file else None,
        "figures": reverse("portal:plan", args=[code]) + selectors.figures_query(r.period),
        "document_hash": r.document_hash,
    }


def _detail(r: PeriodicReport, board: Board | None) -> dict[str, Any]:
    state = selectors.signing(r, board)
    return _report_out(r) | {
        "summary": r.summary,
        "signing": state.label(r.status),
        "signed_sides": sorted(state.sides),
        "signatures": [
            {
                "member": s.member_id,
                "name": s.member.name,
                "side": s.side,
                "organisation": s.member.organisation.code,
                "at": s.at,
                "valid": s.is_valid,
                "withdrawn_at": s.withdrawn_at,
                "invalidated_at": s.invalidated_at,
                "document_hash": s.document_hash,
            }
            for s in r.signatures.all()
        ],
        "dissents": [
            {
                "member": d.member_id,
                "name": d.member.name,
                "side": d.side,
                "organisation": d.member.organisation.code,
                "text": d.text,
                "at": d.at,
            }
            for d in selectors.standing_dissents(r)
        ],
        "history": [
            {
                "kind": e.kind,
                # A name, never a login: published reports are public.
                "by": (e.member.name if e.member else e.by.get_full_name() or None)
                if e.by
                else None,
                "member": e.member_id,
                "side": e.side,
                "at": e.at,
                "note": e.note,
            }
            for e in r.events.all()
        ],
    }


def _reread(access: PlanAccess, pk: int) -> dict[str, Any]:
    return _detail(selectors.report_for(access, pk), selectors.board_of(access.plan))


def _member_args(body: MemberIn) -> dict[str, Any]:
    organisation = Organisation.objects.filter(code=body.organisation).first()
    if organisation is None:
        raise ApiError(
            400,
            _("No organisation with code %(code)s.") % {"code": body.organisation},
            [{"row": None, "field": "organisation", "message": _("Unknown organisation.")}],
        )
    user = None
    if body.username:
        user = get_user_model().objects.filter(username=body.username).first()
        if user is None:
            raise ApiError(
                400,
                _("No account with the user name %(name)s.") % {"name": body.username},
                [{"row": None, "field": "username", "message": _("Unknown account.")}],
            )
    return {
        "user": user,
        "name": body.name,
        "side": body.side,
        "organisation": organisation,
        "position": body.position,
        "since": body.since,
        "until": body.until,
    }


# Board ---------------------------------------------------------------------------------------


@router.get(
    "/plans/{plan}/board",
    response={200: BoardOut, **READ_ERRORS},
    summary="The plan's monitoring board: its rule, its members and the balance between sides",
    operation_id="board_get",
)
def get_board(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = _access(request, plan)
    return _board_out(_board(access), access)


@router.put(
    "/plans/{plan}/board",
    auth=WRITE_AUTH,
    response={200: BoardOut, **WRITE_ERRORS},
    summary="Create the board or change its name and co-signature rule (coordinators)",
    operation_id="board_save",
)
def save_board(request: HttpRequest, plan: str, body: BoardIn) -> dict[str, Any]:
    access = _access(request, plan)
    services.board_save(
        by=api_user(request),
        plan=access.plan,
        name=body.name,
        requires_cosignature=body.requires_cosignature,
    )
    return _board_out(_board(access), access)


@router.post(
    "/plans/{plan}/board/members",
    auth=WRITE_AUTH,
    response={200: BoardOut, **WRITE_ERRORS},
    summary="Add a member to the board (coordinators)",
    operation_id="board_member_add",
)
def add_member(request: HttpRequest, plan: str, body: MemberIn) -> dict[str, Any]:
    access = _access(request, plan)
    if not access.can_manage_board():
        raise ApiError(403, _("You may not do this."))
    board = _board(access)
    args = _member_args(body)
    services.member_add(by=api_user(request), board=board, **args)
    return _board_out(_board(access), access)


def _seat(access: PlanAccess, pk: int) -> BoardMember:
    seat = (
        BoardMember.objects.filter(board__plan=access.plan, pk=pk)
        .select_related("board__plan")
        .first()
    )
    if seat is None:
        raise not_found(_("No board member %(id)s.") % {"id": pk})
    return seat


@router.put(
    "/plans/{plan}/board/members/{pk}",
    auth=WRITE_AUTH,
    response={200: BoardOut, **WRITE_ERRORS},
    summary="Change a membership; end it by giving `until` (coordinators)",
    operation_id="board_member_update",
)
def update_member(request: HttpRequest, plan: str, pk: Id, body: MemberIn) -> dict[str, Any]:
    access = _access(request, plan)
    if not access.can_manage_board():
        raise ApiError(403, _("You may not do this."))
    seat = _seat(access, pk)
    args = _member_args(body)
    services.member_update(by=api_user(request), member=seat, **args)
    return _board_out(_board(access), access)


@router.delete(
    "/plans/{plan}/board/members/{pk}",
    auth=WRITE_AUTH,
    response={200: BoardOut, **WRITE_ERRORS},
    summary="Delete a membership entered by mistake (not one that signed or dissented)",
    operation_id="board_member_delete",
)
def delete_member(request: HttpRequest, plan: str, pk: Id) -> dict[str, Any]:
    access = _access(request, plan)
    if not access.can_manage_board():
        raise ApiError(403, _("You may not do this."))
    seat = _seat(access, pk)
    services.member_remove(by=api_user(request), member=seat)
    return _board_out(_board(access), access)


# Reports -------------------------------------------------------------------------------------


@router.get(
    "/plans/{plan}/reports",
    response={200: list[ReportOut], **READ_ERRORS},
    summary="The plan's periodic reports: published ones, and drafts for plan and board members",
    operation_id="reports_list",
)
def list_reports(request: HttpRequest, plan: str) -> list[dict[str, Any]]:
    access = _access(request, plan)
    return [_report_out(r) for r in selectors.visible_reports(access).select_related("plan")]


@router.get(
    "/plans/{plan}/reports/{pk}",
    response={200: ReportDetailOut, **READ_ERRORS},
    summary="One report with its signatures, dissenting statements and history",
    operation_id="report_get",
)
def get_report(request: HttpRequest, plan: str, pk: Id) -> dict[str, Any]:
    return _reread(_access(request, plan), pk)


@router.post(
    "/plans/{plan}/reports",
    auth=WRITE_AUTH,
    response={200: ReportDetailOut, **WRITE_ERRORS},
    summary="Draft a periodic report (coordinators)",
    operation_id="report_create",
)
def create_report(request: HttpRequest, plan: str, body: ReportIn) -> dict[str, Any]:
    access = _access(request, plan)
    report = services.report_create(
        by=api_user(request),
        plan=access.plan,
        title=body.title,
        period=body.period,
        summary=body.summary,
    )
    return _reread(access, report.pk)


@router.put(
    "/plans/{plan}/reports/{pk}",
    auth=WRITE_AUTH,
    response={200: ReportDetailOut, **WRITE_ERRORS},
    summary="Change an unpublished report (coordinators); invalidates the signatures given",
    operation_id="report_update",
)
def update_report(request: HttpRequest, plan: str, pk: Id, body: ReportIn) -> dict[str, Any]:
    access = _access(request, plan)
    report = selectors.report_for(access, pk)
    services.report_update(
        by=api_user(request),
        report=report,
        title=body.title,
        period=body.period,
        summary=body.summary,
    )
    return _reread(access, pk)


@router.post(
    "/plans/{plan}/reports/{pk}/file",
    auth=WRITE_AUTH,
    response={200: ReportDetailOut, **WRITE_ERRORS},
    summary="Attach or replace the report's PDF (multipart form: file); invalidates signatures",
    operation_id="report_attach",
)
def attach_file(
    request: HttpRequest, plan: str, pk: Id, file: File[UploadedFile]
) -> dict[str, Any]:
    access = _access(request, plan)
    report = selectors.report_for(access, pk)
    services.report_attach(
        by=api_user(request),
        report=report,
        upload=file,
    )
    return _reread(access, pk)


@router.post(
    "/plans/{plan}/reports/{pk}/{transition}",
    auth=WRITE_AUTH,
    response={200: ReportDetailOut, **WRITE_ERRORS},
    summary="Send to the board (submit), publish (without co-signature), sign, withdraw a "
    "signature, attach a dissenting statement (text) or withdraw it",
    operation_id="report_transition",
)
def transition(
    request: HttpRequest, plan: str, pk: Id, transition: Transition, body: TransitionIn
) -> dict[str, Any]:
    access = _access(request, plan)
    report = selectors.report_for(access, pk)
    user = api_user(request)
    calls = {
        Transition.SUBMIT: lambda: services.report_submit(by=user, report=report),
        Transition.PUBLISH: lambda: services.report_publish(by=user, report=report),
        Transition.SIGN: lambda: services.report_sign(by=user, report=report),
        Transition.WITHDRAW: lambda: services.report_withdraw(by=user, report=report),
        Transition.DISSENT: lambda: services.report_dissent(by=user, report=report, text=body.text),
        Transition.WITHDRAW_DISSENT: lambda: services.report_dissent_withdraw(
            by=user, report=report
        ),
    }
    calls[transition]()
    return _reread(access, pk)


# Steering committee: meetings and decisions --------------------------------------------------


class SteeringAttendeeOut(Schema):
    member: int = Field(description="The seat's id (see the board's members)")
    name: str
    side: str
    organisation: str = Field(description="Organisation code")


class SteeringDecisionUpdateOut(Schema):
    status: str
    on: date
    note: str
    by: str = Field(description="Who recorded it (a name, never a login)")


class SteeringDecisionOut(Schema):
    id: int
    meeting: int
    text: str
    organisation: str | None = Field(description="Organisation code of who carries it out")
    member: int | None = Field(description="The seat of the member who carries it out")
    member_name: str | None
    due_on: date | None
    status: str = Field(description="not_started, in_progress, done or dropped")
    overdue: bool = Field(description="Past its due date, neither done nor dropped")
    updates: list[SteeringDecisionUpdateOut]


class SteeringMeetingOut(Schema):
    id: int
    held_on: date
    place: str
    online: bool
    published: bool
    attendance: BalanceOut = Field(description="The balance of those who attended")


class SteeringMeetingDetailOut(SteeringMeetingOut):
    agenda: str
    minutes: str
    document_url: str
    attendees: list[SteeringAttendeeOut]
    decisions: list[SteeringDecisionOut]


def _decision_out(d: Decision) -> dict[str, Any]:
    return {
        "id": d.pk,
        "meeting": d.meeting_id,
        "text": d.text,
        "organisation": d.organisation.code if d.organisation else None,
        "member": d.member_id,
        "member_name": d.member.name if d.member else None,
        "due_on": d.due_on,
        "status": d.status,
        "overdue": d.is_overdue(),
        "updates": [
            {"status": u.status, "on": u.on, "note": u.note, "by": kept_name(u, "by")}
            for u in d.updates.all()
        ],
    }


def _meeting_out(m: Meeting) -> dict[str, Any]:
    b = selectors.attendance(m)
    return {
        "id": m.pk,
        "held_on": m.held_on,
        "place": m.place,
        "online": m.online,
        "published": m.published_at is not None,
        "attendance": {
            "government": b.government,
            "civil_society": b.civil_society,
            "state": b.state,
            "below_parity": b.below_parity,
            "label": b.label,
        },
    }


@router.get(
    "/plans/{plan}/board/meetings",
    response={200: list[SteeringMeetingOut], **READ_ERRORS},
    summary="The body's meetings: published ones, and the rest for plan and board members",
    operation_id="board_meetings_list",
)
def list_meetings(request: HttpRequest, plan: str) -> list[dict[str, Any]]:
    access = _access(request, plan)
    return [_meeting_out(m) for m in selectors.visible_meetings(access)]


@router.get(
    "/plans/{plan}/board/meetings/{pk}",
    response={200: SteeringMeetingDetailOut, **READ_ERRORS},
    summary="One meeting: attendance and its balance, agenda, minutes, decisions and history",
    operation_id="board_meeting_get",
)
def get_meeting(request: HttpRequest, plan: str, pk: Id) -> dict[str, Any]:
    return _meeting_detail(selectors.meeting_for(_access(request, plan), pk))


def _meeting_detail(m: Meeting) -> dict[str, Any]:
    return {
        **_meeting_out(m),
        "agenda": m.agenda,
        "minutes": m.minutes,
        "document_url": m.document_url,
        "attendees": [
            {
                "member": a.pk,
                "name": a.name,
                "side": a.side,
                "organisation": a.organisation.code,
            }
            for a in m.attendees.all()
        ],
        "decisions": [_decision_out(d) for d in m.decisions.all()],
    }


@router.get(
    "/plans/{plan}/board/decisions",
    response={200: list[SteeringDecisionOut], **READ_ERRORS},
    summary="The decisions of the meetings the caller may see, with their status and history",
    operation_id="board_decisions_list",
)
def list_decisions(request: HttpRequest, plan: str) -> list[dict[str, Any]]:
    return [_decision_out(d) for d in selectors.visible_decisions(_access(request, plan))]


# Steering committee: writes (issue 19) ------------------------------------------------------
# Record a meeting, its attendance and minutes, publish it; add its decisions and their dated
# status updates. The same services as the pages, which check the rights: a meeting the caller
# may not see is a 404, a write they may not make a 403 (before any lookup of the body), bad
# input a 400 naming the field.


class SteeringMeetingIn(Schema):
    held_on: date = Field(description="The day it was held (not in the future)")
    place: str = Field("", max_length=200, description="Where; may be empty when online")
    online: bool = False
    agenda: str = ""
    minutes: str = Field("", description="Required before publishing")
    document_url: str = Field("", max_length=500, description="A web address (http or https)")
    attendees: list[Id] = Field(
        default_factory=list,
        max_length=1000,
        description="Seats (ids of the board's members) that attended, sitting on that day",
    )


class SteeringAttendanceIn(Schema):
    attendees: list[Id] = Field(
        max_length=1000,
        description="Every seat that attended (replaces the list recorded so far)",
    )


class SteeringMinutesIn(Schema):
    minutes: str = Field(description="The minutes, plain text")
    document_url: str | None = Field(
        None, max_length=500, description="A link to the minutes' document; null keeps it"
    )


class SteeringDecisionIn(Schema):
    text: str = Field(description="The decision")
    organisation: str | None = Field(None, description="Code of the organisation carrying it out")
    member: Id | None = Field(None, description="The seat carrying it out (a member's id)")
    due_on: date | None = Field(None, description="Not before the meeting")


class SteeringDecisionUpdateIn(Schema):
    status: str = Field(description="not_started, in_progress, done or dropped")
    on: date | None = Field(
        None, description="The day of the update (today when null): not before the last one"
    )
    note: str = Field("", description="Required when the status does not change")


def _managing(request: HttpRequest, plan: str) -> tuple[PlanAccess, Board]:
    """The caller's rights and the plan's body, refused (403) unless they record meetings."""
    access = _access(request, plan)
    board = _board(access)
    if not access.can_manage_meetings():
        raise PermissionDenied(_("You may not do this."))
    return access, board


def _open_meeting_for(request: HttpRequest, plan: str, pk: int) -> tuple[PlanAccess, Meeting]:
    """A meeting the caller may see (404 otherwise) and whose record they keep (403)."""
    access = _access(request, plan)
    meeting = selectors.meeting_for(access, pk)
    if not access.can_manage_meetings():
        raise PermissionDenied(_("You may not do this."))
    return access, meeting


def _seats(board: Board, ids: list[int], field: str) -> list[BoardMember]:
    """The board's seats with these ids; a 400 naming the field for an id of no seat."""
    found = {m.pk: m for m in BoardMember.objects.filter(board=board, pk__in=set(ids))}
    missing = [i for i in dict.fromkeys(ids) if i not in found]
    if missing:
        raise ApiError(
            400,
            _("No member %(ids)s on the body.") % {"ids": ", ".join(map(str, missing))},
            [
                {
                    "row": None,
                    "field": field,
                    "message": _("No member %(id)s on the body.") % {"id": i},
                }
                for i in missing
            ],
        )
    return [found[i] for i in dict.fromkeys(ids)]


def _kept_fields(m: Meeting) -> dict[str, Any]:
    """A meeting's record as the services take it, to change one part of it."""
    return {
        "held_on": m.held_on,
        "place": m.place,
        "online": m.online,
        "agenda": m.agenda,
        "minutes": m.minutes,
        "document_url": m.document_url,
        "attendees": list(m.attendees.all()),
    }


def _reread_meeting(access: PlanAccess, pk: int) -> dict[str, Any]:
    return _meeting_detail(selectors.meeting_for(access, pk))


@router.post(
    "/plans/{plan}/board/meetings",
    auth=WRITE_AUTH,
    response={200: SteeringMeetingDetailOut, **WRITE_ERRORS},
    summary="Record a meeting held by the body: date, place, agenda, attendance, minutes "
    "(the coordinator or the body's secretary); unpublished until published",
    operation_id="board_meeting_create",
)
def create_meeting(request: HttpRequest, plan: str, body: SteeringMeetingIn) -> dict[str, Any]:
    access, board = _managing(request, plan)
    fields = body.model_dump()
    fields["attendees"] = _seats(board, body.attendees, "attendees")
    meeting = services.meeting_create(by=api_user(request), board=board, **fields)
    return _reread_meeting(access, meeting.pk)


@router.put(
    "/plans/{plan}/board/meetings/{pk}",
    auth=WRITE_AUTH,
    response={200: SteeringMeetingDetailOut, **WRITE_ERRORS},
    summary="Change an unpublished meeting's whole record (the coordinator or the secretary)",
    operation_id="board_meeting_update",
)
def update_meeting(
    request: HttpRequest, plan: str, pk: Id, body: SteeringMeetingIn
) -> dict[str, Any]:
    access, meeting = _open_meeting_for(request, plan, pk)
    fields = body.model_dump()
    fields["attendees"] = _seats(meeting.board, body.attendees, "attendees")
    services.meeting_update(by=api_user(request), meeting=meeting, **fields)
    return _reread_meeting(access, pk)


@router.put(
    "/plans/{plan}/board/meetings/{pk}/attendance",
    auth=WRITE_AUTH,
    response={200: SteeringMeetingDetailOut, **WRITE_ERRORS},
    summary="Record who attended an unpublished meeting (replaces the list; seats sitting "
    "that day)",
    operation_id="board_meeting_attendance",
)
def record_attendance(
    request: HttpRequest, plan: str, pk: Id, body: SteeringAttendanceIn
) -> dict[str, Any]:
    access, meeting = _open_meeting_for(request, plan, pk)
    fields = _kept_fields(meeting) | {
        "attendees": _seats(meeting.board, body.attendees, "attendees")
    }
    services.meeting_update(by=api_user(request), meeting=meeting, **fields)
    return _reread_meeting(access, pk)


@router.post(
    "/plans/{plan}/board/meetings/{pk}/minutes",
    auth=WRITE_AUTH,
    response={200: SteeringMeetingDetailOut, **WRITE_ERRORS},
    summary="Write an unpublished meeting's minutes (and the link to their document)",
    operation_id="board_meeting_minutes",
)
def write_minutes(
    request: HttpRequest, plan: str, pk: Id, body: SteeringMinutesIn
) -> dict[str, Any]:
    access, meeting = _open_meeting_for(request, plan, pk)
    fields = _kept_fields(meeting) | {"minutes": body.minutes}
    if body.document_url is not None:
        fields["document_url"] = body.document_url
    services.meeting_update(by=api_user(request), meeting=meeting, **fields)
    return _reread_meeting(access, pk)


@router.post(
    "/plans/{plan}/board/meetings/{pk}/publish",
    auth=WRITE_AUTH,
    response={200: SteeringMeetingDetailOut, **WRITE_ERRORS},
    summary="Publish a meeting and its decisions: final, public with the plan (needs minutes)",
    operation_id="board_meeting_publish",
)
def publish_meeting(request: HttpRequest, plan: str, pk: Id) -> dict[str, Any]:
    access, meeting = _open_meeting_for(request, plan, pk)
    services.meeting_publish(by=api_user(request), meeting=meeting)
    return _reread_meeting(access, pk)


@router.post(
    "/plans/{plan}/board/meetings/{pk}/decisions",
    auth=WRITE_AUTH,
    response={200: SteeringDecisionOut, **WRITE_ERRORS},
    summary="Record a decision of an unpublished meeting: its text, who carries it out (an "
    "organisation and/or a seat) and its due date",
    operation_id="board_decision_add",
)
def add_decision(
    request: HttpRequest, plan: str, pk: Id, body: SteeringDecisionIn
) -> dict[str, Any]:
    access, meeting = _open_meeting_for(request, plan, pk)
    organisation = None
    if body.organisation:
        organisation = Organisation.objects.filter(code=body.organisation).first()
        if organisation is None:
            raise ApiError(
                400,
                _("No organisation with code %(code)s.") % {"code": body.organisation},
                [{"row": None, "field": "organisation", "message": _("Unknown organisation.")}],
            )
    member = None
    if body.member is not None:
        [member] = _seats(meeting.board, [body.member], "member")
    decision = services.decision_add(
        by=api_user(request),
        meeting=meeting,
        text=body.text,
        organisation=organisation,
        member=member,
        due_on=body.due_on,
    )
    return _decision_out(selectors.decision_for(access, decision.pk))


@router.post(
    "/plans/{plan}/board/decisions/{pk}/updates",
    auth=WRITE_AUTH,
    response={200: SteeringDecisionOut, **WRITE_ERRORS},
    summary="Add a dated status to a decision's history, never changing earlier steps (the "
    "coordinator, the secretary, or the member whose seat carries it out)",
    operation_id="board_decision_update",
)
def update_decision(
    request: HttpRequest, plan: str, pk: Id, body: SteeringDecisionUpdateIn
) -> dict[str, Any]:
    access = _access(request, plan)
    decision = selectors.decision_for(access, pk)
    services.decision_update(
        by=api_user(request), decision=decision, status=body.status, on=body.on, note=body.note
    )
    return _decision_out(selectors.decision_for(access, pk))


# The board's co-signature of a plan version (docs/revisions.md, "The board's co-signature") ---


class VersionSignatureOut(Schema):
    member: str = Field(description="The member's name")
    organisation: str = Field(description="The member's organisation's code")
    side: str = Field(description="government or civil_society: the member's side when signing")
    at: datetime
    withdrawn_at: datetime | None
    content_hash: str = Field(description="The version's content hash the signature was given on")
    counts: bool = Field(description="Not withdrawn and given on the version's content as it is")


class VersionSigningOut(Schema):
    plan: str
    version: int
    required: bool = Field(description="Whether the plan requires the board's co-signature")
    content_hash: str = Field(description="SHA-256 of the version's content now")
    signed_sides: list[str]
    cosigned: bool = Field(description="A government and a civil-society signature both count")
    cosigned_at: datetime | None = Field(description="When the board's rule was last met")
    state: str = Field(description="Where the co-signature stands, in words")
    signatures: list[VersionSignatureOut]


class VersionSignAction(StrEnum):
    SIGN = "sign"
    WITHDRAW = "withdraw"


class VersionSignIn(Schema):
    content_hash: str = Field(
        "",
        max_length=64,
        description="The content hash the signer read (optional): refused if the draft changed",
    )


def _version_access(request: HttpRequest, plan: str) -> PlanAccess:
    return selectors.version_reader(api_user(request), plan)


def _version_signing(access: PlanAccess, number: int) -> dict[str, Any]:
    version = selectors.signing_version(access.plan, number)
    state = selectors.version_signing(version)
    return {
        "plan": access.plan.code,
        "version": version.number,
        "required": version.board_cosign_required,
        "content_hash": state.content_hash,
        "signed_sides": sorted(state.sides),
        "cosigned": state.cosigned,
        "cosigned_at": version.board_cosigned_at,
        "state": state.state_text(),
        "signatures": [
            {
                "member": s.member.name,
                "organisation": s.member.organisation.code,
                "side": s.side,
                "at": s.at,
                "withdrawn_at": s.withdrawn_at,
                "content_hash": s.content_hash,
                "counts": counts,
            }
            for s, counts in state.signatures
        ],
    }


@router.get(
    "/plans/{plan}/versions/{number}/signatures",
    response={200: VersionSigningOut, **READ_ERRORS, 403: ErrorOut},
    summary="The board's signatures of a plan version, by side, and whether each still counts",
)
def version_signatures(request: HttpRequest, plan: str, number: Id) -> dict[str, Any]:
    return _version_signing(_version_access(request, plan), number)


@router.post(
    "/plans/{plan}/versions/{number}/signatures/{action}",
    auth=WRITE_AUTH,
    response={200: VersionSigningOut, **WRITE_ERRORS},
    summary="A board member co-signs a draft plan version for their side, or withdraws",
    operation_id="version_cosign",
)
def version_cosign(
    request: HttpRequest, plan: str, number: Id, action: VersionSignAction, body: VersionSignIn
) -> dict[str, Any]:
    access = _version_access(request, plan)
    version = selectors.signing_version(access.plan, number)
    user = api_user(request)
    if action == VersionSignAction.SIGN:
        services.version_sign(by=user, version=version, expected_hash=body.content_hash)
    else:
        services.version_withdraw(by=user, version=version)
    return _version_signing(access, number)
