"""Reads over a plan's costs and budget lines."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wpsmonitor.core.translated import Shown, column, language_codes, shown
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance.models import (
    ActionCost,
    BudgetLine,
    ExchangeRate,
    FundingKind,
    GenderMarker,
    PlanFinance,
)
from wpsmonitor.plans.models import FrameworkNode, Plan

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class FundingFacts:
    """What the plan quality scorecard asks of the money (counts; amounts need conversion)."""

    actions: int
    actions_costed: int
    actions_with_funding_source: int
    actions_with_allocation: int


def plan_funding_facts(plan: Plan) -> FundingFacts:
    counts = FrameworkNode.objects.filter(plan=plan, level__holds_actions=True).aggregate(
        actions=Count("pk", distinct=True),
        costed=Count("pk", filter=Q(costs__isnull=False), distinct=True),
        funded=Count("pk", filter=Q(budget_lines__isnull=False), distinct=True),
        allocated=Count("pk", filter=Q(budget_lines__allocated__gt=0), distinct=True),
    )
    return FundingFacts(
        actions=counts["actions"],
        actions_costed=counts["costed"],
        actions_with_funding_source=counts["funded"],
        actions_with_allocation=counts["allocated"],
    )


# ----------------------------------------------------------------------------- the summary

# See docs/finance.md, "How the figures are computed", for every rule below.


@dataclass
class Stages:
    """Amounts in the plan's currency at each stage of the money, and what they were made of."""

    costed: Decimal = ZERO
    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO
    spent: Decimal = ZERO
    lines: int = 0
    costs: int = 0

    def add_cost(self, amount: Decimal) -> None:
        self.costed += amount
        self.costs += 1

    def add_line(self, amounts: tuple[Decimal | None, ...]) -> None:
        allocated, committed, disbursed, spent = amounts
        self.allocated += allocated or ZERO
        self.committed += committed or ZERO
        self.disbursed += disbursed or ZERO
        self.spent += spent or ZERO
        self.lines += 1

    @property
    def allocated_of_costed(self) -> float | None:
        """Allocated / costed; None when nothing is costed."""
        return _ratio(self.allocated, self.costed)

    @property
    def execution(self) -> float | None:
        """Spent / allocated (the execution rate); None when nothing is allocated."""
        return _ratio(self.spent, self.allocated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "costed": self.costed,
            "allocated": self.allocated,
            "committed": self.committed,
            "disbursed": self.disbursed,
            "spent": self.spent,
            "allocated_of_costed": self.allocated_of_costed,
            "execution_rate": self.execution,
            "costs": self.costs,
            "budget_lines": self.lines,
        }


def _ratio(part: Decimal, whole: Decimal) -> float | None:
    return float(part / whole) if whole else None


@dataclass
class Row:
    key: str
    label: str
    stages: Stages = field(default_factory=Stages)
    # A pillar's title or an organisation's name as the reader reads it, with its language
    # (core/translated.py): `label` is its text (after the pillar's code).
    name: Shown | None = None
    code: str = ""  # a pillar's


@dataclass(frozen=True)
class Unconverted:
    """Amounts left out of every total: no rate for this currency and year."""

    currency: str
    year: int
    costs: int
    lines: int

    @property
    def count(self) -> int:
        return self.costs + self.lines

    @property
    def message(self) -> str:
        return ngettext(
            "%(n)s amount not converted: no %(currency)s rate for %(year)s",
            "%(n)s amounts not converted: no %(currency)s rate for %(year)s",
            self.count,
        ) % {"n": self.count, "currency": self.currency, "year": self.year}


@dataclass(frozen=True)
class MarkerRow:
    marker: str
    label: str
    lines: int
    allocated: Decimal
    share: float | None  # of the converted allocated amount


