"""The plan quality scorecard: an automatic, explained score from a plan's own structured content.

Every criterion (docs/quality.md gives each rule) is met, partly met (with the fraction) or not
met, says why in one sentence, and lists what is missing (the offending actions or indicators)
or links to where it is filled in. A criterion is worth one point; partly met earns its fraction.
The score is the points over the criteria that apply to the plan, as a percentage.

Facts are read for many plans at once with a fixed number of queries (`load_facts`), so the
cross-plan page costs the same whether it compares three plans or three hundred; the single-plan
page goes through the same code with a list of one.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from wpsmonitor.accounts.access import readable_plans
from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.finance.models import BudgetLine
from wpsmonitor.indicators.models import (
    Baseline,
    Indicator,
    IndicatorKind,
    SchemeDimension,
    Target,
)
from wpsmonitor.plans.models import (
    AlignmentFramework,
    CivilSocietyStage,
    FrameworkNode,
    Plan,
    PlanKind,
    PlanStatus,
)
from wpsmonitor.reporting.models import ReportingRound

# ---------------------------------------------------------------------------- vocabulary


class Status:
    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"


STATUS_LABELS = {
    Status.MET: gettext_lazy("Met"),
    Status.PARTLY: gettext_lazy("Partly met"),
    Status.NOT_MET: gettext_lazy("Not met"),
    Status.NOT_APPLICABLE: gettext_lazy("Does not apply"),
}

GROUPS = [
    ("oecd", gettext_lazy("OECD/SIGMA: quality of the operational action plan")),
    ("wilpf", gettext_lazy("PeaceWomen/WILPF flags")),
    ("content", gettext_lazy("Coverage, localisation and data")),
]

CORE_PILLARS = [
    ("participation", gettext_lazy("Participation")),
    ("protection", gettext_lazy("Protection")),
    ("prevention", gettext_lazy("Prevention")),
    ("relief_recovery", gettext_lazy("Relief and recovery")),
]
# A pillar holding more than this share of the actions unbalances the plan.
BALANCE_MAX_SHARE = 0.5

# Words and phrases, compared without accents or case, on whole words. Several languages,
# because plans are written in their country's language (docs/quality.md lists them).
DISARMAMENT_TERMS = [
    # English
    "disarmament", "disarm", "arms", "weapon", "weapons", "firearm", "firearms", "salw",
    "demobilisation", "demobilization", "ddr", "landmine", "landmines", "mine action",
    # French
    "desarmement", "armes", "arme a feu", "alpc", "demobiliser", "mines antipersonnel",
    # Spanish and Portuguese
    "desarme", "armas", "desmovilizacion", "desarmamento", "desmobilizacao",
    # Swahili
    "silaha",
]  # fmt: skip
EARLY_WARNING_TERMS = [
    "early warning",  # English (hyphens are read as spaces)
    "alerte precoce", "alerte rapide",  # French
    "alerta temprana", "alerta precoz",  # Spanish
    "alerta precoce", "alerta antecipado",  # Portuguese
    "tahadhari ya mapema",  # Swahili
]  # fmt: skip
# Catalogue vocabularies of Indicator.references that count as an alignment (indicators/catalogues).
ALIGNMENT_VOCABULARIES = {AlignmentFramework.CEDAW: "cedaw-gr30", AlignmentFramework.SDG: "sdg"}


def normalise(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: "Désarmement" -> "desarmement"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[-\u2010-\u2015'\u2019_/]+", " ", plain)


def _terms_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted({normalise(t) for t in terms}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in ordered) + r")\b")


DISARMAMENT = _terms_pattern(DISARMAMENT_TERMS)
EARLY_WARNING = _terms_pattern(EARLY_WARNING_TERMS)


def mentions(pattern: re.Pattern[str], *texts: str) -> bool:
    return any(pattern.search(normalise(t)) for t in texts if t)


# ---------------------------------------------------------------------------- facts


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
    local_plans: list[tuple[str, str]] = field(default_factory=list)  # (code, title)
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
            "title",
            "description",
            "pillar_theme",
            "level__holds_actions",
            "responsible_organisation_id",
            "planned_end",
            "path",
        )
    ):
        facts[row[0]].nodes.append(NodeFact(*row[1:]))
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
        .values_list("plan_id", "pk", "node_id", "code", "title", "definition", "kind", "scheme_id")
    )
    dimensions: dict[int, list[str]] = defaultdict(list)
    for scheme_id, dim in (
        SchemeDimension.objects.filter(scheme_id__in={row[7] for row in indicators})
        .order_by("scheme_id", "order")
        .values_list("scheme_id", "dimension__code")
    ):
        dimensions[scheme_id].append(dim)
    plan_of: dict[int, int] = {}
    for plan_id, pk, node_id, code, title, definition, kind, scheme_id in indicators:
        plan_of[pk] = plan_id
        facts[plan_id].indicators.append(
            IndicatorFact(pk, node_id, code, title, definition, kind, tuple(dimensions[scheme_id]))
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
    for parent_id, code, title in (
        Plan.objects.filter(parent_id__in=ids, kind=PlanKind.LOCAL)
        .exclude(status=PlanStatus.DRAFT)
        .order_by("code")
        .values_list("parent_id", "code", "title")
    ):
        facts[parent_id].local_plans.append((code, title))
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


# ---------------------------------------------------------------------------- criteria


@dataclass(frozen=True)
class Item:
    """Something a criterion points at: an action, an indicator or a local plan."""

    kind: str  # "action", "indicator", "plan"
    code: str
    title: str
    note: str = ""


@dataclass(frozen=True)
class Link:
    url: str
    label: str


@dataclass
class Criterion:
    key: str
    group: str
    title: str
    rule: str
    fraction: float  # 0 to 1: the point earned
    why: str
    applies: bool = True
    missing: list[Item] = field(default_factory=list)
    missing_label: str = ""
    found: list[Item] = field(default_factory=list)  # evidence, e.g. the disarmament actions
    found_label: str = ""
    link: Link | None = None

    @property
    def status(self) -> str:
        if not self.applies:
            return Status.NOT_APPLICABLE
        if self.fraction >= 1:
            return Status.MET
        if self.fraction <= 0:
            return Status.NOT_MET
        return Status.PARTLY

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def points(self) -> float:
        return self.fraction if self.applies else 0.0


@dataclass
class Scorecard:
    plan: Plan
    criteria: list[Criterion]

    @property
    def applicable(self) -> list[Criterion]:
        return [c for c in self.criteria if c.applies]

    @property
    def points(self) -> float:
        return sum(c.points for c in self.applicable)

    @property
    def maximum(self) -> int:
        return len(self.applicable)

    @property
    def percent(self) -> float:
        return 100 * self.points / self.maximum if self.maximum else 0.0

    def criterion(self, key: str) -> Criterion:
        return next(c for c in self.criteria if c.key == key)

    def groups(self) -> list[tuple[str, str, list[Criterion]]]:
        return [
            (key, str(label), [c for c in self.criteria if c.group == key]) for key, label in GROUPS
        ]


def _share(ok: int, total: int) -> float:
    return ok / total if total else 0.0


def _semicolons(items: Iterable[object]) -> str:
    """Items as one list, e.g. "no indicator; no round", with the reader's punctuation."""
    # Translators: the separator between the items of a list, e.g. "no indicator; no round".
    # Keep the spaces; French puts a no-break space before the semicolon.
    return pgettext("list separator", "; ").join(str(item) for item in items)


