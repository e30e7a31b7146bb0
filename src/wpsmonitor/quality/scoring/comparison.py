"""The plans side by side: how many meet each criterion, in the manner of the NAP databases."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from wpsmonitor.accounts.access import Viewer, readable_plans
from wpsmonitor.plans.models import Plan, PlanKind, PlanStatus
from wpsmonitor.quality.scoring.assessment import CRITERIA, assess
from wpsmonitor.quality.scoring.card import Context, Scorecard
from wpsmonitor.quality.scoring.facts import PlanFacts, load_facts
from wpsmonitor.quality.scoring.vocabulary import Status


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


def compared_plans(user: Viewer, kind: str = "") -> list[Plan]:
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
    ctx = Context(PlanFacts(plan=plan))
    return [(c.key, c.group, c.title) for c in (criterion(ctx) for criterion in CRITERIA)]


def score_text(value: float) -> str:
    """Points with at most two decimals, none when whole: 12, 11.5, 10.25."""
    rounded = round(value, 2)
    return f"{rounded:g}"
