"""The report's "Security sector" section (docs/reports.md, "Security sector";
docs/security-sector.md, docs/conduct.md).

A section made of subsections, each built by one function of `SUBSECTIONS` from the report's
context: the institutions and their indicator package, women's share of personnel by rank for
the report's years, the coverage of women's and children's desks by province, and the
allegations of sexual exploitation and abuse counted after disclosure control. Another module
adds a subsection by appending its `build(context) -> Section` to `SUBSECTIONS` (the
extension point: training and deployments, the institutions' self-assessment).

What each version shows:
- personnel figures are read where `context.figures` says (the release and its flags for the
  public version), as the pillars section reads every indicator;
- desks are counted by province and status, the same in both versions; a desk's case counts
  (members only, never published) are in neither;
- allegations are the conduct app's suppressed counts (by category and by kind × year), in
  both versions: the register and its detail stay in the conduct app, read only by those the
  coordinator names.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from wpsmonitor.conduct import selectors as conduct
from wpsmonitor.conduct.selectors import YearCounts
from wpsmonitor.core.names import localized_name
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.indicators.reading import flag_text
from wpsmonitor.indicators.selectors import Figure
from wpsmonitor.reports.cells import figure_cell, number_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Cell, Paragraph, Section, Table
from wpsmonitor.reports.reads import scheme_dimensions, yearly_cells
from wpsmonitor.reports.sections import security_assessment, security_training
from wpsmonitor.reports.texts import content_cell
from wpsmonitor.security import selectors as security
from wpsmonitor.security.models import InstitutionKind, SecurityInstitution
from wpsmonitor.shell.templatetags.shell import DASH

SectionBuilder = Callable[[ReportContext], Section]

KEY = "security"
RANK_DIMENSION = "nato_rank"  # security.services.RANK_DIMENSION
# The package's shares read here: women's share of personnel (by rank) and of command posts.
PERSONNEL_SHARE = "PERS-W"
COMMAND_SHARE = "CMD-W"


def _institutions(context: ReportContext) -> list[SecurityInstitution]:
    return list(security.institutions(context.plan).prefetch_related("package__indicators"))


def institutions_section(context: ReportContext) -> Section:
    title = _("Institutions and their indicator package")
    found = _institutions(context)
    if not found:
        return Section(
            key=f"{KEY}.institutions",
            title=title,
            empty=_("No security institution is recorded for the plan."),
        )
    rows: list[tuple[Cell, ...]] = []
    adopted = 0
    for institution in found:
        adoption = getattr(institution, "package", None)
        adopted += adoption is not None
        internal = institution.institutional_plan
        rows.append(
            (
                text_cell(institution.code),
                text_cell(InstitutionKind(institution.kind).label),
                content_cell(context.texts.of_organisation(institution.organisation)),
                text_cell(internal.code if internal else DASH),
                text_cell(_("Yes") if adoption is not None else _("No")),
                number_cell(len(adoption.indicators.all()) if adoption is not None else None),
            )
        )
    return Section(
        key=f"{KEY}.institutions",
        title=title,
        blocks=(
            Paragraph(
                _("%(adopted)s of %(total)s institutions have adopted the indicator package.")
                % {"adopted": adopted, "total": len(found)}
            ),
            Table(
                key=f"{KEY}.institutions",
                title=_("Security institutions"),
                columns=(
                    _("Code"),
                    _("Kind"),
                    _("Organisation"),
                    _("Internal WPS plan"),
                    _("Package adopted"),
                    _("Package indicators"),
                ),
                rows=tuple(rows),
            ),
        ),
    )


def _shares(context: ReportContext, found: list[SecurityInstitution]) -> dict[str, Indicator]:
    """The package's share indicators the report may show, by code."""
    ids = [
        i.pk
        for institution in found
        if (adoption := getattr(institution, "package", None)) is not None
        for i in adoption.indicators.all()
        if i.code.endswith((f"-{PERSONNEL_SHARE}", f"-{COMMAND_SHARE}"))
    ]
    return {
        i.code: i for i in Indicator.objects.filter(pk__in=ids).exclude(context.hidden).order_by()
    }


def personnel_table(
    context: ReportContext,
    institution: SecurityInstitution,
    personnel: Indicator,
    command: Indicator | None,
    figures: dict[int, dict[tuple[str, str], Figure]],
    ranks: tuple[tuple[str, str], ...],
) -> Table:
    years = context.years

    def row(label: str, indicator: Indicator, cell_key: str) -> tuple[Cell, ...]:
        points = figures.get(indicator.pk, {})
        return (
            text_cell(label),
            *(
                figure_cell(f, indicator) if (f := points.get((y, cell_key))) else text_cell(DASH)
                for y in years
            ),
        )

    rows = [row(_("All ranks"), personnel, "")]
    rows += [
        row(localized_name(name), personnel, f"{RANK_DIMENSION}={code}") for code, name in ranks
    ]
    if command is not None:
        rows.append(row(_("Command positions"), command, ""))
    return Table(
        key=f"{KEY}.{institution.code}.personnel",
        title=_("%(institution)s: women's share of personnel, by rank")
        % {"institution": institution.code},
        columns=(_("Rank"), *years),
        rows=tuple(rows),
        note=_(
            "Computed from the personnel figures the institution reported (indicators "
            "%(personnel)s and %(command)s): women as a share of all personnel at the end of "
            "each year."
        )
        % {"personnel": personnel.code, "command": command.code if command else DASH},
    )