def _commas(items: Iterable[object]) -> str:
    """Items as one list, e.g. "protection, prevention", with the reader's punctuation."""
    # Translators: the separator between the items of a list, e.g. "protection, prevention".
    return pgettext("list separator", ", ").join(str(item) for item in items)


def _action(n: NodeFact, note: str = "") -> Item:
    return Item("action", n.code, n.title, note)


def _indicator(i: IndicatorFact, note: str = "") -> Item:
    return Item("indicator", i.code, i.title, note)


class _Context:
    """What every criterion needs about one plan, computed once."""

    def __init__(self, facts: PlanFacts) -> None:
        self.facts = facts
        self.plan = facts.plan
        self.actions = facts.actions
        self.by_id = {n.pk: n for n in facts.nodes}
        self.quality_url = reverse("quality:plan", args=[self.plan.code])

    def anchor(self, key: str) -> str:
        return f"{self.quality_url}#missing-{key}"

    def missing_link(self, key: str) -> Link:
        return Link(self.anchor(key), _("See the list below"))

    def profile_link(self) -> Link:
        return Link(f"{self.quality_url}#profile", _("What the plan says about itself"))

    def top(self, node_id: int) -> NodeFact | None:
        node = self.by_id.get(node_id)
        return self.by_id.get(node.top_id) if node else None

    def ancestors_titles(self, node_id: int) -> list[str]:
        node = self.by_id.get(node_id)
        if node is None:
            return []
        ids = [int(x) for x in node.path.strip("/").split("/") if x]
        return [self.by_id[i].title for i in ids if i in self.by_id]