@dataclass
class FinanceSummary:
    plan: Plan
    currency: str
    actions: int
    actions_costed: int
    actions_funded: int
    total: Stages
    by_pillar: list[Row]
    by_year: list[Row]
    by_funder: list[Row]
    by_responsible: list[Row]
    by_kind: list[Row]
    national: Stages
    external: Stages
    earmarked: Stages
    gender: list[MarkerRow]
    unconverted: list[Unconverted]
    rates: list[tuple[str, int, Decimal]]

    @property
    def costed_share(self) -> float | None:
        """Actions with at least one cost / all actions."""
        return self.actions_costed / self.actions if self.actions else None

    @property
    def earmarked_share(self) -> float | None:
        return _ratio(self.earmarked.allocated, self.total.allocated)

    @property
    def national_share(self) -> float | None:
        return _ratio(self.national.allocated, self.total.allocated)


class _Converter:
    """Amounts into the plan's currency with the plan's own table; a missing rate is counted,
    never guessed."""

    def __init__(self, currency: str, rates: dict[tuple[str, int], Decimal]) -> None:
        self.currency = currency
        self.rates = rates
        self.missing: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])

    def factor(self, currency: str, year: int, which: int) -> Decimal | None:
        if currency == self.currency:
            return ONE
        rate = self.rates.get((currency, year))
        if rate is None:
            self.missing[(currency, year)][which] += 1
        return rate


def _times(value: Decimal | None, factor: Decimal) -> Decimal | None:
    # Each converted amount is rounded to the cent before it is added (docs/finance.md).
    return None if value is None else (value * factor).quantize(CENT, ROUND_HALF_EVEN)


def finance_summary(plan: Plan, years: set[int] | None = None) -> FinanceSummary:
    """Every figure of the finance page and the summary API, in a fixed number of queries (7).

    `years`: only the costs and budget lines of these years are counted (a report covers its
    own years), by the same rules; None, the whole plan. The actions, the pillars and the rate
    table stay the plan's whatever the years."""
    read = _read(plan, years)
    tally = _Tally(read)
    for cost in read.costs:
        tally.add_cost(*cost)
    for line in read.lines:
        tally.add_line(*line)
    return tally.summary(plan, read)


@dataclass(frozen=True)
class _Read:
    """What the summary is computed from: the plan's table rows, as tuples."""

    currency: str
    rates: list[tuple[str, int, Decimal]]  # (currency, year, rate), in that order
    pillars: list[tuple[int, str, Shown]]  # (id, code, title), in the framework's order
    actions: dict[int, tuple[str, int | None]]  # id -> (path, responsible organisation id)
    costs: list[tuple[Any, ...]]  # in _Tally.add_cost's order
    lines: list[tuple[Any, ...]]  # in _Tally.add_line's order
    org_names: dict[int, Shown]  # of the responsible organisations and the funders


def _read(plan: Plan, years: set[int] | None = None) -> _Read:
    currency = (
        PlanFinance.objects.filter(plan=plan).values_list("currency", flat=True).first() or "USD"
    )
    rates = list(
        ExchangeRate.objects.filter(plan=plan)
        .order_by("currency", "year")
        .values_list("currency", "year", "rate")
    )
    # The texts in every language: the reader's, else the original's (core/translated.py).
    titles = [column("title", code) for code in language_codes()]
    pillars = [
        (pk, code, _shown(titles, texts, "title", plan.original_language))
        for pk, code, *texts in FrameworkNode.objects.filter(plan=plan, parent__isnull=True)
        .order_by("order", "code")
        .values_list("pk", "code", *titles)
    ]
    actions: dict[int, tuple[str, int | None]] = {
        pk: (path, org)
        for pk, path, org in FrameworkNode.objects.filter(
            plan=plan, level__holds_actions=True
        ).values_list("pk", "path", "responsible_organisation_id")
    }
    costs_of = ActionCost.objects.filter(action__plan=plan)
    lines_of = BudgetLine.objects.filter(action__plan=plan)
    if years is not None:
        costs_of = costs_of.filter(year__in=years)
        lines_of = lines_of.filter(year__in=years)
    costs = list(
        costs_of.values_list("action_id", "year", "currency", "unit_cost", "quantity", "lump_sum")
    )
    lines = list(
        lines_of.values_list(
            "action_id",
            "year",
            "currency",
            "allocated",
            "committed",
            "disbursed",
            "spent",
            "funding_kind",
            "funder_id",
            "earmarked",
            "gender_marker",
        )
    )
    org_ids = {org for _path, org in actions.values() if org} | {ln[8] for ln in lines if ln[8]}
    names = [column("name", code) for code in language_codes()]
    org_names = (
        {
            pk: _shown(names, texts, "name", original)
            for pk, original, *texts in Organisation.objects.filter(pk__in=org_ids).values_list(
                "pk", "original_language", *names
            )
        }
        if org_ids
        else {}
    )
    return _Read(currency, rates, pillars, actions, costs, lines, org_names)


