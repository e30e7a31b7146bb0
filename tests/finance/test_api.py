"""The finance API: the summary with its breakdowns, the lists, all-or-nothing writes, schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.finance.conftest import Money

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.finance.models import ActionCost, BudgetLine


def _client(m: Money, role: str) -> tuple[Client, dict[str, str]]:
    _token, raw = ApiToken.issue(user=m.users[role], name="test")
    return Client(), {"Authorization": f"Bearer {raw}"}


def test_summary_answers_the_hand_computed_figures(money: Money) -> None:
    client, headers = _client(money, "viewer")
    body = client.get(f"/api/v1/plans/{money.plan.code}/finance", headers=headers).json()
    assert body["currency"] == "USD"
    assert (body["actions"], body["actions_costed"], body["costed_share"]) == (4, 3, 0.75)
    total = body["total"]
    assert [
        float(total[k]) for k in ("costed", "allocated", "committed", "disbursed", "spent")
    ] == [5200, 3100, 500, 400, 950]
    assert total["execution_rate"] == pytest.approx(950 / 3100)
    assert float(body["national_budget"]["allocated"]) == 2000
    assert float(body["external"]["allocated"]) == 1100
    assert float(body["earmarked"]["allocated"]) == 1700
    assert [(r["key"], float(r["spent"])) for r in body["by_pillar"]] == [("P1", 850), ("P2", 100)]
    assert [r["key"] for r in body["by_year"]] == ["2024", "2025"]
    assert {m["marker"]: m["budget_lines"] for m in body["gender_marker"]} == {
        "not_screened": 1, "0": 1, "1": 1, "2": 1
    }  # fmt: skip
    assert [u["message"] for u in body["not_converted"]] == [
        "1 amount not converted: no EUR rate for 2025",
        "1 amount not converted: no EUR rate for 2026",
    ]


def test_lists_page_with_a_count(money: Money) -> None:
    client, headers = _client(money, "viewer")
    api = f"/api/v1/plans/{money.plan.code}/finance"
    lines = client.get(api + "/budget-lines?limit=2&offset=1", headers=headers).json()
    assert lines["count"] == 5 and len(lines["items"]) == 2
    costs = client.get(api + "/costs", headers=headers).json()
    first = costs["items"][0]
    assert (first["action"], first["item"], float(first["amount"])) == (
        "P1.O1.1.A1",
        "Training",
        1000,
    )
    rates = client.get(api + "/rates", headers=headers).json()
    assert [(r["currency"], r["year"]) for r in rates] == [("CDF", 2024), ("EUR", 2024)]
    bad = client.get(api + "/costs?limit=0", headers=headers)
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "limit"


def test_a_bulk_write_is_all_or_nothing_with_located_errors(money: Money) -> None:
    client, headers = _client(money, "coordinator")
    url = f"/api/v1/plans/{money.plan.code}/finance/budget-lines"
    body: list[dict[str, Any]] = [
        {"action": "P1.O1.1.A1", "year": 2026, "funding_kind": "donor", "allocated": "10"},
        {"action": "P1.O1.1.A1", "year": 2026, "funding_kind": "grant", "allocated": "10"},
        {"action": "P9", "year": 2026, "funding_kind": "donor", "allocated": "-1"},
    ]
    before = BudgetLine.objects.count()
    answer = client.post(url, body, content_type="application/json", headers=headers)
    assert answer.status_code == 400
    assert [(e["row"], e["field"]) for e in answer.json()["errors"]] == [
        (1, "funding_kind"),
        (2, "action"),
        (2, "allocated"),
    ]
    assert BudgetLine.objects.count() == before
    answer = client.post(url + "?dry_run=true", body[:1], content_type="application/json",
                         headers=headers)  # fmt: skip
    assert answer.json() == {"created": 1, "updated": 0, "dry_run": True}
    assert BudgetLine.objects.count() == before
    answer = client.post(url, body[:1], content_type="application/json", headers=headers)
    assert answer.json() == {"created": 1, "updated": 0, "dry_run": False}
    assert BudgetLine.objects.count() == before + 1


def test_a_wrong_type_is_a_400_in_the_error_shape(money: Money) -> None:
    client, headers = _client(money, "coordinator")
    url = f"/api/v1/plans/{money.plan.code}/finance/costs"
    answer = client.post(url, [{"action": "P1.O1.1.A1", "year": "next", "item": "x"}],
                         content_type="application/json", headers=headers)  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["detail"] == "Invalid request."


def test_a_focal_point_writing_another_organisations_action_gets_403(money: Money) -> None:
    client, headers = _client(money, "focal")
    url = f"/api/v1/plans/{money.plan.code}/finance/costs"
    answer = client.post(
        url,
        [{"action": "P2.O1.1.A2", "year": 2025, "item": "x", "lump_sum": "1"}],
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 403
    assert answer.json()["errors"][0] == {
        "row": 0, "field": "action", "message": "You may not edit the finance of action P2.O1.1.A2."
    }  # fmt: skip
    assert not ActionCost.objects.filter(item="x").exists()


def test_currency_rates_and_deletes(money: Money) -> None:
    client, headers = _client(money, "coordinator")
    api = f"/api/v1/plans/{money.plan.code}/finance"
    answer = client.put(api + "/currency", {"currency": "EUR"}, content_type="application/json",
                        headers=headers)  # fmt: skip
    assert answer.status_code == 400 and "delete them before" in answer.json()["detail"]
    answer = client.put(api + "/rates", [{"currency": "EUR", "year": 2025, "rate": "1.2"}],
                        content_type="application/json", headers=headers)  # fmt: skip
    assert answer.json()["created"] == 1
    assert client.delete(api + "/rates/eur/2025", headers=headers).json() == {"deleted": True}
    assert client.delete(api + "/rates/EUR/2025", headers=headers).status_code == 404
    line = money.line("P2.O1.1.A1", 2025)
    assert client.delete(f"{api}/budget-lines/{line.pk}", headers=headers).status_code == 200
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


def test_reads_need_authentication_and_writes_a_token(money: Money) -> None:
    anonymous = Client()
    assert anonymous.get(f"/api/v1/plans/{money.plan.code}/finance").status_code == 401
    session = Client()
    session.force_login(money.users["coordinator"])
    assert session.get(f"/api/v1/plans/{money.plan.code}/finance").status_code == 200
    answer = session.post(f"/api/v1/plans/{money.plan.code}/finance/costs", [],
                          content_type="application/json")  # fmt: skip
    assert answer.status_code == 401


def test_every_finance_endpoint_is_in_the_schema_with_its_responses(db: None) -> None:
    schema = Client().get("/api/v1/schema").json()
    operations = {
        op["operationId"]: op
        for path, item in schema["paths"].items()
        if "/finance" in path
        for op in item.values()
    }
    assert set(operations) == {
        "finance_summary", "finance_costs", "finance_budget_lines", "finance_rates",
        "finance_costs_write", "finance_budget_lines_write", "finance_rates_write",
        "finance_currency_set", "finance_cost_delete", "finance_budget_line_delete",
        "finance_rate_delete", "finance_line_civil_society", "finance_money_accounts",
        "finance_challenges", "finance_budget_divergence",
        "finance_money_account_create", "finance_money_account_change",
        "finance_money_account_publish", "finance_money_account_file_attach",
        "finance_challenge_open", "finance_challenge_answer", "finance_challenge_dispute",
        "finance_challenge_resolve",
    }  # fmt: skip
    for op_id, op in operations.items():
        assert "200" in op["responses"], op_id
        assert "content" in op["responses"]["200"], op_id
        assert "404" in op["responses"], op_id
