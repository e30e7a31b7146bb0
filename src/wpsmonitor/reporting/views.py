"""Pages of the reporting cycle. Views bind a form (reporting.forms), call services and
selectors with what it cleaned, render.

Every page works without JavaScript (plain forms, POST then redirect); reporting.js adds live
totals and draft saving on top. Rights are checked by the services and selectors: an object a
user may not see answers 404, an action they may not take 403.
"""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.exchange.export import write_template
from wpsmonitor.exchange.importer import ImportFailed, read_files
from wpsmonitor.indicators.in_force import in_force_filter
from wpsmonitor.reporting import checks, confirmations, forms, selectors, services
from wpsmonitor.reporting.entry import (
    action_assessment_choices,
    action_status_choices,
    build_sheet,
    is_civil_society,
    sheet_actions_typed,
)
from wpsmonitor.reporting.models import (
    Assignment,
    LateEntryException,
    ReportingRound,
    Submission,
    SubmissionStatus,
)
from wpsmonitor.shell.confirm import confirm_page, confirmed
from wpsmonitor.shell.forms import error_text, form_error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest
from wpsmonitor.shell.uploads import saved_upload


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@require_safe
@login_required
def todo(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "reporting/todo.html",
        {"plans": selectors.todo_for(request.user), "today": timezone.localdate()},
    )


@require_safe
@login_required
def plan_reporting(request: SignedInRequest, code: str) -> HttpResponse:
    """Rounds, completeness and submissions of a plan; coordinators manage rounds here."""
    access = plan_access(request.user, code)
    if not access.is_member and not access.admin:
        raise Http404("No such page")
    rounds = list(
        ReportingRound.objects.filter(plan=access.plan)
        .select_related("period")
        .prefetch_related(
            Prefetch(
                "exceptions",
                queryset=LateEntryException.objects.select_related("organisation"),
            )
        )
    )
    current = rounds[0] if rounds else None
    context: dict[str, Any] = {
        "plan": access.plan,
        "access": access,
        "rounds": rounds,
        "current": current,
        "completeness": selectors.round_completeness(current) if current else [],
        "submissions": selectors.plan_submissions(access)[:200],
        "organisations": Organisation.objects.order_by("name") if access.can_manage() else [],
        "default_deadline": timezone.localdate() + timedelta(days=30),
    }
    return render(request, "reporting/plan.html", context)


def _managed_plan(request: HttpRequest, code: str) -> PlanAccess:
    """The plan's rights, for pages only its coordinators (and the administrator) use."""
    access = plan_access(request.user, code)
    if not access.can_manage():
        raise PermissionDenied
    return access


def _back_to_plan(code: str) -> HttpResponse:
    return redirect("reporting:plan", code=code)


