"""Pages of early warning and response (docs/stories.md, "Early warning and response"). Views
bind a form (forms.py), call services and selectors, render. Plain forms, POST then redirect:
everything works without JavaScript. A signal the reader may not read answers 404, a refused
action 403.

Two pages here are for visitors who are not signed in. The intake form: its link is the right
(an unknown or revoked link answers 404), it asks no CAPTCHA (WCAG 2.2, 3.3.8) but has a
honeypot, rate limits per link and per address, and bounded sizes. The plan's counts after
disclosure control (`figures`): whoever reads the plan, never one signal; a public page,
cached (acknowledging a signal bumps the generation)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.accounts.signin import client_address
from wpsmonitor.accounts.two_factor import is_verified
from wpsmonitor.core.history import kept_name
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.earlywarning import limits, selectors, services
from wpsmonitor.earlywarning.forms import (
    AdoptForm,
    IntakeForm,
    RevokeForm,
    StepForm,
    TimesForm,
    TokenForm,
)
from wpsmonitor.earlywarning.models import (
    MAX_TARGET_DAYS,
    Category,
    IntakeToken,
    Severity,
    Signal,
    SourceType,
)
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.shell import charts
from wpsmonitor.shell.forms import error_text, valid_data
from wpsmonitor.shell.public_cache import public_page
from wpsmonitor.shell.requests import SignedInRequest

# A sending larger than this is refused before it is read (the form's fields are far smaller).
MAX_BODY = 32 * 1024


def _reader(request: SignedInRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_read_signals():
        raise PermissionDenied
    return access


def _manager(request: SignedInRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_manage_early_warning():
        raise PermissionDenied
    return access


@require_safe
@login_required
def signals(request: SignedInRequest, code: str) -> HttpResponse:
    """The coordinators' moderation queue, and the signals this reader may read."""
    access = _reader(request, code)
    found = selectors.signals_for(access, verified=is_verified(request))
    context = {
        "plan": access.plan,
        "queue": [s for s in found if s.status == "received"],
        "signals": [s for s in found if s.status != "received"],
        "can_manage": access.can_manage_early_warning(),
    }
    return render(request, "earlywarning/signals.html", context)


