"""The civil-society scorecard, in the manner of the GNWP/Cordaid 1325 Civil Society Scorecard.

For each civil-society source that has published figures or action assessments on a plan, per
year, per level (national: the plan's own area; local: the areas below it where the source
reported), per pillar (top-level framework node) and per indicator category (GNWP's groupings:
Participation; Prevention and protection; Promotion; and Other), a score out of 100:

    score = points earned / points possible × 100

Every scored item is worth at most MAX_POINTS (4):

- an **indicator** the source reported for the year at an area: its achievement against the
  target (computations.md §6, direction respected) gives a rating 0 (no progress) … 4 (target
  met), worth as many points. Without a target to measure against it is listed, not scored.
- an **action** the source assessed for the year at an area: implemented 4, partly 2, not
  implemented 0 points; "unknown" is listed and counted, not scored.

The figures are the ones on the page: the source's own published figures from the aggregate
table (never the government's, never merged), its published action assessments
(ActionProgress), the plan's targets and baselines. docs/scorecard.md gives the method with a
worked example; the page repeats it. `select` makes a fixed number of queries whatever the
plan's size; `compute` is a pure function of what `select` read.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.db import models
from django.utils.translation import gettext_lazy as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.translated import Shown, column, language_codes, shown
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import (
    AggregateValue,
    Baseline,
    Direction,
    Indicator,
    IndicatorKind,
    Source,
    SourceKind,
    Target,
    TimeRule,
)
from wpsmonitor.indicators.selectors import Figures
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.reporting.models import ActionAssessment, ActionProgress

MAX_POINTS = 4
NATIONAL = "national"
LOCAL = "local"
LEVELS = (NATIONAL, LOCAL)
# Float noise must not drop an indicator exactly on a band's edge into the band below.
EPSILON = 1e-9


class Category(models.TextChoices):
    """GNWP's grouping of civil-society indicators, and Other for what falls outside it."""

    PARTICIPATION = "participation", _("Participation")
    PREVENTION_PROTECTION = "prevention_protection", _("Prevention and protection")
    PROMOTION = "promotion", _("Promotion")
    OTHER = "other", _("Other themes")


GNWP_VOCABULARY = "gnwp"
# Pillar themes (FrameworkNode.pillar_theme) that fall in one of GNWP's groupings. Relief and
# recovery, coordination and a plan's own themes are in none of them: they are "other".
THEME_CATEGORIES = {
    "participation": Category.PARTICIPATION,
    "prevention": Category.PREVENTION_PROTECTION,
    "protection": Category.PREVENTION_PROTECTION,
    "prevention_protection": Category.PREVENTION_PROTECTION,
    "promotion": Category.PROMOTION,
}


class Rating(models.IntegerChoices):
    """An indicator's category of progress: its points."""

    NO_PROGRESS = 0, _("No progress")
    LIMITED = 1, _("Limited progress (under a third of the way)")
    MODERATE = 2, _("Moderate progress (a third to two thirds)")
    SUBSTANTIAL = 3, _("Substantial progress (two thirds or more)")
    MET = 4, _("Target met")


ACTION_POINTS = {
    ActionAssessment.IMPLEMENTED: 4,
    ActionAssessment.PARTLY: 2,
    ActionAssessment.NOT_IMPLEMENTED: 0,
}


class NotScored(models.TextChoices):
    NO_TARGET = "no_target", _("No target to measure against")
    UNKNOWN = "unknown", _("Assessed as unknown")


class TargetBasis(models.TextChoices):
    YEAR = "year", _("target for the year")
    FINAL = "final", _("latest target of the plan")
    NATIONAL = "national", _("national target")
    YES = "yes", _("yes is the target")


# Figures that are rates or states, not counts: a national target applies in every area.
INTENSIVE_KINDS = {
    IndicatorKind.PERCENTAGE,
    IndicatorKind.SHARE,
    IndicatorKind.YES_NO,
    IndicatorKind.SCALE,
    IndicatorKind.MILESTONE,
}