def _count_criterion(
    ctx: _Context,
    *,
    key: str,
    group: str,
    title: str,
    rule: str,
    ok: Callable[[NodeFact], bool],
    lacking: Callable[[int, int], str],
    all_ok: str,
    missing_label: str,
) -> Criterion:
    """A criterion every action must meet: the fraction is the share of actions that do."""
    total = len(ctx.actions)
    bad = [a for a in ctx.actions if not ok(a)]
    if not total:
        why = _("The plan has no actions yet.")
    else:
        why = lacking(len(bad), total) if bad else all_ok % {"total": total}
    return Criterion(
        key=key,
        group=group,
        title=title,
        rule=rule,
        fraction=_share(total - len(bad), total),
        why=why,
        missing=[_action(a) for a in bad],
        missing_label=missing_label,
        link=ctx.missing_link(key) if bad else None,
    )


def _responsible(ctx: _Context) -> Criterion:
    return _count_criterion(
        ctx,
        key="responsible",
        group="oecd",
        title=_("Every action has a responsible institution"),
        rule=_("Share of the plan's actions with a responsible organisation."),
        ok=lambda a: a.responsible_id is not None,
        lacking=lambda bad, total: (
            ngettext(
                "%(bad)d of %(total)d actions has no responsible institution.",
                "%(bad)d of %(total)d actions have no responsible institution.",
                bad,
            )
            % {"bad": bad, "total": total}
        ),
        all_ok=_("All %(total)d actions have a responsible institution."),
        missing_label=_("Actions without a responsible institution"),
    )


def _timetable(ctx: _Context) -> Criterion:
    return _count_criterion(
        ctx,
        key="timetable",
        group="oecd",
        title=_("A timetable with deadlines"),
        rule=_("Share of the plan's actions with a planned end date (their deadline)."),
        ok=lambda a: a.planned_end is not None,
        lacking=lambda bad, total: (
            ngettext(
                "%(bad)d of %(total)d actions has no deadline.",
                "%(bad)d of %(total)d actions have no deadline.",
                bad,
            )
            % {"bad": bad, "total": total}
        ),
        all_ok=_("All %(total)d actions have a planned end date."),
        missing_label=_("Actions without a planned end date"),
    )


def _financing(ctx: _Context) -> Criterion:
    funded = ctx.facts.funded
    criterion = _count_criterion(
        ctx,
        key="financing",
        group="oecd",
        title=_("Financing sources for all actions"),
        rule=_("Share of the plan's actions with at least one budget line (a funding source)."),
        ok=lambda a: a.pk in funded,
        lacking=lambda bad, total: (
            ngettext(
                "%(bad)d of %(total)d actions has no funding source.",
                "%(bad)d of %(total)d actions have no funding source.",
                bad,
            )
            % {"bad": bad, "total": total}
        ),
        all_ok=_("All %(total)d actions have a funding source."),
        missing_label=_("Actions without a funding source"),
    )
    return criterion


