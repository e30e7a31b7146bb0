"""Pages of the register of threats against defenders. Views bind a form, call services and
selectors, render; plain forms, POST then redirect, no JavaScript.

- The holder's people: the list of their incidents, one incident, the form that records or
  changes one, "Remove now" (confirmed, irreversible). Anyone else is refused (403 for the
  list, 404 for an incident: its existence is not told).
- Whoever reads the plan: the counts after disclosure control (`figures`), never an incident.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.defenders import selectors, services
from wpsmonitor.defenders.forms import IncidentForm
from wpsmonitor.defenders.models import Incident, IncidentKind, PerpetratorType
from wpsmonitor.directory.models import Organisation
from wpsmonitor.shell.confirm import Confirmation, confirm_page, confirmed
from wpsmonitor.shell.forms import error_links, field_errors
from wpsmonitor.shell.requests import SignedInRequest


@require_safe
def figures(request: HttpRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code, may_open=PlanAccess.can_read_incident_figures)
    holders = selectors.holders_for(access) if request.user.is_authenticated else []
    return render(
        request,
        "defenders/figures.html",
        {
            "plan": access.plan,
            "figures": selectors.figures(access.plan),
            "keeps_register": bool(holders),
        },
    )


def _holders(access: PlanAccess) -> list[Organisation]:
    holders = selectors.holders_for(access)
    if not holders:
        raise PermissionDenied
    return holders


@require_safe
@login_required
def incidents(request: SignedInRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    holders = _holders(access)
    return render(
        request,
        "defenders/incidents.html",
        {
            "plan": access.plan,
            "holders": holders,
            "incidents": list(selectors.incidents_for(access)),
        },
    )


def _values(incident: Incident) -> dict[str, str]:
    """An incident's fields as the form shows them."""
    return {
        "kind": incident.kind,
        "occurred_on": incident.occurred_on.isoformat(),
        "area": str(incident.area_id or ""),
        "perpetrator": incident.perpetrator,
        "description": incident.description,
        "follow_up": incident.follow_up,
        "protection_measures": incident.protection_measures,
        "funding_amount": "" if incident.funding_amount is None else str(incident.funding_amount),
        "funding_currency": incident.funding_currency,
        "funder": incident.funder.code if incident.funder else "",
    }


def _form_page(
    request: HttpRequest,
    access: PlanAccess,
    *,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    incident: Incident | None = None,
    holders: list[Organisation] | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "plan": access.plan,
        "incident": incident,
        "holders": holders,
        "values": values,
        "errors": errors or {},
        "error_list": error_links(errors or {}),
        "kinds": IncidentKind.choices,
        "perpetrators": PerpetratorType.choices,
        "areas": selectors.areas_for(access.plan),
        "organisations": list(Organisation.objects.order_by("name")),
    }
    return render(request, "defenders/form.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def incident_new(request: SignedInRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    holders = _holders(access)
    if request.method != "POST":
        values = {"holder": holders[0].code} if len(holders) == 1 else {}
        return _form_page(request, access, values=values, holders=holders)
    form = IncidentForm(request.POST, plan=access.plan, holders=holders)
    failure: ValidationError | None = None
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            incident = services.incident_record(by=request.user, plan=access.plan, **data)
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The incident is recorded."))
            return redirect("defenders:incident", code=code, uid=incident.uid)
    return _form_page(
        request,
        access,
        values=request.POST.dict(),
        errors=field_errors(form, failure),
        holders=holders,
    )


@require_safe
@login_required
def incident(request: SignedInRequest, code: str, uid: str) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.incident_for(access, uid)
    return render(request, "defenders/incident.html", {"plan": access.plan, "incident": found})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit(request: SignedInRequest, code: str, uid: str) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.incident_for(access, uid)
    if request.method != "POST":
        return _form_page(request, access, values=_values(found), incident=found)
    form = IncidentForm(request.POST, plan=access.plan)
    failure: ValidationError | None = None
    if form.is_valid():
        try:
            services.incident_update(by=request.user, incident=found, **form.cleaned_data)
        except ValidationError as exc:
            failure = exc
        else:
            messages.success(request, _("The incident is saved."))
            return redirect("defenders:incident", code=code, uid=found.uid)
    return _form_page(
        request,
        access,
        values=request.POST.dict(),
        errors=field_errors(form, failure),
        incident=found,
    )


@require_POST
@login_required
def remove(request: SignedInRequest, code: str, uid: str) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.incident_for(access, uid)
    if not confirmed(request):
        return confirm_page(
            request,
            Confirmation(
                title=_("Remove this incident now?"),
                button=_("Remove now"),
                cancel_url=reverse("defenders:incident", args=[code, found.uid]),
                notes=[
                    _(
                        "The incident is deleted at once, with its description, follow-up and "
                        "protection measures. This cannot be undone: the platform keeps no copy."
                    ),
                    _(
                        "Only the fact that your organisation removed an incident, who removed "
                        "it and when is kept."
                    ),
                ],
            ),
        )
    services.incident_delete_now(by=request.user, incident=found)
    messages.success(request, _("The incident is removed."))
    return redirect("defenders:incidents", code=code)