def rating_for(achievement: float) -> Rating:
    """The band of an achievement (the share of the way from baseline to target)."""
    if achievement >= 1 - EPSILON:
        return Rating.MET
    if achievement <= EPSILON:
        return Rating.NO_PROGRESS
    if achievement * 3 < 1 - EPSILON:
        return Rating.LIMITED
    if achievement * 3 < 2 - EPSILON:
        return Rating.MODERATE
    return Rating.SUBSTANTIAL


def achievement_of(
    *, kind: str, direction: str, value: float, target: float | None, baseline: float | None
) -> float | None:
    """Progress from baseline to target, by the rules of computations.md §6 (the same as the
    aggregation's SQL, so a year's own target gives the stored achievement)."""
    if kind == IndicatorKind.YES_NO:
        return value
    if target is None:
        return None
    if direction == Direction.MAINTAIN:
        if value >= target:
            return 1.0
        return value / target if target else None
    if direction == Direction.DECREASE:
        if baseline is None or target == baseline:
            return None
        return (value - baseline) / (target - baseline)
    start = baseline or 0.0
    if target == start:
        return None
    return (value - start) / (target - start)


# --- what is read -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pillar:
    id: int
    code: str
    title: str
    theme: str
    order: int
    # The title as the reader reads it, with its language (core/translated.py): `title` is its
    # text.
    title_shown: Shown | None = None


@dataclass(frozen=True)
class ActionRef:
    id: int
    code: str
    title: str
    pillar_id: int
    title_shown: Shown | None = None


@dataclass(frozen=True)
class TargetRow:
    period_code: str
    end: date
    value: float


@dataclass
class Selected:
    """Everything the computation needs, read in a fixed number of queries."""

    plan_area: Area
    years: list[str]
    sources: list[Source]
    indicators: dict[int, Indicator]
    gnwp: dict[int, str]  # indicator id -> GNWP grouping of its reference
    pillars: dict[int, Pillar]
    node_pillar: dict[int, int]  # framework node id -> its pillar's id
    actions: dict[int, ActionRef]
    areas: dict[int, Area]
    # (indicator, area, source, year, value): the source's totals at each area
    values: list[tuple[int, int, int, str, float]]
    # (indicator, area, source, year) of the totals a release suppresses (none in the detail)
    suppressed: list[tuple[int, int, int, str]]
    targets: dict[tuple[int, int], list[TargetRow]]  # (indicator, area), total cell
    baselines: dict[tuple[int, int], float]  # (indicator, area), total cell
    # (action, area, source, period code, period end, assessment)
    assessments: list[tuple[int, int, int, str, date, str]]
    original_language: str = "en"  # the plan's: its texts fall back to it (core/translated.py)


def _reference_value(
    value: float | None, numerator: float | None, denominator: float | None, factor: float
) -> float | None:
    """As the aggregation reads a target or baseline: its value, or numerator / denominator
    × factor."""
    if value is not None:
        return value
    if numerator is not None and denominator:
        return numerator / denominator * factor
    return None