def personnel_section(context: ReportContext) -> Section:
    title = _("Women's share of personnel by rank")
    key = f"{KEY}.personnel"
    found = _institutions(context)
    shares = _shares(context, found)
    pairs = [
        (i, p, shares.get(f"{i.code}-{COMMAND_SHARE}"))
        for i in found
        if (p := shares.get(f"{i.code}-{PERSONNEL_SHARE}")) is not None
    ]
    if not pairs:
        return Section(
            key=key,
            title=title,
            empty=_("No institution of the plan has adopted the indicator package."),
        )
    figures = yearly_cells(context, [s.pk for s in shares.values()], RANK_DIMENSION)
    if not any(figures.values()):
        return Section(
            key=key,
            title=title,
            empty=_("No personnel figures for %(period)s.") % {"period": context.period_name},
        )
    dimensions = scheme_dimensions({p.scheme_id for _i, p, _c in pairs if p.scheme_id})
    tables = []
    for institution, personnel, command in pairs:
        ranks = next(
            (
                d.options
                for d in dimensions.get(personnel.scheme_id or 0, [])
                if d.code == RANK_DIMENSION
            ),
            (),
        )
        tables.append(personnel_table(context, institution, personnel, command, figures, ranks))
    return Section(key=key, title=title, blocks=tuple(tables))


def desks_section(context: ReportContext) -> Section:
    title = _("Women's and children's desks by province")
    key = f"{KEY}.desks"
    rows = security.coverage(context.plan)
    if not any(r.counts for r in rows):
        return Section(
            key=key,
            title=title,
            empty=_("No women's and children's desk is recorded for the plan."),
        )
    total = sum(r.open for r in rows)
    covered = sum(1 for r in rows if r.area is not None and r.open)
    provinces = sum(1 for r in rows if r.area is not None)
    return Section(
        key=key,
        title=title,
        blocks=(
            Paragraph(
                _("%(open)s desks are open; %(covered)s of %(provinces)s provinces have one.")
                % {"open": total, "covered": covered, "provinces": provinces}
            ),
            Table(
                key=f"{KEY}.desks",
                title=_("Desks by province and status"),
                columns=(_("Province"), _("Open"), _("Planned"), _("Closed")),
                rows=tuple(
                    (
                        text_cell(
                            localized_name(r.area.name) if r.area else _("Not in a province")
                        ),
                        number_cell(r.open),
                        number_cell(r.planned),
                        number_cell(r.closed),
                    )
                    for r in rows
                ),
                note=_(
                    "Desks as recorded today, counted by status. The cases a desk receives are "
                    "never published: they stay with the plan's members."
                ),
            ),
        ),
    )


def count_cell(count: int | None, threshold: int) -> Cell:
    """An allegation count, or the public words of a suppressed one (no number anywhere)."""
    if count is None:
        return Cell(text=flag_text("primary", threshold), flag="primary", kind="number")
    return number_cell(count)


def conduct_table(
    context: ReportContext,
    key: str,
    title: str,
    first: str,
    tables: list[YearCounts],
    threshold: int,
) -> Table:
    years = {t.year: t for t in tables if context.first_year <= t.year <= context.last_year}
    ordered = sorted(years)
    labels = [(code, label) for code, label, _count in tables[0].rows] if tables else []
    rows = tuple(
        (
            text_cell(label),
            *(count_cell(years[y].rows[i][2], threshold) for y in ordered),
        )
        for i, (_code, label) in enumerate(labels)
    )
    return Table(
        key=key,
        title=title,
        columns=(first, *(str(y) for y in ordered)),
        rows=rows,
    )


def conduct_section(context: ReportContext) -> Section:
    """The conduct app's figures, the same in both versions: never a total, never by province,
    a count below the plan's threshold (zero included) withheld (docs/conduct.md)."""
    title = _("Allegations of sexual exploitation and abuse")
    shown = conduct.figures(context.plan)
    covered = range(context.first_year, context.last_year + 1)
    if not any(t.year in covered for t in shown.by_category):
        return Section(
            key=f"{KEY}.conduct",
            title=title,
            empty=_("No year the report covers has begun: no allegation figures yet."),
        )
    return Section(
        key=f"{KEY}.conduct",
        title=title,
        blocks=(
            conduct_table(
                context,
                f"{KEY}.conduct.by_category",
                _("Allegations by category of personnel and year reported"),
                _("Category of personnel"),
                shown.by_category,
                shown.threshold,
            ),
            conduct_table(
                context,
                f"{KEY}.conduct.by_kind",
                _("Allegations by kind and year reported"),
                _("Kind of allegation"),
                shown.by_kind,
                shown.threshold,
            ),
            Paragraph(
                _(
                    "Counts of allegations, after disclosure control: a count below %(threshold)s, "
                    "zero included, is not shown, and no total is given, so that no withheld count "
                    "can be worked out. The register of allegations is not part of the report."
                )
                % {"threshold": shown.threshold},
                style="note",
            ),
        ),
    )


# The subsections, in order. The extension point: append a builder here (docs/reports.md).
SUBSECTIONS: tuple[SectionBuilder, ...] = (
    institutions_section,
    personnel_section,
    desks_section,
    security_training.build,
    security_assessment.build,
    conduct_section,
)


def build(context: ReportContext) -> Section:
    return Section(
        key=KEY,
        title=_("Security sector"),
        subsections=tuple(build(context) for build in SUBSECTIONS),
    )
