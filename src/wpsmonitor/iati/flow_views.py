"""The donors pages: flows from funders to implementers, the gender-marker checks, the plan's
donor activities and organisations, and the coordinators' mapping forms.

Views bind a form (iati.forms), call selectors and services, render. Whoever may read the plan reads
these pages (donor money is public accountability data, as the plan's finance is); a hidden
plan answers 404. Mapping activities and marking organisations is for the plan's coordinators:
others get 403, anonymous visitors the sign-in page. Plain forms, POST then redirect: no
JavaScript needed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.iati import charts, flows, markers, selectors, services
from wpsmonitor.iati.forms import ActivityMapForm, OrganisationFlagsForm
from wpsmonitor.iati.models import Organisation
from wpsmonitor.shell.forms import error_text, form_error_text
from wpsmonitor.shell.requests import SignedInRequest

PAGE_SIZE = 50


def _flow_rows(summary: selectors.DonorSummary) -> list[dict[str, Any]]:
    orgs = summary.report.orgs
    labels = {
        flows.BOTH: _("funder and receiver"),
        flows.PROVIDER: _("funder"),
        flows.RECEIVER: _("receiver only"),
    }
    rows = []
    for f in summary.report.flows:
        receiver = orgs.get(f.receiver)
        rows.append(
            {
                "provider": orgs[f.provider],
                "receiver": receiver,
                "receiver_category": charts.category_label(
                    receiver.category if receiver else flows.UNKNOWN
                ),
                "flow": f,
                "reported_by": labels[f.reported_by],
            }
        )
    return rows


def _reach_rows(summary: selectors.DonorSummary) -> list[dict[str, Any]]:
    report = summary.report
    groups = [(charts.category_label(key), report.reached[key]) for key in flows.CATEGORIES]
    groups.append((_("Women-led (marked by users)"), report.women_led))
    groups.append((_("Grassroots (marked by users)"), report.grassroots))
    return [
        {"label": label, "reach": reach, "share": report.share(reach)} for label, reach in groups
    ]


def _profile_rows(summary: selectors.DonorSummary) -> list[dict[str, Any]]:
    return [
        {
            "profile": p,
            "states": [
                {"label": charts.state_label(s), "totals": p.states[s], "share": p.share(s)}
                for s in markers.PROFILE_STATES
            ],
        }
        for p in summary.profiles
    ]


def _label(summary: selectors.DonorSummary, key: str) -> str:
    org = summary.report.orgs.get(key)
    return org.label if org is not None else _("Receiver not named")


def _common(access: Any) -> dict[str, Any]:
    return {"plan": access.plan, "access": access, "can_manage": access.can_manage()}


@require_safe
def donors(request: HttpRequest, code: str) -> HttpResponse:
    """Flows from funders to implementers, who the money reached, the marker profile."""
    access = plan_access(request.user, code)
    summary = selectors.donor_summary(access.plan)
    context = {
        **_common(access),
        "s": summary,
        "sankey": charts.sankey(summary.report),
        "sankey_currency": charts.sankey_currency(summary.report),
        "flow_rows": _flow_rows(summary),
        "reach_rows": _reach_rows(summary),
        "profile_rows": _profile_rows(summary),
        "profile_chart": charts.profile_bars(
            summary.profiles, by_amount=summary.rates.table is not None
        ),
        "not_added_rows": [
            (n, _label(summary, n.provider), _label(summary, n.receiver))
            for n in summary.report.not_added
        ],
    }
    return render(request, "iati/flows.html", context)


@require_safe
def marker_check(request: HttpRequest, code: str) -> HttpResponse:
    """Activities coded 15170/15180 not marked principal; the sector × marker cross-tab."""
    access = plan_access(request.user, code)
    summary = selectors.donor_summary(access.plan)
    states = [*markers.PROFILE_STATES, markers.NO_MARKER]
    crosstab = [
        {"code": code_, "counts": [summary.crosstab[code_].get(s, 0) for s in states]}
        for code_ in summary.crosstab
    ]
    context = {
        **_common(access),
        "s": summary,
        "flagged": [{"item": f, "state": charts.state_label(f.state)} for f in summary.flagged],
        "states": [charts.state_label(s) for s in states],
        "crosstab": crosstab,
        "profile_rows": _profile_rows(summary),
    }
    return render(request, "iati/markers.html", context)


@require_safe
def activities(request: HttpRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    filters = selectors.ActivityFilters.from_params(request.GET)
    page = Paginator(selectors.activity_list(access.plan, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    links = selectors.links_by_activity(access.plan, [a.pk for a in page])
    rows = [
        {
            "activity": a,
            "state": charts.state_label(selectors.activity_state(a)),
            "nodes": links.get(a.pk, []),
        }
        for a in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **_common(access),
        "filters": filters,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "states": [
            (s, charts.state_label(s)) for s in (*markers.PROFILE_STATES, markers.NO_MARKER)
        ],
    }
    return render(request, "iati/flows_activities.html", context)


@require_safe
def activity(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.activity_for(access, pk)
    links = {link.node_id: link for link in found.links.filter(node__plan=access.plan)}
    nodes = selectors.mappable_nodes(access.plan)
    context = {
        **_common(access),
        "activity": found,
        "state": charts.state_label(selectors.activity_state(found)),
        "participants": found.participants.select_related("organisation").order_by("role", "pk"),
        "sectors": found.sectors.order_by("vocabulary", "code"),
        "transactions": found.transactions.select_related("provider", "receiver").order_by(
            "value_date", "pk"
        ),
        "nodes": [{"node": n, "link": links.get(n.pk)} for n in nodes],
        # For the note of their titles ({% translated_note %}): all, and those mapped.
        "node_list": nodes,
        "linked_nodes": [n for n in nodes if n.pk in links],
    }
    return render(request, "iati/mapping_activity.html", context)


@require_POST
@login_required
def activity_map(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """Save the activity's pillars and actions (checked boxes, optional share each)."""
    access = plan_access(request.user, code)
    found = selectors.activity_for(access, pk)
    if not access.can_manage():
        raise PermissionDenied
    form = ActivityMapForm(request.POST)
    if form.is_valid():
        try:
            services.activity_links_set(
                by=request.user, access=access, activity=found, links=form.cleaned_data["links"]
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The activity's pillars and actions are saved."))
    else:
        messages.error(request, form_error_text(form))
    return redirect("iati:activity", code=code, pk=pk)


@require_safe
def organisations(request: HttpRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    country = selectors.country_of(access.plan)
    page = Paginator(
        selectors.plan_organisations(access.plan).order_by("name", "ref"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = []
    for o in page:
        org = flows.Org(
            key=o.key,
            ref=o.ref,
            name=o.name,
            type=o.type,
            women_led=o.women_led,
            grassroots=o.grassroots,
        )
        rows.append({"org": o, "category": charts.category_label(flows.category(org, country))})
    context = {**_common(access), "page": page, "rows": rows}
    return render(request, "iati/mapping_organisations.html", context)


@require_POST
@login_required
def organisation_flags(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation")
    if not access.can_manage():
        raise PermissionDenied
    target = reverse("iati:organisations", kwargs={"code": code})
    form = OrganisationFlagsForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(target)
    try:
        services.organisation_flags_set(
            by=request.user,
            access=access,
            organisation=organisation,
            women_led=form.cleaned_data["women_led"],
            grassroots=form.cleaned_data["grassroots"],
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("%(name)s is saved.") % {"name": organisation.name or organisation.ref}
        )
    page = form.cleaned_data["page"]
    return redirect(f"{target}?page={page}" if page is not None else target)
