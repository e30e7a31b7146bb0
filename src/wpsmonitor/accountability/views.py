"""Pages of the recommendation tracker. Views parse the request, call services and selectors,
render. Plain forms, POST then redirect: everything works without JavaScript. Rights are
checked by the services and selectors: hidden objects answer 404, refused actions 403."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from wpsmonitor.accountability import selectors, services
from wpsmonitor.accountability.models import (
    Assessment,
    Finding,
    Mechanism,
    RecStatus,
    Response,
    Review,
    ReviewKind,
)
from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import FrameworkNode


def _errors(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _date(raw: str, *, required: bool = True) -> date | None:
    raw = (raw or "").strip()
    if not raw and not required:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(_("Give a date as YYYY-MM-DD.")) from None


def _organisations(codes: list[str]) -> list[Organisation]:
    codes = [c for c in codes if c]
    found = list(Organisation.objects.filter(code__in=codes))
    if len(found) != len(set(codes)):
        raise ValidationError(_("Every addressee must be an organisation of the directory."))
    return found


def _organisation(code: str) -> Organisation:
    org = Organisation.objects.filter(code=code).first()
    if org is None:
        raise ValidationError(_("Choose an organisation."))
    return org


def _nodes(access: PlanAccess, codes: list[str]) -> list[FrameworkNode]:
    codes = [c for c in codes if c]
    found = list(FrameworkNode.objects.filter(plan=access.plan, code__in=codes))
    if len(found) != len(set(codes)):
        raise ValidationError(_("Every framework node must belong to this plan."))
    return found


def _form_context(access: PlanAccess) -> dict[str, Any]:
    return {
        "mechanisms": Mechanism.choices,
        "statuses": RecStatus.choices,
        "organisations": list(Organisation.objects.order_by("name")),
        "nodes": list(
            FrameworkNode.objects.filter(plan=access.plan).select_related("level").order_by("path")
        ),
    }


@require_safe
def summary(request: HttpRequest, code: str) -> HttpResponse:
    """The summary: counts by status, fully implemented by source, addressee and pillar,
    overdue ones, government status beside civil society's; the filtered list."""
    access = plan_access(request.user, code)
    filters = selectors.Filters.from_params(request.GET)
    context: dict[str, Any] = {
        "plan": access.plan,
        "access": access,
        "filters": filters,
        "summary": selectors.summary(access, filters),
        "today": timezone.localdate(),
        "pillars": list(
            FrameworkNode.objects.filter(plan=access.plan, parent__isnull=True).order_by(
                "order", "code"
            )
        ),
        **_form_context(access),
    }
    return render(request, "accountability/summary.html", context)