def _shown(columns: list[str], texts: list[str | None], field: str, original: str) -> Shown:
    """A text read as its language columns, as the reader reads it."""
    return shown(SimpleNamespace(**dict(zip(columns, texts, strict=True))), field, None, original)


class _Tally:
    """The summary's figures, added up one cost and one budget line at a time, each converted
    to the plan's currency (or counted as unconverted)."""

    def __init__(self, read: _Read) -> None:
        self.convert = _Converter(read.currency, {(c, y): r for c, y, r in read.rates})
        self.actions = read.actions
        self.org_names = read.org_names
        self.pillar_ids = {
            pk: int(path.strip("/").split("/")[0]) for pk, (path, _org) in read.actions.items()
        }
        self.total = Stages()
        self.by_pillar = {
            pk: Row(code, f"{code} {title.text}", name=title, code=code)
            for pk, code, title in read.pillars
        }
        self.by_year: dict[int, Row] = {}
        self.by_funder: dict[int | None, Row] = {}
        self.by_responsible: dict[int | None, Row] = {}
        self.by_kind = {k: Row(k, str(label)) for k, label in FundingKind.choices}
        self.national, self.external, self.earmarked = Stages(), Stages(), Stages()
        self.marker_lines: dict[str, int] = dict.fromkeys(GenderMarker.values, 0)
        self.marker_allocated: dict[str, Decimal] = dict.fromkeys(GenderMarker.values, ZERO)
        self.costed_actions: set[int] = set()
        self.funded_actions: set[int] = set()

    def _org_row(self, rows: dict[int | None, Row], org: int | None) -> Row:
        if org not in rows:
            name = self.org_names.get(org) if org else None
            label = name.text if name else ("" if org else _("Not recorded"))
            rows[org] = Row(str(org or ""), label, name=name)
        return rows[org]

    def _action_rows(self, action_id: int, year: int) -> list[Stages]:
        """Where every amount of an action and year counts: the total, the action's pillar, the
        year and the action's responsible organisation."""
        return [
            self.total,
            self.by_pillar[self.pillar_ids[action_id]].stages,
            self.by_year.setdefault(year, Row(str(year), str(year))).stages,
            self._org_row(self.by_responsible, self.actions[action_id][1]).stages,
        ]

    def add_cost(
        self,
        action_id: int,
        year: int,
        cur: str,
        unit_cost: Decimal | None,
        quantity: Decimal | None,
        lump_sum: Decimal | None,
    ) -> None:
        self.costed_actions.add(action_id)
        factor = self.convert.factor(cur, year, 0)
        if factor is None:
            return
        amount = lump_sum if lump_sum is not None else (unit_cost or ZERO) * (quantity or ZERO)
        amount = (amount * factor).quantize(CENT, ROUND_HALF_EVEN)
        for stages in self._action_rows(action_id, year):
            stages.add_cost(amount)

    def add_line(
        self,
        action_id: int,
        year: int,
        cur: str,
        allocated: Decimal | None,
        committed: Decimal | None,
        disbursed: Decimal | None,
        spent: Decimal | None,
        kind: str,
        funder: int | None,
        is_earmarked: bool,
        marker: str,
    ) -> None:
        """A budget line counts where its action's costs do, and also by funder, by funding
        kind, national or external, earmarked, and by gender marker."""
        self.funded_actions.add(action_id)
        factor = self.convert.factor(cur, year, 1)
        if factor is None:
            return
        amounts = tuple(_times(v, factor) for v in (allocated, committed, disbursed, spent))
        side = self.national if kind == FundingKind.NATIONAL_BUDGET else self.external
        targets = [
            *self._action_rows(action_id, year),
            self._org_row(self.by_funder, funder).stages,
            self.by_kind[kind].stages,
            side,
        ]
        if is_earmarked:
            targets.append(self.earmarked)
        for stages in targets:
            stages.add_line(amounts)
        self.marker_lines[marker] += 1
        self.marker_allocated[marker] += amounts[0] or ZERO

    def summary(self, plan: Plan, read: _Read) -> FinanceSummary:
        def named(rows: dict[int | None, Row]) -> list[Row]:
            # Organisations by name; "not recorded" last.
            return sorted(rows.values(), key=lambda r: (r.key == "", r.label.lower()))

        gender = [
            MarkerRow(
                m,
                str(label),
                self.marker_lines[m],
                self.marker_allocated[m],
                _ratio(self.marker_allocated[m], self.total.allocated),
            )
            for m, label in GenderMarker.choices
        ]
        return FinanceSummary(
            plan=plan,
            currency=read.currency,
            actions=len(read.actions),
            actions_costed=len(self.costed_actions),
            actions_funded=len(self.funded_actions),
            total=self.total,
            by_pillar=list(self.by_pillar.values()),
            by_year=[self.by_year[y] for y in sorted(self.by_year)],
            by_funder=named(self.by_funder),
            by_responsible=named(self.by_responsible),
            by_kind=list(self.by_kind.values()),
            national=self.national,
            external=self.external,
            earmarked=self.earmarked,
            gender=gender,
            unconverted=[
                Unconverted(c, y, n[0], n[1]) for (c, y), n in sorted(self.convert.missing.items())
            ],
            rates=read.rates,
        )