def _indicator_levels(ctx: _Context) -> Criterion:
    objective = [i for i in ctx.facts.indicators if not _holds(ctx, i.node_id)]
    activity = [i for i in ctx.facts.indicators if _holds(ctx, i.node_id)]
    parts = [bool(objective), bool(activity)]
    why = _(
        "%(objective)s at objective level (pillars, outcomes, outputs), %(activity)s at "
        "activity level (actions)."
    ) % {
        "objective": ngettext("%(n)d indicator", "%(n)d indicators", len(objective))
        % {"n": len(objective)},
        "activity": ngettext("%(n)d indicator", "%(n)d indicators", len(activity))
        % {"n": len(activity)},
    }
    return Criterion(
        key="indicator_levels",
        group="oecd",
        title=_("Indicators at objective and activity level"),
        rule=_(
            "Half a point for indicators on objectives (nodes above the actions), half for "
            "indicators on actions."
        ),
        fraction=sum(parts) / 2,
        why=why,
        link=Link(reverse("portal:plan", args=[ctx.plan.code]), _("The plan's framework"))
        if not all(parts)
        else None,
    )


def _holds(ctx: _Context, node_id: int) -> bool:
    node = ctx.by_id.get(node_id)
    return bool(node and node.holds_actions)


def _public(ctx: _Context) -> Criterion:
    plan = ctx.plan
    not_draft = plan.status != PlanStatus.DRAFT
    has_document = bool(plan.document_url)
    reasons = []
    if not not_draft:
        reasons.append(_("the plan is still a draft"))
    if not has_document:
        reasons.append(_("no link to the plan's document"))
    why = (
        _("Adopted (not a draft) and its document is online.")
        if not reasons
        else _("Missing: %(what)s.") % {"what": _semicolons(reasons)}
    )
    return Criterion(
        key="public",
        group="oecd",
        title=_("The plan is publicly available"),
        rule=_("Half a point for a plan that is not a draft, half for a link to its document."),
        fraction=(not_draft + has_document) / 2,
        why=why,
        link=None if not reasons else Link(reverse("portal:plan", args=[plan.code]), _("The plan")),
    )


def _budget(ctx: _Context) -> Criterion:
    allocated = len(ctx.facts.allocated)
    total = len(ctx.actions)
    if allocated:
        why = ngettext(
            "%(n)d of %(total)d actions has money allocated.",
            "%(n)d of %(total)d actions have money allocated.",
            allocated,
        ) % {"n": allocated, "total": total}
    else:
        why = _("No action has money allocated in a budget line.")
    return Criterion(
        key="budget",
        group="wilpf",
        title=_("An allocated budget"),
        rule=_("Met when at least one action has a budget line with an allocated amount above 0."),
        fraction=1.0 if allocated else 0.0,
        why=why,
        link=None if allocated else Link(reverse("finance:summary", args=[ctx.plan.code]),
                                         _("The plan's finances")),
    )  # fmt: skip


def _disarmament(ctx: _Context) -> Criterion:
    found = [a for a in ctx.actions if mentions(DISARMAMENT, a.title, a.description)]
    why = (
        ngettext(
            "%(n)d action on disarmament or small arms.",
            "%(n)d actions on disarmament or small arms.",
            len(found),
        )
        % {"n": len(found)}
        if found
        else _("No action title or description mentions disarmament, small arms or weapons.")
    )
    return Criterion(
        key="disarmament",
        group="wilpf",
        title=_("Disarmament and small arms actions"),
        rule=_(
            "Met when an action's title or description names disarmament, small arms, weapons "
            "or demobilisation (word list in several languages, in the method below)."
        ),
        fraction=1.0 if found else 0.0,
        why=why,
        found=[_action(a) for a in found],
        found_label=_("Actions on disarmament and small arms"),
        link=None if found else Link(f"{ctx.quality_url}#method", _("The words looked for")),
    )


