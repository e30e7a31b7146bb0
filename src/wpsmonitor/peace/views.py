"""Pages of peace processes (docs/peace-processes.md): the plan's processes, a process (its
trend of women's share by round, as a table and a chart, its rounds and delegations, its
consultations), and the forms that record them. Plain forms, POST then redirect: everything
works without JavaScript. Refused actions answer 403."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.directory.models import Organisation
from wpsmonitor.peace import selectors, services
from wpsmonitor.peace.forms import ConsultationForm, DelegationForm, ProcessForm, RoundForm
from wpsmonitor.peace.models import PeaceProcess, SeatRole, SeatSex
from wpsmonitor.shell import charts
from wpsmonitor.shell.forms import error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest
from wpsmonitor.shell.templatetags.shell import num


def _reader(request: HttpRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_read_peace():
        raise PermissionDenied
    return access


def _percent(value: float) -> str:
    return f"{num(round(value, 1), 0 if value == int(value) else 1)} %"


@require_safe
def processes(request: HttpRequest, code: str) -> HttpResponse:
    access = _reader(request, code)
    context = {
        "plan": access.plan,
        "processes": selectors.processes_of(access.plan),
        "can_manage": access.can_manage_peace(),
    }
    return render(request, "peace/processes.html", context)


def trend_chart(process: PeaceProcess, rows: list[selectors.RoundShares]) -> SafeString:
    """Women's share by round: a line per CFR role, and all roles together."""
    categories = [str(r.round.number) for r in rows]
    series = [
        charts.ChartSeries(str(SeatRole(role).label), tuple(r.by_role[role].percent for r in rows))
        for role in selectors.CFR_ROLES
    ]
    series.append(charts.ChartSeries(_("All roles"), tuple(r.overall.percent for r in rows)))
    return charts.line_chart(
        chart_id=f"peace-trend-{process.pk}",
        title=_("Women's share of the seats by round: %(process)s") % {"process": process.name},
        description=_(
            "Line chart of women's share, in per cent, of the seats whose holder's sex is "
            "recorded, round by round, for negotiators, mediators, signatories and all roles "
            "together. The table gives the same figures with their counts."
        ),
        categories=categories,
        series=series,
        y_label=_("women, %"),
        value_label=_percent,
    )


@require_safe
def process(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access = _reader(request, code)
    found = selectors.process_of(access.plan, pk)
    rows = selectors.trend(found)
    delegations = selectors.delegations_of(found)
    rounds = [
        (
            r.round,
            [(d, selectors.seat_table(d)) for d in delegations.get(r.round.pk, [])],
        )
        for r in rows
    ]
    consultations = [
        (c, access.can_change_consultation(c)) for c in selectors.consultations_of(found)
    ]
    context = {
        "plan": access.plan,
        "process": found,
        "rows": rows,
        "cfr_roles": [(r.value, r.label) for r in selectors.CFR_ROLES],
        "all_roles": SeatRole.choices,
        "sexes": SeatSex.choices,
        "chart": trend_chart(found, rows),
        "rounds": rounds,
        "consultations": consultations,
        "can_manage": access.can_manage_peace(),
        "can_consult": access.is_coordinator or bool(_consultation_organisations(access)),
    }
    return render(request, "peace/process.html", context)


def _form_page(
    request: HttpRequest, template: str, context: dict[str, Any], refused: bool
) -> HttpResponse:
    return render(request, template, context, status=400 if refused else 200)


def _saved(request: HttpRequest, form: forms.Form, save: Any) -> tuple[Any, bool]:
    """Run `save(data)` on the form's data: (its result, False), or (None, True) when the form
    or the service refused (the message is shown)."""
    try:
        return save(valid_data(form)), False
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return None, True


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def process_new(request: SignedInRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_manage_peace():
        raise PermissionDenied
    form = ProcessForm(request.POST or None, plan=access.plan)
    refused = False
    if request.method == "POST":
        found, refused = _saved(
            request, form, lambda d: services.process_record(by=request.user, plan=access.plan, **d)
        )
        if found is not None:
            messages.success(request, _("The peace process is recorded."))
            return redirect("peace:process", code=code, pk=found.pk)
    context = {"plan": access.plan, "form": form, "here": _("Record a peace process")}
    return _form_page(request, "peace/form.html", context, refused)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def round_new(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_manage_peace():
        raise PermissionDenied
    found = selectors.process_of(access.plan, pk)
    initial = {"number": found.rounds.count() + 1}
    form = RoundForm(request.POST or None, initial=initial)
    refused = False
    if request.method == "POST":
        made, refused = _saved(
            request, form, lambda d: services.round_record(by=request.user, process=found, **d)
        )
        if made is not None:
            messages.success(request, _("The round is recorded."))
            return redirect("peace:process", code=code, pk=found.pk)
    context = {"plan": access.plan, "process": found, "form": form, "here": _("Add a round")}
    return _form_page(request, "peace/form.html", context, refused)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delegation_new(request: SignedInRequest, code: str, pk: int, round_pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_manage_peace():
        raise PermissionDenied
    found = selectors.process_of(access.plan, pk)
    at = selectors.round_of(found, round_pk)
    form = DelegationForm(request.POST or None)
    refused = False
    if request.method == "POST":
        made, refused = _saved(
            request,
            form,
            lambda d: services.delegation_record(
                by=request.user,
                round=at,
                party=d["party"],
                organisation=d["organisation"],
                seats=form.seats(),
            ),
        )
        if made is not None:
            messages.success(request, _("The delegation is recorded."))
            return redirect("peace:process", code=code, pk=found.pk)
    context = {
        "plan": access.plan,
        "process": found,
        "round": at,
        "form": form,
        "sexes": SeatSex.choices,
        "here": _("Add a delegation to round %(number)d") % {"number": at.number},
    }
    return _form_page(request, "peace/delegation_form.html", context, refused)


def _consultation_organisations(access: PlanAccess) -> list[Organisation]:
    ids = access.consultation_organisations()
    candidates = Organisation.objects.filter(pk__in=ids).order_by("name")
    return [o for o in candidates if access.can_record_consultation(o)]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def consultation_new(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    organisations = _consultation_organisations(access)
    if not (access.is_coordinator or organisations):
        raise PermissionDenied
    found = selectors.process_of(access.plan, pk)
    form = ConsultationForm(
        request.POST or None, organisations=organisations, coordinator=access.is_coordinator
    )
    refused = False
    if request.method == "POST":
        made, refused = _saved(
            request,
            form,
            lambda d: services.consultation_record(
                by=request.user,
                process=found,
                **{**d, "organisation": d.get("organisation")},
            ),
        )
        if made is not None:
            messages.success(request, _("The consultation is recorded."))
            return redirect("peace:process", code=code, pk=found.pk)
    context = {
        "plan": access.plan,
        "process": found,
        "form": form,
        "here": _("Record a consultation"),
    }
    return _form_page(request, "peace/form.html", context, refused)
