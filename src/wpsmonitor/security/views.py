"""Pages of the security-sector module (docs/security-sector.md). Views bind a form, call
services and selectors, render; plain forms, POST then redirect, no JavaScript.

Whoever reads the plan reads the institutions, their package, the desks and their coverage by
province; the desks' case counts only the plan's members (`can_read_desk_cases`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.core.translated import shown
from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import Plan, PlanKind
from wpsmonitor.security import selectors, services
from wpsmonitor.security.assessment import SCALE, score_field, themes_of
from wpsmonitor.security.forms import (
    AdoptForm,
    AssessmentForm,
    CasesForm,
    CourseForm,
    DeploymentEditForm,
    DeploymentForm,
    DeskForm,
    FollowUpForm,
    InstitutionForm,
    MemberRemoveForm,
    MembersForm,
    ParticipantForm,
    RosterForm,
    SessionEditForm,
    SessionForm,
    UnitForm,
)
from wpsmonitor.security.models import (
    ASSESSMENT_SCALE_HIGH,
    DESK_KINDS,
    AssessmentConductor,
    AssessmentFramework,
    Deployment,
    DeskStatus,
    InstitutionAssessment,
    InstitutionKind,
    PackageAdoption,
    RankBand,
    SecurityInstitution,
    Sex,
    TrainingPhase,
    TrainingSession,
    TrainingTopic,
    UNCategory,
    WomensDesk,
)
from wpsmonitor.security.roster import COLUMNS as ROSTER_COLUMNS
from wpsmonitor.security.selectors import ScoreRecord, impact_of
from wpsmonitor.shell import charts
from wpsmonitor.shell.editing import (
    Crumb,
    errors_by_field,
    form_page,
    removal_page,
    run_form,
)
from wpsmonitor.shell.forms import error_links, error_text, field_errors
from wpsmonitor.shell.requests import SignedInRequest
from wpsmonitor.shell.uploads import check_upload, saved_upload


def _index_page(
    request: HttpRequest,
    access: PlanAccess,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HttpResponse:
    plan = access.plan
    context: dict[str, Any] = {
        "plan": plan,
        "institutions": list(selectors.institutions(plan)),
        "can_manage": access.can_manage_security(),
        "kinds": InstitutionKind.choices,
        "values": values or {},
        "errors": errors or {},
        "error_list": error_links(errors or {}),
    }
    if context["can_manage"]:
        context["organisations"] = list(Organisation.objects.order_by("name"))
        context["internal_plans"] = list(
            Plan.objects.filter(parent=plan, kind=PlanKind.INSTITUTIONAL).order_by("code")
        )
    return render(request, "security/index.html", context, status=400 if errors else 200)


@require_safe
def index(request: HttpRequest, code: str) -> HttpResponse:
    return _index_page(request, plan_access(request.user, code))


@require_POST
@login_required
def institution_new(request: SignedInRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_manage_security():
        raise PermissionDenied
    form = InstitutionForm(request.POST, plan=access.plan)
    failure: ValidationError | None = None
    if form.is_valid():
        try:
            made = services.institution_create(
                by=request.user, plan=access.plan, **form.cleaned_data
            )
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The institution is recorded."))
            return redirect("security:institution", code=code, inst=made.code)
    return _index_page(
        request, access, values=request.POST.dict(), errors=field_errors(form, failure)
    )


def _institution_page(
    request: HttpRequest,
    access: PlanAccess,
    found: SecurityInstitution,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HttpResponse:
    adoption = PackageAdoption.objects.filter(institution=found).select_related("node").first()
    context: dict[str, Any] = {
        "plan": access.plan,
        "institution": found,
        "adoption": adoption,
        "package_indicators": (
            list(adoption.indicators.select_related("plan").order_by("order")) if adoption else []
        ),
        "nodes": selectors.package_nodes(found) if adoption is None else [],
        "desks": list(selectors.desks(access.plan).filter(institution=found)),
        "holds_desks": found.kind in DESK_KINDS,
        "can_manage": access.can_manage_security(),
        "statuses": DeskStatus.choices,
        "areas": selectors.areas_for(access.plan),
        "values": values or {},
        "errors": errors or {},
        "error_list": error_links(errors or {}),
    }
    return render(request, "security/institution.html", context, status=400 if errors else 200)


@require_safe
def institution(request: HttpRequest, code: str, inst: str) -> HttpResponse:
    access = plan_access(request.user, code)
    return _institution_page(request, access, selectors.institution_for(access.plan, inst))


@require_POST
@login_required
def adopt(request: SignedInRequest, code: str, inst: str) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.institution_for(access.plan, inst)
    if not access.can_manage_security():
        raise PermissionDenied
    form = AdoptForm(request.POST)
    failure: ValidationError | None = None
    if form.is_valid():
        try:
            services.package_adopt(by=request.user, institution=found, **form.cleaned_data)
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The indicator package is adopted."))
            return redirect("security:institution", code=code, inst=found.code)
    return _institution_page(
        request, access, found, values=request.POST.dict(), errors=field_errors(form, failure)
    )


@require_POST
@login_required
def desk_new(request: SignedInRequest, code: str, inst: str) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.institution_for(access.plan, inst)
    if not access.can_manage_security():
        raise PermissionDenied
    form = DeskForm(request.POST, plan=access.plan)
    failure: ValidationError | None = None
    if form.is_valid():
        try:
            made = services.desk_record(by=request.user, institution=found, **form.cleaned_data)
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The desk is recorded."))
            return redirect("security:desk", code=code, pk=made.pk)
    return _institution_page(
        request, access, found, values=request.POST.dict(), errors=field_errors(form, failure)
    )


def _desk_page(
    request: HttpRequest,
    access: PlanAccess,
    found: WomensDesk,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HttpResponse:
    institution = found.institution
    context: dict[str, Any] = {
        "plan": access.plan,
        "desk": found,
        "institution": institution,
        "can_manage": access.can_manage_security(),
        "can_read_cases": access.can_read_desk_cases(),
        "can_enter_cases": access.can_enter_desk_cases(institution.organisation_id, found.area),
        "cases": list(selectors.desk_cases(found)) if access.can_read_desk_cases() else [],
        "statuses": DeskStatus.choices,
        "areas": selectors.areas_for(access.plan),
        "values": values
        or {
            "name": found.name,
            "area": str(found.area_id),
            "status": found.status,
            "opened_on": found.opened_on.isoformat() if found.opened_on else "",
            "staffed_by": found.staffed_by,
        },
        "errors": errors or {},
        "error_list": error_links(errors or {}),
    }
    return render(request, "security/desk.html", context, status=400 if errors else 200)


@require_safe
def desk(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    return _desk_page(request, access, selectors.desk_for(access.plan, pk))


@require_POST
@login_required
def desk_edit(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.desk_for(access.plan, pk)
    if not access.can_manage_security():
        raise PermissionDenied
    form = DeskForm(request.POST, plan=access.plan, auto_id=AUTO_ID)
    saved, _refused = run_form(
        request, form, lambda d: services.desk_update(by=request.user, desk=found, **d)
    )
    if saved:
        messages.success(request, _("The desk is saved."))
        return redirect("security:desk", code=code, pk=found.pk)
    found.refresh_from_db()
    return _desk_page(
        request, access, found, values=request.POST.dict(), errors=errors_by_field(form)
    )


@require_POST
@login_required
def desk_cases(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.desk_for(access.plan, pk)
    if not access.can_enter_desk_cases(found.institution.organisation_id, found.area):
        raise PermissionDenied
    form = CasesForm(request.POST)
    failure: ValidationError | None = None
    if form.is_valid():
        try:
            services.desk_cases_record(by=request.user, desk=found, **form.cleaned_data)
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The cases are saved."))
            return redirect("security:desk", code=code, pk=found.pk)
    errors = field_errors(form, failure)
    return _desk_page(
        request,
        access,
        found,
        values={"cases_" + k: v for k, v in request.POST.dict().items()},
        errors={"cases_" + k if k != "__all__" else k: v for k, v in errors.items()},
    )


@require_safe
def coverage(request: HttpRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    rows = selectors.coverage(access.plan)
    return render(
        request,
        "security/coverage.html",
        {
            "plan": access.plan,
            "rows": rows,
            "total_open": sum(r.open for r in rows),
            "total_planned": sum(r.planned for r in rows),
            "total_closed": sum(r.closed for r in rows),
        },
    )


# A roster is a few dozen rows: a larger upload is not one.
MAX_UPLOAD_BYTES = 5 * 1024**2

# Training and deployments (docs/security-sector.md, "Training", "Deployments and the parity
# targets"). Whoever reads the plan reads the institution's courses, sessions and the impact
# indicators after disclosure control; the plan's members read them whole and the rosters
# (service numbers, scores); the coordinator and the institution's focal points enter.


def _training_context(access: PlanAccess, found: SecurityInstitution) -> dict[str, Any]:
    detail = access.can_read_training_detail()
    threshold = access.plan.disclosure_threshold
    impact = selectors.training_impact(found)
    return {
        "plan": access.plan,
        "institution": found,
        "detail": detail,
        "threshold": threshold,
        "can_enter": access.can_enter_training(found.organisation_id),
        "units": selectors.units(found),
        "courses": list(selectors.courses(found)),
        "sessions": list(selectors.sessions(found)),
        "impact": [i for _u, i in impact],
        "public_impact": [selectors.public_impact(i, threshold) for _u, i in impact],
        "topics": TrainingTopic.choices,
        "phases": TrainingPhase.choices,
        "areas": selectors.areas_for(access.plan),
    }


def _training_page(
    request: HttpRequest,
    access: PlanAccess,
    found: SecurityInstitution,
    *,
    form: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HttpResponse:
    context = _training_context(access, found)
    context.update(
        {
            "form": form,
            "values": values or {},
            "errors": errors or {},
            "error_list": error_links(errors or {}),
        }
    )
    return render(request, "security/training.html", context, status=400 if errors else 200)


@require_safe
def training(request: HttpRequest, code: str, inst: str) -> HttpResponse:
    access = plan_access(request.user, code)
    return _training_page(request, access, selectors.institution_for(access.plan, inst))


def _entering(
    request: SignedInRequest, code: str, inst: str
) -> tuple[PlanAccess, SecurityInstitution]:
    access = plan_access(request.user, code)
    found = selectors.institution_for(access.plan, inst)
    if not access.can_enter_training(found.organisation_id):
        raise PermissionDenied
    return access, found


@require_POST
@login_required
def unit_new(request: SignedInRequest, code: str, inst: str) -> HttpResponse:
    access, found = _entering(request, code, inst)
    form = UnitForm(request.POST, institution=found)
    failure: ValidationError | None = None
    if form.is_valid():
        try:
            services.unit_create(by=request.user, institution=found, **form.cleaned_data)
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The unit is recorded."))
            return redirect("security:training", code=code, inst=found.code)
    return _training_page(
        request,
        access,
        found,
        form="unit",
        values=request.POST.dict(),
        errors=field_errors(form, failure),
    )


@require_POST
@login_required
def course_new(request: SignedInRequest, code: str, inst: str) -> HttpResponse:
    access, found = _entering(request, code, inst)
    form = CourseForm(request.POST)
    failure: ValidationError | None = None
    if form.is_valid():
        try:
            services.course_create(by=request.user, institution=found, **form.cleaned_data)
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The course is recorded."))
            return redirect("security:training", code=code, inst=found.code)
    return _training_page(
        request,
        access,
        found,
        form="course",
        values=request.POST.dict(),
        errors=field_errors(form, failure),
    )


@require_POST
@login_required
def session_new(request: SignedInRequest, code: str, inst: str) -> HttpResponse:
    access, found = _entering(request, code, inst)
    form = SessionForm(request.POST, institution=found)
    failure: ValidationError | None = None
    if form.is_valid():
        try:
            made = services.session_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The session is recorded."))
            return redirect("security:session", code=code, inst=found.code, pk=made.pk)
    return _training_page(
        request,
        access,
        found,
        form="session",
        values=request.POST.dict(),
        errors=field_errors(form, failure),
    )


def _session_page(
    request: HttpRequest,
    access: PlanAccess,
    found: SecurityInstitution,
    session: TrainingSession,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
) -> HttpResponse:
    detail = access.can_read_training_detail()
    rows = list(selectors.roster(session)) if detail else []
    context: dict[str, Any] = {
        "plan": access.plan,
        "institution": found,
        "session": session,
        "detail": detail,
        "can_enter": access.can_enter_training(found.organisation_id),
        "roster": rows,
        "impact": (
            [
                impact_of(
                    _("This session"),
                    [
                        ScoreRecord(
                            p.person_id,
                            p.person.sex,
                            p.person.rank,
                            p.pre_score,
                            p.post_score,
                            p.follow_up_score,
                        )
                        for p in rows
                    ],
                )
            ]
            if detail
            else []
        ),
        "units": selectors.units(found),
        "sexes": Sex.choices,
        "ranks": RankBand.choices,
        "columns": ROSTER_COLUMNS,
        "values": values or {},
        "errors": errors or {},
        "error_list": error_links(errors or {}),
        "problems": problems or [],
    }
    status = 400 if (errors or problems) else 200
    return render(request, "security/session.html", context, status=status)


@require_safe
def session(request: HttpRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.institution_for(access.plan, inst)
    return _session_page(request, access, found, selectors.session_for(found, pk))


@require_POST
@login_required
def participant_new(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _entering(request, code, inst)
    session_ = selectors.session_for(found, pk)
    form = ParticipantForm(request.POST, institution=found)
    failure: ValidationError | None = None
    if form.is_valid():
        try:
            services.participant_record(by=request.user, session=session_, **form.cleaned_data)
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The participant is saved."))
            return redirect("security:session", code=code, inst=found.code, pk=session_.pk)
    return _session_page(
        request,
        access,
        found,
        session_,
        values=request.POST.dict(),
        errors=field_errors(form, failure),
    )


@require_POST
@login_required
def follow_up(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _entering(request, code, inst)
    session_ = selectors.session_for(found, pk)
    form = FollowUpForm(request.POST)
    failure: ValidationError | None = None
    if form.is_valid():
        data = dict(form.cleaned_data)
        participation = selectors.participation_for(session_, data.pop("participation"))
        try:
            services.follow_up_record(by=request.user, participation=participation, **data)
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The follow-up is saved."))
            return redirect("security:session", code=code, inst=found.code, pk=session_.pk)
    errors = field_errors(form, failure)
    return _session_page(
        request,
        access,
        found,
        session_,
        values={"fu_" + k: v for k, v in request.POST.dict().items()},
        errors={"fu_" + k if k != "__all__" else k: v for k, v in errors.items()},
    )


@require_POST
@login_required
def roster_upload(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    """A session's roster from a CSV or XLSX file: all or nothing, every problem located."""
    access, found = _entering(request, code, inst)
    session_ = selectors.session_for(found, pk)
    problems: list[str] = []
    try:
        upload = RosterForm(request.POST, request.FILES)
        upload.is_valid()
        file = check_upload(
            upload.cleaned_data.get("file"),
            missing=_("Choose a CSV or XLSX file."),
            max_bytes=MAX_UPLOAD_BYTES,
        )
        with saved_upload(file, default_name="roster.csv") as path:
            stored = services.roster_import(
                by=request.user, session=session_, path=path, filename=path.name
            )
    except services.RosterRefused as exc:
        problems = [p.message for p in exc.located()]
    except ValidationError as exc:
        problems = [error_text(exc)]
    else:
        messages.success(
            request, _("The roster is stored. Participants: %(count)d.") % {"count": stored}
        )
        return redirect("security:session", code=code, inst=found.code, pk=session_.pk)
    return _session_page(request, access, found, session_, problems=problems)


