"""The report's "Money" section (docs/reports.md): costed, allocated, disbursed and spent by
pillar and by source for the report's years, the execution rate, earmarking, the gender
marker (the finance app's figures, docs/finance.md), and the donor flows that reached local and
women's organisations (the IATI app's, docs/iati.md).

Amounts are in the plan's currency; an amount without a rate is left out and said so, never
guessed (the finance and IATI rules). Money is not a count of persons: both versions show it.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from wpsmonitor.finance.selectors import FinanceSummary, Row, Stages, finance_summary
from wpsmonitor.iati import flows
from wpsmonitor.iati.selectors import (
    activity_records,
    country_of,
    organisation_flags,
    plan_activities,
    plan_rates,
)
from wpsmonitor.reports.cells import money_cell, number_cell, percent_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Cell, Paragraph, Section, Table
from wpsmonitor.reports.sections import money_challenges
from wpsmonitor.shell.templatetags.shell import num


def _amount(value: Decimal, currency: str) -> Cell:
    return money_cell(float(value), currency)


def totals_table(summary: FinanceSummary) -> Table:
    cur = summary.currency
    total = summary.total
    rows = (
        (text_cell(_("Costed")), _amount(total.costed, cur)),
        (text_cell(_("Allocated")), _amount(total.allocated, cur)),
        (text_cell(_("Committed")), _amount(total.committed, cur)),
        (text_cell(_("Disbursed")), _amount(total.disbursed, cur)),
        (text_cell(_("Spent")), _amount(total.spent, cur)),
        (text_cell(_("Allocated out of costed")), percent_cell(total.allocated_of_costed)),
        (text_cell(_("Execution rate (spent out of allocated)")), percent_cell(total.execution)),
        (
            text_cell(_("Earmarked for the plan, out of allocated")),
            percent_cell(summary.earmarked_share),
        ),
        (text_cell(_("National budget, out of allocated")), percent_cell(summary.national_share)),
        (text_cell(_("Actions with a cost")), number_cell(summary.actions_costed)),
        (text_cell(_("Actions with a budget line")), number_cell(summary.actions_funded)),
        (text_cell(_("Actions")), number_cell(summary.actions)),
    )
    return Table(
        key="money.totals",
        title=_("The plan's money"),
        columns=(_("Figure"), _("Amount or share")),
        rows=rows,
    )


def _stage_cells(stages: Stages, currency: str, *, costed: bool) -> tuple[Cell, ...]:
    cells = (_amount(stages.costed, currency),) if costed else ()
    return (
        *cells,
        _amount(stages.allocated, currency),
        _amount(stages.disbursed, currency),
        _amount(stages.spent, currency),
        percent_cell(stages.execution),
    )


def _stage_columns(first: str, *, costed: bool) -> tuple[str, ...]:
    cols = (_("Costed"),) if costed else ()
    return (first, *cols, _("Allocated"), _("Disbursed"), _("Spent"), _("Execution rate"))


def rows_table(
    key: str, title: str, first: str, rows: list[Row], currency: str, *, costed: bool
) -> Table:
    return Table(
        key=key,
        title=title,
        columns=_stage_columns(first, costed=costed),
        rows=tuple(
            (text_cell(r.label), *_stage_cells(r.stages, currency, costed=costed)) for r in rows
        ),
    )


def gender_table(summary: FinanceSummary) -> Table:
    return Table(
        key="money.gender_marker",
        title=_("Budget lines by gender equality policy marker"),
        columns=(_("Marker"), _("Budget lines"), _("Allocated"), _("Share of allocated")),
        rows=tuple(
            (
                text_cell(m.label),
                number_cell(m.lines),
                _amount(m.allocated, summary.currency),
                percent_cell(m.share),
            )
            for m in summary.gender
        ),
        note=_(
            "The OECD DAC gender equality policy marker of each budget line: 2 when gender "
            "equality is the principal objective, 1 a significant one, 0 not targeted."
        ),
    )


def finance_blocks(context: ReportContext) -> list[Paragraph | Table]:
    summary = finance_summary(
        context.plan, years=set(range(context.first_year, context.last_year + 1))
    )
    if not (summary.total.costs or summary.total.lines):
        return []
    cur = summary.currency
    blocks: list[Paragraph | Table] = [
        totals_table(summary),
        rows_table(
            "money.by_pillar",
            _("By pillar"),
            _("Pillar"),
            summary.by_pillar,
            cur,
            costed=True,
        ),
    ]
    if summary.total.lines:
        blocks += [
            rows_table(
                "money.by_source",
                _("By funding source"),
                _("Funding source"),
                [r for r in summary.by_kind if r.stages.lines],
                cur,
                costed=False,
            ),
            rows_table(
                "money.by_funder",
                _("By funder"),
                _("Funder"),
                summary.by_funder,
                cur,
                costed=False,
            ),
            gender_table(summary),
        ]
    for missing in summary.unconverted:
        blocks.append(Paragraph(missing.message, style="note"))
    return blocks


def _reached(report: flows.FlowReport, totals: flows.Totals) -> tuple[float | None, str]:
    """An amount in the report's currency: converted when there is a rate table, else in the
    flows' one currency; None when neither (several currencies and no rates)."""
    if report.target:
        return (None if totals.none_converted else float(totals.converted)), report.target
    if len(report.entered.by_currency) == 1:
        (currency,) = report.entered.by_currency
        return float(totals.by_currency.get(currency, Decimal(0))), currency
    return None, ""


