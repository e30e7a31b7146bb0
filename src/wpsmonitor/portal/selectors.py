"""Reads the portal needs beyond the aggregate selectors: which plans a visitor may see, and the
plan facts. Every function runs a fixed number of queries, whatever the size of the data."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from wpsmonitor.core.names import localized_name
from wpsmonitor.core.periods import PeriodType, parse_period, periods_between
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.aggregation import ALL_PERIODS, period_sort_key
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    AggregateRun,
    AggregateValue,
    Indicator,
    NodeProgress,
    SchemeDimension,
    Source,
    SourceKind,
)
from wpsmonitor.indicators.selectors import EMPTY, CrossTab, DimensionInfo, Figure
from wpsmonitor.plans.models import Plan, PlanStatus

User = AbstractBaseUser | AnonymousUser


def can_see_drafts(user: User) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_staff", False))


def visible_plans(user: User) -> QuerySet[Plan]:
    """Plans the public may read: all but drafts, which only staff see."""
    plans = Plan.objects.all()
    if not can_see_drafts(user):
        plans = plans.exclude(status=PlanStatus.DRAFT)
    return plans


def plan_for_viewer(user: User, code: str) -> Plan:
    """The plan with this code, or 404 when it does not exist or the viewer may not see it.

    A hidden draft answers 404, not 403, so its existence does not leak.
    """
    plan = (
        visible_plans(user)
        .select_related("area", "area__level", "lead_organisation", "parent")
        .filter(code=code)
        .first()
    )
    if plan is None:
        raise Http404("No such plan")
    if (
        plan.parent is not None
        and plan.parent.status == PlanStatus.DRAFT
        and not can_see_drafts(user)
    ):
        plan.parent = None  # do not link to a parent the viewer cannot open
    return plan


def child_plans(user: User, plan: Plan) -> list[Plan]:
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


def plans_by_country(user: User) -> list[CountryGroup]:
    """Visible plans grouped by the country at the top of each plan's area (two queries).

    Local and institutional plans sit under their country, not under the province.
    """
    plans = list(
        visible_plans(user)
        .select_related("area", "lead_organisation", "parent")
        .order_by("start", "title")
    )
    hide_drafts = not can_see_drafts(user)
    for plan in plans:
        if hide_drafts and plan.parent is not None and plan.parent.status == PlanStatus.DRAFT:
            plan.parent = None
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


def indicator_for_viewer(plan: Plan, code: str) -> Indicator:
    indicator = (
        Indicator.objects.select_related(
            "node", "node__level", "scheme", "responsible_organisation", "share_of", "share_option"
        )
        .filter(plan=plan, code=code)
        .first()
    )
    if indicator is None:
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


def indicator_sources_compare(
    *, indicator: Indicator, area: Area, period_type: str, sources: list[Source]
) -> SourceComparison | None:
    """Official and civil-society figures side by side, per period of the indicator's
    frequency (and the whole plan), for the sources that reported. None unless the
    government and at least one other source both have figures. One query."""
    rows = AggregateValue.objects.filter(indicator=indicator, area=area, cell_key="").values_list(
        "period_code", "source_id", "value"
    )
    by_period: dict[str, dict[int, float | None]] = {}
    source_ids: set[int] = set()
    for code, source_id, value in rows:
        if code != ALL_PERIODS and parse_period(code).type != period_type:
            continue
        by_period.setdefault(code, {})[source_id] = value
        source_ids.add(source_id)
    reporting = [s for s in sources if s.pk in source_ids]
    if len(reporting) < 2 or reporting[0].code != GOVERNMENT_SOURCE:
        return None
    ordered = sorted(by_period, key=period_sort_key)
    return SourceComparison(
        sources=reporting,
        rows=[(code, [by_period[code].get(s.pk) for s in reporting]) for code in ordered],
    )


def plan_filter_periods(plan: Plan) -> list[str]:
    """The whole plan, and the years and quarters of the plan's period that have figures.

    indicators.selectors.plan_periods reads every plan-level progress row (290 ms for a plan
    with 100,000 values on SQLite); here the candidates come from the plan's dates, so one
    index lookup per candidate on (plan, period_code, area) answers. Every period with data
    anywhere has a row at the plan's own area, because areas roll up to it.
    """
    candidates = [
        *periods_between(PeriodType.YEAR, plan.start, plan.end),
        *periods_between(PeriodType.QUARTER, plan.start, plan.end),
    ]
    found = set(
        NodeProgress.objects.filter(
            plan=plan, period_code__in=candidates, area_id=plan.area_id, node__isnull=True
        )
        .values_list("period_code", flat=True)
        .distinct()
    )
    return [ALL_PERIODS, *sorted(found, key=period_sort_key)]


def indicator_margins(
    *, indicator: Indicator, period_code: str, area: Area, source_code: str
) -> CrossTab:
    """The indicator's total and one-dimension margins, straight from the aggregate table.

    Two queries whatever the number of values. indicators.selectors.indicator_table adds the
    full cells but computes them from the raw values (about 0.7 s for one indicator of the
    2,000,000-value benchmark plan), so the page asks for it only on request.
    """
    dimensions = [
        DimensionInfo(
            code=sd.dimension.code,
            name=localized_name(sd.dimension.name),
            options=tuple((o.code, localized_name(o.name)) for o in sd.dimension.options.all()),
        )
        for sd in SchemeDimension.objects.filter(scheme_id=indicator.scheme_id)
        .select_related("dimension")
        .prefetch_related("dimension__options")
        .order_by("order")
    ]
    stored = {
        row["cell_key"]: Figure(
            value=row["value"],
            numerator=row["numerator"],
            denominator=row["denominator"],
            baseline=row["baseline"],
            target=row["target"],
            achievement=row["achievement"],
            count=row["value_count"],
        )
        for row in AggregateValue.objects.filter(
            indicator=indicator,
            area=area,
            source__code=source_code,
            period_code=period_code,
        ).values(
            "cell_key",
            "value",
            "numerator",
            "denominator",
            "baseline",
            "target",
            "achievement",
            "value_count",
        )
    }
    return CrossTab(
        indicator=indicator,
        period_code=period_code,
        area_id=area.pk,
        source_code=source_code,
        dimensions=tuple(dimensions),
        margins={key: figure for key, figure in stored.items() if key},
        total=stored.get("", EMPTY),
    )
