"""What the criteria read about a plan, loaded for many plans at once in a fixed number of
queries (`load_facts`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from django.db.models import Count, Q

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.translated import Shown, column, language_codes, shown
from wpsmonitor.finance.models import BudgetLine
from wpsmonitor.indicators.models import Baseline, Indicator, SchemeDimension, Target
from wpsmonitor.plans.models import FrameworkNode, Plan, PlanKind, PlanStatus
from wpsmonitor.reporting.models import ReportingRound


@dataclass(frozen=True)
class NodeFact:
    pk: int
    parent_id: int | None
    code: str
    order: int
    title: str
    description: str
    pillar_theme: str
    holds_actions: bool
    responsible_id: int | None
    planned_end: date | None
    path: str
    # The title as the reader reads it, with its language (core/translated.py).
    title_shown: Shown | None = None

    @property
    def top_id(self) -> int:
        """The id of the top-level node (the pillar) above this node, or its own."""
        return int(self.path.strip("/").split("/")[0]) if self.path.strip("/") else self.pk


@dataclass(frozen=True)
class IndicatorFact:
    pk: int
    node_id: int
    code: str
    title: str
    definition: str
    kind: str
    dimensions: tuple[str, ...]
    title_shown: Shown | None = None


@dataclass
class PlanFacts:
    """Everything the criteria read about one plan, loaded in bulk."""

    plan: Plan
    nodes: list[NodeFact] = field(default_factory=list)
    indicators: list[IndicatorFact] = field(default_factory=list)
    funded: set[int] = field(default_factory=set)  # action ids with a budget line
    allocated: set[int] = field(default_factory=set)  # action ids with money allocated
    with_baseline: set[int] = field(default_factory=set)
    with_target: set[int] = field(default_factory=set)
    vocabularies: dict[int, set[str]] = field(default_factory=dict)  # indicator id -> vocabularies
    local_plans: list[tuple[str, Shown]] = field(default_factory=list)  # (code, title)
    monitors: int = 0
    rounds: int = 0

    @property
    def actions(self) -> list[NodeFact]:
        return [n for n in self.nodes if n.holds_actions]


def _tree_order(nodes: list[NodeFact]) -> list[NodeFact]:
    """Depth first, siblings by order then code, as the framework is shown everywhere (the
    materialised path sorts ids as text, so "/13/" would come before "/4/")."""
    own = {n.pk: (n.order, n.code) for n in nodes}

    def key(node: NodeFact) -> list[tuple[int, str]]:
        return [own[int(i)] for i in node.path.strip("/").split("/") if i and int(i) in own]

    return sorted(nodes, key=key)


TITLES = [column("title", code) for code in language_codes()]


def _title(titles: Sequence[str | None], original: str) -> Shown:
    """A title read as its language columns (`TITLES`), as the reader reads it."""
    return shown(SimpleNamespace(**dict(zip(TITLES, titles, strict=True))), "title", None, original)


def load_facts(plans: Sequence[Plan]) -> dict[int, PlanFacts]:
    """The facts of every plan given, in ten queries whatever their number and size.

    Indicators are the plan's own (not a civil-society organisation's, published or not): the
    scorecard judges what the plan's authors wrote. Local plans count when they are not drafts.
    Funding follows finance.selectors.plan_funding_facts: an action has a funding source when it
    has a budget line, money allocated when a line's allocated amount is above zero.
    """
    facts = {p.pk: PlanFacts(plan=p) for p in plans}
    ids = list(facts)
    if not ids:
        return facts
    for row in (
        FrameworkNode.objects.filter(plan_id__in=ids)
        .order_by("plan_id", "path")
        .values_list(
            "plan_id",
            "pk",
            "parent_id",
            "code",
            "order",
            "description",
            "pillar_theme",
            "level__holds_actions",
            "responsible_organisation_id",
            "planned_end",
            "path",
            *TITLES,
        )
    ):
        plan_id, pk, parent_id, code, order, description, theme, holds, org, end, path = row[:11]
        title = _title(row[11:], facts[plan_id].plan.original_language)
        facts[plan_id].nodes.append(
            NodeFact(
                pk,
                parent_id,
                code,
                order,
                title.text,
                description,
                theme,
                holds,
                org,
                end,
                path,
                title_shown=title,
            )
        )
    for plan_facts in facts.values():
        plan_facts.nodes = _tree_order(plan_facts.nodes)
    for plan_id, action_id, allocated in (
        BudgetLine.objects.filter(action__plan_id__in=ids)
        .values("action__plan_id", "action_id")
        .annotate(allocated=Count("pk", filter=Q(allocated__gt=0)))
        .values_list("action__plan_id", "action_id", "allocated")
    ):
        facts[plan_id].funded.add(action_id)
        if allocated:
            facts[plan_id].allocated.add(action_id)
    indicators = list(
        Indicator.objects.filter(plan_id__in=ids, owner_organisation__isnull=True)
        .order_by("plan_id", "order", "code")
        .values_list("plan_id", "pk", "node_id", "code", "definition", "kind", "scheme_id", *TITLES)
    )
    dimensions: dict[int, list[str]] = defaultdict(list)
    for scheme_id, dim in (
        SchemeDimension.objects.filter(scheme_id__in={row[6] for row in indicators})
        .order_by("scheme_id", "order")
        .values_list("scheme_id", "dimension__code")
    ):
        dimensions[scheme_id].append(dim)
    plan_of: dict[int, int] = {}
    for plan_id, pk, node_id, code, definition, kind, scheme_id, *titles in indicators:
        plan_of[pk] = plan_id
        title = _title(titles, facts[plan_id].plan.original_language)
        facts[plan_id].indicators.append(
            IndicatorFact(
                pk, node_id, code, title.text, definition, kind, tuple(dimensions[scheme_id]), title
            )
        )
    for model, attr in ((Baseline, "with_baseline"), (Target, "with_target")):
        for indicator_id in (
            model.objects.filter(indicator__plan_id__in=ids)
            .values_list("indicator_id", flat=True)
            .distinct()
        ):
            if indicator_id in plan_of:
                getattr(facts[plan_of[indicator_id]], attr).add(indicator_id)
    through = Indicator.references.through
    for indicator_id, vocabulary in (
        through.objects.filter(indicator__plan_id__in=ids)
        .values_list("indicator_id", "globalindicator__vocabulary")
        .distinct()
    ):
        if indicator_id in plan_of:
            facts[plan_of[indicator_id]].vocabularies.setdefault(indicator_id, set()).add(
                vocabulary
            )
    for parent_id, code, original, *titles in (
        Plan.objects.filter(parent_id__in=ids, kind=PlanKind.LOCAL)
        .exclude(status=PlanStatus.DRAFT)
        .order_by("code")
        .values_list("parent_id", "code", "original_language", *TITLES)
    ):
        facts[parent_id].local_plans.append((code, _title(titles, original)))
    for plan_id, monitors in (
        PlanRole.objects.filter(plan_id__in=ids, role=Role.MONITOR)
        .values("plan_id")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("plan_id", "n")
    ):
        facts[plan_id].monitors = monitors
    for plan_id, rounds in (
        ReportingRound.objects.filter(plan_id__in=ids)
        .values("plan_id")
        .annotate(n=Count("pk"))
        .values_list("plan_id", "n")
    ):
        facts[plan_id].rounds = rounds
    return facts