def flows_table(report: flows.FlowReport) -> Table:
    def row(label: str, reach: flows.Reach | None, totals: flows.Totals) -> tuple[Cell, ...]:
        amount, currency = _reached(report, totals)
        share = report.share(reach) if reach is not None else None
        return (
            text_cell(label),
            money_cell(amount, currency),
            number_cell(totals.flows),
            percent_cell(share) if reach is not None else text_cell(""),
        )

    local = report.reached[flows.LOCAL]
    international = report.reached[flows.INTERNATIONAL]
    rows = (
        row(_("Paid by the funders"), None, report.entered),
        row(_("Reached national and local organisations"), local, local.total),
        row(_("… directly from the funders"), None, local.direct),
        row(_("… through intermediaries"), None, local.through),
        row(_("Reached women-led organisations"), report.women_led, report.women_led.total),
        row(_("Reached grassroots organisations"), report.grassroots, report.grassroots.total),
        row(_("Reached international organisations"), international, international.total),
    )
    return Table(
        key="money.donor_flows",
        title=_("Donor flows reaching local women's organisations"),
        columns=(_("Flow"), _("Amount"), _("Flows"), _("Share of what the funders paid")),
        rows=rows,
        note=_(
            "From the donors' IATI publications, every year they cover. Money is counted once "
            "along the chain, the first time it reaches a group: directly from a funder, or "
            "through intermediaries."
        ),
    )


def iati_blocks(context: ReportContext) -> list[Paragraph | Table]:
    plan = context.plan
    records = activity_records(plan_activities(plan))
    if not records:
        return []
    rates = plan_rates(plan)
    report = flows.trace(
        records,
        country=country_of(plan),
        flags=organisation_flags(),
        rates=rates.table,
        target=rates.target,
    )
    if not report.flows:
        return [
            Paragraph(
                _(
                    "%(n)s donor activities are linked to the plan, but none reports money "
                    "moving between organisations."
                )
                % {"n": num(len(records))}
            )
        ]
    blocks: list[Paragraph | Table] = [flows_table(report)]
    if report.entered.not_converted:
        blocks.append(Paragraph(report.entered.not_converted, style="note"))
    return blocks


def build(context: ReportContext) -> Section:
    title = _("Money")
    finance = finance_blocks(context)
    donors = iati_blocks(context)
    if not finance and not donors:
        return Section(
            key="money",
            title=title,
            empty=_(
                "No cost, budget line or donor activity is recorded for the plan in the "
                "years this report covers."
            ),
        )
    subsections = []
    subsections.append(
        Section(key="money.budget", title=_("Costs and budget"), blocks=tuple(finance))
        if finance
        else Section(
            key="money.budget",
            title=_("Costs and budget"),
            empty=_("No cost or budget line is recorded for the years this report covers."),
        )
    )
    subsections.append(
        Section(key="money.donors", title=_("Donor flows"), blocks=tuple(donors))
        if donors
        else Section(
            key="money.donors",
            title=_("Donor flows"),
            empty=_("No donor activity from IATI is linked to the plan."),
        )
    )
    subsections.append(money_challenges.build(context))
    return Section(key="money", title=title, subsections=tuple(subsections))
