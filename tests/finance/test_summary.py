"""The finance aggregates against the figures worked out by hand in conftest.py."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.finance.conftest import Money

from wpsmonitor.finance import services
from wpsmonitor.finance.selectors import finance_summary, plan_funding_facts

D = Decimal


def test_totals_convert_with_the_plans_rates(money: Money) -> None:
    s = finance_summary(money.plan)
    assert s.currency == "USD"
    assert (s.actions, s.actions_costed, s.actions_funded) == (4, 3, 4)
    assert s.costed_share == 0.75
    t = s.total
    assert t.costed == D("5200")  # 1,000 + 2,000 EUR x 1.10 + 5,000,000 CDF x 0.0004
    assert (t.allocated, t.committed, t.disbursed, t.spent) == (D(3100), D(500), D(400), D(950))
    assert t.allocated_of_costed == 3100 / 5200
    assert t.execution == 950 / 3100
    assert (t.costs, t.lines) == (3, 4)  # the unconverted cost and line are not counted


def test_missing_rates_are_reported_and_excluded_never_guessed(money: Money) -> None:
    s = finance_summary(money.plan)
    assert [(u.currency, u.year, u.costs, u.lines) for u in s.unconverted] == [
        ("EUR", 2025, 1, 0),
        ("EUR", 2026, 0, 1),
    ]
    assert [u.message for u in s.unconverted] == [
        "1 amount not converted: no EUR rate for 2025",
        "1 amount not converted: no EUR rate for 2026",
    ]
    # Entering the rate brings the amounts in: 500 EUR x 1.2 and 300 EUR x 1.5.
    coordinator = money.users["coordinator"]
    services.rate_set(by=coordinator, plan=money.plan, currency="EUR", year=2025, rate="1.2")
    services.rate_set(by=coordinator, plan=money.plan, currency="eur", year=2026, rate="1.5")
    s = finance_summary(money.plan)
    assert s.unconverted == []
    assert s.total.costed == D("5800")
    assert s.total.allocated == D("3550")


def test_by_pillar_year_funder_and_responsible_organisation(money: Money) -> None:
    s = finance_summary(money.plan)
    pillars = {r.key: (r.stages.costed, r.stages.allocated, r.stages.spent) for r in s.by_pillar}
    assert pillars == {"P1": (D(3200), D(1700), D(850)), "P2": (D(2000), D(1400), D(100))}
    assert [r.label for r in s.by_pillar] == ["P1 Pillar 1", "P2 Pillar 2"]
    years = {r.key: (r.stages.costed, r.stages.allocated, r.stages.spent) for r in s.by_year}
    assert years == {"2024": (D(5200), D(2700), D(950)), "2025": (D(0), D(400), D(0))}
    funders = [(r.label, r.stages.allocated) for r in s.by_funder]
    assert funders == [
        ("A Donor Agency", D(1100)),
        ("Ministry of Gender", D(1600)),
        ("Not recorded", D(400)),
    ]
    responsible = {r.label: (r.stages.costed, r.stages.allocated) for r in s.by_responsible}
    # The police's action has only the unconverted UN line: no row at all for it.
    assert responsible == {"Ministry of Gender": (D(5200), D(3100))}


def test_national_budget_external_earmarked_and_gender_markers(money: Money) -> None:
    s = finance_summary(money.plan)
    assert (s.national.allocated, s.national.spent) == (D(2000), D(400))
    assert (s.external.allocated, s.external.spent) == (D(1100), D(550))
    assert s.national_share == 2000 / 3100
    assert s.earmarked.allocated == D(1700)
    assert s.earmarked_share == 1700 / 3100
    kinds = {r.key: r.stages.allocated for r in s.by_kind}
    assert kinds == {
        "national_budget": D(2000),
        "donor": D(1100),
        "un": D(0),
        "private": D(0),
        "other": D(0),
    }
    markers = {m.marker: (m.lines, m.allocated) for m in s.gender}
    assert markers == {
        "not_screened": (1, D(1000)),
        "0": (1, D(400)),
        "1": (1, D(600)),
        "2": (1, D(1100)),
    }


def test_ratios_are_none_when_nothing_is_costed_or_allocated(db: None) -> None:
    from tests.portal.conftest import build_plan

    built = build_plan(code="empty-plan")
    s = finance_summary(built.plan)
    assert s.total.allocated_of_costed is None and s.total.execution is None
    assert s.costed_share == 0.0
    assert s.currency == "USD"


def test_plan_funding_facts_keeps_its_meaning(money: Money) -> None:
    facts = plan_funding_facts(money.plan)
    assert (facts.actions, facts.actions_costed) == (4, 3)
    assert facts.actions_with_funding_source == 4
    assert facts.actions_with_allocation == 4


def test_summary_costs_a_fixed_number_of_queries(money: Money) -> None:
    with CaptureQueriesContext(connection) as few:
        finance_summary(money.plan)
    rows = [
        (i, {"action": "P1.O1.1.A2", "year": 2025, "funding_kind": "donor",
             "funder": "donor-org" if i % 2 else "un-org", "currency": "USD", "allocated": i})
        for i in range(200)
    ]  # fmt: skip
    services.finance_rows_apply(by=money.users["coordinator"], plan=money.plan, lines=rows)
    with CaptureQueriesContext(connection) as many:
        s = finance_summary(money.plan)
    assert s.total.lines == 204
    assert len(many.captured_queries) == len(few.captured_queries) <= 7


def test_the_summary_of_some_years_counts_their_costs_and_lines_only(money: Money) -> None:
    whole = finance_summary(money.plan)
    year = {r.key: r.stages for r in whole.by_year}
    s = finance_summary(money.plan, years={2025})
    assert (
        (s.total.costed, s.total.allocated, s.total.spent)
        == (
            year["2025"].costed,
            year["2025"].allocated,
            year["2025"].spent,
        )
        == (D(0), D(400), D(0))
    )
    assert [r.key for r in s.by_year] == ["2025"]
    # Only that year's missing rates are reported; the plan's actions and pillars stay.
    assert [(u.currency, u.year) for u in s.unconverted] == [("EUR", 2025)]
    assert s.actions == whole.actions and [r.key for r in s.by_pillar] == ["P1", "P2"]
    both = finance_summary(money.plan, years={2024, 2025, 2026})
    assert both.total == whole.total and both.unconverted == whole.unconverted
