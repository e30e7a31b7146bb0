"""Reads the portal needs beyond the aggregate selectors: which plans a visitor may see, the
plan facts, reporting completeness, indicators off track and the area page. Every function runs
a fixed number of queries, whatever the size of the data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, QuerySet
from django.http import Http404

from wpsmonitor.accounts.access import Grant, PlanAccess, Viewer, readable_plans
from wpsmonitor.accounts.models import PlanRole
from wpsmonitor.core.names import localized_name
from wpsmonitor.core.periods import PeriodType, parse_period, periods_between
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.aggregation import ALL_PERIODS, period_sort_key
from wpsmonitor.indicators.in_force import in_force_filter
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    AggregateRun,
    AggregateValue,
    DataValue,
    Direction,
    Indicator,
    IndicatorKind,
    ListItem,
    NodeProgress,
    SchemeDimension,
    Source,
    SourceKind,
)
from wpsmonitor.indicators.selectors import (
    EMPTY,
    CrossTab,
    DimensionInfo,
    Figure,
    Figures,
    PlanProgress,
    figure_from_row,
    written_within,
)
from wpsmonitor.plans.models import FrameworkNode, Plan, PlanStatus
from wpsmonitor.publishing.models import Release, ReleaseFigure, ReleaseStatus
from wpsmonitor.publishing.selectors import Reading, release_figures
from wpsmonitor.reporting.models import (
    FINAL_STATUSES,
    ActionProgress,
    Assignment,
    ReportingRound,
    Submission,
    SubmissionStatus,
)
from wpsmonitor.reporting.selectors import round_completeness


def visible_plans(user: Viewer) -> QuerySet[Plan]:
    """Plans the visitor may read: all but drafts, which only their members and staff see
    (the rule is accounts.access.readable_plans, the same for pages and API)."""
    return Plan.objects.filter(readable_plans(user))


def hide_unreadable_parents(user: Viewer, plans: list[Plan]) -> None:
    """Drop the link to a draft parent plan the visitor cannot open (one query, if any)."""
    draft_parents = {p.parent_id for p in plans if p.parent and p.parent.status == PlanStatus.DRAFT}
    if not draft_parents:
        return
    readable = set(visible_plans(user).filter(pk__in=draft_parents).values_list("pk", flat=True))
    for plan in plans:
        if plan.parent_id in draft_parents and plan.parent_id not in readable:
            plan.parent = None


def child_plans(user: Viewer, plan: Plan) -> list[Plan]:
    return list(
        visible_plans(user)
        .filter(parent=plan)
        .select_related("area")
        .order_by("kind", "area__name", "title")
    )


@dataclass
class CountryGroup:
    country: Area | None
    plans: list[Plan] = field(default_factory=list)


def plans_by_country(user: Viewer) -> list[CountryGroup]:
    """Visible plans grouped by the country at the top of each plan's area (two queries).

    Local and institutional plans sit under their country, not under the province.
    """
    plans = list(
        visible_plans(user)
        .select_related("area", "lead_organisation", "parent")
        .order_by("start", "title")
    )
    hide_unreadable_parents(user, plans)
    root_ids = {_root_id(plan.area) for plan in plans}
    roots = {area.pk: area for area in Area.objects.filter(pk__in=root_ids)}
    groups: dict[int, CountryGroup] = {}
    for plan in plans:
        root = _root_id(plan.area)
        groups.setdefault(root, CountryGroup(country=roots.get(root))).plans.append(plan)
    for group in groups.values():
        # National plans first, then their children, newest generation first.
        group.plans.sort(key=lambda p: (p.parent_id is not None, -(p.generation or 0), p.title))
    return sorted(groups.values(), key=lambda g: g.country.name if g.country else "")


def _root_id(area: Area) -> int:
    ids = area.ancestor_ids
    return ids[0] if ids else area.pk


def indicator_for_viewer(plan: Plan, code: str, access: PlanAccess) -> Indicator:
    """The indicator, or 404 when it does not exist or is a civil-society organisation's own
    indicator the viewer may not see yet (its existence does not leak either)."""
    indicator = (
        Indicator.objects.select_related(
            "node",
            "node__level",
            "scheme",
            "responsible_organisation",
            "share_of",
            "share_option",
            "owner_organisation",
            "retired_in",
        )
        .filter(plan=plan, code=code)
        .first()
    )
    if indicator is None or not access.can_view_indicator(indicator):
        raise Http404("No such indicator")
    return indicator


def indicator_references(indicator: Indicator) -> list[tuple[str, str, str, bool]]:
    """(vocabulary, code, title, verified) of the global indicators it reports against."""
    return [
        (ref.vocabulary, ref.code, ref.title, ref.verified)
        for ref in indicator.references.order_by("vocabulary", "code")
    ]


def plan_areas(plan: Plan) -> list[Area]:
    """The plan's area and every area below it, in tree order. One query."""
    return list(
        Area.objects.filter(path__startswith=plan.area.path)
        .select_related("level")
        .order_by("path")
    )


