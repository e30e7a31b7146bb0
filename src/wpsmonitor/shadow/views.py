"""Pages of shadow monitoring: the action page (government and each monitor side by side), the
plan's list of actions where the accounts disagree, and civil society's own indicators (the
list, and the forms with which a monitor defines, edits, publishes or deletes one).

Views parse the request, call services and selectors, render; plain forms, POST then redirect.
A hidden plan or indicator answers 404, a refused action 403 (the services check again).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.core.periods import PeriodType, parse_period
from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.aggregation import ALL_PERIODS
from wpsmonitor.indicators.models import Dimension, Direction, IndicatorKind
from wpsmonitor.indicators.reading_periods import filter_periods, period_label, plan_filter_periods
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.reporting import selectors as reporting_selectors
from wpsmonitor.reporting import services
from wpsmonitor.reporting.entry import DUE_KINDS
from wpsmonitor.shadow import selectors
from wpsmonitor.shadow.divergence import plan_divergences
from wpsmonitor.shadow.downloads import action_divergence_table, divergence_table
from wpsmonitor.shell.downloads import about_lines, page_url, requested, respond

FREQUENCIES = [
    ("year", gettext_lazy("Yearly")),
    ("semester", gettext_lazy("Every six months")),
    ("quarter", gettext_lazy("Quarterly")),
    ("month", gettext_lazy("Monthly")),
]


def _errors(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@require_safe
def action_detail(request: HttpRequest, code: str, action_code: str) -> HttpResponse:
    """One action: the government's status and reports beside each monitor's assessment."""
    access = plan_access(request.user, code)
    node = (
        FrameworkNode.objects.filter(plan=access.plan, code=action_code, level__holds_actions=True)
        .select_related("responsible_organisation", "level", "parent")
        .first()
    )
    if node is None:
        raise Http404("No such action")
    page = selectors.action_page(access, node)
    return render(
        request,
        "shadow/action.html",
        {"plan": access.plan, "access": access, "page": page, "node": node},
    )


@require_safe
def plan_actions(request: HttpRequest, code: str) -> HttpResponse:
    """Every action civil society assessed, the widest disagreements first."""
    access = plan_access(request.user, code)
    comparisons = selectors.action_comparisons(access.plan, ALL_PERIODS)
    return render(
        request,
        "shadow/actions.html",
        {
            "plan": access.plan,
            "comparisons": comparisons,
            "disagreements": sum(1 for c in comparisons if c.disagrees),
        },
    )


@require_safe
def own_indicators(request: HttpRequest, code: str) -> HttpResponse:
    """Civil society's own indicators of the plan (drafts for their organisation only)."""
    access = plan_access(request.user, code)
    return render(
        request,
        "shadow/own_indicators.html",
        {
            "plan": access.plan,
            "access": access,
            "indicators": reporting_selectors.own_indicators(access),
            "can_define": access.can_define_indicators(),
        },
    )


