"""The report's "Training and deployments" subsection of the security sector (key
"security.training"; docs/security-sector.md, "Training", "Deployments and the parity
targets"): the impact of training by institution and unit, and the people deployed to peace
operations by year and category against the UN Uniformed Gender Parity Strategy's targets.

Only the sessions and deployments that began in the report's years are counted. The internal
version shows the figures whole (counts of people, never one person: no service number is in
any report); the public one only after disclosure control: a count below the plan's threshold,
a zero included, reads "fewer than" it, and a mean or share over fewer people is left out.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from wpsmonitor.reports.cells import number_cell, percent_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Cell, Paragraph, Section, Table
from wpsmonitor.security import selectors
from wpsmonitor.security.selectors import (
    PARITY_END_YEAR,
    Impact,
    ParityRow,
    PublicImpact,
    PublicParityRow,
)

KEY = "security.training"


def _count(value: int | None, threshold: int) -> Cell:
    if value is None:
        return text_cell(_("fewer than %(n)d") % {"n": threshold})
    return number_cell(value)


def _target(value: float | None) -> Cell:
    return percent_cell(value) if value is not None else text_cell(_("not verified"))


def impact_table(code: str, rows: list[Impact] | list[PublicImpact], threshold: int) -> Table:
    return Table(
        key=f"{KEY}.impact.{code}",
        title=_("Impact of training by unit: %(code)s") % {"code": code},
        columns=(
            _("Unit"),
            _("Participants"),
            _("Women"),
            _("Men"),
            _("Mean pre-test"),
            _("Mean post-test"),
            _("Mean gain (paired)"),
            _("Improving"),
            _("Mean follow-up"),
            _("Retained"),
        ),
        rows=tuple(
            (
                text_cell(r.label),
                _count(r.participants, threshold),
                _count(r.women, threshold),
                _count(r.men, threshold),
                number_cell(r.mean_pre, 1),
                number_cell(r.mean_post, 1),
                number_cell(r.mean_gain, 1),
                percent_cell(r.improving),
                number_cell(r.mean_follow_up, 1),
                percent_cell(r.retained),
            )
            for r in rows
        ),
        note=_(
            "Scores from 0 to 100. The gain and the share improving are over the participants "
            "with both a pre-test and a post-test; retained: a follow-up evaluation at most "
            "%(margin)d points below the post-test."
        )
        % {"margin": selectors.RETAINED_MARGIN},
    )


def parity_table(rows: list[ParityRow] | list[PublicParityRow], threshold: int) -> Table:
    return Table(
        key=f"{KEY}.parity",
        title=_("People deployed to peace operations against the parity targets"),
        columns=(
            _("Year"),
            _("Category of personnel"),
            _("Women"),
            _("Men"),
            _("Women's share"),
            _("Target for the year"),
            _("Target for %(year)d") % {"year": PARITY_END_YEAR},
            _("Trained before deployment"),
        ),
        rows=tuple(
            (
                text_cell(r.year),
                text_cell(r.label),
                _count(r.women, threshold),
                _count(r.men, threshold),
                percent_cell(r.share),
                _target(r.target),
                _target(r.end_target),
                percent_cell(r.trained_share),
            )
            for r in rows
        ),
        note=_(
            "Targets of the UN Uniformed Gender Parity Strategy 2018–2028 for the share of "
            "women deployed; a year whose target was not verified against a published source "
            "shows none. Trained before deployment: attended a pre-deployment session that "
            "ended before the deployment began, or as entered for deployments given as counts."
        ),
    )


def build(context: ReportContext) -> Section:
    plan = context.plan
    years = set(range(context.first_year, context.last_year + 1))
    threshold = plan.disclosure_threshold
    public = context.is_public
    title = _("Training and deployments")
    blocks: list[Paragraph | Table] = []
    for institution in selectors.institutions(plan):
        rows = [i for _u, i in selectors.training_impact(institution, years=years)]
        if not rows[-1].attendances:
            continue
        shown: list[Impact] | list[PublicImpact] = (
            [selectors.public_impact(i, threshold) for i in rows] if public else rows
        )
        blocks.append(impact_table(institution.code, shown, threshold))
    parity = selectors.parity(plan, years=years)
    if parity:
        blocks.append(
            parity_table(
                [selectors.public_parity(r, threshold) for r in parity] if public else parity,
                threshold,
            )
        )
    if not blocks:
        return Section(
            key=KEY,
            title=title,
            empty=_(
                "No training session or deployment of the plan's security institutions began "
                "in the years this report covers."
            ),
        )
    if public:
        blocks.insert(
            0,
            Paragraph(
                _(
                    "Disclosure control: a count below %(n)d, zero included, is shown as "
                    "“fewer than %(n)d”, and a mean or share computed over fewer than %(n)d "
                    "people is not shown."
                )
                % {"n": threshold}
            ),
        )
    return Section(key=KEY, title=title, blocks=tuple(blocks))