@require_POST
@login_required
def create(request: HttpRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_manage_recommendations():
        raise PermissionDenied
    try:
        rec = services.recommendation_create(
            by=request.user,
            plan=access.plan,
            source=request.POST.get("source", ""),
            reference=request.POST.get("reference", ""),
            issued_on=_date(request.POST.get("issued_on", "")),  # type: ignore[arg-type]
            due_on=_date(request.POST.get("due_on", ""), required=False),
            text=request.POST.get("text", ""),
            addressees=_organisations(request.POST.getlist("addressees")),
            nodes=_nodes(access, request.POST.getlist("nodes")),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("accountability:summary", code=code)
    messages.success(request, _("The recommendation is recorded."))
    return redirect("accountability:detail", code=code, pk=rec.pk)


@require_safe
def detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    rec = selectors.recommendation_for(access, pk)
    addressees = list(rec.addressees.all())
    mine = access.focal_organisations() & {o.pk for o in addressees}
    monitor_orgs = access.monitor_organisations()
    own = [a for a in rec.visible_assessments if a.organisation_id in monitor_orgs]  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "plan": access.plan,
        "access": access,
        "rec": rec,
        "addressees": addressees,
        "respond_for": [o for o in addressees if o.pk in mine],
        "assess_for": list(Organisation.objects.filter(pk__in=monitor_orgs).order_by("name")),
        "own_assessments": own,
        "can_manage": access.can_manage_recommendations(),
        "can_download": access.can_download_response_evidence(),
        "today": timezone.localdate(),
        **_form_context(access),
    }
    return render(request, "accountability/detail.html", context)


@require_POST
@login_required
def act(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Respond, assess, publish an assessment, record a decision or set the status."""
    access = plan_access(request.user, code)
    rec = selectors.recommendation_for(access, pk)
    what = request.POST.get("do", "")
    user = request.user
    try:
        if what == "respond":
            services.response_add(
                by=user,
                recommendation=rec,
                organisation=_organisation(request.POST.get("organisation", "")),
                text=request.POST.get("text", ""),
                status=request.POST.get("status", ""),
                upload=request.FILES.get("file"),
            )
            messages.success(request, _("Your response is recorded."))
        elif what == "assess":
            services.assessment_save(
                by=user,
                recommendation=rec,
                organisation=_organisation(request.POST.get("organisation", "")),
                status=request.POST.get("status", ""),
                comment=request.POST.get("comment", ""),
                publish=request.POST.get("publish") == "on",
            )
            messages.success(request, _("Your assessment is saved."))
        elif what == "publish":
            assessment = Assessment.objects.filter(
                recommendation=rec, pk=request.POST.get("assessment") or 0
            ).first()
            if assessment is None or not access.can_view_assessment(assessment):
                raise Http404("No such assessment")
            services.assessment_publish(by=user, assessment=assessment)
            messages.success(request, _("Your assessment is published."))
        elif what == "decide":
            services.decision_record(
                by=user,
                recommendation=rec,
                organisation=_organisation(request.POST.get("organisation", "")),
                text=request.POST.get("text", ""),
                decided_on=_date(request.POST.get("decided_on", "")),  # type: ignore[arg-type]
            )
            messages.success(request, _("The decision is recorded."))
        elif what == "status":
            services.recommendation_status_set(
                by=user,
                recommendation=rec,
                status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("The status is changed."))
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("accountability:detail", code=code, pk=pk)


@require_safe
@login_required
def response_evidence(request: HttpRequest, code: str, pk: int) -> FileResponse:
    access = plan_access(request.user, code)
    item = Response.objects.filter(pk=pk, recommendation__plan=access.plan).exclude(file="").first()
    if item is None or not access.can_download_response_evidence():
        raise Http404("No such file")
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.filename,
        content_type=item.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def reviews(request: HttpRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    context = {
        "plan": access.plan,
        "access": access,
        "reviews": list(Review.objects.filter(plan=access.plan)),
        "kinds": ReviewKind.choices,
    }
    return render(request, "accountability/reviews.html", context)


@require_POST
@login_required
def review_create(request: HttpRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_manage_recommendations():
        raise PermissionDenied
    try:
        review = services.review_create(
            by=request.user,
            plan=access.plan,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            held_on=_date(request.POST.get("held_on", "")),  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("accountability:reviews", code=code)
    messages.success(request, _("The review is recorded."))
    return redirect("accountability:review", code=code, pk=review.pk)


def _review(access: PlanAccess, pk: int) -> Review:
    review = Review.objects.filter(plan=access.plan, pk=pk).first()
    if review is None:
        raise Http404("No such review")
    return review


@require_safe
def review_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    review = _review(access, pk)
    findings = list(
        Finding.objects.filter(review=review)
        .select_related("node")
        .prefetch_related("recommendations__decisions__organisation")
    )
    context = {
        "plan": access.plan,
        "access": access,
        "review": review,
        "findings": findings,
        "can_manage": access.can_manage_recommendations(),
        **_form_context(access),
    }
    return render(request, "accountability/review.html", context)


@require_POST
@login_required
def review_act(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Add a finding, or turn a finding into a recommendation (coordinators)."""
    access = plan_access(request.user, code)
    review = _review(access, pk)
    if not access.can_manage_recommendations():
        raise PermissionDenied
    try:
        if request.POST.get("do") == "finding":
            node_code = request.POST.get("node", "")
            services.finding_add(
                by=request.user,
                review=review,
                text=request.POST.get("text", ""),
                node=_nodes(access, [node_code])[0] if node_code else None,
            )
            messages.success(request, _("The finding is recorded."))
        else:
            finding = Finding.objects.filter(
                review=review, pk=request.POST.get("finding") or 0
            ).first()
            if finding is None:
                raise Http404("No such finding")
            rec = services.recommendation_from_finding(
                by=request.user,
                finding=finding,
                text=request.POST.get("text", ""),
                addressees=_organisations(request.POST.getlist("addressees")),
                due_on=_date(request.POST.get("due_on", ""), required=False),
            )
            messages.success(request, _("The recommendation is recorded."))
            return redirect("accountability:detail", code=code, pk=rec.pk)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("accountability:review", code=code, pk=pk)
