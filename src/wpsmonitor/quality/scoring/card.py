"""A criterion's result and the scorecard of one plan, and what every criterion shares: the
plan's context (computed once) and the helpers that word and count."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wpsmonitor.core.translated import Shown
from wpsmonitor.plans.models import Plan
from wpsmonitor.quality.scoring.facts import IndicatorFact, NodeFact, PlanFacts
from wpsmonitor.quality.scoring.vocabulary import GROUPS, STATUS_LABELS, Status


@dataclass(frozen=True)
class Item:
    """Something a criterion points at: an action, an indicator or a local plan."""

    kind: str  # "action", "indicator", "plan"
    code: str
    title: str
    note: str = ""
    # The title as the reader reads it, with its language (core/translated.py): `title` is its
    # text.
    title_shown: Shown | None = None


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


def share_of(ok: int, total: int) -> float:
    return ok / total if total else 0.0


def semicolons(items: Iterable[object]) -> str:
    """Items as one list, e.g. "no indicator; no round", with the reader's punctuation."""
    # Translators: the separator between the items of a list, e.g. "no indicator; no round".
    # Keep the spaces; French puts a no-break space before the semicolon.
    return pgettext("list separator", "; ").join(str(item) for item in items)


def commas(items: Iterable[object]) -> str:
    """Items as one list, e.g. "protection, prevention", with the reader's punctuation."""
    # Translators: the separator between the items of a list, e.g. "protection, prevention".
    return pgettext("list separator", ", ").join(str(item) for item in items)


def action_item(n: NodeFact, note: str = "") -> Item:
    return Item("action", n.code, n.title, note, n.title_shown)


def indicator_item(i: IndicatorFact, note: str = "") -> Item:
    return Item("indicator", i.code, i.title, note, i.title_shown)


class Context:
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


def count_criterion(
    ctx: Context,
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
        fraction=share_of(total - len(bad), total),
        why=why,
        missing=[action_item(a) for a in bad],
        missing_label=missing_label,
        link=ctx.missing_link(key) if bad else None,
    )