def _me(ctx: _Context) -> Criterion:
    plan, facts = ctx.plan, ctx.facts
    parts = {
        _("a description of monitoring and evaluation"): bool(plan.me_description.strip()),
        _("indicators"): bool(facts.indicators),
        _("a reporting round"): facts.rounds > 0,
    }
    lacking = [label for label, ok in parts.items() if not ok]
    why = (
        _("Described, with %(indicators)s and %(rounds)s.")
        % {
            "indicators": ngettext("%(n)d indicator", "%(n)d indicators", len(facts.indicators))
            % {"n": len(facts.indicators)},
            "rounds": ngettext("%(n)d reporting round", "%(n)d reporting rounds", facts.rounds)
            % {"n": facts.rounds},
        }
        if not lacking
        else _("Missing: %(what)s.") % {"what": _semicolons(lacking)}
    )
    return Criterion(
        key="me",
        group="wilpf",
        title=_("A described monitoring and evaluation process"),
        rule=_(
            "A third of a point each for a description of monitoring and evaluation on the "
            "plan, indicators, and at least one reporting round opened."
        ),
        fraction=sum(parts.values()) / 3,
        why=why,
        link=ctx.profile_link() if lacking else None,
    )


def _civil_society(ctx: _Context) -> Criterion:
    roles = set(ctx.plan.civil_society_roles or [])
    parts = {
        _("a role in the design"): CivilSocietyStage.DESIGN in roles,
        _("a role in the implementation"): CivilSocietyStage.IMPLEMENTATION in roles,
        _("a role in the monitoring"): CivilSocietyStage.MONITORING in roles,
        _("civil-society monitors on the platform"): ctx.facts.monitors > 0,
    }
    lacking = [label for label, ok in parts.items() if not ok]
    why = (
        _("A role in design, implementation and monitoring, with %(n)s.")
        % {
            "n": ngettext("%(n)d civil-society monitor", "%(n)d civil-society monitors",
                          ctx.facts.monitors) % {"n": ctx.facts.monitors}
        }
        if not lacking
        else _("Missing: %(what)s.") % {"what": _semicolons(lacking)}
    )  # fmt: skip
    return Criterion(
        key="civil_society",
        group="wilpf",
        title=_("A defined role for civil society"),
        rule=_(
            "A quarter of a point each for a civil-society role in the design, the "
            "implementation and the monitoring of the plan, and for civil-society monitors "
            "with an account on the plan."
        ),
        fraction=sum(parts.values()) / 4,
        why=why,
        link=ctx.profile_link() if lacking else None,
    )


def _pillar_counts(ctx: _Context) -> Counter[str]:
    """Actions per pillar theme of their top-level node."""
    counts: Counter[str] = Counter()
    for action in ctx.actions:
        top = ctx.top(action.pk)
        counts[top.pillar_theme if top else ""] += 1
    return counts


def _pillars(ctx: _Context) -> Criterion:
    counts = _pillar_counts(ctx)
    covered = [label for theme, label in CORE_PILLARS if counts[theme]]
    absent = [str(label) for theme, label in CORE_PILLARS if not counts[theme]]
    why = (
        _semicolons(
            ngettext("%(pillar)s: %(n)d action", "%(pillar)s: %(n)d actions", counts[theme])
            % {"pillar": label, "n": counts[theme]}
            for theme, label in CORE_PILLARS
        )
        + "."
    )
    return Criterion(
        key="pillars",
        group="content",
        title=_("The four pillars are covered"),
        rule=_(
            "A quarter of a point for each pillar (participation, protection, prevention, "
            "relief and recovery) with at least one action, read from the pillar theme of the "
            "plan's top-level nodes."
        ),
        fraction=len(covered) / len(CORE_PILLARS),
        why=why if not absent else why + " " + _("No action in: %(p)s.") % {"p": _commas(absent)},
        link=Link(reverse("portal:plan", args=[ctx.plan.code]), _("The plan's framework"))
        if absent
        else None,
    )


