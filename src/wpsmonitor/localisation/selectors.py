"""Reads of localisation (docs/localisation.md): what the local plans contribute to their
national plan (the roll-up), which national outcome each local plan took up with its progress
and budget (the matrix), a local plan's proposals, and the choices of the copy-down form.

Every figure of a local plan is read as its reader reads that plan: `reading_for` of their
rights on the local plan (the detail for its members, its latest release for everyone else),
without the indicators they may not see there (`PlanAccess.hidden_indicators`), and only of the
local plans they may read at all. Nothing here shows a reader what the local plan would not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.directory.models import Area
from wpsmonitor.finance.models import BudgetLine
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, Indicator, IndicatorKind
from wpsmonitor.indicators.reading import FigureReading, ReadingFor
from wpsmonitor.indicators.selectors import (
    EMPTY,
    Figure,
    NodeProgressItem,
    figure_from_row,
    figure_rows,
    plan_progress,
)
from wpsmonitor.plans.models import (
    FrameworkNode,
    LocalisationProposal,
    Plan,
    PlanKind,
    ProposalStatus,
)

LOCAL_KINDS = (PlanKind.LOCAL, PlanKind.INSTITUTIONAL)


@dataclass(frozen=True)
class LocalPlan:
    """A local plan as one reader reads it."""

    plan: Plan
    access: PlanAccess
    reading: FigureReading


def local_plans(
    national: Plan, viewer_access: PlanAccess, reading_for: ReadingFor
) -> list[LocalPlan]:
    """The national plan's local plans this reader may read, by area name."""
    out = []
    for plan in (
        Plan.objects.filter(parent=national, kind__in=LOCAL_KINDS)
        .select_related("area")
        .order_by("area__name", "code")
    ):
        access = PlanAccess(viewer_access.user, plan)
        if access.can_read_plan():
            out.append(LocalPlan(plan, access, reading_for(access)))
    return out


# --- the roll-up ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RollupPeriod:
    period_code: str
    figures: dict[int, Figure]  # by local plan id: what each local plan reported
    national: Figure | None  # built from the local figures (`Indicator.roll_up`), or None
    note: str  # why there is no national figure: "hidden", "incomplete", "" (not asked)
    reported_nationally: Figure  # the national plan's own figure, beside it, never added
    cells: tuple[Figure | None, ...]  # the local figures in the order of `Rollup.plans`


@dataclass(frozen=True)
class IndicatorRollup:
    indicator: Indicator  # the national indicator
    localised_in: dict[int, Indicator]  # local plan id -> its indicator localising it
    periods: tuple[RollupPeriod, ...]
    # Each local plan (in the order of `Rollup.plans`): localised it? reported on it?
    coverage: tuple[tuple[Plan, bool, bool], ...]

    @property
    def reported_in(self) -> set[int]:
        return {
            pid for p in self.periods for pid, f in p.figures.items() if f.has_value or f.suppressed
        }


@dataclass(frozen=True)
class Province:
    area: Area
    plans: tuple[Plan, ...]  # its local plans (a district's plan under its province)


@dataclass
class Rollup:
    plans: list[LocalPlan]
    provinces: list[Province]
    indicators: list[IndicatorRollup] = field(default_factory=list)


def _is_year(code: str) -> bool:
    return len(code) == 4 and code.isdigit()


def _summed(
    indicator: Indicator, contributions: list[tuple[Plan, Figure]]
) -> tuple[Figure | None, str]:
    """The national figure built from the local ones: counts summed, a percentage from the
    sums of its numerators and denominators; none when a local figure is hidden from this
    reader (the sum would give it away) or a percentage lacks its terms. A plan whose area
    lies within another contributing plan's (a district's under its province's) is not added
    twice."""
    if any(f.suppressed for _p, f in contributions):
        return None, "hidden"
    counted = [
        (p, f)
        for p, f in contributions
        if f.has_value
        and not any(
            o is not p and o.area_id != p.area_id and p.area.path.startswith(o.area.path)
            for o, g in contributions
            if g.has_value
        )
    ]
    if not counted:
        return None, ""
    if indicator.kind == IndicatorKind.PERCENTAGE:
        if any(f.numerator is None or f.denominator is None for _p, f in counted):
            return None, "incomplete"
        numerator = sum(f.numerator or 0 for _p, f in counted)
        denominator = sum(f.denominator or 0 for _p, f in counted)
        if not denominator:
            return None, "incomplete"
        return Figure(
            value=numerator / denominator * indicator.factor,
            numerator=numerator,
            denominator=denominator,
            count=len(counted),
        ), ""
    return Figure(value=sum(f.value or 0 for _p, f in counted), count=len(counted)), ""