def _deployments_page(
    request: HttpRequest,
    access: PlanAccess,
    found: SecurityInstitution,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HttpResponse:
    detail = access.can_read_training_detail()
    threshold = access.plan.disclosure_threshold
    rows = selectors.parity(access.plan, found)
    items = list(selectors.deployments(found))
    context: dict[str, Any] = {
        "plan": access.plan,
        "institution": found,
        "detail": detail,
        "threshold": threshold,
        "can_enter": access.can_enter_training(found.organisation_id),
        "deployments": selectors.deployed_many(items) if detail else items,
        "parity": (list(rows) if detail else [selectors.public_parity(r, threshold) for r in rows]),
        "end_year": selectors.PARITY_END_YEAR,
        "units": selectors.units(found),
        "categories": UNCategory.choices,
        "values": values or {},
        "errors": errors or {},
        "error_list": error_links(errors or {}),
    }
    return render(request, "security/deployments.html", context, status=400 if errors else 200)


@require_safe
def deployments(request: HttpRequest, code: str, inst: str) -> HttpResponse:
    access = plan_access(request.user, code)
    return _deployments_page(request, access, selectors.institution_for(access.plan, inst))


@require_POST
@login_required
def deployment_new(request: SignedInRequest, code: str, inst: str) -> HttpResponse:
    access, found = _entering(request, code, inst)
    form = DeploymentForm(request.POST, institution=found)
    failure: ValidationError | None = None
    if form.is_valid():
        try:
            made = services.deployment_create(
                by=request.user, institution=found, **form.cleaned_data
            )
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The deployment is recorded."))
            return redirect("security:deployment", code=code, inst=found.code, pk=made.pk)
    return _deployments_page(
        request, access, found, values=request.POST.dict(), errors=field_errors(form, failure)
    )


@require_safe
def deployment(request: HttpRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.institution_for(access.plan, inst)
    item = selectors.deployment_for(found, pk)
    detail = access.can_read_training_detail()
    sent = selectors.deployed(item)
    threshold = access.plan.disclosure_threshold
    row = selectors.ParityRow(
        year=item.starts_on.year,
        category=item.category,
        label=item.get_category_display(),
        women=sent.women,
        men=sent.men,
        trained=sent.trained,
        known=sent.total if sent.trained is not None else 0,
    )
    context = {
        "plan": access.plan,
        "institution": found,
        "deployment": item,
        "detail": detail,
        "threshold": threshold,
        "sent": sent if detail else None,
        "row": row if detail else selectors.public_parity(row, threshold),
        "end_year": selectors.PARITY_END_YEAR,
        "members": selectors.deployment_members(item) if detail and not sent.entered else [],
        "can_enter": access.can_enter_training(found.organisation_id),
    }
    return render(request, "security/deployment.html", context)


@require_safe
def training_figures(request: HttpRequest, code: str) -> HttpResponse:
    """The plan's training and deployments as the public reads them: aggregates after
    disclosure control, never one person."""
    access = plan_access(request.user, code)
    plan = access.plan
    threshold = plan.disclosure_threshold
    institutions_ = list(selectors.institutions(plan))
    impact = [
        (
            i,
            [selectors.public_impact(x, threshold) for _u, x in selectors.training_impact(i)],
        )
        for i in institutions_
    ]
    context = {
        "plan": plan,
        "figures": selectors.training_figures(plan),
        "impact": impact,
        "parity": [selectors.public_parity(r, threshold) for r in selectors.parity(plan)],
        "end_year": selectors.PARITY_END_YEAR,
    }
    return render(request, "security/training_figures.html", context)


# Editing training and deployments (docs/security-sector.md, "Editing training and
# deployments"): an edit page each, a confirmation page before a removal; the services refuse
# a removal that would lose scores or people's units.


# The ids of the hand-written fields ("f-<name>"), which the list of problems links to.
AUTO_ID = "f-%s"


def _crumbs(access: PlanAccess, institution: SecurityInstitution | None = None) -> list[Crumb]:
    """The pages above an edit or removal page: the plan, its security sector, the
    institution."""
    plan = access.plan
    found = [
        (shown(plan, "title").text, reverse("portal:plan", args=[plan.code])),
        (_("Security sector"), reverse("security:index", args=[plan.code])),
    ]
    if institution is not None:
        found.append(
            (institution.code, reverse("security:institution", args=[plan.code, institution.code]))
        )
    return found


def _edit(
    request: SignedInRequest,
    access: PlanAccess,
    found: SecurityInstitution,
    template: str,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], object],
    *,
    item: models.Model,
    saved: str,
    done_url: str | Callable[[], str],
    values: dict[str, str],
    **extra: Any,
) -> HttpResponse:
    """An edit page of the institution's records (the shell's flow, shell/editing.py): its
    fields written by hand with `values`, the recorded ones, or the posted ones when refused.
    `done_url` may be a function, for an address that the change itself changes."""
    done, refused = run_form(request, form, save)
    if done:
        messages.success(request, saved)
        return redirect(done_url() if callable(done_url) else done_url)
    if refused:
        item.refresh_from_db()
    context: dict[str, Any] = {
        "plan": access.plan,
        "institution": found,
        "form": form,
        "values": request.POST.dict() if refused else values,
        "areas": selectors.areas_for(access.plan),
        **extra,
    }
    return form_page(request, template, context, refused=refused)


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _removal(
    request: SignedInRequest,
    access: PlanAccess,
    found: SecurityInstitution,
    *,
    remove: Callable[[], object],
    removed: str,
    title: str,
    question: str,
    cancel: str,
    deployments: bool = False,
) -> HttpResponse:
    """A removal of training or deployments: the shell's confirmation page; then back to the
    list, or the service's refusal on the page."""
    parent = "security:deployments" if deployments else "security:training"
    parent_url = reverse(parent, args=[access.plan.code, found.code])
    return removal_page(
        request,
        title=title,
        question=question,
        remove=remove,
        removed_message=removed,
        done_url=parent_url,
        cancel_url=cancel,
        breadcrumbs=[
            *_crumbs(access, found),
            (_("Deployments") if deployments else _("Training"), parent_url),
        ],
        here=title,
    )