def _balance(ctx: _Context) -> Criterion:
    counts: Counter[int] = Counter(a.top_id for a in ctx.actions)
    total = len(ctx.actions)
    if not total:
        return Criterion(
            key="balance",
            group="content",
            title=_("The pillars are balanced"),
            rule=_balance_rule(),
            fraction=0.0,
            why=_("The plan has no actions yet."),
        )
    top_id, largest = max(counts.items(), key=lambda kv: (kv[1], -kv[0]))
    top = ctx.by_id[top_id]
    share = largest / total
    ok = share <= BALANCE_MAX_SHARE
    why = _("The largest pillar, %(pillar)s, holds %(n)d of %(total)d actions (%(pct)d%%).") % {
        "pillar": f"{top.code} {top.title}",
        "n": largest,
        "total": total,
        "pct": round(100 * share),
    }
    return Criterion(
        key="balance",
        group="content",
        title=_("The pillars are balanced"),
        rule=_balance_rule(),
        fraction=1.0 if ok else 0.0,
        why=why,
    )


def _balance_rule() -> str:
    return _("Met when no top-level node (pillar) holds more than half of the plan's actions.")


def _localisation(ctx: _Context) -> Criterion:
    plan = ctx.plan
    applies = plan.kind == PlanKind.NATIONAL
    local = ctx.facts.local_plans
    if not applies:
        why = _("Only national plans are judged on local plans.")
    elif local:
        why = ngettext("%(n)d local plan.", "%(n)d local plans.", len(local)) % {"n": len(local)}
    else:
        why = _("No local action plan under this plan (drafts are not counted).")
    return Criterion(
        key="localisation",
        group="content",
        title=_("Localisation: local plans exist"),
        rule=_(
            "National plans: met when at least one local action plan (a child plan of kind "
            "local, not a draft) sits under the plan."
        ),
        fraction=1.0 if applies and local else 0.0,
        applies=applies,
        why=why,
        found=[Item("plan", code, title) for code, title in local],
        found_label=_("Local plans"),
    )


def _disaggregation(ctx: _Context) -> Criterion:
    disaggregated = [i for i in ctx.facts.indicators if i.dimensions]
    beyond = [i for i in disaggregated if set(i.dimensions) - {"sex"}]
    sex_only = [i for i in disaggregated if not set(i.dimensions) - {"sex"}]
    by_dimension: Counter[str] = Counter(d for i in beyond for d in i.dimensions if d != "sex")
    if not disaggregated:
        why = _("No indicator of the plan is disaggregated.")
    else:
        why = ngettext(
            "%(n)d of %(total)d disaggregated indicator goes beyond sex",
            "%(n)d of %(total)d disaggregated indicators go beyond sex",
            len(disaggregated),
        ) % {"n": len(beyond), "total": len(disaggregated)}
        if by_dimension:
            details = _commas(
                # Translators: a dimension of disaggregation and how many indicators use it,
                # e.g. "age: 3".
                _("%(dimension)s: %(n)d") % {"dimension": d, "n": n}
                for d, n in sorted(by_dimension.items())
            )
            why += " (" + details + ")"
        why += "."
    return Criterion(
        key="disaggregation",
        group="content",
        title=_("Disaggregation beyond sex"),
        rule=_(
            "Share of the plan's disaggregated indicators that are also broken down by "
            "something other than sex (age, disability, area type, displacement or any other "
            "dimension)."
        ),
        fraction=_share(len(beyond), len(disaggregated)),
        why=why,
        missing=[_indicator(i) for i in sex_only],
        missing_label=_("Indicators disaggregated by sex only"),
        link=ctx.missing_link("disaggregation") if sex_only else None,
    )


