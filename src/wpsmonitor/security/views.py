"""Pages of the security-sector module (docs/security-sector.md). Views bind a form, call
services and selectors, render; plain forms, POST then redirect, no JavaScript.

Whoever reads the plan reads the institutions, their package, the desks and their coverage by
province; the desks' case counts only the plan's members (`can_read_desk_cases`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import Plan, PlanKind
from wpsmonitor.security import selectors, services
from wpsmonitor.security.forms import AdoptForm, CasesForm, DeskForm, InstitutionForm
from wpsmonitor.security.models import (
    DESK_KINDS,
    DeskStatus,
    InstitutionKind,
    PackageAdoption,
    SecurityInstitution,
    WomensDesk,
)
from wpsmonitor.shell.forms import error_links, field_errors
from wpsmonitor.shell.requests import SignedInRequest


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
    form = DeskForm(request.POST, plan=access.plan)
    failure: ValidationError | None = None
    if form.is_valid():
        try:
            services.desk_update(by=request.user, desk=found, **form.cleaned_data)
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The desk is saved."))
            return redirect("security:desk", code=code, pk=found.pk)
    return _desk_page(
        request, access, found, values=request.POST.dict(), errors=field_errors(form, failure)
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
