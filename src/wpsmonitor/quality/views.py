"""Pages of the plan quality scorecard: one plan's criteria, and all readable plans compared.

Rights as everywhere: a plan hidden from the visitor answers 404 (reporting.selectors.
plan_access), the comparison lists only the plans they may read (accounts.access.
readable_plans), and only the plan's coordinators change what the plan says about itself. Both
pages make a fixed number of queries (plans.quality.load_facts) and offer their tables as CSV
or XLSX (portal.downloads).
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
from django.views.decorators.http import require_POST, require_safe

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.plans.models import AlignmentFramework, CivilSocietyStage, PlanKind
from wpsmonitor.plans.services import plan_quality_fields_set
from wpsmonitor.quality import scoring as quality
from wpsmonitor.quality.forms import QualityProfileForm
from wpsmonitor.shell import downloads
from wpsmonitor.shell.forms import error_text, form_error_text
from wpsmonitor.shell.requests import SignedInRequest


def _points(value: float) -> float:
    return round(value, 4)


def criteria_table(card: quality.Scorecard) -> downloads.Table:
    return downloads.Table(
        key="criteria",
        title=_("Quality criteria"),
        columns=[
            _("Criterion"),
            _("Group"),
            _("Title"),
            _("Result"),
            _("Points"),
            _("Why"),
            _("Rule"),
        ],
        rows=[
            [
                c.key,
                c.group,
                c.title,
                c.status_label,
                _points(c.points) if c.applies else None,
                c.why,
                c.rule,
            ]
            for c in card.criteria
        ],
    )


def missing_table(card: quality.Scorecard) -> downloads.Table:
    return downloads.Table(
        key="missing",
        title=_("What is missing"),
        columns=[_("Criterion"), _("Kind"), _("Code"), _("Title"), _("Note")],
        rows=[
            [c.key, item.kind, item.code, item.title, item.note]
            for c in card.criteria
            for item in c.missing
        ],
    )


@require_safe
def plan_quality(request: HttpRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    plan = access.plan
    card = quality.plan_scorecard(plan)
    wanted = downloads.requested(request)
    if wanted:
        return downloads.respond(
            wanted,
            {"criteria": lambda: criteria_table(card), "missing": lambda: missing_table(card)},
            name=[plan.code, "quality"],
            about=downloads.about_lines(
                plan_title=plan.title, page_url=downloads.page_url(request)
            ),
        )
    context: dict[str, Any] = {
        "plan": plan,
        "card": card,
        "can_edit": access.can_manage(),
        "stages": CivilSocietyStage.choices,
        "frameworks": AlignmentFramework.choices,
        "disarmament_terms": quality.DISARMAMENT_TERMS,
        "early_warning_terms": quality.EARLY_WARNING_TERMS,
    }
    return render(request, "quality/quality.html", context)


@require_POST
@login_required
def plan_quality_edit(request: SignedInRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_manage():
        raise PermissionDenied
    back = redirect(reverse("quality:plan", args=[code]) + "#profile")
    form = QualityProfileForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return back
    try:
        plan_quality_fields_set(
            access=access,
            me_description=form.cleaned_data["me_description"],
            civil_society_roles=form.cleaned_data["civil_society_roles"],
            alignment_references=form.cleaned_data["alignment_references"],
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Saved; the score below counts it."))
    return back


def statistics_table(comparison: quality.Comparison) -> downloads.Table:
    return downloads.Table(
        key="statistics",
        title=_("Plans meeting each criterion"),
        columns=[
            _("Criterion"),
            _("Title"),
            _("Plans it applies to"),
            _("Met"),
            _("Partly met"),
            _("Not met"),
            _("Share met (%)"),
        ],
        rows=[
            [
                s.key,
                s.title,
                s.applicable,
                s.met,
                s.partly,
                s.not_met,
                round(s.met_percent, 1) if s.met_percent is not None else None,
            ]
            for s in comparison.statistics
        ],
    )


def plans_table(comparison: quality.Comparison) -> downloads.Table:
    keys = [s.key for s in comparison.statistics]
    return downloads.Table(
        key="plans",
        title=_("Plans and their quality criteria"),
        columns=[_("Plan"), _("Title"), _("Kind"), _("Status"), _("Points"), _("Maximum"), *keys],
        rows=[
            [
                card.plan.code,
                card.plan.title,
                card.plan.kind,
                card.plan.status,
                _points(card.points),
                card.maximum,
                *[_points(c.fraction) if c.applies else None for c in card.criteria],
            ]
            for card in comparison.scorecards
        ],
    )


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in PlanKind.values:
        kind = ""
    comparison = quality.compare(quality.compared_plans(request.user, kind))
    wanted = downloads.requested(request)
    if wanted:
        return downloads.respond(
            wanted,
            {
                "statistics": lambda: statistics_table(comparison),
                "plans": lambda: plans_table(comparison),
            },
            name=["plans", "quality", kind],
            about=downloads.about_lines(plan_title="", page_url=downloads.page_url(request)),
        )
    context: dict[str, Any] = {
        "comparison": comparison,
        "kinds": PlanKind.choices,
        "kind": kind,
    }
    return render(request, "quality/compare.html", context)
