"""Pages of the recommendation tracker. Views bind a form (forms.py), call services and
selectors, render. Plain forms, POST then redirect: everything works without JavaScript.
Rights are checked by the services and selectors: hidden objects answer 404, refused actions
403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from wpsmonitor.accountability import selectors, services
from wpsmonitor.accountability.forms import (
    AssessmentForm,
    DecisionForm,
    FindingForm,
    FromFindingForm,
    PublishForm,
    RecommendationForm,
    ResponseForm,
    ReviewForm,
    StatusForm,
)
from wpsmonitor.accountability.models import (
    Assessment,
    Finding,
    Mechanism,
    Recommendation,
    RecStatus,
    Response,
    Review,
    ReviewKind,
)
from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.shell.confirm import Confirmation, confirm_page, confirmed
from wpsmonitor.shell.forms import ActionForm, error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest


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
def create(request: SignedInRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_manage_recommendations():
        raise PermissionDenied
    form = RecommendationForm(request.POST, plan=access.plan)
    try:
        rec = services.recommendation_create(by=request.user, plan=access.plan, **valid_data(form))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
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


def _respond(request: SignedInRequest, access: PlanAccess, rec: Recommendation) -> str:
    data = valid_data(ResponseForm(request.POST, request.FILES))
    upload = data.pop("file")
    services.response_add(by=request.user, recommendation=rec, upload=upload, **data)
    return _("Your response is recorded.")


def _assess(request: SignedInRequest, access: PlanAccess, rec: Recommendation) -> str:
    data = valid_data(AssessmentForm(request.POST))
    services.assessment_save(by=request.user, recommendation=rec, **data)
    return _("Your assessment is saved.")


def _assessment_to_publish(
    request: SignedInRequest, access: PlanAccess, rec: Recommendation
) -> Assessment:
    form = PublishForm(request.POST, recommendation=rec)
    if not form.is_valid() or not access.can_view_assessment(form.cleaned_data["assessment"]):
        raise Http404("No such assessment")
    return form.cleaned_data["assessment"]  # type: ignore[no-any-return]


def _publish(request: SignedInRequest, access: PlanAccess, rec: Recommendation) -> str:
    assessment = _assessment_to_publish(request, access, rec)
    services.assessment_publish(by=request.user, assessment=assessment)
    return _("Your assessment is published.")


def _publish_confirmation(
    access: PlanAccess, rec: Recommendation, assessment: Assessment
) -> Confirmation:
    """Publishing an assessment asks first: it is public for good."""
    return Confirmation(
        title=_("Publish %(organisation)s's assessment?")
        % {"organisation": assessment.organisation.name},
        button=_("Publish the assessment"),
        cancel_url=reverse("accountability:detail", args=[access.plan.code, rec.pk]),
        public=[
            _("Your organisation's assessment: “%(status)s”, beside the government's status.")
            % {"status": assessment.get_status_display()},
        ]
        + (
            [_("Your comment: %(comment)s") % {"comment": assessment.comment}]
            if assessment.comment.strip()
            else []
        ),
        blank=[] if assessment.comment.strip() else [_("No comment explains the assessment.")],
        notes=[_("Publishing cannot be undone: you may change it later, in public.")],
    )


def _decide(request: SignedInRequest, access: PlanAccess, rec: Recommendation) -> str:
    data = valid_data(DecisionForm(request.POST))
    services.decision_record(by=request.user, recommendation=rec, **data)
    return _("The decision is recorded.")


def _set_status(request: SignedInRequest, access: PlanAccess, rec: Recommendation) -> str:
    data = valid_data(StatusForm(request.POST))
    services.recommendation_status_set(by=request.user, recommendation=rec, **data)
    return _("The status is changed.")


# The buttons of the detail page: each does its write and says what was done.
ACTIONS: dict[str, Callable[[SignedInRequest, PlanAccess, Recommendation], str]] = {
    "respond": _respond,
    "assess": _assess,
    "publish": _publish,
    "decide": _decide,
    "status": _set_status,
}


@require_POST
@login_required
def act(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """Respond, assess, publish an assessment, record a decision or set the status."""
    access = plan_access(request.user, code)
    rec = selectors.recommendation_for(access, pk)
    what = ActionForm(request.POST).action()
    action = ACTIONS.get(what)
    if what == "publish" and not confirmed(request):
        assessment = _assessment_to_publish(request, access, rec)
        if not access.can_edit_assessment(assessment):
            raise PermissionDenied
        return confirm_page(request, _publish_confirmation(access, rec, assessment))
    try:
        if action is None:
            raise ValidationError(_("Unknown action."))
        messages.success(request, action(request, access, rec))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("accountability:detail", code=code, pk=pk)


@require_safe
@login_required
def response_evidence(request: SignedInRequest, code: str, pk: int) -> FileResponse:
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
def review_create(request: SignedInRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_manage_recommendations():
        raise PermissionDenied
    form = ReviewForm(request.POST)
    try:
        review = services.review_create(by=request.user, plan=access.plan, **valid_data(form))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
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
def review_act(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """Add a finding, or turn a finding into a recommendation (coordinators)."""
    access = plan_access(request.user, code)
    review = _review(access, pk)
    if not access.can_manage_recommendations():
        raise PermissionDenied
    try:
        if ActionForm(request.POST).action() == "finding":
            data = valid_data(FindingForm(request.POST, review=review))
            services.finding_add(by=request.user, review=review, **data)
            messages.success(request, _("The finding is recorded."))
        else:
            form = FromFindingForm(request.POST, review=review)
            if "finding" in form.errors:
                raise Http404("No such finding")
            rec = services.recommendation_from_finding(by=request.user, **valid_data(form))
            messages.success(request, _("The recommendation is recorded."))
            return redirect("accountability:detail", code=code, pk=rec.pk)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("accountability:review", code=code, pk=pk)