def aggregate_run(plan: Plan) -> AggregateRun | None:
    return AggregateRun.objects.filter(plan=plan).first()


def filter_sources() -> list[Source]:
    """The government first, then each civil-society source. One query."""
    sources = Source.objects.filter(kind__in=[SourceKind.GOVERNMENT, SourceKind.CIVIL_SOCIETY])
    return sorted(sources, key=lambda s: (s.code != GOVERNMENT_SOURCE, s.kind, s.name))


@dataclass
class SourceComparison:
    sources: list[Source]
    rows: list[tuple[str, list[float | None]]]  # (period code, value per source)
    # The same, as figures: a figure suppressed in a release reads as its flag (the table).
    figure_rows: list[tuple[str, list[Figure]]] = field(default_factory=list)


def indicator_sources_compare(
    *,
    indicator: Indicator,
    area: Area,
    period_type: str,
    sources: list[Source],
    figures: Figures = None,
) -> SourceComparison | None:
    """Official and civil-society figures side by side, per period of the indicator's
    frequency (and the whole plan), for the sources that reported. None unless the
    government and at least one other source both have figures. One query, of the aggregates
    or of a release (`figures`, indicators.selectors.Figures)."""
    table: QuerySet[Any] = AggregateValue.objects.all() if figures is None else figures
    columns: tuple[str, ...] = (
        "period_code",
        "source_id",
        "value",
        *(() if figures is None else ("flag", "threshold")),
    )
    rows = table.filter(indicator=indicator, area=area, cell_key="").values_list(*columns)
    by_period: dict[str, dict[int, Figure]] = {}
    source_ids: set[int] = set()
    for code, source_id, value, *flag in rows:
        if code != ALL_PERIODS and parse_period(code).type != period_type:
            continue
        by_period.setdefault(code, {})[source_id] = Figure(
            value=None if value is None else float(value),
            flag=flag[0] if flag else "",
            threshold=flag[1] if flag else None,
        )
        source_ids.add(source_id)
    reporting = [s for s in sources if s.pk in source_ids]
    if len(reporting) < 2 or reporting[0].code != GOVERNMENT_SOURCE:
        return None
    ordered = sorted(by_period, key=period_sort_key)
    figure_rows = [
        (code, [by_period[code].get(s.pk, EMPTY) for s in reporting]) for code in ordered
    ]
    return SourceComparison(
        sources=reporting,
        rows=[(code, [f.value for f in found]) for code, found in figure_rows],
        figure_rows=figure_rows,
    )


def indicator_margins(
    *,
    indicator: Indicator,
    period_code: str,
    area: Area,
    source_code: str,
    figures: Figures = None,
) -> CrossTab:
    """The indicator's total and one-dimension margins, straight from the aggregate table, or
    from a release (`figures`, indicators.selectors.Figures), which holds those and no more.

    Two queries whatever the number of values. indicators.selectors.indicator_table adds the
    full cells but computes them from the raw values (about 0.7 s for one indicator of the
    2,000,000-value benchmark plan), so the page asks for it only on request.
    """
    scheme_id: int | None = indicator.scheme_id
    left_out: int | None = None
    if indicator.kind == IndicatorKind.SHARE and indicator.share_of_id:
        # A share keeps its base's dimensions but the one it is the share of (women's share
        # by rank): its stored figures are per cell of those.
        scheme_id = (
            Indicator.objects.filter(pk=indicator.share_of_id)
            .values_list("scheme_id", flat=True)
            .first()
        )
        left_out = indicator.share_dimension_id
    dimensions = [
        DimensionInfo(
            code=sd.dimension.code,
            name=localized_name(sd.dimension.name),
            options=tuple((o.code, localized_name(o.name)) for o in sd.dimension.options.all()),
        )
        for sd in SchemeDimension.objects.filter(scheme_id=scheme_id)
        .exclude(dimension_id=left_out or 0)
        .select_related("dimension")
        .prefetch_related("dimension__options")
        .order_by("order")
    ]
    table: QuerySet[Any] = AggregateValue.objects.all() if figures is None else figures
    columns = (*_FIGURE_COLUMNS, *(() if figures is None else ("flag", "threshold")))
    stored = {
        row["cell_key"]: figure_from_row(row)
        for row in table.filter(
            indicator=indicator,
            area=area,
            source__code=source_code,
            period_code=period_code,
        ).values("cell_key", *columns)
    }
    return CrossTab(
        indicator=indicator,
        period_code=period_code,
        area_id=area.pk,
        source_code=source_code,
        dimensions=tuple(dimensions),
        margins={key: figure for key, figure in stored.items() if key and ";" not in key},
        # Only shares store full cells (indicators.aggregation.derived).
        cells={key: figure for key, figure in stored.items() if ";" in key},
        total=stored.get("", EMPTY),
    )


