"""Demo data: the national plan's costing and budgets (fictitious figures).

Costs in Congolese francs (CDF, the plan's currency) and US dollars, converted with a table of
rates the coordinator would maintain; national budget lines with the execution gap the source
documents describe (about 60% of the cost allocated, about a third of the allocation spent);
donor and UN lines in USD, most earmarked; gender markers of every kind, "not screened" among
them. One donor line in euros for 2027 has no EUR rate on purpose: the finance page shows it
left out of the totals and reported, never guessed.

Everything goes through finance.services, so the demo obeys the rules of an import.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from wpsmonitor.directory.models import Organisation, OrganisationType
from wpsmonitor.finance import services
from wpsmonitor.plans.models import FrameworkNode, Plan

CURRENCY = "CDF"
# CDF per USD (fictitious, rounded); 2027 is a budget forecast.
RATES = [
    ("USD", 2024, "2750", "Banque centrale du Congo, annual average (fictitious)"),
    ("USD", 2025, "2850", "Banque centrale du Congo, annual average (fictitious)"),
    ("USD", 2026, "2900", "Finance law 2026, budget rate (fictitious)"),
    ("USD", 2027, "2950", "Budget forecast (fictitious)"),
    ("EUR", 2025, "3100", "Banque centrale du Congo, annual average (fictitious)"),
]
YEARS = (2024, 2025, 2026, 2027)
ITEMS = [
    ("Training sessions", 4_500_000, (4, 12)),
    ("Community awareness campaigns", 2_800_000, (3, 10)),
    ("Technical assistance (person-months)", 9_000_000, (2, 6)),
    ("Travel and per diem", 1_200_000, (5, 20)),
]
# Share of each year's cost the national budget allocates, and of that share what is spent:
# the "realistic execution gap" (money voted late, released later, and spent least of all).
NATIONAL_SHARE = {2024: 0.65, 2025: 0.65, 2026: 0.60, 2027: 0.40}
SPENT_SHARE = {2024: 0.50, 2025: 0.45, 2026: 0.22, 2027: 0.0}
GOVERNMENT = {OrganisationType.GOVERNMENT, OrganisationType.SECURITY, OrganisationType.PARLIAMENT}


def _money(value: float) -> str:
    return str(Decimal(round(value)))


Row = tuple[int | None, dict[str, Any]]  # (place, fields) as finance_rows_apply takes them


def load(nap: Plan, orgs: dict[str, Organisation], user: Any) -> None:
    """Add this part's demo data to the national plan."""
    rng = random.Random(5)  # the same figures on every machine
    services.plan_currency_set(by=user, plan=nap, currency=CURRENCY)
    actions = list(
        FrameworkNode.objects.filter(plan=nap, level__holds_actions=True)
        .select_related("responsible_organisation")
        .order_by("path")
    )
    rates = [
        (n, {"currency": c, "year": y, "rate": r, "source": s})
        for n, (c, y, r, s) in enumerate(RATES)
    ]
    costs: list[Row] = []
    lines: list[Row] = []
    ministry_default = orgs["demo-mgfe"]
    donors = [orgs["demo-donor"], orgs["demo-unwomen"], orgs["demo-unfpa"]]
    for index, action in enumerate(actions):
        if index % 7 == 6:
            continue  # about one action in seven is not costed yet
        year_cost = _costs(action, index, rng, costs)
        resp = action.responsible_organisation
        ministry = resp if resp is not None and resp.type in GOVERNMENT else ministry_default
        lines.extend(_national_lines(action, index, ministry, year_cost, rng))
        if index % 3 == 1:  # external funding, in dollars
            lines.extend(_external_lines(action, index, donors[index % len(donors)], year_cost))
    lines.append(_euro_pledge(actions[0], orgs["demo-donor"]))
    services.finance_rows_apply(by=user, plan=nap, rates=rates, costs=costs, lines=lines)


