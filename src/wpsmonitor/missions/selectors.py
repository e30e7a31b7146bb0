"""Reads of UN missions (docs/missions.md), and the two computations: each phase's benchmark
progress (met out of all), and each watched indicator's figures in the phase's area before and
after its handover.

Before and after: the indicator's periods of its own frequency (quarters for a quarterly
indicator) that end before the handover date, the last WINDOW of them, against those that
start on or after it, the first WINDOW of them; the period holding the handover itself is in
neither. Each side is the mean of its periods' values (a count's mean is the count per period,
so two sides with a different number of periods still compare). A side with any figure hidden
by disclosure control has no mean: it would be computed from part of the figures only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import Viewer
from wpsmonitor.core.errors import NotFound
from wpsmonitor.core.periods import parse_period
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.aggregation import ALL_PERIODS, period_sort_key
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE
from wpsmonitor.indicators.selectors import (
    Figures,
    SeriesPoint,
    figure_from_row,
    figure_rows,
    hidden_indicators_for,
)
from wpsmonitor.missions.models import (
    Benchmark,
    BenchmarkStatus,
    BenchmarkUpdate,
    MandateResolution,
    TransitionPhase,
    TransitionPlan,
    UNMission,
    WatchedIndicator,
    WpsProvision,
)
from wpsmonitor.plans.models import Plan

WINDOW = 4


def missions_of(plan: Plan) -> QuerySet[UNMission]:
    return (
        UNMission.objects.filter(plan=plan)
        .annotate(mandate_count=Count("mandates", distinct=True))
        .order_by("acronym", "pk")
    )


def mission_of(plan: Plan, pk: int) -> UNMission:
    found = UNMission.objects.filter(plan=plan, pk=pk).select_related("plan").first()
    if found is None:
        raise NotFound(_("No such UN mission."))
    return found


def mandates_of(mission: UNMission) -> list[MandateResolution]:
    """The mission's resolutions, oldest first, each with its provisions (two queries)."""
    return list(
        mission.mandates.order_by("adopted_on", "pk").prefetch_related(
            Prefetch("provisions", queryset=WpsProvision.objects.order_by("category", "pk"))
        )
    )


def plan_mandates(plan: Plan) -> list[MandateResolution]:
    return list(
        MandateResolution.objects.filter(mission__plan=plan)
        .select_related("mission")
        .order_by("mission__acronym", "adopted_on", "pk")
        .prefetch_related(
            Prefetch("provisions", queryset=WpsProvision.objects.order_by("category", "pk"))
        )
    )


def resolution_of(mission: UNMission, pk: int) -> MandateResolution:
    found = mission.mandates.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such mandate resolution."))
    return found


def provision_of(resolution: MandateResolution, pk: int) -> WpsProvision:
    found = resolution.provisions.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such WPS provision."))
    return found


def watch_of(transition: TransitionPlan, pk: int) -> WatchedIndicator:
    found = (
        WatchedIndicator.objects.filter(phase__transition=transition, pk=pk)
        .select_related("phase", "indicator")
        .first()
    )
    if found is None:
        raise NotFound(_("No such watched indicator."))
    return found


def transition_of(mission: UNMission) -> TransitionPlan | None:
    return TransitionPlan.objects.filter(mission=mission).first()


def phase_of(transition: TransitionPlan, pk: int) -> TransitionPhase:
    found = transition.phases.filter(pk=pk).select_related("area").first()
    if found is None:
        raise NotFound(_("No such transition phase."))
    return found


def benchmark_of(mission: UNMission, pk: int) -> Benchmark:
    found = (
        Benchmark.objects.filter(phase__transition__mission=mission, pk=pk)
        .select_related("phase", "phase__area", "area")
        .first()
    )
    if found is None:
        raise NotFound(_("No such benchmark."))
    return found


def history_of(benchmark: Benchmark) -> QuerySet[BenchmarkUpdate]:
    return benchmark.updates.order_by("on", "pk")


def updates_of(transition: TransitionPlan) -> QuerySet[BenchmarkUpdate]:
    """Every status update of the plan's benchmarks, oldest first (one query)."""
    return BenchmarkUpdate.objects.filter(benchmark__phase__transition=transition).order_by(
        "benchmark_id", "on", "pk"
    )


# --- benchmark progress ---------------------------------------------------------------------


@dataclass
class PhaseProgress:
    phase: TransitionPhase
    benchmarks: list[Benchmark] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.benchmarks)

    @property
    def met(self) -> int:
        return sum(1 for b in self.benchmarks if b.status == BenchmarkStatus.MET)

    @property
    def share(self) -> float | None:
        """Benchmarks met out of all the phase's; None for a phase without benchmarks."""
        return self.met / self.total if self.total else None


@dataclass
class TransitionTable:
    """The phases × areas table: per phase its progress, per (phase, area) its benchmarks."""

    phases: list[PhaseProgress]
    areas: list[Area]

    def cell(self, phase: TransitionPhase, area: Area) -> list[Benchmark]:
        for p in self.phases:
            if p.phase.pk == phase.pk:
                return [b for b in p.benchmarks if b.area_id == area.pk]
        return []

    @property
    def rows(self) -> list[tuple[PhaseProgress, list[list[Benchmark]]]]:
        return [(p, [self.cell(p.phase, a) for a in self.areas]) for p in self.phases]