@dataclass(frozen=True)
class DerivedRow:
    name: str  # the parent option (a category)
    parts: str  # the options under it that the indicator has (its ranks), in order
    figure: Figure


@dataclass(frozen=True)
class DerivedTotals:
    """An indicator's totals by a dimension it is not disaggregated by, derived from the
    options under that dimension's options (by category, from the ranks)."""

    dimension: str  # its name ("Police category")
    below: str  # the names of the scheme's dimensions it is derived from ("Police rank")
    rows: list[DerivedRow]


def indicator_derived_totals(
    *,
    indicator: Indicator,
    period_code: str,
    area: Area,
    source_code: str,
    figures: Figures = None,
) -> list[DerivedTotals]:
    """The totals of `indicator` by each dimension above its own (docs/computations.md,
    "Hierarchical dimensions"): category for an indicator disaggregated by rank, read from
    the margins the aggregation derives (`category=officers`), of the aggregates or of a
    release. A parent option with no stored figure (none of its options reported) is left
    out, never shown as 0; a dimension with no such figure at all gives no block.
    Four queries at most."""
    from wpsmonitor.indicators.hierarchy import option_tree
    from wpsmonitor.indicators.models import DimensionOption

    scheme_id: int | None = indicator.scheme_id
    left_out: int | None = None
    if indicator.kind == IndicatorKind.SHARE and indicator.share_of_id:
        scheme_id = (
            Indicator.objects.filter(pk=indicator.share_of_id)
            .values_list("scheme_id", flat=True)
            .first()
        )
        left_out = indicator.share_dimension_id
    own = {
        code: localized_name(name)
        for code, name in SchemeDimension.objects.filter(scheme_id=scheme_id)
        .exclude(dimension_id=left_out or 0)
        .values_list("dimension__code", "dimension__name")
    }
    if not own:
        return []
    tree = option_tree(own)
    under: dict[tuple[str, str], list[tuple[str, str]]] = {}  # parent pair -> own pairs
    for pair in tree.parent:
        if pair[0] not in own:
            continue
        for ancestor in tree.ancestors(pair):
            if ancestor[0] not in own:
                under.setdefault(ancestor, []).append(pair)
    if not under:
        return []
    wanted = {*under, *(p for pairs in under.values() for p in pairs)}
    options = [
        o
        for o in DimensionOption.objects.filter(
            dimension__code__in={d for d, _o in wanted}, code__in={c for _d, c in wanted}
        )
        .select_related("dimension")
        .order_by("dimension__code", "order", "code")
        if (o.dimension.code, o.code) in wanted
    ]
    order = {(o.dimension.code, o.code): (o.order, o.code) for o in options}
    names = {(o.dimension.code, o.code): localized_name(o.name) for o in options}
    table: QuerySet[Any] = AggregateValue.objects.all() if figures is None else figures
    columns = (*_FIGURE_COLUMNS, *(() if figures is None else ("flag", "threshold")))
    stored = {
        row["cell_key"]: figure_from_row(row)
        for row in table.filter(
            indicator=indicator,
            area=area,
            source__code=source_code,
            period_code=period_code,
            cell_key__in=[f"{d}={o}" for d, o in under],
        ).values("cell_key", *columns)
    }
    blocks: list[DerivedTotals] = []
    for dimension in sorted({d for d, _o in under}):
        rows = [
            DerivedRow(
                name=names.get(pair, pair[1]),
                parts=", ".join(
                    names.get(p, p[1])
                    for p in sorted(under[pair], key=lambda p: order.get(p, (0, p[1])))
                ),
                figure=stored[f"{pair[0]}={pair[1]}"],
            )
            for pair in sorted(
                (p for p in under if p[0] == dimension), key=lambda p: order.get(p, (0, p[1]))
            )
            if f"{pair[0]}={pair[1]}" in stored
        ]
        if rows:
            title = next(
                (
                    localized_name(o.dimension.name)
                    for o in options
                    if o.dimension.code == dimension
                ),
                dimension,
            )
            below = sorted(
                {child[0] for parent in under if parent[0] == dimension for child in under[parent]}
            )
            blocks.append(
                DerivedTotals(
                    dimension=title,
                    below=", ".join(own[d] for d in below),
                    rows=rows,
                )
            )
    return blocks