def _costs(
    action: FrameworkNode, index: int, rng: random.Random, costs: list[Row]
) -> dict[int, float]:
    """Add the action's cost rows (two items a year, and a dollar lump sum for one action in
    four); return its cost per year in the plan's currency."""
    year_cost: dict[int, float] = {}
    for year in YEARS:
        total = 0.0
        for item, unit, (low, high) in rng.sample(ITEMS, 2):
            quantity = rng.randint(low, high)
            unit_cost = unit * rng.uniform(0.8, 1.3)
            total += round(unit_cost) * quantity
            costs.append(
                (
                    None,
                    {
                        "action": action.code,
                        "year": year,
                        "item": item,
                        "currency": CURRENCY,
                        "unit_cost": _money(unit_cost),
                        "quantity": quantity,
                    },
                )
            )
        if index % 4 == 0:  # an equipment lump sum priced in dollars
            usd = rng.randint(8, 40) * 1000
            costs.append(
                (
                    None,
                    {
                        "action": action.code,
                        "year": year,
                        "item": "Equipment (imported)",
                        "currency": "USD",
                        "lump_sum": usd,
                    },
                )
            )
            total += usd * float(RATES[YEARS.index(year)][2])
        year_cost[year] = total
    return year_cost


def _national_lines(
    action: FrameworkNode,
    index: int,
    ministry: Organisation,
    year_cost: dict[int, float],
    rng: random.Random,
) -> list[Row]:
    """The national budget's lines for the action, with the execution gap."""
    lines: list[Row] = []
    for year in YEARS:
        if index % 5 == 4 and year >= 2026:
            continue  # some actions have no budget line yet for the later years
        allocated = year_cost[year] * NATIONAL_SHARE[year] * rng.uniform(0.8, 1.2)
        spent = allocated * SPENT_SHARE[year] * rng.uniform(0.7, 1.3)
        marker = rng.choice(["not_screened", "not_screened", "not_screened", "1", "2", "0"])
        lines.append(
            (
                None,
                {
                    "action": action.code,
                    "year": year,
                    "funding_kind": "national_budget",
                    "funder": ministry.code,
                    "budget_code": f"LF{year}-{(ministry.acronym or 'MIN')[:8]}-{index:03d}",
                    "currency": CURRENCY,
                    "allocated": _money(allocated),
                    "committed": _money(allocated * 0.8),
                    "disbursed": _money(spent + (allocated - spent) * 0.3),
                    "spent": _money(spent),
                    "earmarked": index % 3 == 0,
                    "gender_marker": marker,
                },
            )
        )
    return lines


def _external_lines(
    action: FrameworkNode, index: int, funder: Organisation, year_cost: dict[int, float]
) -> list[Row]:
    """A donor's or UN agency's lines in dollars, a quarter of the cost, earmarked."""
    kind = "donor" if funder.type == OrganisationType.DONOR else "un"
    lines: list[Row] = []
    for year in (2024, 2025, 2026):
        external = year_cost[year] / float(RATES[YEARS.index(year)][2]) * 0.25
        lines.append(
            (
                None,
                {
                    "action": action.code,
                    "year": year,
                    "funding_kind": kind,
                    "funder": funder.code,
                    "budget_code": f"{funder.acronym or funder.code}-WPS-{year}",
                    "currency": "USD",
                    "allocated": _money(external),
                    "committed": _money(external),
                    "disbursed": _money(external * 0.7),
                    "spent": _money(external * (0.5 if year < 2026 else 0.15)),
                    "earmarked": True,
                    "gender_marker": "2" if kind == "un" or index % 2 else "1",
                },
            )
        )
    return lines


def _euro_pledge(action: FrameworkNode, donor: Organisation) -> Row:
    """A pledge in euros for 2027, before anyone entered a 2027 EUR rate: reported on the page."""
    return (
        None,
        {
            "action": action.code,
            "year": 2027,
            "funding_kind": "donor",
            "funder": donor.code,
            "budget_code": "NFPE-PLEDGE-2027",
            "currency": "EUR",
            "allocated": "150000",
            "earmarked": True,
            "gender_marker": "2",
            "note": "Pledge announced at the donors' round table (fictitious).",
        },
    )