def _early_warning(ctx: _Context) -> Criterion:
    prevention = []
    warning = []
    for ind in ctx.facts.indicators:
        top = ctx.top(ind.node_id)
        if top and top.pillar_theme == "prevention":
            prevention.append(ind)
        if mentions(EARLY_WARNING, ind.title, ind.definition, *ctx.ancestors_titles(ind.node_id)):
            warning.append(ind)
    lacking = []
    if not prevention:
        lacking.append(_("no indicator under a prevention pillar"))
    if not warning:
        lacking.append(_("no early-warning indicator"))
    why = (
        _("%(p)s under prevention, %(w)s on early warning.")
        % {
            "p": ngettext("%(n)d indicator", "%(n)d indicators", len(prevention))
            % {"n": len(prevention)},
            "w": ngettext("%(n)d indicator", "%(n)d indicators", len(warning))
            % {"n": len(warning)},
        }
        if not lacking
        else _("Missing: %(what)s.") % {"what": _semicolons(lacking)}
    )
    return Criterion(
        key="early_warning",
        group="content",
        title=_("Prevention and early-warning indicators"),
        rule=_(
            "Half a point for an indicator under a pillar of theme prevention, half for an "
            "indicator on early warning (its title or definition, or the title of a node above "
            "it, names early warning)."
        ),
        fraction=(bool(prevention) + bool(warning)) / 2,
        why=why,
        found=[_indicator(i) for i in warning],
        found_label=_("Early-warning indicators"),
        link=Link(f"{ctx.quality_url}#method", _("The words looked for")) if lacking else None,
    )


def _baselines_targets(ctx: _Context) -> Criterion:
    facts = ctx.facts
    measurable = [i for i in facts.indicators if i.kind != IndicatorKind.NARRATIVE]
    missing = []
    for ind in measurable:
        has_b, has_t = ind.pk in facts.with_baseline, ind.pk in facts.with_target
        if not (has_b and has_t):
            note = (
                _("no baseline and no target")
                if not (has_b or has_t)
                else (_("no baseline") if not has_b else _("no target"))
            )
            missing.append(_indicator(ind, note))
    if not measurable:
        why = _("The plan has no indicator with figures (narratives are left out).")
    else:
        why = ngettext(
            "%(ok)d of %(total)d indicator has both a baseline and a target.",
            "%(ok)d of %(total)d indicators have both a baseline and a target.",
            len(measurable),
        ) % {"ok": len(measurable) - len(missing), "total": len(measurable)}
    return Criterion(
        key="baselines_targets",
        group="content",
        title=_("Indicators with baselines and targets"),
        rule=_(
            "Share of the plan's indicators (narratives left out) with at least one baseline "
            "and at least one target."
        ),
        fraction=_share(len(measurable) - len(missing), len(measurable)),
        why=why,
        missing=missing,
        missing_label=_("Indicators without a baseline or a target"),
        link=ctx.missing_link("baselines_targets") if missing else None,
    )


