"""The report's money: the finance app's figures for the report's years, and the donor flows
of the IATI app (docs/reports.md, "Money")."""

from __future__ import annotations

import pytest
from tests.reports.sections_base import DemoSectionTests

from wpsmonitor.finance.models import BudgetLine
from wpsmonitor.finance.selectors import finance_summary
from wpsmonitor.iati import flows
from wpsmonitor.iati.selectors import donor_summary
from wpsmonitor.reports.document import PUBLIC
from wpsmonitor.reports.sections import money


class MoneyTests(DemoSectionTests):
    def test_the_year_s_money_is_the_finance_page_s_row_for_that_year(self) -> None:
        context = self.context()
        whole = finance_summary(context.plan)
        (year,) = [r for r in whole.by_year if r.key == "2025"]
        assert year.stages.allocated > 0 and year.stages.allocated != whole.total.allocated
        section = money.build(context)
        totals = {r[0].text: r[1] for r in self.table(section, "money.totals").rows}
        assert totals["Allocated"].value == float(year.stages.allocated)
        assert totals["Spent"].value == float(year.stages.spent)
        assert totals["Costed"].value == float(year.stages.costed)
        assert totals["Allocated"].text.endswith(f"\u00a0{whole.currency}")
        assert totals["Execution rate (spent out of allocated)"].value == pytest.approx(
            year.stages.execution
        )

    def test_pillars_and_sources_add_up_to_the_total(self) -> None:
        section = money.build(self.context())
        totals = {r[0].text: r[1].value for r in self.table(section, "money.totals").rows}
        by_pillar = self.table(section, "money.by_pillar")
        allocated = [c.value for c in self.column(by_pillar, "Allocated")]
        assert round(sum(allocated), 2) == totals["Allocated"]  # type: ignore[arg-type]
        by_source = self.table(section, "money.by_source")
        spent = [c.value for c in self.column(by_source, "Spent")]
        assert round(sum(spent), 2) == totals["Spent"]  # type: ignore[arg-type]
        national = by_source.rows[0]
        assert national[0].text == "National budget"
        share = totals["National budget, out of allocated"]
        assert share == pytest.approx(national[1].value / totals["Allocated"])  # type: ignore[operator]

    def test_the_gender_marker_counts_every_budget_line_of_the_year(self) -> None:
        section = money.build(self.context())
        markers = self.table(section, "money.gender_marker")
        lines = BudgetLine.objects.filter(action__plan=self.context().plan, year=2025).count()
        assert sum(c.value for c in self.column(markers, "Budget lines")) == lines  # type: ignore[misc]

    def test_donor_flows_to_local_and_women_led_organisations_are_the_iati_app_s(self) -> None:
        context = self.context(PUBLIC)
        report = donor_summary(context.plan).report
        section = money.build(context)
        rows = {r[0].text: r for r in self.table(section, "money.donor_flows").rows}
        local = report.reached[flows.LOCAL].total
        assert rows["Reached national and local organisations"][1].value == float(local.converted)
        assert rows["Reached national and local organisations"][3].value == pytest.approx(
            report.share(report.reached[flows.LOCAL])
        )
        assert rows["Reached women-led organisations"][1].value == float(
            report.women_led.total.converted
        )
        assert rows["Paid by the funders"][2].value == report.entered.flows

    def test_a_plan_without_money_says_so(self) -> None:
        section = money.build(self.empty_plan_context())
        assert section.title == "Money" and not section.tables and not section.subsections
        assert section.empty.startswith("No cost, budget line or donor activity")

    def test_queries_are_bounded(self) -> None:
        assert self.queries(money.build, self.context()) <= 20