def rollup(national_access: PlanAccess, reading_for: ReadingFor) -> Rollup:
    """For each national indicator the reader may see, the figures of the local indicators
    that localise it, a year at a time, with the national figure built from them where the
    indicator says so (`Indicator.roll_up`), and the coverage: the provinces with a local plan
    and those that reported."""
    national = national_access.plan
    plans = local_plans(national, national_access, reading_for)
    provinces = [
        Province(area, tuple(lp.plan for lp in plans if lp.plan.area.path.startswith(area.path)))
        for area in Area.objects.filter(parent=national.area).order_by("name")
    ]
    result = Rollup(plans=plans, provinces=provinces)
    indicators = list(
        Indicator.objects.filter(plan=national, owner_organisation__isnull=True)
        .exclude(national_access.hidden_indicators())
        .select_related("node")
        .order_by("order", "code")
    )
    by_national: dict[int, dict[int, Indicator]] = defaultdict(dict)
    values: dict[int, dict[str, dict[int, Figure]]] = defaultdict(lambda: defaultdict(dict))
    for lp in plans:
        local = list(
            Indicator.objects.filter(
                plan=lp.plan, source_indicator__in=[i.pk for i in indicators]
            ).exclude(lp.access.hidden_indicators())
        )
        if not local:
            continue
        for ind in local:
            assert ind.source_indicator_id is not None
            by_national[ind.source_indicator_id][lp.plan.pk] = ind
        rows, columns = figure_rows(lp.reading.figures)
        source = {ind.pk: ind.source_indicator_id or 0 for ind in local}
        for row in rows.filter(
            indicator_id__in=list(source),
            area_id=lp.plan.area_id,
            source__code=GOVERNMENT_SOURCE,
            cell_key="",
        ).values("indicator_id", "period_code", *columns):
            if _is_year(row["period_code"]):
                national_id = source[row["indicator_id"]]
                values[national_id][row["period_code"]][lp.plan.pk] = figure_from_row(row)
    own_rows, own_columns = figure_rows(reading_for(national_access).figures)
    own: dict[tuple[int, str], Figure] = {
        (row["indicator_id"], row["period_code"]): figure_from_row(row)
        for row in own_rows.filter(
            indicator_id__in=list(by_national),
            area_id=national.area_id,
            source__code=GOVERNMENT_SOURCE,
            cell_key="",
        ).values("indicator_id", "period_code", *own_columns)
        if _is_year(row["period_code"])
    }
    plan_by_id = {lp.plan.pk: lp.plan for lp in plans}
    for indicator in indicators:
        if indicator.pk not in by_national:
            continue
        periods = []
        for code in sorted(values[indicator.pk]):
            figures = values[indicator.pk][code]
            national_figure, note = (None, "")
            if indicator.roll_up:
                national_figure, note = _summed(
                    indicator, [(plan_by_id[pid], f) for pid, f in figures.items()]
                )
            periods.append(
                RollupPeriod(
                    period_code=code,
                    figures=figures,
                    national=national_figure,
                    note=note,
                    reported_nationally=own.get((indicator.pk, code), EMPTY),
                    cells=tuple(figures.get(lp.plan.pk) for lp in plans),
                )
            )
        reported = {
            pid for p in periods for pid, f in p.figures.items() if f.has_value or f.suppressed
        }
        localised = by_national[indicator.pk]
        result.indicators.append(
            IndicatorRollup(
                indicator,
                localised,
                tuple(periods),
                tuple((lp.plan, lp.plan.pk in localised, lp.plan.pk in reported) for lp in plans),
            )
        )
    return result


# --- the matrix -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    node: FrameworkNode | None  # the local outcome localising it; None: not taken up
    progress: NodeProgressItem | None
    budget: tuple[tuple[str, Decimal], ...]  # allocated, by currency, of its actions


@dataclass(frozen=True)
class MatrixRow:
    outcome: FrameworkNode
    cells: tuple[MatrixCell, ...]  # in the order of `Matrix.plans`


@dataclass(frozen=True)
class Matrix:
    plans: tuple[Plan, ...]
    rows: tuple[MatrixRow, ...]