# --- the plan dashboard: reporting completeness ------------------------------------------------


class ReportState:
    """What the public may know of a submission: only whether it was handed in or approved.
    Drafts and returned submissions read as "not submitted", and no figure of an unapproved
    submission is ever read here."""

    APPROVED = "approved"
    SUBMITTED = "submitted"
    NOT_SUBMITTED = ""


@dataclass(frozen=True)
class CompletenessLine:
    organisation: Organisation
    area: Area
    state: str  # a ReportState

    @property
    def has_submitted(self) -> bool:
        return self.state != ReportState.NOT_SUBMITTED


@dataclass(frozen=True)
class RoundCompleteness:
    round: ReportingRound
    lines: list[CompletenessLine]

    @property
    def submitted(self) -> int:
        return sum(1 for line in self.lines if line.has_submitted)

    @property
    def expected(self) -> int:
        return len(self.lines)


def _report_state(submission: Submission | None) -> str:
    if submission is None:
        return ReportState.NOT_SUBMITTED
    if submission.status in FINAL_STATUSES:
        return ReportState.APPROVED
    if submission.status == SubmissionStatus.SUBMITTED:
        return ReportState.SUBMITTED
    return ReportState.NOT_SUBMITTED


def latest_round_completeness(plan: Plan) -> RoundCompleteness | None:
    """Who has reported for the plan's latest round (by period), or None without rounds.

    Three queries: the round, then reporting.selectors.round_completeness (assignments and
    government submissions), of which only the status is kept.
    """
    round_ = (
        ReportingRound.objects.filter(plan=plan)
        .select_related("period")
        .order_by("-period__start", "-pk")
        .first()
    )
    if round_ is None:
        return None
    round_.plan = plan  # round_completeness reads round_.plan; we already hold it
    return RoundCompleteness(
        round=round_,
        lines=[
            CompletenessLine(row.organisation, row.area, _report_state(row.submission))
            for row in round_completeness(round_)
        ],
    )


# --- the plan dashboard: indicators off track --------------------------------------------------

# How far below the expected pace an indicator may be before it is called off track: linear
# pace is a crude expectation (training happens in batches, surveys once a year), so a small
# shortfall is not flagged. docs/computations.md, "Dashboards", states the rule.
OFF_TRACK_TOLERANCE = 0.2


def expected_pace(*, plan: Plan, period_code: str, today: date, direction: str) -> float:
    """The share of the way from baseline to target an indicator should have covered by today.

    Linear over the period the figure is for (the whole plan for "ALL"): 0 before it starts,
    1 once it has ended. An indicator to be maintained should be at its target all along.
    """
    if direction == Direction.MAINTAIN:
        return 1.0
    if period_code == ALL_PERIODS:
        start, end = plan.start, plan.end
    else:
        parsed = parse_period(period_code)
        start, end = parsed.start, parsed.end
    days = (end - start).days + 1
    elapsed = (today - start).days + 1
    return min(1.0, max(0.0, elapsed / days))


@dataclass(frozen=True)
class OffTrackIndicator:
    indicator: Indicator
    node: FrameworkNode
    figure: Figure
    achievement: float  # capped to [0, 1]
    expected: float  # the pace it is measured against


@dataclass(frozen=True)
class OffTrack:
    period_code: str
    assessed: int  # indicators with an achievement for the period
    tolerance: float
    indicators: list[OffTrackIndicator]


