"""The public homes of a plan and of a country (docs/publishing.md, "The public portal").

Made for the public, parliamentarians and journalists: key figures first, then the map, both
accounts, money, recommendations and the latest co-signed report. Every indicator figure is
read from the plan's latest published release (portal/public_selectors.py); each figure block
downloads as CSV or XLSX (`?download=csv|xlsx&table=<key>`, shell/downloads.py) with the
release number in the file name and the provenance (plan, release, published date, licence) in
every row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.conduct import selectors as conduct_selectors
from wpsmonitor.core.names import localized_name
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import GlobalIndicator, Indicator
from wpsmonitor.peace import selectors as peace_selectors
from wpsmonitor.peace.charts import trend_chart as peace_trend_chart
from wpsmonitor.peace.models import SeatRole
from wpsmonitor.plans.models import Plan
from wpsmonitor.portal import maps, security_peace
from wpsmonitor.portal import public_selectors as public
from wpsmonitor.publishing.models import Release
from wpsmonitor.reports.formats import FORMATS as REPORT_FORMATS
from wpsmonitor.reports.selectors import published_reports
from wpsmonitor.security import selectors as security_selectors
from wpsmonitor.shell.downloads import CellValue, Table, page_url, requested, respond
from wpsmonitor.shell.public_cache import public_page
from wpsmonitor.shell.templatetags.shell import value_as
from wpsmonitor.stories import uses as story_uses
from wpsmonitor.stories.models import StoryKind


@dataclass
class PublicMap:
    indicators: list[Indicator]
    indicator: Indicator | None
    figures: list[public.AreaFigure]
    view: maps.MapView | None


def _public_map(
    request: HttpRequest, plan: Plan, release: Release | None, indicators: list[Indicator]
) -> PublicMap:
    """The map's indicator (the GET form's, else the first with area figures) and figures."""
    choices = public.map_indicators(plan, release, indicators)
    wanted = request.GET.get("indicator", "")
    indicator = next((i for i in choices if i.code == wanted), choices[0] if choices else None)
    if release is None or indicator is None:
        return PublicMap(choices, None, [], None)
    areas = public.sub_areas(plan)
    found = public.area_figures(release, indicator, areas)
    chosen: Indicator = indicator
    view = maps.choropleth(
        [
            maps.MapArea(
                code=f.area.code,
                name=localized_name(f.area.name),
                value=f.figure.value,
                text=f.figure.text,
                suppressed=f.figure.suppressed,
                anchor=f"map-area-{f.area.code}",
            )
            for f in found
        ],
        title=_("Map: %(indicator)s, by area") % {"indicator": f"{chosen.code} {chosen.title}"},
        description=_(
            "Whole plan to date, government figures. Each area links to its row in the table "
            "beside the map."
        ),
        fmt=lambda v: value_as(chosen, v),
    )
    return PublicMap(choices, indicator, found, view)


# --- downloads ----------------------------------------------------------------------------------


def _provenance(plan: Plan, release: Release | None) -> tuple[list[str], list[CellValue]]:
    columns = [_("Plan"), _("Release"), _("Published"), _("Licence")]
    if release is None:
        return columns, [plan.code, _("No figures published yet"), "", ""]
    published = release.published_at.date().isoformat() if release.published_at else ""
    return columns, [plan.code, release.number, published, release.licence]


def _table(
    key: str,
    title: str,
    columns: list[str],
    rows: list[list[CellValue]],
    plan: Plan,
    release: Release | None,
) -> Table:
    extra_columns, extra = _provenance(plan, release)
    return Table(key, title, [*columns, *extra_columns], [[*row, *extra] for row in rows])


def _figure_cells(figure: public.Shown) -> list[CellValue]:
    return [figure.value, figure.text, figure.flag]


def _figure_columns() -> list[str]:
    return [_("Value"), _("As shown"), _("Flag")]


def plan_tables(data: public.PublicPlan, public_map: PublicMap) -> dict[str, Callable[[], Table]]:
    plan, release = data.plan, data.release

    def pillars() -> Table:
        return _table(
            "pillars",
            _("Progress by pillar"),
            [
                _("Pillar"),
                _("Indicators"),
                _("With a published figure"),
                _("Suppressed"),
                _("On track"),
                _("Off track"),
            ],
            [
                [
                    f"{p.node.code} {p.node.title}",
                    p.indicators,
                    p.published,
                    p.suppressed,
                    p.on_track,
                    p.off_track,
                ]
                for p in data.pillars
            ],
            plan,
            release,
        )

    def indicators() -> Table:
        return _table(
            "indicators",
            _("Indicators of the plan, government figures, whole plan to date"),
            [
                _("Indicator"),
                _("Title"),
                *_figure_columns(),
                _("Target"),
                _("Achievement"),
                _("Track"),
            ],
            [
                [
                    i.indicator.code,
                    i.indicator.title,
                    *_figure_cells(i.figure),
                    i.target,
                    i.achievement,
                    i.track,
                ]
                for i in data.indicators
            ],
            plan,
            release,
        )

    def off_track() -> Table:
        return _table(
            "off_track",
            _("Indicators off track"),
            [
                _("Indicator"),
                _("Title"),
                *_figure_columns(),
                _("Target"),
                _("Achievement"),
                _("Expected by now"),
            ],
            [
                [
                    i.indicator.code,
                    i.indicator.title,
                    *_figure_cells(i.figure),
                    i.target,
                    i.achievement,
                    i.expected,
                ]
                for i in data.off_track
            ],
            plan,
            release,
        )

    def actions() -> Table:
        rows: list[list[CellValue]] = [
            [f"{g.key} {g.label}", g.counts.total, g.counts.completed, g.counts.delayed]
            for g in data.actions.by_pillar
        ]
        total = data.actions.total
        rows.append([_("All actions"), total.total, total.completed, total.delayed])
        return _table(
            "actions",
            _("Actions by pillar"),
            [_("Pillar"), _("Actions"), _("Completed"), _("Delayed")],
            rows,
            plan,
            release,
        )

    def accounts() -> Table:
        rows: list[list[CellValue]] = []
        for entry in data.accounts:
            rows.append(
                [
                    entry.indicator.code,
                    entry.indicator.title,
                    _("Government"),
                    "",
                    *_figure_cells(entry.government),
                ]
            )
            for account in entry.civil_society:
                org = account.organisation
                rows.append(
                    [
                        entry.indicator.code,
                        entry.indicator.title,
                        _("Civil society"),
                        (org.acronym or org.name) if org else "",
                        *_figure_cells(account.figure),
                    ]
                )
        return _table(
            "accounts",
            _("Both accounts: government and civil society"),
            [_("Indicator"), _("Title"), _("Source"), _("Organisation"), *_figure_columns()],
            rows,
            plan,
            release,
        )

    def area_map() -> Table:
        indicator = public_map.indicator
        return _table(
            "map",
            _("Figures by area"),
            [_("Indicator"), _("Area"), _("Area code"), *_figure_columns()],
            [
                [
                    indicator.code if indicator else "",
                    localized_name(f.area.name),
                    f.area.code,
                    *_figure_cells(f.figure),
                ]
                for f in public_map.figures
            ],
            plan,
            release,
        )

    def money() -> Table:
        m = data.money
        rows: list[list[CellValue]] = []
        if m is not None:
            rows = [
                [_("Costed"), float(m.costed), m.currency],
                [_("Allocated"), float(m.allocated), m.currency],
                [_("Spent"), float(m.spent), m.currency],
            ]
            if m.entered is not None:
                rows += [
                    [_("Paid by donors"), float(m.entered), m.flow_currency or ""],
                    [_("Reached local organisations"), _float(m.local), m.flow_currency or ""],
                    [
                        _("Reached women-led organisations"),
                        _float(m.women_led),
                        m.flow_currency or "",
                    ],
                ]
        return _table(
            "money", _("Money"), [_("Stage"), _("Amount"), _("Currency")], rows, plan, release
        )

    return {
        "pillars": pillars,
        "indicators": indicators,
        "off_track": off_track,
        "actions": actions,
        "accounts": accounts,
        "map": area_map,
        "money": money,
    }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _file_name(plan: Plan, release: Release | None) -> list[str]:
    return [plan.code, f"release-{release.number}" if release else "no-release"]


def _about(request: HttpRequest, plan: Plan, release: Release | None) -> list[tuple[str, str]]:
    lines = [(_("Plan"), f"{plan.title} ({plan.code})")]
    if release is None:
        lines.append((_("Release"), _("No figures published yet")))
    else:
        lines += [
            (_("Release"), str(release.number)),
            (_("Published"), release.published_at.isoformat() if release.published_at else ""),
            (_("Licence"), release.licence),
        ]
    lines.append((_("Page"), page_url(request)))
    return lines


# --- the pages -----------------------------------------------------------------------------------


def _readable_plan(request: HttpRequest, code: str) -> Plan:
    return plan_access(request.user, code).plan


@require_safe
@public_page
def plan_public(request: HttpRequest, code: str) -> HttpResponse:
    plan = _readable_plan(request, code)
    today = timezone.localdate()
    wanted = requested(request)
    # A download of a figure table needs neither the money nor the recommendations.
    extras = wanted is None or wanted.table == "money"
    data = public.public_plan(plan, user=request.user, today=today, extras=extras)
    public_map = _public_map(request, plan, data.release, [i.indicator for i in data.indicators])
    if wanted:
        return respond(
            wanted,
            plan_tables(data, public_map),
            name=_file_name(plan, data.release),
            about=_about(request, plan, data.release),
        )
    return render(
        request,
        "portal/public/plan.html",
        {
            "plan": plan,
            "data": data,
            "release": data.release,
            "public_map": public_map,
            "country": country_of(plan),
            "published_reports": published_reports(plan),
            "report_formats": REPORT_FORMATS,
            "story_count": story_uses.public_story_count(plan),
        },
    )


@require_safe
@public_page
def plan_public_stories(request: HttpRequest, code: str) -> HttpResponse:
    """The plan's stories for the public (docs/stories.md, "In the report and on the portal"):
    those approved with a consent for the public portal in force, read as an anonymous reader
    reads them, coarse, whoever asks; each shown is recorded as used by the portal, so that the
    coordinators hear of it when a consent is withdrawn. A withdrawal or an approval makes the
    cached page stale (stories/services.py bumps the generation)."""
    plan = _readable_plan(request, code)
    stories = story_uses.stories_for_portal(plan)
    story_uses.uses_record(
        story_uids=[s.uid for s in stories],
        kind="page",
        reference=story_uses.PORTAL_REFERENCE,
        title=plan.code,
        link=request.path,
        published=True,
    )
    return render(
        request,
        "portal/public/stories.html",
        {
            "plan": plan,
            "stories": [(s, StoryKind(s.kind).label) for s in stories],
            "country": country_of(plan),
        },
    )


def country_of(plan: Plan) -> Area | None:
    """The country (an area with no parent) the plan's area lies in, or None."""
    ids = plan.area.ancestor_ids
    if not ids or ids[0] == plan.area.pk:
        return plan.area if plan.area.parent_id is None else None
    return Area.objects.filter(pk=ids[0], parent__isnull=True).first()