def select(
    access: PlanAccess, figures: Figures = None, years: Sequence[str] | None = None
) -> Selected:
    """Read what the scorecard of the plan needs, as the user may see it (nine queries): the
    source's figures from the aggregates, or from the plan's published release (`figures`, for
    those who do not see the detail), where a suppressed figure has no value and is not scored.

    `years`: read only the figures of these years (of the plan's; a report scores the years
    it covers, and on a big plan the figures are most of the time); None, every year. Only
    the figures are narrowed: the actions' assessments are read for every year, and
    `Selected.years` stays the plan's."""
    plan = access.plan
    plan_years = [str(y) for y in range(plan.start.year, plan.end.year + 1)]
    sources = list(
        Source.objects.filter(kind=SourceKind.CIVIL_SOCIETY).select_related("organisation")
    )
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(plan=plan)
        .exclude(kind=IndicatorKind.NARRATIVE)
        .exclude(access.hidden_indicators())
        .select_related("node")
    }
    gnwp = _gnwp_categories(indicators)
    pillars, node_pillar, actions = _framework(plan)
    source_ids = [s.pk for s in sources]
    table = AggregateValue.objects.all() if figures is None else figures
    shown = models.Q(value__isnull=False)
    rows = table.filter(
        # A release's suppressed totals are read too, without their (absent) value: they say
        # where the source reported (`_where_measured`), and are neither listed nor scored.
        shown if figures is None else shown | ~models.Q(flag=""),
        indicator_id__in=list(indicators),
        source_id__in=source_ids,
        cell_key="",
        period_code__in=plan_years if years is None else [y for y in years if y in plan_years],
    ).values_list("indicator_id", "area_id", "source_id", "period_code", "value")
    values = []
    suppressed = []
    for ind, area, src, year, value in rows:
        if value is None:
            suppressed.append((ind, area, src, year))
        else:
            values.append((ind, area, src, year, float(value)))
    factors = {pk: i.factor for pk, i in indicators.items()}
    targets = _targets(factors)
    baselines = _baselines(factors)
    assessments = list(
        ActionProgress.objects.filter(
            action__plan=plan,
            source_id__in=source_ids,
            period__start__gte=date(plan.start.year, 1, 1),
            period__end__lte=date(plan.end.year, 12, 31),
        )
        .exclude(assessment="")
        .values_list(
            "action_id", "area_id", "source_id", "period__code", "period__end", "assessment"
        )
    )
    area_ids = (
        {v[1] for v in values}
        | {v[1] for v in suppressed}
        | {a[1] for a in assessments}
        | {plan.area_id}
    )
    areas = Area.objects.select_related("level").in_bulk(area_ids)
    return Selected(
        plan_area=plan.area,
        years=plan_years,
        sources=sources,
        indicators=indicators,
        gnwp=gnwp,
        pillars=pillars,
        node_pillar=node_pillar,
        actions=actions,
        areas=areas,
        values=values,
        suppressed=suppressed,
        targets=targets,
        baselines=baselines,
        assessments=assessments,
        original_language=plan.original_language,
    )


def _gnwp_categories(indicators: dict[int, Indicator]) -> dict[int, str]:
    """Each indicator's GNWP grouping, from the first (by code) of its GNWP references that
    falls in one (one query)."""
    gnwp: dict[int, str] = {}
    for indicator_id, theme in (
        Indicator.references.through.objects.filter(
            indicator_id__in=list(indicators), globalindicator__vocabulary=GNWP_VOCABULARY
        )
        .order_by("globalindicator__code")
        .values_list("indicator_id", "globalindicator__pillar")
    ):
        if theme in THEME_CATEGORIES:
            gnwp.setdefault(indicator_id, THEME_CATEGORIES[theme])
    return gnwp


def _framework(plan: Plan) -> tuple[dict[int, Pillar], dict[int, int], dict[int, ActionRef]]:
    """The pillars, each node's pillar, and the actions (one query), their titles in the
    reader's language or the plan's original one (core/translated.py)."""
    pillars: dict[int, Pillar] = {}
    node_pillar: dict[int, int] = {}
    actions: dict[int, ActionRef] = {}
    title_columns = [column("title", code) for code in language_codes()]
    nodes = FrameworkNode.objects.filter(plan=plan).values_list(
        "id",
        "parent_id",
        "code",
        "path",
        "pillar_theme",
        "order",
        "level__holds_actions",
        *title_columns,
    )
    for pk, parent_id, code, path, theme, order, holds_actions, *titles in nodes:
        top = int(path.strip("/").split("/")[0]) if path.strip("/") else pk
        node_pillar[pk] = top
        title = shown(
            SimpleNamespace(**dict(zip(title_columns, titles, strict=True))),
            "title",
            original=plan.original_language,
        )
        if parent_id is None:
            pillars[pk] = Pillar(pk, code, title.text, theme, order, title)
        if holds_actions:
            actions[pk] = ActionRef(pk, code, title.text, top, title)
    return pillars, node_pillar, actions