def _alignment(ctx: _Context) -> Criterion:
    declared = set(ctx.plan.alignment_references or [])
    vocabularies = (
        set().union(*ctx.facts.vocabularies.values()) if ctx.facts.vocabularies else set()
    )
    parts: dict[str, str] = {}
    for framework in (AlignmentFramework.CEDAW, AlignmentFramework.SDG):
        vocabulary = ALIGNMENT_VOCABULARIES[framework]
        if framework.value in declared:
            parts[framework.value] = _("declared by the plan")
        elif vocabulary in vocabularies:
            n = sum(1 for v in ctx.facts.vocabularies.values() if vocabulary in v)
            parts[framework.value] = ngettext(
                "%(n)d indicator refers to it", "%(n)d indicators refer to it", n
            ) % {"n": n}
        else:
            parts[framework.value] = ""
    names = {AlignmentFramework.CEDAW.value: "CEDAW", AlignmentFramework.SDG.value: "SDG"}
    why = (
        _semicolons(
            # Translators: a framework and how the plan refers to it, e.g. "CEDAW: declared by
            # the plan" or "SDG: 2 indicators refer to it".
            _("%(name)s: %(what)s") % {"name": names[k], "what": v}
            if v
            else _("%(name)s: no reference") % {"name": names[k]}
            for k, v in parts.items()
        )
        + "."
    )
    met = sum(1 for v in parts.values() if v)
    return Criterion(
        key="alignment",
        group="content",
        title=_("Alignment with CEDAW and the SDGs"),
        rule=_(
            "Half a point each for CEDAW and for the SDGs, declared by the plan or referred to "
            "by at least one indicator (catalogues cedaw-gr30 and sdg)."
        ),
        fraction=met / 2,
        why=why,
        link=ctx.profile_link() if met < 2 else None,
    )


CRITERIA: list[Callable[[_Context], Criterion]] = [
    _responsible,
    _timetable,
    _financing,
    _indicator_levels,
    _public,
    _budget,
    _disarmament,
    _me,
    _civil_society,
    _pillars,
    _balance,
    _localisation,
    _disaggregation,
    _early_warning,
    _baselines_targets,
    _alignment,
]


def assess(facts: PlanFacts) -> Scorecard:
    ctx = _Context(facts)
    return Scorecard(plan=facts.plan, criteria=[criterion(ctx) for criterion in CRITERIA])


def plan_scorecard(plan: Plan) -> Scorecard:
    return assess(load_facts([plan])[plan.pk])


# ---------------------------------------------------------------------------- across plans


@dataclass(frozen=True)
class Statistic:
    """How many of the compared plans meet one criterion, in the manner of the NAP databases."""

    key: str
    group: str
    title: str
    met: int
    partly: int
    not_met: int
    applicable: int

    @property
    def met_percent(self) -> float | None:
        return 100 * self.met / self.applicable if self.applicable else None


@dataclass
class Comparison:
    scorecards: list[Scorecard]
    statistics: list[Statistic]

    @property
    def count(self) -> int:
        return len(self.scorecards)


def compared_plans(user: Any, kind: str = "") -> list[Plan]:
    """The plans the user may read (drafts only for their members and staff), by code."""
    plans = Plan.objects.filter(readable_plans(user)).order_by("code")
    if kind:
        plans = plans.filter(kind=kind)
    return list(plans)


def compare(plans: Sequence[Plan]) -> Comparison:
    facts = load_facts(plans)
    cards = [assess(facts[p.pk]) for p in plans]
    statistics = []
    keys = [(c.key, c.group, c.title) for c in cards[0].criteria] if cards else _criterion_heads()
    for index, (key, group, title) in enumerate(keys):
        statuses = Counter(card.criteria[index].status for card in cards)
        statistics.append(
            Statistic(
                key=key,
                group=group,
                title=title,
                met=statuses[Status.MET],
                partly=statuses[Status.PARTLY],
                not_met=statuses[Status.NOT_MET],
                applicable=len(cards) - statuses[Status.NOT_APPLICABLE],
            )
        )
    return Comparison(scorecards=cards, statistics=statistics)


def _criterion_heads() -> list[tuple[str, str, str]]:
    """Keys, groups and titles without a plan (an empty comparison still lists the criteria)."""
    plan = Plan(code="-", kind=PlanKind.NATIONAL, status=PlanStatus.DRAFT)
    ctx = _Context(PlanFacts(plan=plan))
    return [(c.key, c.group, c.title) for c in (criterion(ctx) for criterion in CRITERIA)]


def score_text(value: float) -> str:
    """Points with at most two decimals, none when whole: 12, 11.5, 10.25."""
    rounded = round(value, 2)
    return f"{rounded:g}"
