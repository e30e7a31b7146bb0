"""Pages of the monitoring board and the periodic reports. Views bind a form (forms.py),
call services and selectors, render. Plain forms, POST then redirect: everything works without
JavaScript. Hidden objects answer 404, refused actions 403; an anonymous visitor asking for a
report they cannot see is sent to sign in (board members follow the link in their mail)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.boards import selectors, services
from wpsmonitor.boards.forms import (
    BackForm,
    BoardForm,
    DecisionForm,
    DecisionUpdateForm,
    DissentForm,
    KindForm,
    MeetingForm,
    MemberForm,
    ReportForm,
    VersionActForm,
)
from wpsmonitor.boards.models import (
    BoardKind,
    BoardMember,
    DecisionStatus,
    PeriodicReport,
    ReportStatus,
    Side,
)
from wpsmonitor.directory.models import Organisation, OrganisationType
from wpsmonitor.shell.confirm import Confirmation, confirm_page, confirmed
from wpsmonitor.shell.forms import ActionForm, error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest


class _SignIn(Exception):
    """An anonymous visitor asked for something only signed-in readers may see."""


def _member_context() -> dict[str, Any]:
    seated = [*services.GOVERNMENT_TYPES, OrganisationType.CIVIL_SOCIETY]
    return {
        "sides": Side.choices,
        "organisations": list(Organisation.objects.filter(type__in=seated).order_by("name")),
    }


def _managed(request: HttpRequest, code: str) -> PlanAccess:
    access = selectors.board_access(request.user, code)
    if not access.can_manage_board():
        raise PermissionDenied
    return access


@require_safe
def board(request: HttpRequest, code: str) -> HttpResponse:
    """Who sits on the plan's board, for which side, and the balance between the sides."""
    access = selectors.board_access(request.user, code)
    found = selectors.board_of(access.plan)
    members = list(found.members.all()) if found else []
    today = timezone.localdate()
    context: dict[str, Any] = {
        "plan": access.plan,
        "access": access,
        "board": found,
        "current": [m for m in members if m.is_current(today)],
        "other": [m for m in members if not m.is_current(today)],
        "balance": selectors.balance(members, today),
        "can_manage": access.can_manage_board(),
        "kinds": BoardKind.choices,
        "today": today,
        **_member_context(),
    }
    return render(request, "boards/board.html", context)


@require_POST
@login_required
def board_save(request: SignedInRequest, code: str) -> HttpResponse:
    access = _managed(request, code)
    form = BoardForm(request.POST)
    try:
        services.board_save(by=request.user, plan=access.plan, **valid_data(form))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The board is saved."))
    return redirect("boards:board", code=code)