def _monitor_access(request: HttpRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_define_indicators():
        raise PermissionDenied
    return access


def _form_context(access: PlanAccess) -> dict[str, Any]:
    return {
        "plan": access.plan,
        "organisations": list(
            Organisation.objects.filter(pk__in=access.monitor_organisations()).order_by("name")
        ),
        "nodes": list(
            FrameworkNode.objects.filter(plan=access.plan).select_related("level").order_by("path")
        ),
        "kinds": [(k, IndicatorKind(k).label) for k in DUE_KINDS],
        "directions": Direction.choices,
        "frequencies": FREQUENCIES,
        "dimensions": list(
            Dimension.objects.filter(Q(plan__isnull=True) | Q(plan=access.plan)).order_by("code")
        ),
    }


def _node(access: PlanAccess, raw: str) -> FrameworkNode:
    node = FrameworkNode.objects.filter(plan=access.plan, code=raw.strip()).first()
    if node is None:
        raise ValidationError(_("Choose a part of this plan's framework."))
    return node


def _number(raw: str, label: str) -> float | None:
    raw = raw.strip().replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise ValidationError(_("%(field)s must be a number.") % {"field": label}) from None


@require_http_methods(["GET", "POST"])
@login_required
def own_indicator_new(request: HttpRequest, code: str) -> HttpResponse:
    access = _monitor_access(request, code)
    context = _form_context(access)
    if request.method == "POST":
        post = request.POST
        try:
            organisation = next(
                (o for o in context["organisations"] if o.code == post.get("organisation")),
                None,
            )
            if organisation is None:
                raise ValidationError(_("Choose your organisation."))
            labels = [line.strip() for line in post.get("scale_labels", "").splitlines()]
            indicator = services.own_indicator_create(
                by=request.user,
                plan=access.plan,
                organisation=organisation,
                node=_node(access, post.get("node", "")),
                code=post.get("code", ""),
                title=post.get("title", ""),
                kind=post.get("kind", ""),
                scheme=[d for d in post.getlist("dimensions") if d],
                unit=post.get("unit", ""),
                definition=post.get("definition", ""),
                frequency=post.get("frequency", "year"),
                direction=post.get("direction", Direction.INCREASE),
                scale_labels=[label for label in labels if label],
                means_of_verification=post.get("means_of_verification", ""),
            )
        except ValidationError as exc:
            context.update({"error": _errors(exc), "posted": post})
            return render(request, "shadow/own_indicator_form.html", context, status=400)
        messages.success(
            request,
            _(
                "The indicator is saved as a draft: only your organisation sees it until you publish it."
            ),
        )
        return redirect("shadow:own_indicator_edit", code=code, indicator_code=indicator.code)
    return render(request, "shadow/own_indicator_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def own_indicator_edit(request: HttpRequest, code: str, indicator_code: str) -> HttpResponse:
    """Edit, publish or delete one of one's organisation's own indicators."""
    access = plan_access(request.user, code)
    indicator = reporting_selectors.own_indicator_for_editor(access, indicator_code)
    if indicator is None:
        # Published ones of other organisations exist, but are not this user's to edit.
        if (
            access.plan.indicators.filter(code=indicator_code)
            .exclude(access.hidden_indicators())
            .exists()
        ):
            raise PermissionDenied
        raise Http404("No such indicator")
    context = _form_context(access) | {"indicator": indicator}
    if request.method == "POST":
        what = request.POST.get("do", "save")
        try:
            if what == "publish":
                services.own_indicator_publish(by=request.user, indicator=indicator)
                messages.success(request, _("The indicator is published."))
            elif what == "delete":
                services.own_indicator_delete(by=request.user, indicator=indicator)
                messages.success(request, _("The draft indicator is deleted."))
                return redirect("shadow:own_indicators", code=code)
            else:
                post = request.POST
                services.own_indicator_update(
                    by=request.user,
                    indicator=indicator,
                    title=post.get("title", ""),
                    definition=post.get("definition", ""),
                    unit=post.get("unit", ""),
                    means_of_verification=post.get("means_of_verification", ""),
                    node=_node(access, post.get("node", "")),
                    direction=post.get("direction", indicator.direction),
                    expected_min=_number(post.get("expected_min", ""), _("Expected minimum")),
                    expected_max=_number(post.get("expected_max", ""), _("Expected maximum")),
                )
                messages.success(request, _("The indicator is saved."))
        except ValidationError as exc:
            context.update({"error": _errors(exc), "posted": request.POST})
            return render(request, "shadow/own_indicator_form.html", context, status=400)
        return redirect("shadow:own_indicator_edit", code=code, indicator_code=indicator.code)
    return render(request, "shadow/own_indicator_form.html", context)


@require_safe
def plan_divergence(request: HttpRequest, code: str) -> HttpResponse:
    """Where the government's and civil society's figures differ most, for one period."""
    plan = plan_access(request.user, code).plan
    periods = filter_periods(plan_filter_periods(plan))
    years = [p for p in periods if p != ALL_PERIODS and parse_period(p).type == PeriodType.YEAR]
    default = years[-1] if years else ALL_PERIODS
    period = request.GET.get("period") or default
    if period not in periods:
        period = default
    found = plan_divergences(plan, period)
    actions = selectors.action_disagreements(plan, period)
    wanted = requested(request)
    if wanted:
        return respond(
            wanted,
            {
                "divergences": lambda: divergence_table(found),
                "action_divergences": lambda: action_divergence_table(actions),
            },
            name=[plan.code, period],
            about=about_lines(
                plan_title=plan.title, page_url=page_url(request), period=period_label(period)
            ),
        )
    context = {
        "plan": plan,
        "period": period,
        "period_label": period_label(period),
        "periods": [(p, period_label(p)) for p in periods],
        "divergences": found,
        "action_divergences": actions,
        "query": request.GET.urlencode(),
    }
    return render(request, "shadow/divergence.html", context)