def _targets(factors: dict[int, float]) -> dict[tuple[int, int], list[TargetRow]]:
    """The indicators' total-cell targets by (indicator, area) (one query); `factors` by
    indicator id."""
    targets: dict[tuple[int, int], list[TargetRow]] = defaultdict(list)
    for ind, area, code, end, value, num, den in Target.objects.filter(
        indicator_id__in=list(factors), cell__code="total"
    ).values_list(
        "indicator_id",
        "area_id",
        "period__code",
        "period__end",
        "value",
        "numerator",
        "denominator",
    ):
        found = _reference_value(value, num, den, factors[ind])
        if found is not None:
            targets[(ind, area)].append(TargetRow(code, end, found))
    return dict(targets)


def _baselines(factors: dict[int, float]) -> dict[tuple[int, int], float]:
    """The indicators' total-cell baselines by (indicator, area) (one query)."""
    baselines: dict[tuple[int, int], float] = {}
    for ind, area, value, num, den in Baseline.objects.filter(
        indicator_id__in=list(factors), cell__code="total"
    ).values_list("indicator_id", "area_id", "value", "numerator", "denominator"):
        found = _reference_value(value, num, den, factors[ind])
        if found is not None:
            baselines[(ind, area)] = found
    return baselines


# --- what is computed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One scored (or listed but unscored) thing: an indicator or an action, for a source, a
    year and an area. Everything needed to check its points by hand is here."""

    source_id: int
    year: str
    level: str
    area: Area
    pillar: Pillar | None
    category: str
    kind: str  # "indicator" or "action"
    code: str
    title: str
    indicator: Indicator | None = None
    # The title as the reader reads it, with its language (core/translated.py): `title` is its
    # text.
    title_shown: Shown | None = None
    value: float | None = None
    baseline: float | None = None
    target: float | None = None
    target_basis: str = ""
    target_period: str = ""
    achievement: float | None = None
    assessment: str = ""
    period_code: str = ""  # the period of the assessment that counted
    rating: int | None = None
    points: int | None = None  # None: listed, not scored
    not_scored: str = ""
    unpublished: bool = False  # an own indicator only its organisation sees yet

    @property
    def maximum(self) -> int:
        return 0 if self.points is None else MAX_POINTS

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label)

    @property
    def rating_label(self) -> str:
        return "" if self.rating is None else str(Rating(self.rating).label)

    @property
    def assessment_label(self) -> str:
        return str(ActionAssessment(self.assessment).label) if self.assessment else ""

    @property
    def target_basis_label(self) -> str:
        return str(TargetBasis(self.target_basis).label) if self.target_basis else ""

    @property
    def not_scored_label(self) -> str:
        return str(NotScored(self.not_scored).label) if self.not_scored else ""


@dataclass
class Score:
    points: int = 0
    maximum: int = 0
    indicators: int = 0  # scored
    actions: int = 0  # scored
    no_target: int = 0  # indicators listed without a target
    unknown: int = 0  # actions assessed "unknown"

    def add(self, item: Item) -> None:
        if item.points is None:
            if item.not_scored == NotScored.UNKNOWN:
                self.unknown += 1
            else:
                self.no_target += 1
            return
        self.points += item.points
        self.maximum += MAX_POINTS
        if item.kind == "indicator":
            self.indicators += 1
        else:
            self.actions += 1

    @property
    def ratio(self) -> float | None:
        """Points over the maximum (0..1); None when nothing was scored."""
        return self.points / self.maximum if self.maximum else None

    @property
    def percent(self) -> float | None:
        return None if self.ratio is None else self.ratio * 100

    @property
    def shown_ratio(self) -> float | None:
        """The ratio of the whole percentage shown on the page, rounded half up (62.5 → 63),
        as one would by hand; the downloads and the API give the exact figure."""
        if self.percent is None:
            return None
        return math.floor(self.percent + 0.5) / 100

    @property
    def unscored(self) -> int:
        return self.no_target + self.unknown

    @property
    def has_items(self) -> bool:
        return bool(self.maximum or self.unscored)


def _scores(items: Iterable[Item], years: Sequence[str]) -> dict[str, Score]:
    found = {year: Score() for year in years}
    for item in items:
        found[item.year].add(item)
    return found


@dataclass(frozen=True)
class Row:
    """A line of the score tables: a pillar, a category or an area, with a score per year."""

    key: str
    label: str
    scores: dict[str, Score]
    code: str = ""
    category: str = ""
    children: tuple[Row, ...] = ()  # a pillar's categories
    label_shown: Shown | None = None  # a pillar's title, with its language

    def score_list(self, years: Sequence[str]) -> list[Score]:
        return [self.scores[y] for y in years]


@dataclass(frozen=True)
class LevelCard:
    level: str
    pillars: tuple[Row, ...]
    categories: tuple[Row, ...]
    total: Row
    areas: tuple[Row, ...]  # local level: one row per area where the source reported

    @property
    def label(self) -> str:
        return str(LEVEL_LABELS[self.level])

    @property
    def has_items(self) -> bool:
        return any(s.has_items for s in self.total.scores.values())


LEVEL_LABELS = {NATIONAL: _("National level"), LOCAL: _("Local level")}


@dataclass(frozen=True)
class SourceCard:
    source: Source
    years: tuple[str, ...]
    levels: tuple[LevelCard, ...]
    items: tuple[Item, ...]

    def level(self, level: str) -> LevelCard:
        return next(card for card in self.levels if card.level == level)


@dataclass(frozen=True)
class Scorecard:
    sources: tuple[Source, ...]  # every civil-society source with published data on the plan
    cards: tuple[SourceCard, ...]  # the scorecards built (all, or the one asked for)

    def card(self, source_code: str) -> SourceCard | None:
        return next((c for c in self.cards if c.source.code == source_code), None)


def category_of(selected: Selected, indicator: Indicator) -> str:
    """Its GNWP reference's grouping, else its pillar's theme's, else Other."""
    if indicator.pk in selected.gnwp:
        return selected.gnwp[indicator.pk]
    pillar = selected.pillars.get(selected.node_pillar.get(indicator.node_id, 0))
    return _pillar_category(pillar)


