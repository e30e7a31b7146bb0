"""Server-rendered public pages. Views only parse the request, call selectors and render.

Every page makes a fixed number of SQL queries whatever the size of the plan: figures come
from the aggregate tables through wpsmonitor.indicators.selectors, the rest from the few
queries in wpsmonitor.portal.selectors (tests/portal/test_query_counts.py holds us to it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from wpsmonitor.accounts.access import PlanAccess, can_create_plans, plan_access
from wpsmonitor.boards.selectors import body_kind
from wpsmonitor.core.names import localized_name
from wpsmonitor.core.periods import PeriodType
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.earlywarning import selectors as warnings
from wpsmonitor.indicators import selectors as figures
from wpsmonitor.indicators.in_force import dropped_of
from wpsmonitor.indicators.models import IndicatorKind
from wpsmonitor.indicators.reading import reading_about
from wpsmonitor.indicators.reading_periods import filter_periods, period_label, plan_filter_periods
from wpsmonitor.plans.models import Plan
from wpsmonitor.plans.services import plan_create
from wpsmonitor.portal import charts, downloads, security_peace, selectors, tasks
from wpsmonitor.portal.forms import PlanCreateForm, ProgressFilterForm, language_names
from wpsmonitor.portal.tables import crosstab_layout
from wpsmonitor.publishing.models import Release
from wpsmonitor.publishing.selectors import Reading, published_release, reading_for
from wpsmonitor.revisions.selectors import versions_of
from wpsmonitor.shadow import selectors as shadow
from wpsmonitor.shell.downloads import about_lines, page_url, requested, respond
from wpsmonitor.shell.forms import error_text, valid_data
from wpsmonitor.shell.public_cache import public_page
from wpsmonitor.shell.requests import SignedInRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# Keyed by str: Indicator.frequency holds the plain value, not the enum.
FREQUENCY_LABELS: dict[str, StrPromise] = {
    PeriodType.YEAR: gettext_lazy("Yearly"),
    PeriodType.SEMESTER: gettext_lazy("Every six months"),
    PeriodType.QUARTER: gettext_lazy("Quarterly"),
    PeriodType.MONTH: gettext_lazy("Monthly"),
}
RATIO_KINDS = {IndicatorKind.PERCENTAGE, IndicatorKind.SHARE, IndicatorKind.FORMULA}


def _readable_plan(request: HttpRequest, code: str) -> Plan:
    """accounts.access.plan_access, without the link to a draft parent the reader cannot open."""
    plan = plan_access(request.user, code).plan
    selectors.hide_unreadable_parents(request.user, [plan])
    return plan


def _reading(access: PlanAccess) -> tuple[Reading, Release | None]:
    """What this reader reads of the plan (publishing.selectors.reading_for), and the release
    the public reads, which the banner names (portal/_reading.html)."""
    reading = reading_for(access)
    public = reading.release if not reading.detail else published_release(access.plan)
    return reading, public


@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    groups = selectors.plans_by_country(request.user)
    return render(request, "portal/home.html", {"groups": groups})


@require_safe
@login_required
def my_tasks(request: SignedInRequest) -> HttpResponse:
    """Where signing in lands: what waits for this user now, plan by plan (portal/tasks.py)."""
    return render(
        request,
        "portal/tasks.html",
        {"home": tasks.home_for(request.user), "today": timezone.localdate()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def plan_new(request: SignedInRequest) -> HttpResponse:
    """The administrator creates a plan (a draft), then names its coordinator."""
    if not can_create_plans(request.user):
        raise PermissionDenied
    form = PlanCreateForm(request.POST or None)
    refused = False
    if request.method == "POST":
        try:
            plan = plan_create(by=request.user, **valid_data(form))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            refused = True
        else:
            messages.success(
                request,
                _(
                    "The plan is created as a draft. Give it a coordinator, who builds its framework."
                ),
            )
            return redirect("reporting:people", code=plan.code)
    return render(request, "portal/plan_new.html", {"form": form}, status=400 if refused else 200)


def _filter_form(
    request: HttpRequest, plan: Plan, *, offer_cells: bool = False, owner_id: int | None = None
) -> ProgressFilterForm:
    sources = selectors.filter_sources()
    data = request.GET.copy() if request.GET else None
    if owner_id is not None and not request.GET.get("source"):
        # Civil society's own indicator: its organisation's figures are the only ones.
        own = next((s for s in sources if s.organisation_id == owner_id), None)
        if own is not None:
            data = data or request.GET.copy()
            data["source"] = own.code
    return ProgressFilterForm(
        data,
        periods=filter_periods(plan_filter_periods(plan)),
        areas=selectors.plan_areas(plan),
        sources=sources,
        root_area=plan.area,
        offer_cells=offer_cells,
    )


@require_safe
@public_page
def plan_overview(request: HttpRequest, code: str) -> HttpResponse:
    plan = _readable_plan(request, code)
    access = PlanAccess.load(request.user, plan)
    reading, public_release = _reading(access)
    form = _filter_form(request, plan)
    chosen = form.filters()
    today = timezone.localdate()
    progress = figures.plan_progress(
        plan=plan,
        period_code=chosen.period_code,
        area=chosen.area,
        source_code=chosen.source_code,
        today=today,
        figures=reading.figures,
        hidden=access.hidden_indicators(),
        count_texts=True,
    )
    summary = figures.actions_summary(plan=plan, today=today)
    completeness = selectors.latest_round_completeness(plan)
    off_track = selectors.indicators_off_track(progress, today)
    wanted = requested(request)
    if wanted:
        return respond(
            wanted,
            downloads.plan_tables(
                progress=progress,
                summary=summary,
                completeness=completeness,
                off_track=off_track,
            ),
            name=[plan.code, chosen.period_code, chosen.area.code, chosen.source_code],
            about=[
                *about_lines(
                    plan_title=plan.title,
                    page_url=page_url(request),
                    period=period_label(chosen.period_code),
                    area=chosen.area,
                    source=localized_name(chosen.source.name) if chosen.source else "",
                    rebuilt_at=progress.rebuilt_at if reading.detail else None,
                ),
                reading_about(reading),
            ],
        )
    context: dict[str, Any] = {
        "plan": plan,
        "children": selectors.child_plans(request.user, plan),
        "body_kind": body_kind(plan),
        "plan_languages": language_names(plan.languages),
        "form": form,
        "chosen": chosen,
        "period_label": period_label(chosen.period_code),
        "query": request.GET.urlencode(),
        "progress": progress,
        "reading": reading,
        "public_release": public_release,
        "summary": summary,
        "completeness": completeness,
        "off_track": off_track,
        "tolerance_points": round(off_track.tolerance * 100),
        # The releases page (publishing), for those who prepare releases: no query for readers
        # who are not signed in.
        "can_prepare_release": request.user.is_authenticated and access.can_prepare_release(),
        # What is left to translate (portal/translation_views.py): the plan's members.
        "can_decide_proposals": access.can_decide_proposals(),
        "can_read_translations": request.user.is_authenticated
        and access.can_read_translation_report(),
        # Early warning (earlywarning): its signals and response times, for those who read them.
        "can_read_signals": request.user.is_authenticated and access.can_read_signals(),
        # Conduct (conduct): the register of allegations, for its coordinators and named readers.
        "can_read_allegations": request.user.is_authenticated
        and access.can_read_allegations(verified=True),
        "response_times": _response_times(access, progress.roots),
        # The security sector and peace processes in a few figures (portal/security_peace.py).
        "security_peace": security_peace.summary(plan),
        # The framework's versions (revisions, docs/revisions.md): none until a first revision.
        "versions": list(versions_of(plan)),
    }
    return render(request, "portal/plan.html", context)


# The pillars that early warning's response times are shown beside (issue 16: "beside the plan's
# protection and prevention indicators").
RESPONSE_TIME_THEMES = ("protection", "prevention")


def _response_times(access: PlanAccess, roots: Sequence[Any]) -> dict[str, Any] | None:
    """The plan's early-warning response times by year, every province together, for those who
    read its signals (docs/stories.md, "Early warning and response"); None for the others, and
    no query for a reader who is not signed in. Once the coordinators adopted them as
    indicators of the plan, they are on their node like any other indicator, and the table
    gives way to links to them."""
    if not access.user.is_authenticated or not access.can_read_signals():
        return None
    adopted = warnings.response_indicators(access.plan)
    if adopted is not None:
        return {"adopted": adopted}
    rows = [
        row
        for row in warnings.response_times(access.plan, by=warnings.YEAR)
        if row.province is None
    ]
    pillars = [r.node for r in roots if r.node.pillar_theme in RESPONSE_TIME_THEMES]
    return {"rows": rows[-3:], "pillars": pillars, "target": warnings.TARGET_DAYS}


@require_safe
@public_page
def plan_areas(request: HttpRequest, code: str) -> HttpResponse:
    plan = _readable_plan(request, code)
    areas = selectors.plan_areas(plan)
    root_depth = len(plan.area.ancestor_ids)
    rows = [(area, len(area.ancestor_ids) - root_depth) for area in areas]
    return render(request, "portal/areas.html", {"plan": plan, "rows": rows})


@require_safe
@public_page
def indicator_detail(request: HttpRequest, code: str, indicator_code: str) -> HttpResponse:
    plan = _readable_plan(request, code)
    access = PlanAccess.load(request.user, plan)
    reading, public_release = _reading(access)
    indicator = selectors.indicator_for_viewer(plan, indicator_code, access)
    # A scheme of two or more dimensions has cells beyond its margins; they are computed
    # from the raw values, so only when asked for.
    multi_dimensional = indicator.scheme.dimensions.count() > 1
    # A release holds the totals and margins only: its readers are not offered the cells.
    form = _filter_form(
        request,
        plan,
        offer_cells=multi_dimensional and reading.detail,
        owner_id=indicator.owner_organisation_id,
    )
    chosen = form.filters()
    sources = list(form.sources.values())
    run = selectors.aggregate_run(plan)
    series = figures.indicator_series(
        indicator=indicator,
        area=chosen.area,
        source_code=chosen.source_code,
        period_type=indicator.frequency,
        figures=reading.figures,
    )
    # A share's cells are stored (it has no raw values to compute them from).
    is_share = indicator.kind == IndicatorKind.SHARE
    crosstab = (
        figures.indicator_table if chosen.cells and not is_share else selectors.indicator_margins
    )
    table = crosstab(
        indicator=indicator,
        period_code=chosen.period_code,
        area=chosen.area,
        source_code=chosen.source_code,
        figures=reading.figures,
    )
    # Totals by a dimension above the scheme's (by category, from the ranks): derived margins.
    derived = selectors.indicator_derived_totals(
        indicator=indicator,
        period_code=chosen.period_code,
        area=chosen.area,
        source_code=chosen.source_code,
        figures=reading.figures,
    )
    by_area = figures.indicator_by_area(
        indicator=indicator,
        period_code=chosen.period_code,
        source_code=chosen.source_code,
        parent=chosen.area,
        figures=reading.figures,
    )
    comparison = selectors.indicator_sources_compare(
        indicator=indicator,
        area=chosen.area,
        period_type=indicator.frequency,
        sources=sources,
        figures=reading.figures,
    )
    qualitative = selectors.indicator_qualitative(
        indicator,
        reading=reading,
        period_code=chosen.period_code,
        area=chosen.area,
        source_code=chosen.source_code,
    )
    # Values before the plan's start (earlier generations) are stored detail, never in a
    # release: shown to the plan's readers of the detail only.
    history = (
        figures.indicator_history(
            indicator=indicator, area=chosen.area, source_code=chosen.source_code
        )
        if reading.detail
        else []
    )
    # Those who read the release never learn when the detail was last computed.
    rebuilt_at = run.finished_at if run and reading.detail else None
    # Targets changed by an approved revision (docs/revisions.md): targets are public, but a
    # restricted indicator's are figures for the readers of the detail only (as in the API).
    target_changes = (
        figures.target_changes(indicator)
        if access.sees_detail or indicator.sensitivity != Sensitivity.RESTRICTED
        else []
    )
    wanted = requested(request)
    if wanted:
        return respond(
            wanted,
            downloads.indicator_tables(
                series=series,
                table=table,
                by_area=by_area,
                area=chosen.area,
                comparison=comparison,
                indicator=indicator,
                qualitative=qualitative,
            ),
            name=[
                plan.code,
                indicator.code,
                chosen.period_code,
                chosen.area.code,
                chosen.source_code,
            ],
            about=[
                *about_lines(
                    plan_title=f"{plan.title} · {indicator.code} {indicator.title}",
                    page_url=page_url(request),
                    period=period_label(chosen.period_code),
                    area=chosen.area,
                    source=localized_name(chosen.source.name) if chosen.source else "",
                    rebuilt_at=rebuilt_at,
                ),
                reading_about(reading),
            ],
        )
    source_name = localized_name(chosen.source.name) if chosen.source else chosen.source_code
    context: dict[str, Any] = {
        "plan": plan,
        "indicator": indicator,
        "references": selectors.indicator_references(indicator),
        "form": form,
        "chosen": chosen,
        "period_label": period_label(chosen.period_code),
        "query": request.GET.urlencode(),
        "frequency_label": FREQUENCY_LABELS.get(indicator.frequency, indicator.frequency),
        "is_ratio": indicator.kind in RATIO_KINDS,
        "rebuilt_at": rebuilt_at,
        "refresh_pending": reading.detail
        and bool(
            run and run.requested_at and (not run.finished_at or run.requested_at > run.finished_at)
        ),
        "reading": reading,
        "public_release": public_release,
        "series": series,
        "chart": charts.indicator_chart(
            indicator=indicator,
            series=series,
            comparison=comparison,
            source_name=source_name,
            headline=table.total,
            headline_period=period_label(chosen.period_code),
            area_name=localized_name(chosen.area.name),
        ),
        "table": table,
        "layout": crosstab_layout(table),
        "derived": derived,
        "multi_dimensional": multi_dimensional,
        "by_area": by_area,
        "comparison": comparison,
        "pairs": shadow.latest_pairs(indicator, comparison),
        "evidence": shadow.indicator_evidence(access, indicator),
        "qualitative": qualitative,
        "is_narrative": indicator.kind == IndicatorKind.NARRATIVE,
        "is_list": indicator.kind == IndicatorKind.LIST,
        "history": history,
        # Dropped by an approved revision (docs/revisions.md): the page still opens, says so
        # and shows the figures kept (its version was read with it: no query more).
        "dropped": dropped_of(indicator),
        "target_changes": target_changes,
        "changed_periods": figures.changed_target_periods(target_changes, chosen.area),
    }
    return render(request, "portal/indicator.html", context)


@require_safe
@public_page
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    """What the plans covering a province or district do and achieve there."""
    area = selectors.area_for_viewer(code)
    today = timezone.localdate()
    area_plans = selectors.area_plans(request.user, area, today)
    wanted = requested(request)
    if wanted:
        return respond(
            wanted,
            downloads.area_tables(area_plans=area_plans),
            name=[area.code],
            about=[
                *about_lines(plan_title="", page_url=page_url(request), area=area),
                *(
                    (entry.plan.title, reading_about(entry.reading)[1])
                    for entry in area_plans
                    if entry.reading is not None
                ),
            ],
        )
    context: dict[str, Any] = {
        "area": area,
        "ancestors": selectors.area_ancestors(area),
        "children": selectors.area_children(area),
        "area_plans": area_plans,
    }
    return render(request, "portal/area.html", context)