def indicators_off_track(progress: PlanProgress, today: date) -> OffTrack:
    """The indicators whose achievement lags the expected pace by more than the tolerance,
    for the period, area and source of `progress`, worst first. No query: the figures are
    those the plan page already read."""
    assessed = 0
    lagging: list[tuple[int, OffTrackIndicator]] = []
    order = 0
    for item in progress.nodes:
        for ip in item.indicators:
            order += 1
            achieved = ip.figure.achievement_capped
            if achieved is None:
                continue
            assessed += 1
            expected = expected_pace(
                plan=progress.plan,
                period_code=progress.period_code,
                today=today,
                direction=ip.indicator.direction,
            )
            if achieved < expected - OFF_TRACK_TOLERANCE:
                lagging.append(
                    (
                        order,
                        OffTrackIndicator(
                            indicator=ip.indicator,
                            node=item.node,
                            figure=ip.figure,
                            achievement=achieved,
                            expected=expected,
                        ),
                    )
                )
    lagging.sort(key=lambda pair: (pair[1].achievement - pair[1].expected, pair[0]))
    return OffTrack(
        period_code=progress.period_code,
        assessed=assessed,
        tolerance=OFF_TRACK_TOLERANCE,
        indicators=[entry for _order, entry in lagging],
    )


# --- the area page -------------------------------------------------------------------------------


def area_for_viewer(code: str) -> Area:
    area = Area.objects.select_related("level").filter(code=code).first()
    if area is None:
        raise Http404("No such area")
    return area


def area_ancestors(area: Area) -> list[Area]:
    """The areas above it, from the top (the country) down. One query."""
    ids = area.ancestor_ids[:-1]
    found = {a.pk: a for a in Area.objects.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def area_children(area: Area) -> list[Area]:
    return list(Area.objects.filter(parent=area).select_related("level").order_by("name"))


@dataclass(frozen=True)
class Headline:
    indicators_measured: int
    indicators_total: int
    achievement: float | None


@dataclass(frozen=True)
class AreaIndicator:
    indicator: Indicator
    latest_year: Figure  # the plan's latest year with figures here
    to_date: Figure  # the whole plan to date


@dataclass(frozen=True)
class AreaAction:
    assignment: Assignment
    is_delayed: bool
    # The latest approved government report on the action for this very area, if any.
    report: ActionProgress | None


@dataclass
class AreaPlan:
    plan: Plan
    latest_year: str | None
    to_date: Headline | None
    in_latest_year: Headline | None
    indicators: list[AreaIndicator] = field(default_factory=list)
    actions: list[AreaAction] = field(default_factory=list)
    # What the reader reads of this plan (its detail, or its release) and the release the
    # public reads: the page's banner for the plan (portal/_reading.html).
    reading: Reading | None = None
    public_release: Release | None = None


_FIGURE_COLUMNS = (
    "value",
    "numerator",
    "denominator",
    "baseline",
    "target",
    "achievement",
    "value_count",
)


def _readings(
    user: Viewer, plans: list[Plan]
) -> tuple[dict[int, Reading], dict[int, Release | None]]:
    """publishing.selectors.reading_for for several plans at once, in two queries whatever
    their number: the reader's roles in them (none for an anonymous reader), and their latest
    published releases. The decision is still `PlanAccess.sees_detail`'s."""
    grants: dict[int, list[Grant]] = {plan.pk: [] for plan in plans}
    if getattr(user, "is_authenticated", False) and user.is_active:
        for plan_id, role, organisation_id, path in PlanRole.objects.filter(
            user=user, plan_id__in=list(grants)
        ).values_list("plan_id", "role", "organisation_id", "area__path"):
            grants[plan_id].append(Grant(role, organisation_id, path))
    latest: dict[int, Release] = {}
    for release in Release.objects.filter(
        plan_id__in=list(grants), status=ReleaseStatus.PUBLISHED
    ).order_by("plan_id", "-number"):
        latest.setdefault(release.plan_id, release)
    readings: dict[int, Reading] = {}
    for plan in plans:
        found = latest.get(plan.pk)
        if PlanAccess(user, plan, grants=grants[plan.pk]).sees_detail:
            readings[plan.pk] = Reading(detail=True, release=None, figures=None)
        elif found is None:
            readings[plan.pk] = Reading(
                detail=False, release=None, figures=ReleaseFigure.objects.none()
            )
        else:
            readings[plan.pk] = Reading(
                detail=False, release=found, figures=release_figures(found).order_by()
            )
    return readings, {plan.pk: latest.get(plan.pk) for plan in plans}


def _area_figures(
    indicators: list[Indicator], readings: dict[int, Reading], area: Area, periods: list[str]
) -> dict[tuple[int, str], Figure]:
    """The government's totals for the area, per (indicator, period): from the aggregates for
    the plans read in detail, from their release for the others. Two queries at most."""
    detail = [i.pk for i in indicators if readings[i.plan_id].detail]
    released = [i.pk for i in indicators if not readings[i.plan_id].detail]
    wanted = {
        "area": area,
        "source__code": GOVERNMENT_SOURCE,
        "cell_key": "",
        "period_code__in": periods,
    }
    found: dict[tuple[int, str], Figure] = {}
    if detail:
        for row in AggregateValue.objects.filter(indicator_id__in=detail, **wanted).values(
            "indicator_id", "period_code", *_FIGURE_COLUMNS
        ):
            found[(row["indicator_id"], row["period_code"])] = figure_from_row(row)
    tables = [
        r.figures
        for r in readings.values()
        if not r.detail and r.release is not None and r.figures is not None
    ]
    if released and tables:
        rows = tables[0]
        for more in tables[1:]:
            rows = rows | more
        for row in rows.filter(indicator_id__in=released, **wanted).values(
            "indicator_id", "period_code", *_FIGURE_COLUMNS, "flag", "threshold"
        ):
            found[(row["indicator_id"], row["period_code"])] = figure_from_row(row)
    return found


def _release_headlines(
    indicators: list[Indicator],
    readings: dict[int, Reading],
    figures: dict[tuple[int, str], Figure],
) -> dict[tuple[int, str], Headline]:
    """For the plans read from their release, the plan's headline in the area per period, as
    the rebuild computes it (the mean of capped achievements of the measured indicators): a
    suppressed figure has no achievement and counts as not measured. Periods with no figure
    of the plan in the release have no headline."""
    countable: dict[int, int] = {}
    for indicator in indicators:
        if not readings[indicator.plan_id].detail and indicator.kind != IndicatorKind.NARRATIVE:
            countable[indicator.plan_id] = countable.get(indicator.plan_id, 0) + 1
    plan_of = {i.pk: i.plan_id for i in indicators}
    sums: dict[tuple[int, str], list[float]] = {}
    for (indicator_id, period), figure in figures.items():
        plan_id = plan_of[indicator_id]
        if readings[plan_id].detail:
            continue
        acc = sums.setdefault((plan_id, period), [0.0, 0.0])
        if figure.achievement_capped is not None:
            acc[0] += figure.achievement_capped
            acc[1] += 1
    return {
        key: Headline(
            int(measured), countable.get(key[0], 0), total / measured if measured else None
        )
        for key, (total, measured) in sums.items()
    }


def _natural(code: str) -> tuple[tuple[int, int | str], ...]:
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", code)
    )