@require_POST
@login_required
def round_action(request: SignedInRequest, code: str) -> HttpResponse:
    """Open or close a round, or grant a late-entry exception (coordinators)."""
    access = _managed_plan(request, code)
    try:
        action = valid_data(forms.RoundActionForm(request.POST))
        if action["do"] == "open":
            opening = valid_data(forms.RoundOpenForm(request.POST))
            services.round_open(
                by=request.user,
                plan=access.plan,
                period_code=opening["period"],
                deadline=opening["deadline"],
                access=access,
            )
            messages.success(request, _("The round is open."))
        elif action["do"] == "close":
            round_ = selectors.round_for(access, action["period"])
            services.round_close(by=request.user, round_=round_, access=access)
            messages.success(request, _("The round is closed."))
        else:
            round_ = selectors.round_for(access, action["period"])
            grant = valid_data(forms.ExceptionGrantForm(request.POST))
            services.exception_grant(
                by=request.user,
                round_=round_,
                organisation=grant["organisation"],
                until=grant["until"],
                reason=grant["reason"],
                access=access,
            )
            messages.success(request, _("The exception is granted."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _back_to_plan(code)


@require_http_methods(["GET", "POST"])
@login_required
def assignments(request: SignedInRequest, code: str) -> HttpResponse:
    access = _managed_plan(request, code)
    plan = access.plan
    if request.method == "POST":
        try:
            what = valid_data(forms.AssignmentsActionForm(request.POST))["do"]
            if what == "defaults":
                count = services.assignments_from_responsibilities(
                    by=request.user, plan=plan, access=access
                )
                messages.success(
                    request,
                    ngettext("%(count)d assignment added.", "%(count)d assignments added.", count)
                    % {"count": count},
                )
            elif what == "remove":
                removal = forms.AssignmentRemoveForm(request.POST, plan=plan)
                if not removal.is_valid():
                    raise Http404("No such assignment")
                services.assignment_remove(
                    by=request.user,
                    assignment=removal.cleaned_data["assignment"],
                    access=access,
                )
                messages.success(request, _("The assignment is removed."))
            else:
                added = valid_data(forms.AssignmentAddForm(request.POST, plan=plan))
                services.assignment_add(
                    by=request.user,
                    plan=plan,
                    organisation=added["organisation"],
                    area=added["area"],
                    indicator=added["indicator"],
                    action=added["action"],
                    access=access,
                )
                messages.success(request, _("The assignment is added."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return redirect("reporting:assignments", code=code)
    context = {
        "plan": plan,
        "assignments": Assignment.objects.filter(plan=plan)
        .select_related("organisation", "area", "indicator", "action")
        .order_by("organisation__name", "area__path"),
        "organisations": Organisation.objects.order_by("name"),
        "areas": Area.objects.filter(path__startswith=plan.area.path).order_by("path"),
        # Not those a revision dropped: nobody is asked for them any more.
        "indicators": plan.indicators.filter(
            in_force_filter(), owner_organisation__isnull=True
        ).order_by("order", "code"),
        "actions": plan.nodes.filter(level__holds_actions=True).order_by("path"),
    }
    return render(request, "reporting/assignments.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def people(request: SignedInRequest, code: str) -> HttpResponse:
    """Who has which role on the plan, and the history of every grant and revocation. The
    coordinator gives and takes government roles here, an organisation administrator their
    organisation's roles (docs/reporting.md, "Roles")."""
    access = plan_access(request.user, code)
    if not access.can_manage_people():
        raise PermissionDenied
    plan = access.plan
    if request.method == "POST":
        try:
            if valid_data(forms.PeopleActionForm(request.POST))["do"] == "remove":
                removal = forms.RoleRemoveForm(request.POST, plan=plan)
                if not removal.is_valid():
                    raise Http404("No such role")
                services.role_revoke(
                    by=request.user,
                    role=removal.cleaned_data["role"],
                    reason=removal.cleaned_data["reason"],
                    access=access,
                )
                messages.success(request, _("The role is removed."))
            else:
                grant = valid_data(forms.RoleGrantForm(request.POST))
                services.role_grant(
                    by=request.user,
                    plan=plan,
                    user=grant["username"],
                    role=grant["role"],
                    organisation=grant["organisation"],
                    area=grant["area"],
                    reason=grant["reason"],
                    access=access,
                )
                messages.success(request, _("The role is given."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return redirect("reporting:people", code=code)
    context = {
        "plan": plan,
        "page": selectors.people_page(access),
        "areas": Area.objects.filter(path__startswith=plan.area.path).order_by("path"),
    }
    return render(request, "reporting/people.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def workbook(request: SignedInRequest, code: str) -> HttpResponse:
    """Edit the plan from its workbook: download it, change it in a spreadsheet, upload it."""
    access = _managed_plan(request, code)
    plan = access.plan
    problems: list[str] = []
    if request.method == "POST":
        form = forms.WorkbookForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with saved_upload(form.cleaned_data["file"], default_name="plan.xlsx") as path:
                    # Parsed before the import's transaction: no write lock while it is read.
                    read = read_files([path])
                    summary = services.plan_workbook_import(
                        by=request.user, plan=plan, path=path, read=read
                    )
            except ImportFailed as failed:
                problems = [str(problem) for problem in failed.problems]
            except ValidationError as exc:
                problems = [error_text(exc)]
            else:
                messages.success(
                    request,
                    _(
                        "Imported: %(created)s values created, %(updated)s updated, %(unchanged)s unchanged."
                    )
                    % {
                        "created": summary.created,
                        "updated": summary.updated,
                        "unchanged": summary.unchanged,
                    },
                )
                return redirect("reporting:workbook", code=code)
        else:
            problems = [form_error_text(form)]
    return render(
        request,
        "reporting/workbook.html",
        {"plan": plan, "problems": problems},
        status=400 if problems else 200,
    )


@require_safe
@login_required
def workbook_template(request: SignedInRequest, code: str) -> FileResponse:
    """The blank import workbook, its instructions in the reader's language."""
    _managed_plan(request, code)
    data = BytesIO()
    write_template(data)
    data.seek(0)
    response = FileResponse(
        data,
        as_attachment=True,
        filename="wpsmonitor-import-template.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def start(request: SignedInRequest, code: str, period: str) -> HttpResponse:
    """Open (creating if needed) the submission of an organisation for a round and area."""
    access = plan_access(request.user, code)
    round_ = selectors.round_for(access, period)
    form = forms.StartForm(request.POST)
    if not form.is_valid():
        raise Http404("No such organisation or area")
    try:
        submission = services.submission_start(
            by=request.user,
            round_=round_,
            organisation=form.cleaned_data["organisation"],
            area=form.cleaned_data["area"],
            civil_society=form.cleaned_data["civil_society"],
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("reporting:todo")
    return redirect("reporting:edit", pk=submission.pk)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """The data entry sheet: save a draft, or submit."""
    submission, access = selectors.submission_for(request.user, pk)
    if not access.can_edit_submission(submission):
        if request.method == "POST":
            raise PermissionDenied
        return redirect("reporting:submission", pk=pk)
    window_open = selectors.entry_window_open(submission.round, submission.organisation_id)
    if request.method == "POST":
        form = forms.SheetForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_error_text(form))
            return redirect("reporting:edit", pk=pk)
        typed = form.cleaned_data["typed"]
        sheet = build_sheet(submission, typed=typed, references=False)
        try:
            saved = services.submission_save(
                by=request.user,
                submission=submission,
                rows=sheet.rows(),
                actions=sheet_actions_typed(sheet),
                access=access,
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("reporting:edit", pk=pk)
        if _wants_json(request):
            return JsonResponse(
                {
                    "saved": saved.changed,
                    "problems": {
                        f"{i}-{c}": [str(p.message) for p in found]
                        for (i, c), found in saved.problems.items()
                    },
                }
            )
        if not saved.ok:
            sheet = build_sheet(
                submission,
                typed=typed,
                problems=saved.problems,
                warnings=saved.warnings,
                action_problems=saved.action_problems,
            )
            messages.error(request, _("Some figures were not saved: see the messages below."))
            return _render_sheet(request, submission, sheet, window_open, status=400)
        if form.cleaned_data["do"] == "submit":
            if not confirmed(request):
                return _confirm_submit(request, submission, window_open)
            try:
                check = services.submission_submit(
                    by=request.user,
                    submission=submission,
                    note=form.cleaned_data["note"],
                    access=access,
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
                return redirect("reporting:edit", pk=pk)
            if not check.ok:
                sheet = build_sheet(submission, problems=check.problems, warnings=check.warnings)
                messages.error(request, _("The submission has problems: fix them, then submit."))
                return _render_sheet(request, submission, sheet, window_open, status=400)
            submission.refresh_from_db()
            if submission.status == SubmissionStatus.PUBLISHED:
                messages.success(request, _("Your figures are published."))
            else:
                messages.success(request, _("Submitted for review. Thank you."))
            return redirect("reporting:submission", pk=pk)
        messages.success(request, _("Draft saved."))
        return redirect("reporting:edit", pk=pk)
    sheet = build_sheet(submission)
    return _render_sheet(request, submission, sheet, window_open)


def _confirm_submit(
    request: HttpRequest, submission: Submission, window_open: bool
) -> HttpResponse:
    """The first "Submit" (the draft is saved): the problems that would refuse it, if any, else
    the confirmation page saying what becomes public and what is still blank."""
    check = checks.submission_problems(submission)
    civil_society = is_civil_society(submission)
    if civil_society:
        checks.draft_indicator_problems(submission, check)
    if not check.ok:
        sheet = build_sheet(submission, problems=check.problems, warnings=check.warnings)
        messages.error(request, _("The submission has problems: fix them, then submit."))
        return _render_sheet(request, submission, sheet, window_open, status=400)
    return confirm_page(
        request,
        confirmations.submit_confirmation(
            submission, build_sheet(submission, references=False), civil_society=civil_society
        ),
    )


def _render_sheet(
    request: HttpRequest, submission: Any, sheet: Any, window_open: bool, status: int = 200
) -> HttpResponse:
    last_return = (
        submission.events.filter(kind__in=["returned", "unlocked"]).order_by("-at", "-pk").first()
    )
    return render(
        request,
        "reporting/edit.html",
        {
            "submission": submission,
            "plan": submission.round.plan,
            "sheet": sheet,
            "window_open": window_open,
            "last_return": last_return,
            "status_choices": action_status_choices(),
            "assessment_choices": action_assessment_choices(),
            "evidence": submission.evidence.select_related("indicator", "action"),
        },
        status=status,
    )


@require_safe
@login_required
def submission_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """The submission as a reviewer sees it: figures beside the previous period and the
    target, each flag (outlier, large change) beside its figure, then the decision form for
    coordinators, the evidence and the whole history."""
    submission, access = selectors.submission_for(request.user, pk)
    check = checks.submission_problems(submission)
    sheet = build_sheet(submission, problems=check.problems, warnings=check.warnings)
    context = {
        "submission": submission,
        "plan": submission.round.plan,
        "sheet": sheet,
        "can_edit": access.can_edit_submission(submission),
        "can_review": access.can_review_submission(submission),
        "flagged": len(check.warnings),
        "status_choices": action_status_choices(),
        "assessment_choices": action_assessment_choices(),
        "events": selectors.submission_history(submission),
        "evidence": submission.evidence.select_related("indicator", "action"),
    }
    return render(request, "reporting/submission.html", context)


@require_POST
@login_required
def decide(request: SignedInRequest, pk: int) -> HttpResponse:
    submission, access = selectors.submission_for(request.user, pk)
    if not access.can_review_submission(submission):
        raise PermissionDenied
    try:
        decision = valid_data(forms.DecisionForm(request.POST))
        what, note = decision["do"], decision["note"]
        if what == "approve" and not confirmed(request):
            sheet = build_sheet(submission, references=False)
            return confirm_page(request, confirmations.approve_confirmation(submission, sheet))
        if what == "return":
            services.submission_return(
                by=request.user, submission=submission, note=note, access=access
            )
            messages.success(request, _("Returned to its authors with your note."))
        elif what == "approve":
            services.submission_approve(
                by=request.user, submission=submission, note=note, access=access
            )
            messages.success(request, _("Approved. The figures will appear within a minute."))
        else:
            services.submission_unlock(
                by=request.user, submission=submission, reason=note, access=access
            )
            messages.success(request, _("Unlocked: its authors can correct it."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("reporting:submission", pk=pk)


@require_POST
@login_required
def evidence_upload(request: SignedInRequest, pk: int) -> HttpResponse:
    submission, access = selectors.submission_for(request.user, pk)
    if not access.can_edit_submission(submission):
        raise PermissionDenied
    try:
        attached = valid_data(
            forms.EvidenceForm(request.POST, request.FILES, plan=submission.round.plan)
        )
        services.evidence_attach(
            by=request.user,
            submission=submission,
            upload=attached["file"],
            description=attached["description"],
            indicator=attached["indicator"],
            action=attached["action"],
            shared=attached["shared"],
            access=access,
        )
        messages.success(request, _("The file is attached."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(reverse("reporting:edit", args=[pk]) + "#evidence")


@require_safe
@login_required
def evidence_download(request: SignedInRequest, pk: int) -> FileResponse:
    item = selectors.evidence_for(request.user, pk)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.filename,
        content_type=item.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
