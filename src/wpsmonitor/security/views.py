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
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import Plan, PlanKind
from wpsmonitor.security import selectors, services
from wpsmonitor.security.assessment import SCALE, score_field, themes_of
from wpsmonitor.security.forms import (
    AdoptForm,
    AssessmentForm,
    CasesForm,
    DeskForm,
    InstitutionForm,
)
from wpsmonitor.security.models import (
    ASSESSMENT_SCALE_HIGH,
    DESK_KINDS,
    AssessmentConductor,
    AssessmentFramework,
    DeskStatus,
    InstitutionAssessment,
    InstitutionKind,
    PackageAdoption,
    SecurityInstitution,
    WomensDesk,
)
from wpsmonitor.shell import charts
from wpsmonitor.shell.forms import error_links, error_text, field_errors
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


# Editing an institution (docs/security-sector.md, "Editing") ------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def institution_edit(request: SignedInRequest, code: str, inst: str) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.institution_for(access.plan, inst)
    if not access.can_manage_security():
        raise PermissionDenied
    errors: dict[str, str] = {}
    values = {
        "code": found.code,
        "kind": found.kind,
        "organisation": found.organisation.code,
        "institutional_plan": found.institutional_plan.code if found.institutional_plan else "",
    }
    if request.method == "POST":
        form = InstitutionForm(request.POST, plan=access.plan)
        failure: ValidationError | None = None
        if form.is_valid():
            try:
                services.institution_update(by=request.user, institution=found, **form.cleaned_data)
            except ValidationError as exc:
                failure = exc
            else:
                messages.success(request, _("The institution is saved."))
                return redirect("security:institution", code=code, inst=found.code)
        errors = field_errors(form, failure)
        values = request.POST.dict()
        found.refresh_from_db()
    context: dict[str, Any] = {
        "plan": access.plan,
        "institution": found,
        "package_adopted": PackageAdoption.objects.filter(institution=found).exists(),
        "kinds": InstitutionKind.choices,
        "organisations": list(Organisation.objects.order_by("name")),
        "internal_plans": list(
            Plan.objects.filter(parent=access.plan, kind=PlanKind.INSTITUTIONAL).order_by("code")
        ),
        "values": values,
        "errors": errors,
        "error_list": error_links(errors),
    }
    return render(request, "security/institution_edit.html", context, status=400 if errors else 200)


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
    if request.method == "POST":
        try:
            services.assessment_remove(by=request.user, assessment=this)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("security:assessment", code=code, inst=found.code, pk=this.pk)
        messages.success(request, _("The draft assessment is removed."))
        return redirect("security:assessments", code=code, inst=found.code)
    return render(
        request,
        "security/assessment_delete.html",
        {"plan": access.plan, "institution": found, "assessment": this},
    )