@require_POST
@login_required
def member_add(request: SignedInRequest, code: str) -> HttpResponse:
    access = _managed(request, code)
    found = selectors.board_of(access.plan)
    if found is None:
        raise Http404("No board")
    try:
        services.member_add(by=request.user, board=found, **valid_data(MemberForm(request.POST)))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The member is added."))
    return redirect("boards:board", code=code)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def member(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """Change a seat (end it by giving the last day), or delete one entered by mistake."""
    access = _managed(request, code)
    seat = (
        BoardMember.objects.filter(board__plan=access.plan, pk=pk)
        .select_related("board", "organisation", "user")
        .first()
    )
    if seat is None:
        raise Http404("No such member")
    if request.method == "POST":
        try:
            if ActionForm(request.POST).action() == "remove":
                services.member_remove(by=request.user, member=seat)
                messages.success(request, _("The member is deleted."))
            else:
                fields = valid_data(MemberForm(request.POST))
                services.member_update(by=request.user, member=seat, **fields)
                messages.success(request, _("The member is saved."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("boards:member", code=code, pk=pk)
        return redirect("boards:board", code=code)
    context = {"plan": access.plan, "access": access, "seat": seat, **_member_context()}
    return render(request, "boards/member.html", context)


# Reports -------------------------------------------------------------------------------------


@require_safe
def reports(request: HttpRequest, code: str) -> HttpResponse:
    """Published reports for everyone; drafts too for the plan's and the board's members."""
    access = selectors.board_access(request.user, code)
    context = {
        "plan": access.plan,
        "access": access,
        "reports": list(
            selectors.visible_reports(access).annotate(
                dissent_count=Count("dissents", filter=Q(dissents__withdrawn_at__isnull=True))
            )
        ),
        "can_draft": access.can_draft_reports(),
    }
    return render(request, "boards/reports.html", context)


@require_POST
@login_required
def report_create(request: SignedInRequest, code: str) -> HttpResponse:
    access = selectors.board_access(request.user, code)
    if not access.can_draft_reports():
        raise PermissionDenied
    form = ReportForm(request.POST, request.FILES)
    try:
        data = valid_data(form)
        upload = data.pop("file")
        with transaction.atomic():  # a refused file leaves no report behind
            report = services.report_create(by=request.user, plan=access.plan, **data)
            if upload is not None:
                services.report_attach(by=request.user, report=report, upload=upload)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("boards:reports", code=code)
    messages.success(request, _("The draft report is saved."))
    return redirect("boards:report", code=code, pk=report.pk)


def _report(request: HttpRequest, code: str, pk: int) -> tuple[PlanAccess, PeriodicReport]:
    try:
        access = selectors.board_access(request.user, code)
        return access, selectors.report_for(access, pk)
    except Http404:
        if not request.user.is_authenticated:
            raise _SignIn from None
        raise


def _report_or_sign_in(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response: HttpResponse = view(request, *args, **kwargs)
        except _SignIn:
            return redirect_to_login(request.get_full_path())
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_safe
@_report_or_sign_in
def report(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access, found = _report(request, code, pk)
    board_ = selectors.board_of(access.plan)
    state = selectors.signing(found, board_)
    seat = access.board_seat
    mine = seat is not None and any(
        s.member_id == seat.pk for s in state.government + state.civil_society
    )
    own_dissent = next(
        (d for d in selectors.standing_dissents(found) if seat and d.member_id == seat.pk), None
    )
    can_draft = access.can_draft_reports() and not found.is_published
    context: dict[str, Any] = {
        "plan": access.plan,
        "access": access,
        "report": found,
        "board": board_,
        "signing": state,
        "signing_label": state.label(found.status),
        "dissents": selectors.standing_dissents(found),
        "events": list(found.events.all()),
        "figures_query": selectors.figures_query(found.period),
        "seat": seat,
        "signed": mine,
        "own_dissent": own_dissent,
        "can_sign": access.can_sign(found),
        "can_dissent": access.can_dissent(found),
        "can_edit": can_draft,
        "can_submit": can_draft and found.status == ReportStatus.DRAFT and board_ is not None,
        "can_publish": can_draft and not (board_ and board_.requires_cosignature),
    }
    return render(request, "boards/report.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report_edit(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """Change the title, period, summary or PDF: the signatures given so far lapse."""
    access, found = _report(request, code, pk)
    if not access.can_draft_reports():
        raise PermissionDenied
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        try:
            data = valid_data(form)
            upload = data.pop("file")
            with transaction.atomic():  # the text and the file are saved together or not at all
                services.report_update(by=request.user, report=found, **data)
                if upload is not None:
                    services.report_attach(by=request.user, report=found, upload=upload)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("boards:report_edit", code=code, pk=pk)
        messages.success(request, _("The report is saved."))
        return redirect("boards:report", code=code, pk=pk)
    if found.is_published:
        messages.error(request, _("A published report cannot be changed."))
        return redirect("boards:report", code=code, pk=pk)
    has_signatures = any(s.is_valid for s in found.signatures.all())
    context = {
        "plan": access.plan,
        "access": access,
        "report": found,
        "has_signatures": has_signatures,
    }
    return render(request, "boards/report_edit.html", context)


ACTIONS = {
    "submit": (services.report_submit, gettext_lazy("The report is sent to the board.")),
    "publish": (services.report_publish, gettext_lazy("The report is published.")),
    "sign": (services.report_sign, gettext_lazy("Your signature is recorded.")),
    "withdraw": (services.report_withdraw, gettext_lazy("Your signature is withdrawn.")),
    "withdraw_dissent": (
        services.report_dissent_withdraw,
        gettext_lazy("Your dissenting statement is withdrawn."),
    ),
}


# Steps that publish: the first POST answers a confirmation page (shell/confirm.py).
CONFIRMED_ACTIONS = {"sign", "publish"}


def _confirmation(access: PlanAccess, found: PeriodicReport, what: str) -> Confirmation:
    """What signing or publishing makes public, and what the report still lacks."""
    board_ = selectors.board_of(access.plan)
    state = selectors.signing(found, board_)
    seat = access.board_seat
    publishes = what == "publish" or (
        state.required and seat is not None and state.missing == [seat.side]
    )
    public: list[str] = []
    if what == "sign" and seat is not None:
        public.append(
            _("Your signature: %(name)s (%(organisation)s), for the %(side)s side, with the date.")
            % {
                "name": seat.name,
                "organisation": seat.organisation.name,
                "side": seat.get_side_display(),
            }
        )
    if publishes:
        public.append(
            _(
                "The report “%(title)s” (%(period)s), its summary%(file)s, to everyone who reads the plan."
            )
            % {
                "title": found.title,
                "period": found.period,
                "file": _(" and its PDF") if found.filename else "",
            }
        )
        public.append(_("The signatures and the dissenting statements attached to it."))
    blank = []
    if not found.summary.strip():
        blank.append(_("The summary is empty."))
    if not found.filename:
        blank.append(_("No PDF of the full report is attached."))
    if what == "sign":
        missing = [str(Side(s).label) for s in state.missing if seat is None or s != seat.side]
        if missing and state.required:
            blank.append(
                _("Not signed yet for: %(sides)s. The report is published once both sides sign.")
                % {"sides": ", ".join(missing)}
            )
    notes = (
        [_("Publishing cannot be undone: a published report cannot be changed.")]
        if publishes
        else []
    )
    if what == "sign" and not publishes:
        notes.append(_("You may withdraw your signature until the report is published."))
    return Confirmation(
        title=(_("Sign “%(title)s”?") if what == "sign" else _("Publish “%(title)s”?"))
        % {"title": found.title},
        button=(
            (_("Sign and publish the report") if publishes else _("Sign the report"))
            if what == "sign"
            else _("Publish the report")
        ),
        cancel_url=reverse("boards:report", args=[access.plan.code, found.pk]),
        public=public,
        blank=blank,
        blank_title=_("Before you confirm"),
        notes=notes,
    )


@require_POST
@login_required
def report_act(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """Send to the board, publish, sign, withdraw, dissent or withdraw a dissent. Signing and
    publishing ask for confirmation first."""
    access, found = _report(request, code, pk)
    what = ActionForm(request.POST).action()
    if what in CONFIRMED_ACTIONS and not confirmed(request):
        allowed = access.can_sign(found) if what == "sign" else access.can_draft_reports()
        if not allowed:
            raise PermissionDenied
        return confirm_page(request, _confirmation(access, found, what))
    try:
        if what == "dissent":
            services.report_dissent(
                by=request.user, report=found, **valid_data(DissentForm(request.POST))
            )
            messages.success(request, _("Your dissenting statement is attached."))
        elif what in ACTIONS:
            call, done = ACTIONS[what]
            updated = call(by=request.user, report=found)
            messages.success(request, str(done))
            if what == "sign" and updated.is_published:
                messages.success(request, _("Both sides have signed: the report is published."))
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("boards:report", code=code, pk=pk)


@require_safe
@_report_or_sign_in
def report_file(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """The report's PDF, to whoever may read the report (never from the media folder)."""
    _access, found = _report(request, code, pk)
    if not found.file:
        raise Http404("No file")
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.filename,
        content_type=services.PDF,
    )
    if not found.is_published:
        response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Steering committee: meetings and decisions --------------------------------------------------


def _seat_of(board: Any, pk: int | None) -> BoardMember | None:
    if pk is None:
        return None
    seat = BoardMember.objects.filter(board=board, pk=pk).first()
    if seat is None:
        raise ValidationError(_("Choose a member of the body."))
    return seat


def _body(access: PlanAccess) -> Any:
    found = selectors.board_of(access.plan)
    if found is None:
        raise Http404("No board")
    return found


@require_safe
def meetings(request: HttpRequest, code: str) -> HttpResponse:
    """The body's meetings, with their attendance, and every decision with where it stands."""
    access = selectors.board_access(request.user, code)
    found = selectors.board_of(access.plan)
    listed = selectors.visible_meetings(access) if found else []
    today = timezone.localdate()
    members = list(found.members.all()) if found else []
    context: dict[str, Any] = {
        "plan": access.plan,
        "board": found,
        "meetings": [(m, selectors.attendance(m)) for m in listed],
        "decisions": sorted(
            (d for m in listed for d in m.decisions.all()), key=lambda d: (d.meeting.held_on, d.pk)
        ),
        "today": today,
        "can_manage": found is not None and access.can_manage_meetings(),
        "can_set_kind": found is not None and access.can_manage_board(),
        "kinds": BoardKind.choices,
        "members": members,
        "sitting": [m for m in members if m.is_current(today)],
    }
    return render(request, "boards/meetings.html", context)


@require_POST
@login_required
def kind_save(request: SignedInRequest, code: str) -> HttpResponse:
    access = _managed(request, code)
    found = _body(access)
    try:
        data = valid_data(KindForm(request.POST))
        services.board_kind_set(
            by=request.user,
            board=found,
            kind=data["kind"],
            secretary=_seat_of(found, data["secretary"]),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The body is saved."))
    # The form is on the board's page and on the meetings page: back to the one it came from.
    back = "boards:board" if BackForm(request.POST).from_board() else "boards:meetings"
    return redirect(back, code=code)


@require_POST
@login_required
def meeting_create(request: SignedInRequest, code: str) -> HttpResponse:
    access = selectors.board_access(request.user, code)
    found = _body(access)
    if not access.can_manage_meetings():
        raise PermissionDenied
    form = MeetingForm(request.POST, seats=list(found.members.all()))
    try:
        meeting = services.meeting_create(by=request.user, board=found, **valid_data(form))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("boards:meetings", code=code)
    messages.success(request, _("The meeting is recorded. Add its decisions."))
    return redirect("boards:meeting", code=code, pk=meeting.pk)


@require_safe
def meeting(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A meeting: attendance and its balance, agenda, minutes, decisions and their history."""
    access = selectors.board_access(request.user, code)
    try:
        found = selectors.meeting_for(access, pk)
    except Http404:
        # As for reports: members follow links to unpublished meetings; sign in first.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    members = list(found.board.members.select_related("organisation").order_by("side", "name"))
    decisions = list(found.decisions.all())
    context: dict[str, Any] = {
        "plan": access.plan,
        "meeting": found,
        "board": found.board,
        "balance": selectors.attendance(found),
        "decisions": [(d, access.can_update_decision(d)) for d in decisions],
        "today": timezone.localdate(),
        "can_manage": access.can_manage_meetings() and found.published_at is None,
        "members": members,
        "sitting": [m for m in members if m.is_current(found.held_on)],
        "attending": {m.pk for m in found.attendees.all()},
        "statuses": DecisionStatus.choices,
        "organisations": list(Organisation.objects.order_by("name")),
    }
    return render(request, "boards/meeting.html", context)


@require_POST
@login_required
def meeting_act(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """The meeting page's forms: `do` = save, publish, decision (add one), update (a status)."""
    access = selectors.board_access(request.user, code)
    found = selectors.meeting_for(access, pk)
    what = ActionForm(request.POST).action()
    try:
        if what == "save":
            form = MeetingForm(request.POST, seats=list(found.board.members.all()))
            services.meeting_update(by=request.user, meeting=found, **valid_data(form))
            messages.success(request, _("The meeting is saved."))
        elif what == "publish":
            services.meeting_publish(by=request.user, meeting=found)
            messages.success(request, _("The meeting and its decisions are published."))
        elif what == "decision":
            data = valid_data(DecisionForm(request.POST))
            data["member"] = _seat_of(found.board, data["member"])
            services.decision_add(by=request.user, meeting=found, **data)
            messages.success(request, _("The decision is recorded."))
        elif what == "update":
            data = valid_data(DecisionUpdateForm(request.POST))
            decision = next(
                (d for d in found.decisions.all() if d.pk == data.pop("decision")), None
            )
            if decision is None:
                raise Http404("No such decision")
            services.decision_update(by=request.user, decision=decision, **data)
            messages.success(request, _("The decision's status is updated."))
        else:
            raise ValidationError(_("Unknown operation."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("boards:meeting", code=code, pk=pk)


# The board's co-signature of a plan version (docs/revisions.md, "The board's co-signature") ---


def _version(request: HttpRequest, code: str, number: int) -> tuple[PlanAccess, Any]:
    access = selectors.version_reader(request.user, code)
    return access, selectors.signing_version(access.plan, number)


@require_safe
def version_signatures(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Who signed a plan version for which side, whether each signature still counts on the
    draft as it stands, and the member's buttons to sign or withdraw."""
    access, found = _version(request, code, number)
    state = selectors.version_signing(found)
    seat = access.board_seat
    mine = [s for s, _counts in state.signatures if seat and s.member_id == seat.pk]
    context: dict[str, Any] = {
        "plan": access.plan,
        "version": found,
        "signing": state,
        "by_side": state.counting_by_side(),
        "seat": seat,
        "can_sign": access.can_cosign_version(found),
        "signed": any(
            s.withdrawn_at is None and s.content_hash == state.content_hash for s in mine
        ),
        "standing": any(s.withdrawn_at is None for s in mine),
        "board": selectors.board_of(access.plan),
    }
    return render(request, "boards/version_signatures.html", context)


def _version_confirmation(access: PlanAccess, found: Any) -> Confirmation:
    seat = access.board_seat
    assert seat is not None
    state = selectors.version_signing(found)
    public = [
        _("Your signature: %(name)s (%(organisation)s), for the %(side)s side, with the date.")
        % {
            "name": seat.name,
            "organisation": seat.organisation.name,
            "side": seat.get_side_display(),
        }
    ]
    blank = []
    missing = [
        str(Side(s).label)
        for s in (Side.GOVERNMENT, Side.CIVIL_SOCIETY)
        if s not in state.sides and s != seat.side
    ]
    if missing:
        blank.append(
            _("Not signed yet for: %(sides)s. The version is co-signed once both sides sign.")
            % {"sides": ", ".join(missing)}
        )
    return Confirmation(
        title=_("Sign version %(number)s of the plan?") % {"number": found.number},
        button=_("Sign the version"),
        cancel_url=reverse("boards:version_signatures", args=[access.plan.code, found.number]),
        public=public,
        blank=blank,
        blank_title=_("Still missing"),
        notes=[
            _(
                "You sign the draft as it stands now. If the coordinator changes it afterwards, "
                "your signature stops counting and you are asked to sign again."
            )
        ],
    )


@require_POST
@login_required
def version_sign_act(request: SignedInRequest, code: str, number: int) -> HttpResponse:
    """Sign (after a confirmation page) or withdraw one's signature of a draft version."""
    access, found = _version(request, code, number)
    if not access.can_cosign_version(found):
        raise PermissionDenied
    form = VersionActForm(request.POST)
    try:
        data = valid_data(form)
        if data["do"] == "sign":
            if not confirmed(request):
                return confirm_page(request, _version_confirmation(access, found))
            updated = services.version_sign(
                by=request.user, version=found, expected_hash=data["content"]
            )
            messages.success(request, _("Your signature is recorded."))
            if updated.board_cosigned_at is not None:
                messages.success(request, _("Both sides have signed: the version is co-signed."))
        else:
            services.version_withdraw(by=request.user, version=found)
            messages.success(request, _("Your signature is withdrawn."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("boards:version_signatures", code=code, number=number)