@require_safe
@login_required
def signal(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """One signal with its history, and the next step for whom may take it."""
    access = _reader(request, code)
    read = selectors.signal_for(access, pk, verified=is_verified(request))
    if read is None:
        raise Http404("No such signal")
    stored = Signal.objects.get(pk=pk)
    manage = access.can_manage_early_warning()
    context = {
        "plan": access.plan,
        "signal": read,
        "can_step": manage and read.status in ("received", "acknowledged", "action_taken"),
        "can_act": access.can_record_action(stored),
        "organisations": list(Organisation.objects.order_by("name")) if manage else [],
        # Who else read it: to the coordinators only.
        "reads": selectors.signal_reads(pk) if access.is_coordinator else None,
    }
    return render(request, "earlywarning/signal.html", context)


@require_POST
@login_required
def step(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _reader(request, code)
    stored = Signal.objects.filter(plan=access.plan, pk=pk).select_related("plan").first()
    if stored is None or access.signal_reading(stored) is None:
        raise Http404("No such signal")
    form = StepForm(request.POST)
    try:
        data = valid_data(form)
        operation = data["do"]
        if operation == "acknowledge":
            services.signal_acknowledge(by=request.user, signal=stored, on=data["on"])
        elif operation == "refer":
            services.signal_refer(by=request.user, signal=stored, to=data["to"], on=data["on"])
        elif operation == "act":
            services.signal_record_action(
                by=request.user, signal=stored, action=data["action"], on=data["on"]
            )
        else:
            services.signal_close(by=request.user, signal=stored, on=data["on"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The step is recorded."))
    return redirect("earlywarning:signal", code=code, pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def links(request: SignedInRequest, code: str) -> HttpResponse:
    """The intake links of trusted organisations: issue one (its address shown once), revoke."""
    access = _manager(request, code)
    new_link = ""
    if request.method == "POST":
        try:
            if "token" in request.POST:
                data = valid_data(RevokeForm(request.POST))
                token = IntakeToken.objects.filter(plan=access.plan, pk=data["token"]).first()
                if token is None:
                    raise Http404("No such link")
                services.intake_token_revoke(by=request.user, token=token)
                messages.success(request, _("The link is revoked: it no longer works."))
                return redirect("earlywarning:links", code=code)
            data = valid_data(TokenForm(request.POST))
            _token, raw = services.intake_token_issue(by=request.user, plan=access.plan, **data)
            new_link = request.build_absolute_uri(
                reverse("earlywarning:intake", kwargs={"code": code, "key": raw})
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    context = {
        "plan": access.plan,
        "tokens": selectors.tokens(access.plan),
        "organisations": list(Organisation.objects.order_by("name")),
        "new_link": new_link,
    }
    response = render(request, "earlywarning/links.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@login_required
def times(request: SignedInRequest, code: str) -> HttpResponse:
    """Time to acknowledge and time to respond, by period and province: a table and a chart."""
    access = _reader(request, code)
    by, target = TimesForm(request.GET).choices()
    rows = selectors.response_times(access.plan, by=by, target=target)
    overall = [r for r in rows if r.province is None]
    chart = charts.line_chart(
        chart_id="response-times",
        title=_("Median days to acknowledge and to respond"),
        description=_(
            "Median days from receipt to acknowledgement and to the action taken, every "
            "province together, by period; the figures are in the table below."
        ),
        categories=[r.period for r in overall],
        series=[
            charts.ChartSeries(
                _("Days to acknowledge"), tuple(r.acknowledge.median for r in overall)
            ),
            charts.ChartSeries(_("Days to respond"), tuple(r.respond.median for r in overall)),
        ],
        target_line=charts.TargetLine(_("Target: %(days)d days") % {"days": target}, float(target)),
        y_label=_("days"),
    )
    context = {
        "plan": access.plan,
        "rows": rows,
        "chart": chart,
        "by": by,
        "target": target,
        "adopted": selectors.response_indicators(access.plan),
        "can_adopt": access.can_adopt_response_indicators(),
    }
    return render(request, "earlywarning/times.html", context)


@require_safe
@public_page
def figures(request: HttpRequest, code: str) -> HttpResponse:
    """Signals acknowledged or later, counted by category × province × year, after disclosure
    control."""
    access = plan_access(request.user, code, may_open=PlanAccess.can_read_signal_figures)
    context = {
        "plan": access.plan,
        "figures": selectors.figures(access.plan),
        "reads_signals": access.can_read_signals(),
    }
    return render(request, "earlywarning/figures.html", context)


# The pillars the response times' indicators go on by default (issue 16: "beside the plan's
# protection and prevention indicators").
RESPONSE_THEMES = ("protection", "prevention")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def response_indicators(request: SignedInRequest, code: str) -> HttpResponse:
    """The response times as indicators of the plan: adopt them on a node of the framework,
    with a target in days; once adopted, what they are and when they were last computed."""
    access = plan_access(request.user, code)
    if not access.can_adopt_response_indicators():
        raise PermissionDenied
    plan = access.plan
    adopted = selectors.response_indicators(plan)
    form = AdoptForm(request.POST or None, plan=plan)
    if request.method == "POST" and adopted is None:
        try:
            data = valid_data(form)
            services.response_indicators_adopt(
                by=request.user, plan=plan, node=data["node"], target_days=data["target_days"]
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("The response times are indicators of the plan; their figures are computed."),
            )
            return redirect("earlywarning:indicators", code=code)
    nodes = list(FrameworkNode.objects.filter(plan=plan))
    default = next((n for n in nodes if n.pillar_theme in RESPONSE_THEMES), None)
    context = {
        "plan": plan,
        "adopted": adopted,
        "adopted_by": kept_name(adopted, "adopted_by") if adopted else "",
        "nodes": nodes,
        "chosen": request.POST.get("node") or (default.code if default else ""),
        "target": request.POST.get("target_days") or selectors.TARGET_DAYS,
        "max_target": MAX_TARGET_DAYS,
    }
    return render(request, "earlywarning/response_indicators.html", context)


# The public intake form --------------------------------------------------------------------


def _intake_page(
    request: HttpRequest,
    token: IntakeToken,
    form: IntakeForm | None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    plan = token.plan
    areas = (
        Area.objects.filter(path__startswith=plan.area.path) if plan.area_id else Area.objects.all()
    )
    context: dict[str, Any] = {
        "plan": plan,
        "organisation": token.organisation,
        "form": form,
        "areas": areas.order_by("path"),
        "categories": Category.choices,
        "severities": Severity.choices,
        "sources": SourceType.choices,
        "max_text": services.MAX_TEXT,
        "sent": request.GET.get("sent") == "1" and status == 200,
        "posted": form.data if form is not None else {},
        "error": error,
        "status": status,
    }
    response = render(request, "earlywarning/intake.html", context, status=status)
    # The address is the link's secret: no cache keeps the page, no referrer carries it on.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def intake(request: HttpRequest, code: str, key: str) -> HttpResponse:
    token = selectors.token_by_key(code, key)
    if token is None:
        raise Http404("No such link")
    if request.method != "POST":
        return _intake_page(request, token, None)
    if not limits.allowed(key, client_address(request)):
        return _intake_page(request, token, None, status=429)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        return _intake_page(request, token, None, status=413)
    plan = token.plan
    areas = (
        Area.objects.filter(path__startswith=plan.area.path) if plan.area_id else Area.objects.all()
    )
    form = IntakeForm(request.POST, areas=areas)
    done = redirect(request.path + "?sent=1")
    if form.robot:
        return done  # the same answer as a signal received, and nothing kept
    try:
        services.signal_receive(token=token, **_intake_data(form))
    except ValidationError as exc:
        return _intake_page(request, token, form, status=400, error=error_text(exc))
    return done


def _intake_data(form: IntakeForm) -> dict[str, Any]:
    data = dict(valid_data(form))
    data.pop("website", None)
    return data
