"""Pages of localisation: the national plan's local plans (roll-up and matrix), the copy-down
form, and a local plan's proposals. The figures are those `reading_for` decides for each reader
on each local plan (publishing owns it: wpsmonitor/urls.py hands it over, as to the
scorecard's page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.indicators.reading import ReadingFor
from wpsmonitor.localisation import selectors, services
from wpsmonitor.localisation.forms import CopyDownForm, DecisionForm
from wpsmonitor.plans.models import LocalisationProposal, PlanKind
from wpsmonitor.shell.forms import error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest


@require_safe
def overview(request: HttpRequest, code: str, reading_for: ReadingFor) -> HttpResponse:
    """The roll-up and the localisation matrix of a national plan."""
    access = plan_access(request.user, code)
    if access.plan.kind != PlanKind.NATIONAL:
        return redirect("portal:plan", code=code)
    rollup = selectors.rollup(access, reading_for)
    context: dict[str, Any] = {
        "plan": access.plan,
        "rollup": rollup,
        "matrix": selectors.matrix(access, reading_for),
        "may_localise": access.can_localise(),
    }
    return render(request, "localisation/overview.html", context)


def _copy_down_form(access: PlanAccess, data: Any = None) -> CopyDownForm:
    nodes, indicators = selectors.copy_down_choices(access)
    return CopyDownForm(
        data,
        areas=selectors.province_choices(access.plan),
        nodes=nodes,
        indicators=indicators,
        initial={"kind": PlanKind.LOCAL.value},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def copy_down(request: SignedInRequest, code: str) -> HttpResponse:
    """Make a local plan from the national plan (its coordinators and the administrator)."""
    access = plan_access(request.user, code)
    if not access.can_localise():
        raise PermissionDenied
    nodes, indicators = selectors.copy_down_choices(access)
    problem = ""
    if request.method == "POST":
        form = _copy_down_form(access, request.POST)
        try:
            data = valid_data(form)
            made = services.local_plan_copy_down(
                by=request.user,
                national=access.plan,
                code=data["code"],
                title=data["title"],
                kind=data["kind"],
                area=data["area"],
                start=data["start"],
                end=data["end"],
                nodes=list(data["nodes"]),
                indicators=list(data["indicators"]),
            )
        except ValidationError as exc:
            problem = error_text(exc)
        else:
            messages.success(
                request,
                _(
                    "Local plan %(plan)s made: %(nodes)s framework nodes and %(indicators)s "
                    "indicators copied. Adapt them to the province."
                )
                % {"plan": made.plan.code, "nodes": made.nodes, "indicators": made.indicators},
            )
            return redirect("portal:plan", code=made.plan.code)
    else:
        form = _copy_down_form(access)
    chosen_nodes = {str(v) for v in form["nodes"].value() or []}
    chosen_indicators = {str(v) for v in form["indicators"].value() or []}
    context = {
        "plan": access.plan,
        "form": form,
        "nodes": nodes,
        "indicators": indicators,
        "chosen_nodes": chosen_nodes,
        "chosen_indicators": chosen_indicators,
        "problem": problem,
    }
    return render(request, "localisation/copy_down.html", context, status=400 if problem else 200)


def _decider(request: SignedInRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_decide_proposals():
        raise PermissionDenied
    return access


@require_safe
@login_required
def proposals(request: SignedInRequest, code: str) -> HttpResponse:
    """A local plan's open proposals from its national plan, and the latest decided."""
    access = _decider(request, code)
    context = {
        "plan": access.plan,
        "proposals": selectors.open_proposals(access.plan),
        "decided": selectors.decided_proposals(access.plan),
    }
    return render(request, "localisation/proposals.html", context)


@require_POST
@login_required
def proposal_decide(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _decider(request, code)
    proposal = get_object_or_404(LocalisationProposal, pk=pk, plan=access.plan)
    try:
        do = valid_data(DecisionForm(request.POST))["do"]
        if do == "accept":
            services.proposal_accept(by=request.user, proposal=proposal, access=access)
            messages.success(request, _("The national change was applied to the local plan."))
        else:
            services.proposal_decline(by=request.user, proposal=proposal, access=access)
            messages.success(request, _("The local plan keeps its own text."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("localisation:proposals", code=code)