def outcome_depth(national: Plan) -> int:
    """The depth of the national plan's outcomes: the second level (the first when the
    framework has only pillars and actions)."""
    depths = sorted(national.levels.filter(holds_actions=False).values_list("depth", flat=True))
    return 2 if len(depths) >= 2 else 1


def matrix(national_access: PlanAccess, reading_for: ReadingFor) -> Matrix:
    """National outcomes × local plans: whether each local plan took the outcome up (a node
    copied from it), its progress as the local plan's readers read it (the mean achievement of
    its indicators, its actions' completion), and the money allocated to its actions."""
    national = national_access.plan
    plans = local_plans(national, national_access, reading_for)
    outcomes = list(
        FrameworkNode.objects.filter(plan=national, level__depth=outcome_depth(national)).order_by(
            "path"
        )
    )
    copies = {
        (n.plan_id, n.source_node_id): n
        for n in FrameworkNode.objects.filter(
            plan__in=[lp.plan for lp in plans], source_node__in=outcomes
        )
    }
    progress: dict[int, NodeProgressItem] = {}
    budgets: dict[int, dict[str, Decimal]] = defaultdict(dict)
    # The money allocated to every action of the local plans, by plan, action and currency, in
    # one query; each taken outcome sums its own actions' (those under its path).
    allocated = (
        BudgetLine.objects.filter(action__plan__in=[lp.plan for lp in plans])
        .values_list("action__plan_id", "action__path", "currency")
        .annotate(total=Sum("allocated"))
        .order_by()
    )
    by_plan: dict[int, list[tuple[str, str, Decimal]]] = defaultdict(list)
    for plan_id, path, currency, total in allocated:
        if total is not None:
            by_plan[plan_id].append((path, currency, total))
    for lp in plans:
        taken = [n for (pid, _s), n in copies.items() if pid == lp.plan.pk]
        if not taken:
            continue
        read = plan_progress(
            plan=lp.plan,
            figures=lp.reading.figures,
            hidden=lp.access.hidden_indicators(),
        )
        for item in read.nodes:
            progress[item.node.pk] = item
        for node in taken:
            sums: dict[str, Decimal] = defaultdict(Decimal)
            for path, currency, total in by_plan[lp.plan.pk]:
                if path.startswith(node.path):
                    sums[currency] += total
            budgets[node.pk] = dict(sums)
    rows = []
    for outcome in outcomes:
        cells = []
        for lp in plans:
            copy = copies.get((lp.plan.pk, outcome.pk))
            cells.append(
                MatrixCell(
                    node=copy,
                    progress=progress.get(copy.pk) if copy else None,
                    budget=tuple(sorted(budgets[copy.pk].items())) if copy else (),
                )
            )
        rows.append(MatrixRow(outcome, tuple(cells)))
    return Matrix(tuple(lp.plan for lp in plans), tuple(rows))


# --- proposals and the copy-down form -------------------------------------------------------


def open_proposals(plan: Plan) -> list[LocalisationProposal]:
    """A local plan's open proposals, oldest first, with the copy and its national source."""
    return list(
        LocalisationProposal.objects.filter(plan=plan, status=ProposalStatus.OPEN)
        .select_related("node__source_node", "indicator__source_indicator")
        .order_by("created_at", "pk")
    )


def decided_proposals(plan: Plan, limit: int = 20) -> list[LocalisationProposal]:
    return list(
        LocalisationProposal.objects.filter(plan=plan)
        .exclude(status=ProposalStatus.OPEN)
        .select_related("node", "indicator", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def copy_down_choices(access: PlanAccess) -> tuple[list[FrameworkNode], list[Indicator]]:
    """The national plan's nodes in tree order and its indicators that a copy-down may take
    (the plan's own, visible to the maker, not computed from others)."""
    plan = access.plan
    nodes = list(FrameworkNode.objects.filter(plan=plan).select_related("level").order_by("path"))
    indicators = list(
        Indicator.objects.filter(plan=plan, owner_organisation__isnull=True)
        .exclude(kind__in=(IndicatorKind.FORMULA, IndicatorKind.SHARE))
        .exclude(access.hidden_indicators())
        .select_related("node")
        .order_by("order", "code")
    )
    return nodes, indicators


def province_choices(national: Plan) -> list[Area]:
    """The areas a local plan may cover: within the national plan's area, below it."""
    return list(
        Area.objects.filter(path__startswith=national.area.path)
        .exclude(pk=national.area_id)
        .select_related("level")
        .order_by("level__depth", "name")
    )
