"""The report's "Self-assessments of the security institutions" section
(docs/security-sector.md, "Self-assessment"): for each institution, its latest published
self-assessment of each framework held by the end of the report's period, its score on every
theme (1 to 4) and the change since the previous published assessment of the same framework.

Only published assessments: a draft is the institution's working copy. A score is the
institution's own judgement, not a count of persons: both versions show it.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from wpsmonitor.reports.cells import number_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Cell, Paragraph, Section, Table
from wpsmonitor.security.assessment import SCALE
from wpsmonitor.security.selectors import LatestAssessment, latest_by_institution

KEY = "security.assessment"


def _change(value: int | None) -> Cell:
    if value is None:
        return text_cell(None)
    cell = number_cell(value)
    return Cell(text=f"+{cell.text}" if value > 0 else cell.text, value=value, kind="number")


def assessment_table(found: LatestAssessment) -> Table:
    trend = found.trend
    latest, previous = trend.latest, trend.previous
    rows = tuple(
        (
            text_cell(r.name),
            number_cell(r.scores[-1]),
            number_cell(r.scores[-2] if previous is not None else None),
            _change(r.change),
        )
        for r in trend.rows
    )
    code = found.institution.code
    return Table(
        key=f"{KEY}.{code}.{trend.framework}",
        title=_("%(institution)s: %(framework)s of %(date)s")
        % {
            "institution": code,
            "framework": trend.label,
            "date": latest.assessed_on.isoformat(),
        },
        columns=(
            _("Theme"),
            _("Score"),
            _("Previous score"),
            _("Change"),
        ),
        rows=rows,
        note=(
            _("Compared with the assessment of %(date)s.")
            % {"date": previous.assessed_on.isoformat()}
            if previous is not None
            else _("The first assessment of this framework: no change to show.")
        ),
    )


def build(context: ReportContext) -> Section:
    title = _("Self-assessments of the security institutions")
    found = latest_by_institution(context.plan, until=date(context.last_year, 12, 31))
    if not found:
        return Section(
            key=KEY,
            title=title,
            empty=_("No security institution of the plan has published a self-assessment."),
        )
    scale = "; ".join(str(label) for _value, label in SCALE)
    blocks: list[Paragraph | Table] = [
        Paragraph(
            _(
                "Each institution's latest published self-assessment, against the themes of "
                "DCAF's Gender Self-Assessment Guide or the issue areas of the Elsie "
                "Initiative's MOWIP method, scored by the institution from 1 to 4 (%(scale)s), "
                "with the change since its previous assessment of the same framework."
            )
            % {"scale": scale}
        )
    ]
    blocks.extend(assessment_table(f) for f in found)
    return Section(key=KEY, title=title, blocks=tuple(blocks))