def _pillar_category(pillar: Pillar | None) -> str:
    if pillar is None:
        return Category.OTHER
    return THEME_CATEGORIES.get(pillar.theme, Category.OTHER)


def _pick_target(
    rows: list[TargetRow], year: str, level_figure: bool
) -> tuple[TargetRow | None, str]:
    for row in rows:
        if row.period_code == year:
            return row, TargetBasis.YEAR
    if level_figure and rows:
        # A level (a share, a state, a last value) is measured against the plan's latest
        # target when its year has none, as for the whole plan to date (computations.md §6);
        # a flow (summed over the year) only ever against a target for that same year.
        return max(rows, key=lambda r: r.end), TargetBasis.FINAL
    return None, ""


def _indicator_item(
    selected: Selected, indicator: Indicator, area: Area, source_id: int, year: str, value: float
) -> Item:
    level = NATIONAL if area.pk == selected.plan_area.pk else LOCAL
    level_figure = indicator.time_rule not in (TimeRule.SUM, TimeRule.AVERAGE)
    own = selected.targets.get((indicator.pk, area.pk), [])
    target, basis = _pick_target(own, year, level_figure)
    baseline = selected.baselines.get((indicator.pk, area.pk))
    if target is None and level == LOCAL and indicator.kind in INTENSIVE_KINDS:
        # A rate or a state: the country's target applies in each province (a count's does not:
        # a province is not expected to train the whole country's police).
        national = selected.targets.get((indicator.pk, selected.plan_area.pk), [])
        target, _basis = _pick_target(national, year, level_figure)
        if target is not None:
            basis = TargetBasis.NATIONAL
            baseline = selected.baselines.get((indicator.pk, selected.plan_area.pk))
    achievement = achievement_of(
        kind=indicator.kind,
        direction=indicator.direction,
        value=value,
        target=target.value if target else None,
        baseline=baseline,
    )
    if indicator.kind == IndicatorKind.YES_NO:
        basis = TargetBasis.YES
    pillar = selected.pillars.get(selected.node_pillar.get(indicator.node_id, 0))
    rating = None if achievement is None else rating_for(achievement)
    title = shown(indicator, "title", original=selected.original_language)
    return Item(
        source_id=source_id,
        year=year,
        level=level,
        area=area,
        pillar=pillar,
        category=category_of(selected, indicator),
        kind="indicator",
        code=indicator.code,
        title=title.text,
        indicator=indicator,
        title_shown=title,
        value=value,
        baseline=baseline,
        target=target.value if target else None,
        target_basis=basis if achievement is not None else "",
        target_period=target.period_code if target and achievement is not None else "",
        achievement=achievement,
        rating=None if rating is None else int(rating),
        points=None if rating is None else int(rating),
        not_scored=NotScored.NO_TARGET if rating is None else "",
        unpublished=indicator.owner_organisation_id is not None and indicator.published_at is None,
    )


