"""Pages of the register of allegations (docs/conduct.md). Plain forms, POST then redirect, no
JavaScript.

- The plan's coordinators and named conduct readers, in a session verified with a second
  factor: the register, one allegation with its steps, the form that records one. A signed-in
  session that would be allowed once verified is sent to the second step; anyone else is
  refused (403), the administrator included.
- The coordinators: the conduct readers and the log of reads.
- Whoever reads the plan: the counts after disclosure control (`figures`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accounts import two_factor
from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.conduct import selectors, services
from wpsmonitor.conduct.forms import AllegationForm, ReaderForm, StepForm
from wpsmonitor.conduct.models import (
    Action,
    AllegationKind,
    ConductReader,
    Outcome,
    PersonnelCategory,
)
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.shell.requests import SignedInRequest


class _SecondStep(Exception):
    pass


def _verified(request: HttpRequest, access: PlanAccess) -> bool:
    """Whether the session may read allegations: verified and allowed; a session allowed once
    verified goes to the second step (raised), anyone else is refused."""
    verified = two_factor.is_verified(request)
    if access.can_read_allegations(verified=verified):
        return verified
    if not verified and access.can_read_allegations(verified=True):
        raise _SecondStep
    raise PermissionDenied


def _guarded(view):  # type: ignore[no-untyped-def]
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)  # type: ignore[no-any-return]
        except _SecondStep:
            return redirect(two_factor.step_url(request.user, request.get_full_path()))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_safe
def figures(request: HttpRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code, may_open=PlanAccess.can_read_allegation_figures)
    return render(
        request,
        "conduct/figures.html",
        {
            "plan": access.plan,
            "figures": selectors.figures(access.plan),
            "reads_register": request.user.is_authenticated
            and access.can_read_allegations(verified=True),
        },
    )


@require_safe
@login_required
@_guarded
def register(request: SignedInRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    verified = _verified(request, access)
    return render(
        request,
        "conduct/register.html",
        {
            "plan": access.plan,
            "allegations": selectors.allegations_for(access, verified=verified),
            "times": selectors.times_by_year(access.plan),
            "manages": access.can_name_conduct_readers(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@_guarded
def new(request: SignedInRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    verified = _verified(request, access)
    errors: list[str] = []
    values: dict[str, str] = {}
    if request.method == "POST":
        values = request.POST.dict()
        form = AllegationForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                found = services.allegation_record(
                    by=request.user, verified=verified, plan=access.plan, **data
                )
            except ValidationError as exc:
                errors = list(exc.messages)
            else:
                messages.success(request, _("The allegation is recorded."))
                return redirect("conduct:allegation", code=code, uid=found.uid)
        else:
            errors = [str(m) for ms in form.errors.values() for m in ms]
    context = {
        "plan": access.plan,
        "values": values,
        "errors": errors,
        "categories": PersonnelCategory.choices,
        "kinds": AllegationKind.choices,
        "areas": list(Area.objects.filter(path__startswith=access.plan.area.path).order_by("path")),
        "organisations": list(Organisation.objects.order_by("name")),
    }
    return render(request, "conduct/form.html", context, status=400 if errors else 200)


def _allegation_page(
    request: SignedInRequest, access: PlanAccess, uid: str, verified: bool, errors: list[str]
) -> HttpResponse:
    found = selectors.allegation_for(access, uid, verified=verified)
    return render(
        request,
        "conduct/allegation.html",
        {
            "plan": access.plan,
            "allegation": found,
            "province": selectors.province_of(found),
            "outcomes": Outcome.choices,
            "actions": Action.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@require_safe
@login_required
@_guarded
def allegation(request: SignedInRequest, code: str, uid: str) -> HttpResponse:
    access = plan_access(request.user, code)
    return _allegation_page(request, access, uid, _verified(request, access), [])


STEPS: dict[str, Callable[..., None]] = {
    "open": services.investigation_open,
    "close": services.investigation_close,
    "action": services.action_record,
}


@require_POST
@login_required
@_guarded
def step(request: SignedInRequest, code: str, uid: str, step: str) -> HttpResponse:
    access = plan_access(request.user, code)
    verified = _verified(request, access)
    if step not in STEPS:
        raise Http404
    found = selectors.allegation_for(access, str(uid), verified=verified)
    form = StepForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        extra = {"outcome": data["outcome"]} if step == "close" else {}
        if step == "action":
            extra = {"action": data["action"]}
        try:
            STEPS[step](
                by=request.user, verified=verified, allegation=found, on=data["on"], **extra
            )
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            return redirect("conduct:allegation", code=code, uid=found.uid)
    else:
        errors = [str(m) for ms in form.errors.values() for m in ms]
    return _allegation_page(request, access, str(uid), verified, errors)


def _coordinator(request: SignedInRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_name_conduct_readers():
        raise PermissionDenied
    return access


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def readers(request: SignedInRequest, code: str) -> HttpResponse:
    access = _coordinator(request, code)
    errors: list[str] = []
    if request.method == "POST":
        form = ReaderForm(request.POST)
        form.is_valid()
        name = form.cleaned_data.get("username", "").strip()
        user = get_user_model()._default_manager.filter(username=name).first()
        try:
            services.conduct_reader_name(by=request.user, plan=access.plan, user=user)
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            messages.success(request, _("The conduct reader is named."))
            return redirect("conduct:readers", code=code)
    return render(
        request,
        "conduct/readers.html",
        {"plan": access.plan, "readers": selectors.readers_for(access.plan), "errors": errors},
        status=400 if errors else 200,
    )


@require_POST
@login_required
def reader_remove(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _coordinator(request, code)
    reader = ConductReader.objects.filter(plan=access.plan, pk=pk).first()
    if reader is None:
        raise Http404
    services.conduct_reader_remove(by=request.user, reader=reader)
    return redirect("conduct:readers", code=code)


@require_safe
@login_required
def reads(request: SignedInRequest, code: str) -> HttpResponse:
    access = _coordinator(request, code)
    return render(
        request,
        "conduct/reads.html",
        {"plan": access.plan, "reads": list(selectors.reads_for(access)[:500])},
    )
