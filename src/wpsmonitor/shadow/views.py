"""Pages of shadow monitoring: the action page (government and each monitor side by side), the
plan's list of actions where the accounts disagree, and civil society's own indicators (the
list, and the forms with which a monitor defines, edits, publishes or deletes one).

Views bind a form (shadow.forms), call services and selectors, render; plain forms, POST then
redirect. A hidden plan or indicator answers 404, a refused action 403 (the services check again).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.core.translated import column, language_name, shown
from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.aggregation import ALL_PERIODS
from wpsmonitor.indicators.models import Dimension, Direction, Indicator, IndicatorKind
from wpsmonitor.indicators.reading import ReadingFor, reading_about
from wpsmonitor.indicators.reading_periods import period_label
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.reporting import selectors as reporting_selectors
from wpsmonitor.reporting import services
from wpsmonitor.reporting.entry import DUE_KINDS
from wpsmonitor.reporting.services.own_indicators import TEXT_FIELDS
from wpsmonitor.shadow import selectors
from wpsmonitor.shadow.divergence import LIMIT, compare, divergence_period, divergence_periods
from wpsmonitor.shadow.downloads import (
    action_divergence_table,
    divergence_table,
    not_compared_table,
)
from wpsmonitor.shadow.forms import (
    OwnIndicatorActionForm,
    OwnIndicatorEditForm,
    OwnIndicatorNewForm,
)
from wpsmonitor.shell.confirm import Confirmation, confirm_page, confirmed
from wpsmonitor.shell.downloads import about_lines, page_url, requested, respond
from wpsmonitor.shell.forms import error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest

FREQUENCIES = [
    ("year", gettext_lazy("Yearly")),
    ("semester", gettext_lazy("Every six months")),
    ("quarter", gettext_lazy("Quarterly")),
    ("month", gettext_lazy("Monthly")),
]


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


def _form_context(access: PlanAccess, indicator: Indicator | None = None) -> dict[str, Any]:
    # The texts are written in the plan's original language (the services write its column),
    # so the form shows and edits that language's, whatever the monitor reads the site in.
    language = access.plan.original_language
    return {
        "plan": access.plan,
        "texts_language": language,
        "texts_language_name": language_name(language),
        "texts_direction": "rtl" if translation.get_language_info(language)["bidi"] else "ltr",
        "texts": {
            field: getattr(indicator, column(field, language), None) or "" for field in TEXT_FIELDS
        }
        if indicator
        else {},
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


@require_http_methods(["GET", "POST"])
@login_required
def own_indicator_new(request: SignedInRequest, code: str) -> HttpResponse:
    access = _monitor_access(request, code)
    context = _form_context(access)
    if request.method == "POST":
        form = OwnIndicatorNewForm(
            request.POST, plan=access.plan, organisations=context["organisations"]
        )
        try:
            new = valid_data(form)
            indicator = services.own_indicator_create(
                by=request.user,
                plan=access.plan,
                organisation=new["organisation"],
                node=new["node"],
                code=new["code"],
                title=new["title"],
                kind=new["kind"],
                scheme=new["dimensions"],
                unit=new["unit"],
                definition=new["definition"],
                frequency=new["frequency"],
                direction=new["direction"],
                scale_labels=new["scale_labels"],
                means_of_verification=new["means_of_verification"],
            )
        except ValidationError as exc:
            context.update({"error": error_text(exc), "posted": form.data})
            return render(request, "shadow/own_indicator_form.html", context, status=400)
        messages.success(
            request,
            _(
                "The indicator is saved as a draft: only your organisation sees it until you publish it."
            ),
        )
        return redirect("shadow:own_indicator_edit", code=code, indicator_code=indicator.code)
    return render(request, "shadow/own_indicator_form.html", context)


def _own_indicator_confirmation(
    access: PlanAccess, indicator: Indicator, what: str
) -> Confirmation:
    """Publishing (public for good) or deleting (gone for good) an own indicator asks first."""
    cancel = reverse("shadow:own_indicator_edit", args=[access.plan.code, indicator.code])
    original = access.plan.original_language
    name = f"{indicator.code} {shown(indicator, 'title', original=original).text}"
    if what == "delete":
        return Confirmation(
            title=_("Delete the draft indicator %(name)s?") % {"name": name},
            button=_("Delete the indicator"),
            cancel_url=cancel,
            notes=[_("Deleting cannot be undone.")],
        )
    blank = [
        label
        for label, value in (
            (_("No definition."), indicator.definition),
            (_("No unit."), indicator.unit),
            (_("No means of verification."), indicator.means_of_verification),
        )
        if not str(value or "").strip()
    ]
    return Confirmation(
        title=_("Publish the indicator %(name)s?") % {"name": name},
        button=_("Publish the indicator"),
        cancel_url=cancel,
        public=[
            _(
                "The indicator, its definition and its place in the plan, under the name of "
                "%(organisation)s, on the plan's pages and in the API."
            )
            % {
                "organisation": shown(indicator.owner_organisation, "name").text
                if indicator.owner_organisation
                else ""
            },
            _("Your organisation's figures on it, once you publish them with a submission."),
        ],
        blank=blank,
        notes=[_("Publishing cannot be undone: a published indicator stays public.")],
    )


@require_http_methods(["GET", "POST"])
@login_required
def own_indicator_edit(request: SignedInRequest, code: str, indicator_code: str) -> HttpResponse:
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
    context = _form_context(access, indicator) | {"indicator": indicator}
    if request.method == "POST":
        form = OwnIndicatorEditForm(request.POST, plan=access.plan, indicator=indicator)
        try:
            what = valid_data(OwnIndicatorActionForm(request.POST))["do"]
            if what in ("publish", "delete") and not confirmed(request):
                return confirm_page(request, _own_indicator_confirmation(access, indicator, what))
            if what == "publish":
                services.own_indicator_publish(by=request.user, indicator=indicator)
                messages.success(request, _("The indicator is published."))
            elif what == "delete":
                services.own_indicator_delete(by=request.user, indicator=indicator)
                messages.success(request, _("The draft indicator is deleted."))
                return redirect("shadow:own_indicators", code=code)
            else:
                changes = valid_data(form)
                services.own_indicator_update(
                    by=request.user,
                    indicator=indicator,
                    title=changes["title"],
                    definition=changes["definition"],
                    unit=changes["unit"],
                    means_of_verification=changes["means_of_verification"],
                    node=changes["node"],
                    direction=changes["direction"],
                    expected_min=changes["expected_min"],
                    expected_max=changes["expected_max"],
                )
                messages.success(request, _("The indicator is saved."))
        except ValidationError as exc:
            context.update({"error": error_text(exc), "posted": form.data})
            return render(request, "shadow/own_indicator_form.html", context, status=400)
        return redirect("shadow:own_indicator_edit", code=code, indicator_code=indicator.code)
    return render(request, "shadow/own_indicator_form.html", context)


@require_safe
def plan_divergence(request: HttpRequest, code: str, reading_for: ReadingFor) -> HttpResponse:
    """Where the government's and civil society's figures differ most, for one period: the
    detail for the plan's members, the latest published release for everyone else (what
    `reading_for`, handed down by wpsmonitor/urls.py, decides; docs/publishing.md, "Who reads
    what"). The actions' accounts are not figures: everyone reads them."""
    access = plan_access(request.user, code)
    plan = access.plan
    reading = reading_for(access)
    periods = divergence_periods(plan, reading.figures)
    period = divergence_period(plan, periods, request.GET.get("period"), reading.figures)
    pairs = compare(plan, period, figures=reading.figures, hidden=access.hidden_indicators())
    found = pairs.divergences[:LIMIT]
    actions = selectors.action_disagreements(plan, period)
    wanted = requested(request)
    if wanted:
        return respond(
            wanted,
            {
                "divergences": lambda: divergence_table(found),
                "not_compared": lambda: not_compared_table(pairs.not_compared),
                "action_divergences": lambda: action_divergence_table(actions),
            },
            name=[plan.code, period],
            about=[
                *about_lines(
                    plan_title=plan.title, page_url=page_url(request), period=period_label(period)
                ),
                reading_about(reading),
            ],
        )
    context = {
        "plan": plan,
        "reading": reading,
        "period": period,
        "period_label": period_label(period),
        "periods": [(p, period_label(p)) for p in periods],
        "divergences": found,
        "not_compared": pairs.not_compared[:LIMIT],
        "not_compared_total": len(pairs.not_compared),
        "action_divergences": actions,
        "query": request.GET.urlencode(),
    }
    return render(request, "shadow/divergence.html", context)
