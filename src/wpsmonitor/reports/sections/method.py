"""The report's "Method and data notes" section (docs/reports.md): where the figures come from
and how many indicators each source covers, what was withheld for disclosure and by which rule,
and when the figures were last rebuilt (or which release was read).

The public version says how many figures were withheld and by which rule (the threshold, the
method), never which: no cell, indicator figure or value of a withheld figure appears here. The
internal version, for those who see the detail, also names the indicators under disclosure
control and the ones left out of the report.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.indicators.models import AggregateRun, Indicator, Source, SourceKind
from wpsmonitor.publishing.models import Release
from wpsmonitor.publishing.selectors import published_release
from wpsmonitor.reports.cells import number_cell, percent_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Cell, Paragraph, Section, Table
from wpsmonitor.reports.reads_records import coverage_by_source
from wpsmonitor.shell.templatetags.shell import num


def when(moment: datetime | None) -> str:
    if moment is None:
        return _("never")
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def coverage_table(context: ReportContext) -> Table | None:
    covered = coverage_by_source(context)
    if not covered:
        return None
    indicators = (
        Indicator.objects.filter(plan=context.plan).exclude(context.hidden).order_by().count()
    )
    sources = Source.objects.filter(pk__in=covered).order_by("kind", "name")
    kinds = dict(SourceKind.choices)
    return Table(
        key="method.coverage",
        title=_("Sources and coverage"),
        columns=(
            _("Source"),
            _("Kind"),
            _("Indicators with a figure"),
            _("Share of the plan's indicators"),
        ),
        rows=tuple(
            (
                text_cell(s.name),
                text_cell(kinds.get(s.kind, s.kind)),
                number_cell(covered[s.pk]),
                percent_cell(covered[s.pk] / indicators if indicators else None),
            )
            for s in sources
        ),
        note=_(
            "Figures of %(period)s for the plan's whole area; a withheld figure counts as "
            "measured. Government and civil-society figures are never added together."
        )
        % {"period": context.period_name},
    )


def _rule_rows(context: ReportContext, sensitive: int) -> list[tuple[Cell, ...]]:
    plan = context.plan
    return [
        (text_cell(_("Indicators under disclosure control (sensitive)")), number_cell(sensitive)),
        (
            text_cell(_("Threshold: smallest count published")),
            number_cell(plan.disclosure_threshold),
        ),
        (
            text_cell(_("Zeros of sensitive counts")),
            text_cell(_("published (structural)") if plan.structural_zeros_safe else _("withheld")),
        ),
    ]


def _release_rows(release: Release) -> list[tuple[Cell, ...]]:
    return [
        (text_cell(_("Figures in the release")), number_cell(release.figures)),
        (text_cell(_("Figures withheld")), number_cell(release.suppressed)),
        (
            text_cell(_("Share withheld")),
            percent_cell(release.suppressed / release.figures if release.figures else None),
        ),
    ]


def disclosure_blocks(context: ReportContext) -> list[Paragraph | Table]:
    plan = context.plan
    sensitive = list(
        Indicator.objects.filter(plan=plan, sensitivity=Sensitivity.SENSITIVE)
        .exclude(context.hidden)
        .order_by("order", "code")
        .values_list("code", "title", "disclosure_threshold")
    )
    rule = _(
        "A count of a sensitive indicator below the threshold is withheld (primary "
        "suppression); other figures are withheld with it wherever totals, margins, sub-areas, "
        "periods or sibling indicators would give it away (complementary suppression); a share "
        "computed from a withheld figure is withheld too. Withheld figures are shown as "
        "“fewer than %(threshold)s” or “hidden to protect a small count”, never as a number or "
        "a blank."
    ) % {"threshold": plan.disclosure_threshold}
    blocks: list[Paragraph | Table] = []
    release = context.release if context.is_public else published_release(plan)
    rows = _rule_rows(context, len(sensitive))
    if release is not None:
        rows += _release_rows(release)
    if context.is_public:
        blocks.append(
            Paragraph(
                _(
                    "This public version reads the figures published in release %(number)s "
                    "of the plan, after disclosure control."
                )
                % {"number": release.number if release else ""}
            )
        )
    else:
        blocks.append(
            Paragraph(
                _(
                    "This internal version shows the figures as the platform holds them, "
                    "without disclosure control: it is for the roles that may see the detail "
                    "and must not be circulated beyond them. The public version is built from "
                    "the published release."
                )
            )
        )
    blocks.append(Paragraph(rule))
    blocks.append(
        Table(
            key="method.disclosure",
            title=_("Disclosure control"),
            columns=(_("Rule or count"), _("Value")),
            rows=tuple(rows),
            note=(
                _("Counts of the latest published release (%(number)s).")
                % {"number": release.number}
                if release is not None
                else _("No release of the plan is published yet.")
            ),
        )
    )
    if not context.is_public and sensitive:
        blocks.append(
            Table(
                key="method.sensitive",
                title=_("Indicators under disclosure control"),
                columns=(_("Code"), _("Indicator"), _("Threshold")),
                rows=tuple(
                    (
                        text_cell(code),
                        text_cell(title),
                        number_cell(threshold or plan.disclosure_threshold),
                    )
                    for code, title, threshold in sensitive
                ),
            )
        )
    return blocks


def left_out(context: ReportContext) -> Paragraph | None:
    """Internal version only: how many indicators the report leaves out, and why."""
    hidden = Indicator.objects.filter(plan=context.plan).filter(context.hidden).order_by().count()
    if context.is_public or not hidden:
        return None
    return Paragraph(
        ngettext(
            "%(n)s indicator is left out of every report, public or internal: a restricted "
            "indicator, or a civil-society indicator its organisation has not published.",
            "%(n)s indicators are left out of every report, public or internal: restricted "
            "indicators, and civil-society indicators their organisation has not published.",
            hidden,
        )
        % {"n": num(hidden)}
    )


def timing(context: ReportContext) -> Table:
    rows: list[tuple[Cell, ...]] = []
    if context.is_public and context.release is not None:
        release = context.release
        rows += [
            (text_cell(_("Release read")), number_cell(release.number)),
            (text_cell(_("Release built")), text_cell(when(release.prepared_at))),
            (text_cell(_("Release published")), text_cell(when(release.published_at))),
        ]
    else:
        run = AggregateRun.objects.filter(plan=context.plan).first()
        rows.append(
            (
                text_cell(_("Figures last rebuilt")),
                text_cell(when(run.finished_at if run else None)),
            )
        )
    rows.append((text_cell(_("Period of the figures")), text_cell(context.period_name)))
    return Table(
        key="method.timing",
        title=_("Figures read"),
        columns=(pgettext("report table column", "Item"), _("Value")),
        rows=tuple(rows),
    )


def build(context: ReportContext) -> Section:
    blocks: list[Paragraph | Table] = [timing(context)]
    coverage = coverage_table(context)
    if coverage is not None:
        blocks.append(coverage)
    else:
        blocks.append(
            Paragraph(
                _("No source has a figure for %(period)s at the plan's level.")
                % {"period": context.period_name}
            )
        )
    blocks += disclosure_blocks(context)
    note = left_out(context)
    if note is not None:
        blocks.append(note)
    return Section(key="method", title=_("Method and data notes"), blocks=tuple(blocks))