def area_plans(user: Viewer, area: Area, today: date) -> list[AreaPlan]:
    """What the plans covering an area (its own, or one of an area above it) do and achieve
    there: government figures, drafts hidden unless the viewer may see them.

    Each plan is read as its reader may read it (publishing.selectors.reading_for): the
    detail for its members, its published release for everyone else. At most nine queries
    whatever the number of plans, indicators and actions: plans, the reader's roles in them,
    their latest releases, plan-level progress, indicators, their figures (aggregates and
    releases), the actions assigned here, their reports here.
    """
    plans = list(
        visible_plans(user)
        .filter(area_id__in=area.ancestor_ids)
        .select_related("area")
        .order_by("start", "title")
    )
    if not plans:
        return []
    plan_ids = [plan.pk for plan in plans]
    readings, public = _readings(user, plans)
    detail_ids = [pk for pk in plan_ids if readings[pk].detail]
    years = sorted(
        {code for plan in plans for code in periods_between(PeriodType.YEAR, plan.start, plan.end)}
    )
    headlines: dict[tuple[int, str], Headline] = {
        (row["plan_id"], row["period_code"]): Headline(
            row["indicators_measured"], row["indicators_total"], row["achievement"]
        )
        for row in NodeProgress.objects.filter(
            plan_id__in=detail_ids,
            period_code__in=[ALL_PERIODS, *years],
            area=area,
            node__isnull=True,
            source__code=GOVERNMENT_SOURCE,
        ).values("plan_id", "period_code", "indicators_measured", "indicators_total", "achievement")
    }
    # The current frameworks: not what an approved revision dropped (indicators/in_force.py).
    indicators = list(
        Indicator.objects.filter(
            in_force_filter(), plan_id__in=plan_ids, owner_organisation__isnull=True
        )
        .select_related("node")
        .order_by("plan_id", "order", "code")
    )
    figures = _area_figures(indicators, readings, area, [ALL_PERIODS, *years])
    headlines.update(_release_headlines(indicators, readings, figures))
    result: dict[int, AreaPlan] = {}
    for plan in plans:
        found = [code for (pid, code) in headlines if pid == plan.pk and code != ALL_PERIODS]
        latest = max(found, key=period_sort_key) if found else None
        result[plan.pk] = AreaPlan(
            plan=plan,
            latest_year=latest,
            to_date=headlines.get((plan.pk, ALL_PERIODS)),
            in_latest_year=headlines.get((plan.pk, latest)) if latest else None,
            reading=readings[plan.pk],
            public_release=public[plan.pk],
        )

    for indicator in indicators:
        entry = result[indicator.plan_id]
        in_year = (
            figures.get((indicator.pk, entry.latest_year), EMPTY) if entry.latest_year else EMPTY
        )
        to_date = figures.get((indicator.pk, ALL_PERIODS), EMPTY)
        if in_year.has_value or to_date.has_value or in_year.suppressed or to_date.suppressed:
            entry.indicators.append(AreaIndicator(indicator, in_year, to_date))

    assignments = list(
        Assignment.objects.filter(plan_id__in=plan_ids, area=area, action__isnull=False)
        .select_related("organisation", "action")
        .order_by("organisation__name")
    )
    # Framework codes in natural order (P1.A2 before P1.A10); ids in paths follow creation.
    assignments.sort(key=lambda a: (a.plan_id, _natural(a.action.code if a.action else "")))
    reports: dict[int, ActionProgress] = {}
    for report in (
        ActionProgress.objects.filter(
            action_id__in={a.action_id for a in assignments},
            area=area,
            source__code=GOVERNMENT_SOURCE,
        )
        .select_related("period")
        .order_by("period__start", "recorded_at")
    ):
        reports[report.action_id] = report  # ordered by period: the last one wins
    for assignment in assignments:
        action = assignment.action
        if action is None:  # excluded by the filter; narrows the type
            continue
        result[assignment.plan_id].actions.append(
            AreaAction(
                assignment=assignment,
                is_delayed=action.is_delayed(today),
                report=reports.get(action.pk),
            )
        )
    return list(result.values())


