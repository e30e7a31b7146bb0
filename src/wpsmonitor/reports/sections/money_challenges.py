"""The report's "Civil society on the budget" subsection of Money (key "money.challenges";
docs/oversight.md, "Civil society on the budget"): the challenges civil society opened on the
budget lines of the report's years, with their status and the last word of their exchange, and
where the government's and civil society's published accounts of that money differ most.

Everything here was published by its authors (a challenge is public from the moment it is
opened; an account once its organisation publishes it): both versions show it. Money is not a
count of persons, so no disclosure control applies. Nobody writes here in civil society's name:
its words are printed as it wrote them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from wpsmonitor.finance.models import BudgetChallenge, ChallengeStatus
from wpsmonitor.finance.oversight import budget_divergence, challenges
from wpsmonitor.reports.cells import money_cell, number_cell, percent_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Paragraph, Section, Table
from wpsmonitor.shell.templatetags.shell import num

KEY = "money.challenges"


def _challenges(context: ReportContext) -> list[BudgetChallenge]:
    years = range(context.first_year, context.last_year + 1)
    return list(challenges(context.plan).filter(line__year__in=years).order_by("opened_at", "pk"))


def challenges_table(found: list[BudgetChallenge]) -> Table | None:
    if not found:
        return None
    rows = []
    for c in found:
        messages = list(c.messages.all())
        last = messages[-1] if messages else None
        rows.append(
            (
                text_cell(c.line.action.code),
                number_cell(c.line.year),
                text_cell(c.organisation.name),
                text_cell(c.addressee.name if c.addressee else _("The plan's coordinator")),
                text_cell(c.subject),
                text_cell(c.get_status_display()),
                text_cell(f"{last.get_kind_display()}: {last.text}" if last else ""),
            )
        )
    return Table(
        key="money.challenges.list",
        title=_("Civil society's challenges on budget lines"),
        columns=(
            _("Action"),
            _("Year"),
            _("Opened by"),
            _("Addressed to"),
            _("Subject"),
            _("Status"),
            _("Last word"),
        ),
        rows=tuple(rows),
    )


def divergence_table(context: ReportContext) -> Table | None:
    years = set(range(context.first_year, context.last_year + 1))
    comparison = budget_divergence(context.plan)
    found = [d for d in comparison.divergences if d.line.year in years]
    if not found:
        return None
    cur = comparison.currency
    rows = []
    for d in found:
        released, reached = d.stage("released"), d.stage("reached")
        rows.append(
            (
                text_cell(d.line.action.code),
                number_cell(d.line.year),
                text_cell(d.account.organisation.name),
                money_cell(_float(released.government), cur),
                money_cell(_float(released.civil_society), cur),
                percent_cell(released.relative),
                money_cell(_float(reached.government), cur),
                money_cell(_float(reached.civil_society), cur),
                percent_cell(reached.relative),
            )
        )
    return Table(
        key="money.challenges.divergence",
        title=_("Where the accounts of the money differ most"),
        columns=(
            _("Action"),
            _("Year"),
            _("Organisation"),
            _("Disbursed (government)"),
            _("Released (civil society)"),
            _("Difference, share of the larger"),
            _("Spent (government)"),
            _("Reached the field (civil society)"),
            _("Difference, share of the larger"),
        ),
        rows=tuple(rows),
        note=_(
            "Each organisation's latest published account of the line; the government's amounts "
            "converted into the plan's currency with the plan's rates."
        ),
    )


def _float(value: object) -> float | None:
    return None if value is None else float(str(value))


def build(context: ReportContext) -> Section:
    title = _("Civil society on the budget")
    found = _challenges(context)
    listed = challenges_table(found)
    compared = divergence_table(context)
    if listed is None and compared is None:
        return Section(
            key=KEY,
            title=title,
            empty=_(
                "Civil society opened no challenge and published no account of the money of "
                "the budget lines of the years this report covers."
            ),
        )
    blocks: list[Paragraph | Table] = []
    if listed is not None:
        counts = {s: sum(1 for c in found if c.status == s) for s in ChallengeStatus.values}
        blocks.append(
            Paragraph(
                _(
                    "%(total)s challenges: %(open)s open, %(answered)s answered, %(disputed)s "
                    "disputed, %(resolved)s resolved."
                )
                % {
                    "total": num(len(listed.rows)),
                    "open": num(counts[ChallengeStatus.OPEN]),
                    "answered": num(counts[ChallengeStatus.ANSWERED]),
                    "disputed": num(counts[ChallengeStatus.DISPUTED]),
                    "resolved": num(counts[ChallengeStatus.RESOLVED]),
                }
            )
        )
        blocks.append(listed)
    if compared is not None:
        blocks.append(compared)
    return Section(key=KEY, title=title, blocks=tuple(blocks))
