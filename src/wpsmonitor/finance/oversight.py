"""Reads of civil society on the budget (docs/oversight.md, "Civil society on the budget"):
its accounts of the money, its challenges on budget lines, and the budget divergence view.

The divergence view mirrors the indicator divergence view of the shadow app: for every budget
line and every civil-society organisation with a published account of it (its latest, by date
observed), the government's figure and civil society's are set side by side, stage by stage:

| civil society says | the government's stage |
|---|---|
| allocated | allocated |
| released | disbursed |
| reached the field | spent |

Each pair both sides gave is compared as the divergence view compares counts: the absolute
difference |g - c| and the relative one |g - c| / max(g, c) (0 the same, 1 one of them says
nothing reached; 0 when both are 0). Lines are ranked by the larger relative difference of
released and reached (the money's path after the vote), then by the larger absolute one.
The government's amounts are converted into the plan's currency with the plan's own rate for
the line's year (docs/finance.md); a line without its rate is not compared, and listed.
Drafts never enter the view: it reads what both sides published.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Prefetch, Q, QuerySet

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance.currency import plan_currency
from wpsmonitor.finance.models import (
    BudgetChallenge,
    BudgetLine,
    ChallengeMessage,
    ExchangeRate,
    MoneyAccount,
)
from wpsmonitor.plans.models import Plan

CENT = Decimal("0.01")
# (civil society's stage, the government's stage it is set against)
STAGE_PAIRS = (("allocated", "allocated"), ("released", "disbursed"), ("reached", "spent"))
RANKED_STAGES = ("released", "reached")


def challenge_addressee(line: BudgetLine) -> Organisation | None:
    """The organisation a challenge on this line is addressed to: the line's ministry or funder,
    or else the action's responsible organisation."""
    return line.funder or line.action.responsible_organisation


def visible_accounts(access: PlanAccess) -> QuerySet[MoneyAccount]:
    """The accounts of the plan this reader may read: published ones, and the drafts of the
    organisations they monitor for."""
    mine = access.monitor_organisations()
    return (
        MoneyAccount.objects.filter(plan=access.plan)
        .filter(Q(published_at__isnull=False) | Q(organisation_id__in=mine))
        .select_related("organisation", "line", "action")
        .prefetch_related("files")
    )


def challenges(plan: Plan) -> QuerySet[BudgetChallenge]:
    """The plan's challenges (public from the moment they are opened), with their exchange."""
    return (
        BudgetChallenge.objects.filter(plan=plan)
        .select_related("organisation", "addressee", "line__action", "line__funder")
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=ChallengeMessage.objects.select_related("author", "organisation"),
            )
        )
    )


@dataclass(frozen=True)
class StageGap:
    stage: str  # civil society's: allocated, released, reached
    government: Decimal | None
    civil_society: Decimal | None

    @property
    def compared(self) -> bool:
        return self.government is not None and self.civil_society is not None

    @property
    def absolute(self) -> Decimal | None:
        if self.government is None or self.civil_society is None:
            return None
        return abs(self.government - self.civil_society)

    @property
    def relative(self) -> float | None:
        if self.government is None or self.civil_society is None:
            return None
        larger = max(self.government, self.civil_society)
        if larger == 0:
            return 0.0
        return float(abs(self.government - self.civil_society) / larger)


@dataclass(frozen=True)
class BudgetDivergence:
    line: BudgetLine
    account: MoneyAccount
    stages: tuple[StageGap, ...]

    def stage(self, name: str) -> StageGap:
        return next(s for s in self.stages if s.stage == name)

    @property
    def rank_key(self) -> tuple[float, Decimal]:
        ranked = [self.stage(name) for name in RANKED_STAGES if self.stage(name).compared]
        return (
            max(s.relative or 0.0 for s in ranked),
            max(s.absolute or Decimal(0) for s in ranked),
        )


@dataclass(frozen=True)
class BudgetComparison:
    currency: str
    divergences: list[BudgetDivergence]
    # Lines with a published account but no rate for their currency and year.
    not_converted: list[BudgetLine]


def _latest_published(plan: Plan) -> dict[tuple[int, int], MoneyAccount]:
    latest: dict[tuple[int, int], MoneyAccount] = {}
    accounts = (
        MoneyAccount.objects.filter(plan=plan, line__isnull=False, published_at__isnull=False)
        .select_related("organisation", "line__action", "line__funder")
        .order_by("observed_on", "pk")
    )
    for account in accounts:
        assert account.line_id is not None
        latest[(account.line_id, account.organisation_id)] = account
    return latest


def budget_divergence(plan: Plan) -> BudgetComparison:
    """Every (budget line, organisation) with a published account and at least one of released
    or reached given by both sides, the widest gap first; then the lines not converted."""
    currency = plan_currency(plan)
    rates = {
        (c, y): r
        for c, y, r in ExchangeRate.objects.filter(plan=plan).values_list(
            "currency", "year", "rate"
        )
    }
    found: list[BudgetDivergence] = []
    not_converted: dict[int, BudgetLine] = {}
    for account in _latest_published(plan).values():
        line = account.line
        assert line is not None
        factor = Decimal(1) if line.currency == currency else rates.get((line.currency, line.year))
        if factor is None:
            not_converted[line.pk] = line
            continue
        stages = []
        for own, theirs in STAGE_PAIRS:
            government = getattr(line, theirs)
            if government is not None:
                government = (government * factor).quantize(CENT, ROUND_HALF_EVEN)
            stages.append(StageGap(own, government, getattr(account, own)))
        divergence = BudgetDivergence(line, account, tuple(stages))
        if any(divergence.stage(name).compared for name in RANKED_STAGES):
            found.append(divergence)
    found.sort(
        key=lambda d: (
            -d.rank_key[0],
            -d.rank_key[1],
            d.line.action.code,
            d.line.pk,
            d.account.organisation.name,
        )
    )
    return BudgetComparison(
        currency, found, sorted(not_converted.values(), key=lambda ln: (ln.action.code, ln.pk))
    )
