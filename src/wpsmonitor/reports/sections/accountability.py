"""The report's "Accountability" section (docs/reports.md, docs/accountability.md): the
recommendations made to the plan by source, addressee and status, each with civil society's
published assessment beside the status the government recorded; the reviews held and the
decisions taken.

The accountability app's own reads are used as the public reads them (an anonymous reader:
published assessments only), whichever the version: a report leaves the platform, and an
organisation's draft assessment is its own until it publishes it. Recommendations issued after
the period, reviews held and decisions taken after it, are not in the report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wpsmonitor.accountability.models import (
    Decision,
    Mechanism,
    Recommendation,
    RecStatus,
    Review,
)
from wpsmonitor.accountability.selectors import Comparison, Row, Summary, recommendations
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.reports.cells import number_cell, percent_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Cell, Paragraph, Section, Table
from wpsmonitor.reports.texts import ReportTexts, content_cell
from wpsmonitor.shell.templatetags.shell import DASH, num


def _share(row: Row) -> Cell:
    return percent_cell(row.fully / row.total if row.total else None)


def count_table(key: str, title: str, first: str, rows: list[Row]) -> Table:
    return Table(
        key=key,
        title=title,
        columns=(first, _("Recommendations"), _("Fully implemented"), _("Share implemented")),
        rows=tuple(
            (text_cell(r.label), number_cell(r.total), number_cell(r.fully), _share(r))
            for r in rows
        ),
    )


def status_table(found: Summary) -> Table:
    total = found.total
    return Table(
        key="accountability.by_status",
        title=_("Recommendations by status"),
        columns=(_("Status"), _("Recommendations"), _("Share")),
        rows=tuple(
            (
                text_cell(r.label),
                number_cell(r.total),
                percent_cell(r.total / total if total else None),
            )
            for r in found.by_status
        ),
    )


def recommendations_table(found: Summary, today: date, texts: ReportTexts) -> Table:
    rows = []
    for rec in sorted(found.items, key=lambda r: (r.issued_on, r.pk)):
        assessments = [
            a
            for a in rec.visible_assessments  # type: ignore[attr-defined]
            if a.published
        ]
        assessed = "; ".join(
            f"{texts.of_organisation(a.organisation)}: {RecStatus(a.status).label}"
            for a in assessments
        )
        rows.append(
            (
                text_cell(rec.reference or f"#{rec.pk}"),
                text_cell(rec.get_source_display()),
                content_cell(texts.of_plan(rec, "text")),
                text_cell(", ".join(str(texts.of_organisation(o)) for o in rec.addressees.all())),
                text_cell(date_format(rec.due_on) if rec.due_on else DASH),
                text_cell(
                    rec.get_status_display()
                    + (" (" + _("overdue") + ")" if rec.is_overdue(today) else "")
                ),
                text_cell(assessed or _("Not assessed")),
            )
        )
    return Table(
        key="accountability.recommendations",
        title=_("Recommendations and civil society's assessment"),
        columns=(
            _("Reference"),
            _("Source"),
            _("Recommendation"),
            _("Addressed to"),
            _("Due"),
            _("Status recorded"),
            _("Civil society's assessment"),
        ),
        rows=tuple(rows),
        note=_("Civil society's assessments are those its organisations published."),
    )


def reviews_table(reviews: Sequence[Review]) -> Table:
    return Table(
        key="accountability.reviews",
        title=_("Reviews of the plan"),
        columns=(_("Review"), _("Kind"), _("Held on"), _("Findings")),
        rows=tuple(
            (
                text_cell(r.title),
                text_cell(r.get_kind_display()),
                text_cell(date_format(r.held_on)),
                number_cell(r.findings_count),  # type: ignore[attr-defined]
            )
            for r in reviews
        ),
    )


def decisions_table(decisions: list[Decision], texts: ReportTexts) -> Table:
    return Table(
        key="accountability.decisions",
        title=_("Decisions taken on recommendations"),
        columns=(_("Recommendation"), _("Office"), _("Decided on"), _("Decision")),
        rows=tuple(
            (
                text_cell(d.recommendation.reference or f"#{d.recommendation_id}"),
                content_cell(texts.of_organisation(d.organisation)),
                text_cell(date_format(d.decided_on)),
                text_cell(d.text),
            )
            for d in decisions
        ),
    )


def period_summary(items: list[Recommendation], today: date) -> Summary:
    """`accountability.selectors.summary`'s counts (by status, source and addressee; a
    recommendation to several addressees counts once for each) over some recommendations."""
    out = Summary(total=len(items), items=items)
    statuses = Counter(r.status for r in items)
    out.by_status = [Row(s.value, str(s.label), total=statuses.get(s.value, 0)) for s in RecStatus]
    sources: dict[str, Row] = {}
    addressees: dict[str, Row] = {}
    for rec in items:
        fully = int(rec.status == RecStatus.FULLY)
        rows = [sources.setdefault(rec.source, Row(rec.source, str(rec.get_source_display())))]
        rows += [addressees.setdefault(o.code, Row(o.code, o.name)) for o in rec.addressees.all()]
        for row in rows:
            row.total += 1
            row.fully += fully
        if rec.is_overdue(today):
            out.overdue.append(rec)
        published = [a for a in rec.visible_assessments if a.published]  # type: ignore[attr-defined]
        if published:
            out.compared.append(Comparison(rec, published))
    order = {m.value: i for i, m in enumerate(Mechanism)}
    out.by_source = sorted(sources.values(), key=lambda r: order[r.key])
    out.by_addressee = sorted(addressees.values(), key=lambda r: r.label)
    return out


def build(context: ReportContext) -> Section:
    title = _("Accountability")
    plan = context.plan
    end = date(context.last_year, 12, 31)
    access = PlanAccess.load(AnonymousUser(), plan)
    # The period's recommendations: those issued by its end, with the status recorded today.
    found = period_summary(
        [r for r in recommendations(access) if r.issued_on <= end], context.today
    )
    reviews = list(
        Review.objects.filter(plan=plan, held_on__lte=end)
        .annotate(findings_count=Count("findings"))
        .order_by("held_on", "pk")
    )
    decisions = list(
        Decision.objects.filter(
            recommendation__plan=plan,
            decided_on__gte=date(context.first_year, 1, 1),
            decided_on__lte=end,
        )
        .select_related("recommendation", "organisation")
        .order_by("decided_on", "pk")
    )
    if not found.total and not reviews and not decisions:
        return Section(
            key="accountability",
            title=title,
            empty=_("No recommendation, review or decision is recorded for the plan."),
        )
    blocks: list[Paragraph | Table] = []
    if found.total:
        blocks += [
            Paragraph(
                _(
                    "%(fully)s of %(total)s recommendations are fully implemented; civil "
                    "society's published assessment differs from the recorded status on "
                    "%(disagreements)s."
                )
                % {
                    "fully": num(found.fully),
                    "total": num(found.total),
                    "disagreements": num(found.disagreements),
                }
            ),
            status_table(found),
            count_table(
                "accountability.by_source",
                _("Recommendations by source"),
                _("Source"),
                found.by_source,
            ),
            count_table(
                "accountability.by_addressee",
                _("Recommendations by addressee"),
                _("Addressed to"),
                found.by_addressee,
            ),
            recommendations_table(found, context.today, context.texts),
        ]
    else:
        blocks.append(Paragraph(_("No recommendation was made to the plan by the period's end.")))
    if reviews:
        blocks.append(reviews_table(reviews))
    if decisions:
        blocks.append(decisions_table(decisions, context.texts))
    return Section(key="accountability", title=title, blocks=tuple(blocks))