def _pk(value: object) -> str:
    return str(value.pk) if value is not None and hasattr(value, "pk") else ""


def _iso(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def unit_edit(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _entering(request, code, inst)
    unit = selectors.unit_for(found, pk)
    return _edit(
        request,
        access,
        found,
        "security/unit_edit.html",
        UnitForm(_posted(request), institution=found, auto_id=AUTO_ID),
        lambda d: services.unit_update(by=request.user, unit=unit, **d),
        item=unit,
        saved=_("The unit is saved."),
        done_url=reverse("security:training", args=[code, found.code]),
        values={"name": unit.name, "area": _pk(unit.area)},
        unit=unit,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def unit_delete(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _entering(request, code, inst)
    unit = selectors.unit_for(found, pk)
    return _removal(
        request,
        access,
        found,
        remove=lambda: services.unit_remove(by=request.user, unit=unit),
        removed=_("The unit is removed."),
        title=_("Remove the unit"),
        question=_("Remove the unit %(name)s? This cannot be undone.") % {"name": unit.name},
        cancel=reverse("security:unit_edit", args=[code, found.code, unit.pk]),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def course_edit(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _entering(request, code, inst)
    course = selectors.course_for(found, pk)
    return _edit(
        request,
        access,
        found,
        "security/course_edit.html",
        CourseForm(_posted(request), auto_id=AUTO_ID),
        lambda d: services.course_update(by=request.user, course=course, **d),
        item=course,
        saved=_("The course is saved."),
        done_url=reverse("security:training", args=[code, found.code]),
        values={"title": course.title, "topic": course.topic, "provider": course.provider},
        course=course,
        topics=TrainingTopic.choices,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def course_delete(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _entering(request, code, inst)
    course = selectors.course_for(found, pk)
    return _removal(
        request,
        access,
        found,
        remove=lambda: services.course_remove(by=request.user, course=course),
        removed=_("The course is removed."),
        title=_("Remove the course"),
        question=_("Remove the course %(title)s? This cannot be undone.") % {"title": course.title},
        cancel=reverse("security:course_edit", args=[code, found.code, course.pk]),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def session_edit(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _entering(request, code, inst)
    session_ = selectors.session_for(found, pk)
    return _edit(
        request,
        access,
        found,
        "security/session_edit.html",
        SessionEditForm(_posted(request), institution=found, auto_id=AUTO_ID),
        lambda d: services.session_update(by=request.user, session=session_, **d),
        item=session_,
        saved=_("The session is saved."),
        done_url=reverse("security:session", args=[code, found.code, session_.pk]),
        values={
            "starts_on": _iso(session_.starts_on),
            "ends_on": _iso(session_.ends_on),
            "phase": session_.phase,
            "place": session_.place,
            "area": _pk(session_.area),
        },
        session=session_,
        phases=TrainingPhase.choices,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def session_delete(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _entering(request, code, inst)
    session_ = selectors.session_for(found, pk)
    return _removal(
        request,
        access,
        found,
        remove=lambda: services.session_remove(by=request.user, session=session_),
        removed=_("The session is removed."),
        title=_("Remove the session"),
        question=_("Remove the session of %(course)s from %(start)s? This cannot be undone.")
        % {"course": session_.course.title, "start": _iso(session_.starts_on)},
        cancel=reverse("security:session_edit", args=[code, found.code, session_.pk]),
    )


def _deployment_values(item: Deployment) -> dict[str, str]:
    return {
        "mission": item.mission,
        "category": item.category,
        "starts_on": _iso(item.starts_on),
        "ends_on": _iso(item.ends_on),
        "unit": _pk(item.unit),
        "women": _count(item.women),
        "men": _count(item.men),
        "women_trained": _count(item.women_trained),
        "men_trained": _count(item.men_trained),
    }


def _deployment_extra(found: SecurityInstitution, item: Deployment) -> dict[str, Any]:
    return {
        "deployment": item,
        "categories": UNCategory.choices,
        "units": selectors.units(found),
        "members": [] if item.by_counts else selectors.deployment_members(item),
    }


def _deployment_edit_page(
    request: HttpRequest,
    access: PlanAccess,
    found: SecurityInstitution,
    item: Deployment,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
) -> HttpResponse:
    """The deployment's edit page answered by its members' forms (add, take out)."""
    context: dict[str, Any] = {
        "plan": access.plan,
        "institution": found,
        "values": values,
        "errors": errors,
        "error_list": error_links(errors),
        "areas": selectors.areas_for(access.plan),
        **_deployment_extra(found, item),
    }
    return render(request, "security/deployment_edit.html", context, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def deployment_edit(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _entering(request, code, inst)
    item = selectors.deployment_for(found, pk)
    return _edit(
        request,
        access,
        found,
        "security/deployment_edit.html",
        DeploymentEditForm(_posted(request), institution=found, auto_id=AUTO_ID),
        lambda d: services.deployment_update(by=request.user, deployment=item, **d),
        item=item,
        saved=_("The deployment is saved."),
        done_url=reverse("security:deployment", args=[code, found.code, item.pk]),
        values=_deployment_values(item),
        **_deployment_extra(found, item),
    )


@require_POST
@login_required
def deployment_members(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    """Add individuals to a deployment by service number, all or nothing."""
    access, found = _entering(request, code, inst)
    item = selectors.deployment_for(found, pk)
    form = MembersForm(request.POST)
    failure: ValidationError | None = None
    if form.is_valid():
        try:
            added = services.deployment_members_add(
                by=request.user, deployment=item, **form.cleaned_data
            )
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d individual is added to the deployment.",
                    "%(count)d individuals are added to the deployment.",
                    added,
                )
                % {"count": added},
            )
            return redirect("security:deployment_edit", code=code, inst=found.code, pk=item.pk)
    values = _deployment_values(item)
    values["service_numbers"] = request.POST.get("service_numbers", "")
    return _deployment_edit_page(
        request, access, found, item, values=values, errors=field_errors(form, failure)
    )


@require_POST
@login_required
def deployment_member_remove(
    request: SignedInRequest, code: str, inst: str, pk: int
) -> HttpResponse:
    """Take one individual out of a deployment (reversible: they can be added again)."""
    access, found = _entering(request, code, inst)
    item = selectors.deployment_for(found, pk)
    form = MemberRemoveForm(request.POST)
    failure: ValidationError | None = None
    if form.is_valid():
        number = form.cleaned_data["service_number"]
        try:
            services.deployment_member_remove(
                by=request.user, deployment=item, service_number=number
            )
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(
                request,
                _("%(number)s is taken out of the deployment.") % {"number": number.strip()},
            )
            return redirect("security:deployment_edit", code=code, inst=found.code, pk=item.pk)
    errors = field_errors(form, failure)
    # The problem is shown in the page's summary: the remove buttons have no field of their own.
    return _deployment_edit_page(
        request,
        access,
        found,
        item,
        values=_deployment_values(item),
        errors={"__all__": " ".join(errors.values())},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def deployment_delete(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _entering(request, code, inst)
    item = selectors.deployment_for(found, pk)
    return _removal(
        request,
        access,
        found,
        remove=lambda: services.deployment_remove(by=request.user, deployment=item),
        removed=_("The deployment is removed."),
        title=_("Remove the deployment"),
        question=_(
            "Remove the deployment to %(mission)s from %(start)s? The personnel records and "
            "their training stay. This cannot be undone."
        )
        % {"mission": item.mission, "start": _iso(item.starts_on)},
        cancel=reverse("security:deployment_edit", args=[code, found.code, item.pk]),
        deployments=True,
    )


# Editing an institution (docs/security-sector.md, "Editing") ------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def institution_edit(request: SignedInRequest, code: str, inst: str) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.institution_for(access.plan, inst)
    if not access.can_manage_security():
        raise PermissionDenied
    return _edit(
        request,
        access,
        found,
        "security/institution_edit.html",
        InstitutionForm(_posted(request), plan=access.plan, auto_id=AUTO_ID),
        lambda d: services.institution_update(by=request.user, institution=found, **d),
        item=found,
        saved=_("The institution is saved."),
        # The code is part of the address and may have changed.
        done_url=lambda: reverse("security:institution", args=[code, found.code]),
        values={
            "code": found.code,
            "kind": found.kind,
            "organisation": found.organisation.code,
            "institutional_plan": (
                found.institutional_plan.code if found.institutional_plan else ""
            ),
        },
        package_adopted=PackageAdoption.objects.filter(institution=found).exists(),
        kinds=InstitutionKind.choices,
        organisations=list(Organisation.objects.order_by("name")),
        internal_plans=list(
            Plan.objects.filter(parent=access.plan, kind=PlanKind.INSTITUTIONAL).order_by("code")
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def institution_delete(request: SignedInRequest, code: str, inst: str) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.institution_for(access.plan, inst)
    if not access.can_manage_security():
        raise PermissionDenied
    return removal_page(
        request,
        breadcrumbs=_crumbs(access, found),
        what=_("the institution %(code)s") % {"code": found.code},
        remove=lambda: services.institution_remove(by=request.user, institution=found),
        refusal=selectors.institution_removal_refused(found),
        removed_message=_("The institution is removed."),
        cancel_url=reverse("security:institution", args=[code, found.code]),
        done_url=reverse("security:index", args=[code]),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def desk_delete(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.desk_for(access.plan, pk)
    if not access.can_manage_security():
        raise PermissionDenied
    institution = found.institution
    return removal_page(
        request,
        breadcrumbs=[
            *_crumbs(access, institution),
            (found.name, reverse("security:desk", args=[code, found.pk])),
        ],
        what=_("the desk %(name)s") % {"name": found.name},
        remove=lambda: services.desk_remove(by=request.user, desk=found),
        refusal=selectors.desk_removal_refused(found),
        removed_message=_("The desk is removed."),
        cancel_url=reverse("security:desk", args=[code, found.pk]),
        done_url=reverse("security:institution", args=[code, institution.code]),
    )


# Self-assessment (docs/security-sector.md, "Self-assessment") -----------------------------


def _assessment_access(
    request: HttpRequest, code: str, inst: str
) -> tuple[PlanAccess, SecurityInstitution]:
    access = plan_access(request.user, code)
    return access, selectors.institution_for(access.plan, inst)


def _score_label(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def theme_charts(trend: selectors.FrameworkTrend) -> list[tuple[str, SafeString]]:
    """One small chart per theme: its score, 1 to 4, assessment by assessment (the table beside
    them gives the same figures)."""
    categories = [a.assessed_on.isoformat() for a in trend.assessments]
    found = []
    for row in trend.rows:
        svg = charts.line_chart(
            chart_id=f"assessment-{trend.framework}-{row.code}",
            title=_("%(theme)s: score by assessment") % {"theme": row.name},
            description=_(
                "Line chart of the theme's score, from 1 (a major barrier) to 4 (in place), at "
                "each assessment, oldest first. The table gives the same scores."
            ),
            categories=categories,
            series=[
                charts.ChartSeries(
                    row.name, tuple(float(s) if s is not None else None for s in row.scores)
                )
            ],
            target_line=charts.TargetLine(_("Highest score"), float(ASSESSMENT_SCALE_HIGH)),
            y_label=_("score"),
            value_label=_score_label,
            height=180,
        )
        found.append((row.name, svg))
    return found


@require_safe
def assessments(request: HttpRequest, code: str, inst: str) -> HttpResponse:
    access, found = _assessment_access(request, code, inst)
    drafts = access.can_read_assessment(published=False)
    listed = selectors.assessments_of(found, drafts=drafts)
    trends = selectors.trends(listed)
    context: dict[str, Any] = {
        "plan": access.plan,
        "institution": found,
        "assessments": sorted(listed, key=lambda a: (a.assessed_on, a.pk), reverse=True),
        "trends": [(t, theme_charts(t)) for t in trends],
        "can_manage": access.can_manage_assessments(found.organisation_id),
        "frameworks": AssessmentFramework.choices,
        "scale": SCALE,
    }
    return render(request, "security/assessments.html", context)


def _assessment_form_page(
    request: HttpRequest,
    access: PlanAccess,
    institution: SecurityInstitution,
    framework: str,
    *,
    assessment: InstitutionAssessment | None,
    values: dict[str, str],
    errors: dict[str, str],
) -> HttpResponse:
    context: dict[str, Any] = {
        "plan": access.plan,
        "institution": institution,
        "assessment": assessment,
        "framework": framework,
        "framework_label": AssessmentFramework(framework).label,
        "themes": [
            {
                "theme": t,
                "score": values.get(score_field(t.code), ""),
                "error": errors.get(score_field(t.code), "")
                or errors.get(f"findings_{t.code}", ""),
                "findings": values.get(f"findings_{t.code}", ""),
                "recommendations": values.get(f"recommendations_{t.code}", ""),
            }
            for t in themes_of(framework)
        ],
        "conductors": AssessmentConductor.choices,
        "scale": SCALE,
        "values": values,
        "errors": errors,
        "error_list": error_links(errors),
    }
    return render(request, "security/assessment_form.html", context, status=400 if errors else 200)


def _assessment_values(assessment: InstitutionAssessment) -> dict[str, str]:
    values = {
        "assessed_on": assessment.assessed_on.isoformat(),
        "conducted_by": assessment.conducted_by,
        "conducting_organisation": assessment.conducting_organisation,
        "method": assessment.method,
    }
    for s in assessment.scores.all():
        values[score_field(s.theme)] = str(s.score)
        values[f"findings_{s.theme}"] = s.findings
        values[f"recommendations_{s.theme}"] = s.recommendations
    return values


def _assessment_save(
    request: SignedInRequest,
    access: PlanAccess,
    institution: SecurityInstitution,
    framework: str,
    assessment: InstitutionAssessment | None,
) -> HttpResponse:
    form = AssessmentForm(request.POST, framework=framework)
    failure: ValidationError | None = None
    if form.is_valid():
        try:
            saved = services.assessment_record(
                by=request.user,
                institution=institution,
                assessment=assessment,
                **form.service_arguments(),
            )
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The assessment is saved as a draft."))
            return redirect(
                "security:assessment", code=access.plan.code, inst=institution.code, pk=saved.pk
            )
    return _assessment_form_page(
        request,
        access,
        institution,
        framework,
        assessment=assessment,
        values=request.POST.dict(),
        errors=field_errors(form, failure),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def assessment_new(request: SignedInRequest, code: str, inst: str) -> HttpResponse:
    access, found = _assessment_access(request, code, inst)
    if not access.can_manage_assessments(found.organisation_id):
        raise PermissionDenied
    framework = str(request.POST.get("framework") or request.GET.get("framework") or "")
    if framework not in AssessmentFramework.values:
        return render(
            request,
            "security/assessment_framework.html",
            {"plan": access.plan, "institution": found, "frameworks": AssessmentFramework.choices},
        )
    if request.method == "POST":
        return _assessment_save(request, access, found, framework, None)
    return _assessment_form_page(
        request, access, found, framework, assessment=None, values={}, errors={}
    )


@require_safe
def assessment(request: HttpRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _assessment_access(request, code, inst)
    drafts = access.can_read_assessment(published=False)
    listed = selectors.assessments_of(found, drafts=drafts)
    this = selectors.assessment_for(found, pk, drafts=drafts)
    # The change on each theme since the assessment of the same framework just before it.
    upto = [
        a for a in listed if a.framework == this.framework and a.assessed_on <= this.assessed_on
    ]
    trend = selectors.trends(upto)[0]
    findings = {s.theme: s for s in this.scores.all()}
    context: dict[str, Any] = {
        "plan": access.plan,
        "institution": found,
        "assessment": this,
        "previous": trend.previous,
        "rows": [(r, findings.get(r.code)) for r in trend.rows],
        "can_manage": access.can_manage_assessments(found.organisation_id)
        and not this.is_published,
        "scale": SCALE,
    }
    return render(request, "security/assessment.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def assessment_edit(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _assessment_access(request, code, inst)
    if not access.can_manage_assessments(found.organisation_id):
        raise PermissionDenied
    this = selectors.assessment_for(found, pk, drafts=True)
    if this.is_published:
        messages.error(request, _("A published assessment is not changed."))
        return redirect("security:assessment", code=code, inst=found.code, pk=this.pk)
    if request.method == "POST":
        return _assessment_save(request, access, found, this.framework, this)
    return _assessment_form_page(
        request,
        access,
        found,
        this.framework,
        assessment=this,
        values=_assessment_values(this),
        errors={},
    )


@require_POST
@login_required
def assessment_publish(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _assessment_access(request, code, inst)
    if not access.can_manage_assessments(found.organisation_id):
        raise PermissionDenied
    this = selectors.assessment_for(found, pk, drafts=True)
    try:
        services.assessment_publish(by=request.user, assessment=this)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The assessment is published."))
    return redirect("security:assessment", code=code, inst=found.code, pk=this.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def assessment_delete(request: SignedInRequest, code: str, inst: str, pk: int) -> HttpResponse:
    access, found = _assessment_access(request, code, inst)
    if not access.can_manage_assessments(found.organisation_id):
        raise PermissionDenied
    this = selectors.assessment_for(found, pk, drafts=True)
    listed = reverse("security:assessments", args=[code, found.code])
    return removal_page(
        request,
        title=_("Remove the draft"),
        question=_(
            "Remove the draft assessment %(framework)s of %(date)s, with its scores, findings "
            "and recommendations? This cannot be undone."
        )
        % {
            "framework": this.get_framework_display(),
            "date": date_format(this.assessed_on, "DATE_FORMAT"),
        },
        remove=lambda: services.assessment_remove(by=request.user, assessment=this),
        removed_message=_("The draft assessment is removed."),
        done_url=listed,
        cancel_url=reverse("security:assessment", args=[code, found.code, this.pk]),
        breadcrumbs=[*_crumbs(access, found), (_("Self-assessments"), listed)],
        here=_("Remove the draft"),
    )