@require_safe
@public_page
def country_public(request: HttpRequest, area_code: str) -> HttpResponse:
    country = public.country_for_viewer(area_code)
    if country is None:
        raise Http404("No such country")
    plans = public.country_plans(request.user, country)
    national = public.national_plan(plans, country)
    data = public_map = None
    if national is not None:
        data = public.public_plan(
            national, user=request.user, today=timezone.localdate(), extras=False
        )
        public_map = _public_map(
            request, national, data.release, [i.indicator for i in data.indicators]
        )
        wanted = requested(request)
        if wanted:
            tables = plan_tables(data, public_map)
            return respond(
                wanted,
                {k: tables[k] for k in ("pillars", "off_track", "actions", "map")},
                name=[country.code, *_file_name(national, data.release)],
                about=_about(request, national, data.release),
            )
    elif requested(request):
        raise Http404("No such table")
    return render(
        request,
        "portal/public/country.html",
        {
            "country": country,
            "plans": plans,
            "national": national,
            "data": data,
            "release": data.release if data else None,
            "public_map": public_map,
            "published_reports": published_reports(national) if national else [],
            "report_formats": REPORT_FORMATS,
        },
    )


@require_safe
@public_page
def global_indicator_public(request: HttpRequest, vocabulary: str, code: str) -> HttpResponse:
    """A global catalogue entry and every plan on the platform that reports it, side by side,
    each with its latest published figure (docs/catalogues.md, "Across plans")."""
    entry = GlobalIndicator.objects.filter(vocabulary=vocabulary, code=code).first()
    if entry is None:
        raise Http404("No such global indicator")
    wording, kind = entry.wording(get_language() or "en")
    return render(
        request,
        "portal/public/global_indicator.html",
        {
            "entry": entry,
            "wording": wording,
            "wording_kind": kind,
            "wording_verified": entry.verified_in.get(get_language() or "en", "")
            if kind == "official"
            else "",
            "reports": public.global_indicator_across_plans(request.user, entry),
            "links": public.global_indicator_links(entry),
        },
    )


