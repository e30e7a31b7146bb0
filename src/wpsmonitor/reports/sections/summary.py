"""The report's summary: key figures first (docs/reports.md, "Summary")."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wpsmonitor.indicators.selectors import plan_progress
from wpsmonitor.reports.cells import number_cell, percent_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Section, Table


def key_figures(context: ReportContext) -> Table:
    progress = plan_progress(
        plan=context.plan,
        period_code=context.period_code,
        today=context.today,
        figures=context.figures,
        hidden=context.hidden,
    )
    actions = progress.actions
    rows = (
        (text_cell(_("Indicators")), number_cell(progress.indicators_total)),
        (text_cell(_("Indicators with a figure")), number_cell(progress.indicators_measured)),
        (
            text_cell(_("Mean achievement of the measured indicators")),
            percent_cell(progress.achievement),
        ),
        (text_cell(_("Actions")), number_cell(actions.total)),
        (text_cell(_("Actions completed")), number_cell(actions.completed)),
        (text_cell(_("Actions delayed")), number_cell(actions.delayed)),
        (text_cell(_("Share of actions completed")), percent_cell(actions.completion)),
    )
    return Table(
        key="summary.key_figures",
        title=_("Key figures"),
        columns=(_("Figure"), _("Value")),
        rows=rows,
    )


def build(context: ReportContext) -> Section:
    return Section(key="summary", title=_("Summary"), blocks=(key_figures(context),))