def progress(transition: TransitionPlan) -> TransitionTable:
    """Each phase with its benchmarks and met / total, and the areas they are in (two
    queries)."""
    phases = {
        p.pk: PhaseProgress(phase=p)
        for p in transition.phases.select_related("area").order_by("number")
    }
    areas: dict[int, Area] = {}
    for b in (
        Benchmark.objects.filter(phase__transition=transition)
        .select_related("area")
        .order_by("phase__number", "area__name", "pk")
    ):
        phases[b.phase_id].benchmarks.append(b)
        areas.setdefault(b.area_id, b.area)
    ordered = sorted(areas.values(), key=lambda a: (a.path, a.name))
    return TransitionTable(phases=list(phases.values()), areas=ordered)


# --- removals (docs/missions.md, "Editing") ----------------------------------------------


def mission_removal_refused(mission: UNMission) -> str:
    """Why the mission cannot be removed, or "" (the confirmation page says it before asking)."""
    if mission.mandates.exists() or TransitionPlan.objects.filter(mission=mission).exists():
        return _(
            "The mission has mandate resolutions or a transition plan: remove the resolutions "
            "first; a mission with a transition plan is kept (change it instead)."
        )
    return ""


def phase_removal_refused(phase: TransitionPhase) -> str:
    """Why the phase cannot be removed, or ""."""
    if phase.benchmarks.exists():
        return _(
            "The phase has benchmarks: remove them first (a benchmark with a status history "
            "is kept), or change the phase instead."
        )
    return ""


def benchmark_removal_refused(benchmark: Benchmark) -> str:
    """Why the benchmark cannot be removed, or ""."""
    if benchmark.updates.exists():
        return _(
            "The benchmark has a status history: it is the record of the exit and is kept. "
            "Change the benchmark instead."
        )
    return ""


# --- before and after -----------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One side of the handover: its periods' figures, and their mean."""

    points: tuple[SeriesPoint, ...]

    @property
    def hidden(self) -> bool:
        return any(p.figure.flag for p in self.points)

    @property
    def values(self) -> list[float]:
        return [p.figure.value for p in self.points if p.figure.value is not None]

    @property
    def mean(self) -> float | None:
        if self.hidden or not self.values:
            return None
        return sum(self.values) / len(self.values)

    @property
    def periods(self) -> list[str]:
        return [p.period_code for p in self.points]


@dataclass(frozen=True)
class BeforeAfter:
    before: Side
    after: Side

    @property
    def change(self) -> float | None:
        if self.before.mean is None or self.after.mean is None:
            return None
        return self.after.mean - self.before.mean


def before_after(
    points: Sequence[SeriesPoint], handover_on: date, window: int = WINDOW
) -> BeforeAfter:
    """The last `window` periods ending before the handover against the first `window`
    starting on or after it (points in period order; the period holding the date is in
    neither)."""
    before: list[SeriesPoint] = []
    after: list[SeriesPoint] = []
    for p in points:
        period = parse_period(p.period_code)
        if period.end < handover_on:
            before.append(p)
        elif period.start >= handover_on:
            after.append(p)
    return BeforeAfter(
        before=Side(points=tuple(before[-window:] if window else ())),
        after=Side(points=tuple(after[:window])),
    )


@dataclass(frozen=True)
class Watched:
    watched: WatchedIndicator
    comparison: BeforeAfter | None  # None while the phase has no handover date


def watched_of(transition: TransitionPlan, user: Viewer) -> list[WatchedIndicator]:
    """The watched indicators the reader may see (restricted and draft own indicators are
    left out as everywhere: `hidden_indicators_for`)."""
    plan = transition.mission.plan
    hidden = hidden_indicators_for(user, plan)
    return _watched(transition, hidden)


def _watched(transition: TransitionPlan, hidden: Q) -> list[WatchedIndicator]:
    visible = transition.mission.plan.indicators.exclude(hidden).values("pk")
    return list(
        WatchedIndicator.objects.filter(phase__transition=transition, indicator__in=visible)
        .select_related("phase", "phase__area", "indicator", "indicator__plan")
        .order_by("phase__number", "indicator__code")
    )


def watched_hidden_by(transition: TransitionPlan, hidden: Q) -> list[WatchedIndicator]:
    """As `watched_of`, for a caller holding the filter already (the report's `hidden`)."""
    return _watched(transition, hidden)


def compare(rows: list[WatchedIndicator], figures: Figures) -> list[Watched]:
    """Each watched indicator's before and after in its phase's area, read from `figures` (the
    reader's: the detail, or the published release). One query, however many are watched."""
    dated = [w for w in rows if w.phase.handover_on is not None]
    series: dict[tuple[int, int], list[SeriesPoint]] = defaultdict(list)
    if dated:
        table, fields = figure_rows(figures)
        found_rows = table.filter(
            indicator_id__in={w.indicator_id for w in dated},
            area_id__in={w.phase.area_id for w in dated},
            source__code=GOVERNMENT_SOURCE,
            cell_key="",
        ).values("indicator_id", "area_id", "period_code", *fields)
        for row in found_rows:
            if row["period_code"] == ALL_PERIODS:
                continue
            series[(row["indicator_id"], row["area_id"])].append(
                SeriesPoint(period_code=row["period_code"], figure=figure_from_row(row))
            )
    found = []
    for w in rows:
        handover = w.phase.handover_on
        if handover is None:
            found.append(Watched(watched=w, comparison=None))
            continue
        frequency = w.indicator.frequency
        points = sorted(
            (
                p
                for p in series[(w.indicator_id, w.phase.area_id)]
                if not frequency or parse_period(p.period_code).type == frequency
            ),
            key=lambda p: period_sort_key(p.period_code),
        )
        found.append(Watched(watched=w, comparison=before_after(points, handover)))
    return found