# --- security sector and peace processes (docs/security-sector.md, docs/peace-processes.md) ---
# Not cached as public pages: the security, conduct and peace apps' writes do not bump the
# public generation (shell/public_cache.py), so a cached copy could lag behind their registers.


@require_safe
def plan_public_security(request: HttpRequest, code: str) -> HttpResponse:
    """The plan's security institutions, its women's and children's desks by province on the
    map and in a table (counts of desks, never of the cases they receive), and the allegations
    of sexual exploitation and abuse after disclosure control (conduct/selectors.py)."""
    access = plan_access(request.user, code)
    plan = access.plan
    rows = security_selectors.coverage(plan)
    return render(
        request,
        "portal/public/security.html",
        {
            "plan": plan,
            "country": country_of(plan),
            "institutions": list(security_selectors.institutions(plan)),
            "summary": security_peace.summary(plan),
            "rows": rows,
            "desk_map": security_peace.desk_map(rows),
            "figures": (
                conduct_selectors.figures(plan) if access.can_read_allegation_figures() else None
            ),
        },
    )


@require_safe
def plan_public_peace(request: HttpRequest, code: str) -> HttpResponse:
    """Women's share of the seats at each round of the plan's peace processes, as a chart and a
    table, and their consultations of civil society counted."""
    access = plan_access(request.user, code)
    if not access.can_read_peace():
        raise Http404
    plan = access.plan
    processes = []
    for process in peace_selectors.processes_of(plan):
        rows = peace_selectors.trend(process)
        processes.append((process, rows, peace_trend_chart(process, rows) if rows else ""))
    return render(
        request,
        "portal/public/peace.html",
        {
            "plan": plan,
            "country": country_of(plan),
            "processes": processes,
            "cfr_roles": [(r.value, SeatRole(r).label) for r in peace_selectors.CFR_ROLES],
            "consultations": security_peace.consultation_counts(plan),
        },
    )