def summary_data(summary: FinanceSummary) -> dict[str, Any]:
    """The summary as the API answers it."""

    def rows(items: list[Row]) -> list[dict[str, Any]]:
        return [{"key": r.key, "label": r.label, **r.stages.as_dict()} for r in items]

    return {
        "plan": summary.plan.code,
        "currency": summary.currency,
        "actions": summary.actions,
        "actions_costed": summary.actions_costed,
        "actions_funded": summary.actions_funded,
        "costed_share": summary.costed_share,
        "total": summary.total.as_dict(),
        "national_budget": summary.national.as_dict(),
        "external": summary.external.as_dict(),
        "national_share_of_allocated": summary.national_share,
        "earmarked": summary.earmarked.as_dict(),
        "earmarked_share_of_allocated": summary.earmarked_share,
        "by_pillar": rows(summary.by_pillar),
        "by_year": rows(summary.by_year),
        "by_funder": rows(summary.by_funder),
        "by_responsible_organisation": rows(summary.by_responsible),
        "by_funding_kind": rows(summary.by_kind),
        "gender_marker": [
            {
                "marker": m.marker,
                "label": m.label,
                "budget_lines": m.lines,
                "allocated": m.allocated,
                "share_of_allocated": m.share,
            }
            for m in summary.gender
        ],
        "not_converted": [
            {
                "currency": u.currency,
                "year": u.year,
                "costs": u.costs,
                "budget_lines": u.lines,
                "message": u.message,
            }
            for u in summary.unconverted
        ],
    }