# --- narrative texts and list items (docs/dashboards.md, "Texts and items") --------------------


@dataclass(frozen=True)
class Qualitative:
    """What a narrative or list indicator holds instead of figures, for the period, area (and
    the areas below it) and source shown. `withheld`: the reader reads a release, which carries
    no text and no item, so they are not shown (docs/publishing.md, "Who reads what")."""

    texts: list[DataValue] = field(default_factory=list)
    items: list[ListItem] = field(default_factory=list)
    withheld: bool = False


NO_QUALITATIVE = Qualitative()


def indicator_qualitative(
    indicator: Indicator, *, reading: Reading, period_code: str, area: Area, source_code: str
) -> Qualitative:
    """A narrative indicator's texts, newest first, or a list indicator's items, newest first;
    nothing for the other kinds. One query (none for other kinds, or for a release's reader).

    The indicator was let through `indicator_for_viewer` (restricted ones and civil society's
    drafts answer 404 before), and the fact table holds approved and published figures only
    (reporting copies a submission's values in when it is approved or published)."""
    if indicator.kind not in (IndicatorKind.NARRATIVE, IndicatorKind.LIST):
        return NO_QUALITATIVE
    if not reading.detail:
        return Qualitative(withheld=True)
    within = written_within(period_code=period_code, area=area, source_code=source_code)
    if indicator.kind == IndicatorKind.NARRATIVE:
        texts = list(
            DataValue.objects.filter(within, indicator=indicator)
            .exclude(text_value="")
            .select_related("period", "area", "source")
            .order_by("-period__start", "-updated_at", "area__path", "pk")
        )
        return Qualitative(texts=texts)
    items = list(
        ListItem.objects.filter(within, indicator=indicator)
        .select_related("period", "area", "source")
        .order_by(F("date").desc(nulls_last=True), "-period__start", "title", "pk")
    )
    return Qualitative(items=items)
