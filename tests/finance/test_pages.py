"""The finance pages: the summary with its SVG and tables, the entry forms, fixed queries."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.finance.conftest import Money

from wpsmonitor.finance import services
from wpsmonitor.finance.models import ActionCost, BudgetLine


def test_summary_page_shows_bars_tables_and_the_missing_rates(money: Money) -> None:
    page = Client().get(f"/plans/{money.plan.code}/finance/")
    assert page.status_code == 200
    html = page.content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None
    chart = svg.group(0)
    assert 'role="img"' in chart and "<title id=" in chart and "<desc id=" in chart
    # Three bars per pillar, each labelled with its amount (not colour alone) and patterned.
    assert chart.count("<rect x=") >= 6
    assert "Costed 3,200" in chart and "Allocated 1,700" in chart and "Spent 850" in chart
    assert 'fill="url(#finance-pillars-allocated)"' in chart
    # The same figures in a table, with headers scoped.
    assert '<th scope="row">P1 Pillar 1</th><td class="num">3,200</td>' in html
    assert "1 amount not converted: no EUR rate for 2025" in html
    assert "1 amount not converted: no EUR rate for 2026" in html
    assert "3 of 4 actions (75%)" in html
    assert "Record the cost" not in html  # no forms for anonymous readers


def test_the_page_reads_in_french(money: Money) -> None:
    page = Client().get(f"/plans/{money.plan.code}/finance/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    assert '<html lang="fr"' in page.content.decode()


def test_page_queries_do_not_grow_with_the_budget_lines(money: Money) -> None:
    client = Client()
    url = f"/plans/{money.plan.code}/finance/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    rows = [
        (i, {"action": "P2.O1.1.A1", "year": 2024 + i % 4, "funding_kind": "other",
             "currency": "USD", "allocated": i + 1, "funder": "un-org"})
        for i in range(300)
    ]  # fmt: skip
    services.finance_rows_apply(by=money.users["coordinator"], plan=money.plan, lines=rows)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 12


def test_coordinator_adds_changes_and_deletes_a_cost(money: Money) -> None:
    client = Client()
    client.force_login(money.users["coordinator"])
    base = f"/plans/{money.plan.code}/finance"
    page = client.get(base + "/costs/")
    assert 'for="add-action"' in page.content.decode()
    answer = client.post(base + "/costs/", {"action": "P2.O1.1.A2", "year": "2025",
                                            "item": "Radio spots", "currency": "",
                                            "unit_cost": "250", "quantity": "4"})  # fmt: skip
    assert answer.status_code == 302
    cost = ActionCost.objects.get(item="Radio spots")
    assert (cost.currency, cost.amount) == ("USD", 1000)
    edit = client.get(f"{base}/costs/{cost.pk}/")
    assert 'value="Radio spots"' in edit.content.decode()
    answer = client.post(f"{base}/costs/{cost.pk}/", {"action": "P2.O1.1.A2", "year": "2025",
                                                      "item": "Radio spots", "lump_sum": "900"})  # fmt: skip
    assert answer.status_code == 302
    cost.refresh_from_db()
    assert (cost.lump_sum, cost.unit_cost) == (900, None)
    assert client.post(f"{base}/costs/{cost.pk}/delete/").status_code == 302
    assert not ActionCost.objects.filter(pk=cost.pk).exists()


def test_a_bad_form_shows_the_error_and_keeps_the_input(money: Money) -> None:
    client = Client()
    client.force_login(money.users["coordinator"])
    before = BudgetLine.objects.count()
    answer = client.post(f"/plans/{money.plan.code}/finance/lines/", {
        "action": "P1.O1.1.A1", "year": "2025", "funding_kind": "donor", "allocated": "1,5",
        "budget_code": "KEEP-ME"})  # fmt: skip
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "allocated: Write numbers with a point for decimals" in html
    assert 'value="KEEP-ME"' in html
    assert BudgetLine.objects.count() == before


def test_rates_page_and_currency(money: Money) -> None:
    client = Client()
    client.force_login(money.users["coordinator"])
    url = f"/plans/{money.plan.code}/finance/rates/"
    assert client.post(url, {"currency": "GBP", "year": "2025", "rate": "1.27"}).status_code == 302
    html = client.get(url).content.decode()
    assert '<th scope="row">GBP</th><td>2025</td><td class="num">1.2700</td>' in html
    answer = client.post(url, {"do": "currency", "currency": "EUR"})
    assert answer.status_code == 400
    assert "delete them before changing" in answer.content.decode()


def test_focal_point_is_offered_only_their_organisations_actions(money: Money) -> None:
    client = Client()
    client.force_login(money.users["police_focal"])
    html = client.get(f"/plans/{money.plan.code}/finance/lines/").content.decode()
    options = re.findall(r'<option value="(P[^"]+)"', html)
    assert set(options) == {"P2.O1.1.A2"}
    line = money.line("P1.O1.1.A1", 2024)
    assert client.get(f"/plans/{money.plan.code}/finance/lines/{line.pk}/").status_code == 403