def _where_measured(
    selected: Selected, rows: list[tuple[int, int, int, str, float]]
) -> list[tuple[int, int, int, str, float]]:
    """The rows at the areas where the source measured, not the sums above them.

    An area's figure includes the areas below it (computations.md §3): a coalition that
    reported in two provinces has a national figure that is their sum, which would be scored
    against the national target as if the coalition had measured the whole country. So a row
    is left out when the same source has a row for the same indicator and year at an area
    directly below it.
    """
    plan_path = selected.plan_area.path
    inside = [
        r
        for r in rows
        if r[1] in selected.areas and selected.areas[r[1]].path.startswith(plan_path)
    ]
    # A total the release suppresses was reported all the same: the area above is still a sum.
    reported = [r[:4] for r in inside] + [r for r in selected.suppressed if r[1] in selected.areas]
    parents = {
        (ind, selected.areas[area].parent_id, src, year) for ind, area, src, year in reported
    }
    return [r for r in inside if (r[0], r[1], r[2], r[3]) not in parents]


def _action_items(selected: Selected, source_id: int) -> list[Item]:
    """The latest assessment of each action in each year and area: a monitor's latest
    judgement replaces their earlier ones of the same year."""
    latest: dict[tuple[int, int, str], tuple[date, str, str]] = {}
    plan_path = selected.plan_area.path
    for action_id, area_id, src, period_code, end, assessment in selected.assessments:
        area = selected.areas.get(area_id)
        if src != source_id or action_id not in selected.actions or area is None:
            continue
        if not area.path.startswith(plan_path):
            continue
        key = (action_id, area_id, str(end.year))
        if key not in latest or latest[key][0] < end:
            latest[key] = (end, period_code, assessment)
    items = []
    for (action_id, area_id, year), (_end, period_code, assessment) in latest.items():
        action = selected.actions[action_id]
        area = selected.areas[area_id]
        pillar = selected.pillars.get(action.pillar_id)
        points = ACTION_POINTS.get(assessment)  # type: ignore[call-overload]
        items.append(
            Item(
                source_id=source_id,
                year=year,
                level=NATIONAL if area.pk == selected.plan_area.pk else LOCAL,
                area=area,
                pillar=pillar,
                category=_pillar_category(pillar),
                kind="action",
                code=action.code,
                title=action.title,
                title_shown=action.title_shown,
                assessment=assessment,
                period_code=period_code,
                points=points,
                not_scored="" if points is not None else NotScored.UNKNOWN,
            )
        )
    return items


