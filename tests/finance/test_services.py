"""Bad input gets a clear, located error and changes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.finance.conftest import Money

from wpsmonitor.finance import services
from wpsmonitor.finance.models import ActionCost, BudgetLine, ExchangeRate
from wpsmonitor.finance.services import FinanceForbidden, FinanceInputError


def _state(money: Money) -> tuple[Any, ...]:
    plan = money.plan
    return (
        sorted(BudgetLine.objects.filter(action__plan=plan).values_list("pk", "allocated", "year")),
        sorted(ActionCost.objects.filter(action__plan=plan).values_list("pk", "lump_sum", "item")),
        sorted(ExchangeRate.objects.filter(plan=plan).values_list("currency", "year", "rate")),
    )


def _refused(money: Money, **rows: Any) -> list[tuple[Any, str, str]]:
    before = _state(money)
    with pytest.raises(FinanceInputError) as failed:
        services.finance_rows_apply(by=money.users["coordinator"], plan=money.plan, **rows)
    assert _state(money) == before, "nothing may be stored when anything is refused"
    return [(p.row, p.column, p.message) for p in failed.value.problems]


GOOD_COST = {"action": "P1.O1.1.A1", "year": 2026, "item": "Printing", "lump_sum": "10"}


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"lump_sum": "-5"}, "lump_sum", "Amounts cannot be negative."),
        ({"lump_sum": "1,500"}, "lump_sum", "Write numbers with a point for decimals"),
        ({"lump_sum": "12abc"}, "lump_sum", "12abc is not a number."),
        ({"lump_sum": "1.005"}, "lump_sum", "At most 2 decimals"),
        ({"lump_sum": "NaN"}, "lump_sum", "Give a finite number."),
        ({"unit_cost": "3", "quantity": "4"}, "lump_sum", "Give either a lump sum or a unit"),
        ({"lump_sum": "", "unit_cost": "3"}, "quantity", "Give a unit cost and a quantity"),
        ({"action": "P1"}, "action", "P1 is not an action of this plan."),
        ({"action": ""}, "action", "Give the action's code."),
        ({"year": 2030}, "year", "The year must be between 2024 and 2027."),
        ({"year": "soon"}, "year", "soon is not a year"),
        ({"item": " "}, "item", "Say what is costed"),
        ({"currency": "XYZ"}, "currency", "XYZ is not an ISO 4217 currency code"),
        ({"id": 999999}, "id", "No row with id 999999 in this plan"),
    ],
)
def test_a_bad_cost_is_refused_at_its_row_and_column(
    money: Money, change: dict[str, Any], column: str, message: str
) -> None:
    bad = {**GOOD_COST, **change}
    problems = _refused(money, costs=[(0, GOOD_COST), (1, bad)])
    assert [(row, col) for row, col, _m in problems] == [(1, column)]
    assert problems[0][2].startswith(message)


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"funding_kind": "lottery"}, "funding_kind", "lottery is not allowed; use one of"),
        ({"funder": "nobody"}, "funder", "nobody is not an organisation of the directory."),
        ({"gender_marker": "3"}, "gender_marker", "3 is not allowed"),
        ({"earmarked": "maybe"}, "earmarked", "Write yes or no."),
        ({"allocated": None}, "allocated", "Give at least one amount"),
        ({"spent": "-1"}, "spent", "Amounts cannot be negative."),
    ],
)
def test_a_bad_budget_line_is_refused(
    money: Money, change: dict[str, Any], column: str, message: str
) -> None:
    good = {"action": "P1.O1.1.A1", "year": 2025, "funding_kind": "donor", "allocated": "5"}
    problems = _refused(money, lines=[(7, {**good, **change})])
    assert [(row, col) for row, col, _m in problems] == [(7, column)]
    assert problems[0][2].startswith(message)


def test_every_problem_is_listed_not_just_the_first(money: Money) -> None:
    problems = _refused(
        money,
        costs=[(2, {"action": "nope", "year": 1990, "item": "", "lump_sum": "x"})],
    )
    assert [col for _r, col, _m in problems] == ["action", "year", "item", "lump_sum"]


def test_rates_rules(money: Money) -> None:
    problems = _refused(
        money,
        rates=[
            (1, {"currency": "USD", "year": 2025, "rate": "1"}),  # the plan's own currency
            (2, {"currency": "EUR", "year": 2025, "rate": "0"}),
            (3, {"currency": "GBP", "year": 2025, "rate": "1.2"}),
            (4, {"currency": "GBP", "year": 2025, "rate": "1.3"}),  # twice
            (5, {"currency": "GBP", "year": 1800, "rate": "1.3"}),
        ],
    )
    assert problems == [
        (1, "currency", "USD is the plan's currency: it needs no rate."),
        (2, "rate", "Give a rate above zero."),
        (4, "year", "A second rate for GBP in 2025."),
        (5, "year", "The year must be between 1900 and 2100."),
    ]


def test_a_rate_replaces_the_one_for_the_same_currency_and_year(money: Money) -> None:
    services.rate_set(
        by=money.users["coordinator"], plan=money.plan, currency="EUR", year=2024, rate="1.25"
    )
    assert ExchangeRate.objects.get(plan=money.plan, currency="EUR", year=2024).rate == Decimal(
        "1.25"
    )
    assert ExchangeRate.objects.filter(plan=money.plan).count() == 2


def test_the_currency_changes_only_while_there_are_no_rates(money: Money) -> None:
    coordinator = money.users["coordinator"]
    with pytest.raises(ValidationError, match="delete them before changing"):
        services.plan_currency_set(by=coordinator, plan=money.plan, currency="CDF")
    for rate in ExchangeRate.objects.filter(plan=money.plan):
        services.rate_delete(by=coordinator, rate=rate)
    assert services.plan_currency_set(by=coordinator, plan=money.plan, currency="cdf").currency == (
        "CDF"
    )
    with pytest.raises(ValidationError, match="not an ISO 4217"):
        services.plan_currency_set(by=coordinator, plan=money.plan, currency="francs")


def test_a_row_with_an_id_changes_that_row(money: Money) -> None:
    line = money.line("P1.O1.1.A1", 2024)
    row = {"id": line.pk, "action": "P1.O1.1.A1", "year": 2024, "funding_kind": "national_budget",
           "funder": "mogender", "allocated": "650", "spent": "320"}  # fmt: skip
    result = services.finance_rows_apply(
        by=money.users["coordinator"], plan=money.plan, lines=[(0, row)]
    )
    assert (result.created["lines"], result.updated["lines"]) == (0, 1)
    line.refresh_from_db()
    assert (line.allocated, line.spent, line.committed) == (Decimal(650), Decimal(320), None)
    assert line.gender_marker == "not_screened"  # an empty marker is not screened, never 0


def test_an_id_from_another_plan_is_refused(money: Money) -> None:
    from tests.portal.conftest import build_plan

    other = build_plan(code="other-plan")
    coordinator = money.users["coordinator"]
    from wpsmonitor.accounts.models import PlanRole, Role

    PlanRole.objects.create(user=coordinator, plan=other.plan, role=Role.COORDINATOR)
    line = money.line("P1.O1.1.A1", 2024)
    row = {"id": line.pk, "action": "P1.O1.1.A1", "year": 2024, "funding_kind": "donor",
           "allocated": "1"}  # fmt: skip
    with pytest.raises(FinanceInputError) as failed:
        services.finance_rows_apply(by=coordinator, plan=other.plan, lines=[(0, row)])
    assert [p.column for p in failed.value.problems] == ["id"]


def test_dry_run_checks_and_stores_nothing(money: Money) -> None:
    before = _state(money)
    result = services.finance_rows_apply(
        by=money.users["coordinator"], plan=money.plan, costs=[(0, GOOD_COST)], dry_run=True
    )
    assert result.created["costs"] == 1
    assert _state(money) == before


def test_focal_points_edit_their_organisations_actions_only(money: Money) -> None:
    focal = money.users["focal"]  # Ministry of Gender
    cost = services.cost_save(by=focal, plan=money.plan, data=GOOD_COST)
    assert cost.pk is not None
    police_action = {**GOOD_COST, "action": "P2.O1.1.A2"}
    with pytest.raises(FinanceForbidden) as refused:
        services.finance_rows_apply(by=focal, plan=money.plan, costs=[(3, police_action)])
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "action")]
    with pytest.raises(PermissionDenied):
        services.cost_save(by=money.users["police_focal"], plan=money.plan, data=GOOD_COST)
    with pytest.raises(PermissionDenied):
        services.rate_set(by=focal, plan=money.plan, currency="GBP", year=2025, rate="1")
    with pytest.raises(PermissionDenied):
        services.budget_line_delete(
            by=money.users["police_focal"], line=money.line("P1.O1.1.A1", 2024)
        )
    for name in ("viewer", "monitor", "outsider"):
        with pytest.raises(PermissionDenied):
            services.cost_save(by=money.users[name], plan=money.plan, data=GOOD_COST)