def _level_card(
    level: str, items: list[Item], years: Sequence[str], pillars: Sequence[Pillar]
) -> LevelCard:
    mine = [i for i in items if i.level == level]
    # One pass to group, so the cost grows with the items, not items × areas.
    by_pillar: dict[int, list[Item]] = defaultdict(list)
    by_pillar_category: dict[tuple[int, str], list[Item]] = defaultdict(list)
    by_category: dict[str, list[Item]] = defaultdict(list)
    by_area: dict[int, list[Item]] = defaultdict(list)
    for item in mine:
        if item.pillar is not None:
            by_pillar[item.pillar.id].append(item)
            by_pillar_category[(item.pillar.id, item.category)].append(item)
        by_category[item.category].append(item)
        by_area[item.area.pk].append(item)
    pillar_rows = tuple(
        Row(
            key=pillar.code,
            code=pillar.code,
            label=pillar.title,
            label_shown=pillar.title_shown,
            category=_pillar_category(pillar),
            scores=_scores(by_pillar[pillar.id], years),
            children=tuple(
                Row(
                    key=f"{pillar.code}:{category.value}",
                    label=str(category.label),
                    category=category.value,
                    scores=_scores(by_pillar_category[(pillar.id, category)], years),
                )
                for category in Category
                if (pillar.id, category) in by_pillar_category
            ),
        )
        for pillar in pillars
    )
    categories = tuple(
        Row(
            key=category.value,
            label=str(category.label),
            category=category.value,
            scores=_scores(by_category.get(category, []), years),
        )
        for category in Category
        # GNWP's three groupings always show, empty or not: a gap in the monitoring is news.
        if category != Category.OTHER or category in by_category
    )
    areas = sorted({i.area.pk: i.area for i in mine}.values(), key=lambda a: a.path)
    area_rows = tuple(
        Row(key=area.code, code=area.code, label=area.name, scores=_scores(by_area[area.pk], years))
        for area in areas
    )
    total = Row(key="total", label=str(_("All pillars")), scores=_scores(mine, years))
    return LevelCard(
        level=level,
        pillars=pillar_rows,
        categories=categories,
        total=total,
        areas=area_rows if level == LOCAL else (),
    )


def _item_order(item: Item) -> tuple[object, ...]:
    return (
        item.year,
        LEVELS.index(item.level),
        item.pillar.order if item.pillar else 0,
        item.pillar.code if item.pillar else "",
        item.kind != "indicator",
        item.code,
        item.area.path,
    )


def compute(selected: Selected, source_code: str | None = None) -> Scorecard:
    """The scorecard of the civil-society sources with published data on the plan: all of
    them (source_code None), or the one with that code (the first when none has it)."""
    measured = _where_measured(selected, selected.values)
    owners = {s.pk: s.organisation_id for s in selected.sources}
    rows: dict[int, list[tuple[int, int, int, str, float]]] = defaultdict(list)
    for row in measured:
        owner = selected.indicators[row[0]].owner_organisation_id
        # An organisation's own indicator counts for its own stream only.
        if owner is None or owner == owners.get(row[2]):
            rows[row[2]].append(row)
    plan_path = selected.plan_area.path
    assessed = {
        src
        for action_id, area_id, src, *_rest in selected.assessments
        if action_id in selected.actions
        and area_id in selected.areas
        and selected.areas[area_id].path.startswith(plan_path)
    }
    # A source with nothing published has no scorecard.
    with_data = tuple(s for s in selected.sources if s.pk in rows or s.pk in assessed)
    wanted = with_data
    if source_code is not None:
        chosen = [s for s in with_data if s.code == source_code] or list(with_data[:1])
        wanted = tuple(chosen)
    pillars = sorted(selected.pillars.values(), key=lambda p: (p.order, p.code))
    cards = []
    for source in wanted:
        items = [
            _indicator_item(
                selected, selected.indicators[ind], selected.areas[area_id], src, year, value
            )
            for ind, area_id, src, year, value in rows.get(source.pk, [])
        ]
        items += _action_items(selected, source.pk)
        last = max(i.year for i in items)
        years = [y for y in selected.years if y <= last]
        items.sort(key=_item_order)
        cards.append(
            SourceCard(
                source=source,
                years=tuple(years),
                levels=tuple(_level_card(level, items, years, pillars) for level in LEVELS),
                items=tuple(items),
            )
        )
    return Scorecard(sources=with_data, cards=tuple(cards))


def plan_scorecard(
    access: PlanAccess,
    source_code: str | None = None,
    figures: Figures = None,
    years: Sequence[str] | None = None,
) -> Scorecard:
    """The plan's scorecard (`compute`) from the figures of `years` only (`select`), or of
    every year with None."""
    return compute(select(access, figures, years), source_code)
