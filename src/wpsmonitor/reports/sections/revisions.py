"""The report's "Revisions of the plan" part (key "revisions", docs/revisions.md, "In the
standard report"): the versions of the plan's framework approved up to the end of the report's
period, each with its kind, reason, the review that caused it, its approval date and the board's
co-signature; for those approved within the report's years, what they changed in short (counts,
and the reworded, dropped and target changes); and every target a revision changed, with the
version and the date.

Nothing sensitive: drafts and abandoned drafts are left out, and so are the indicators the
report never shows (restricted ones, organisations' own: `context.hidden`), in the public and
the internal version alike. Signers are not named (the board's page names them).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wpsmonitor.indicators.models import Indicator, TargetChange
from wpsmonitor.plans.models import PlanVersion, VersionStatus
from wpsmonitor.reports.cells import number_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Paragraph, Section, Table
from wpsmonitor.revisions.selectors import Difference, difference, difference_for

KEY = "revisions"


def _day(moment: object) -> str:
    return date_format(timezone.localdate(moment), "SHORT_DATE_FORMAT")  # type: ignore[arg-type]


def _cosignature(version: PlanVersion) -> str:
    if not version.board_cosign_required:
        return _("Not required")
    if version.board_cosigned_at is not None:
        return _("Co-signed by both sides of the board on %(date)s") % {
            "date": _day(version.board_cosigned_at)
        }
    return _("Required; not recorded")


def approved_up_to(context: ReportContext, end: date) -> list[PlanVersion]:
    return [
        v
        for v in PlanVersion.objects.filter(
            plan=context.plan,
            status__in=[VersionStatus.CURRENT, VersionStatus.SUPERSEDED],
            approved_at__isnull=False,
        )
        .select_related("review")
        .order_by("number")
        if timezone.localdate(v.approved_at) <= end
    ]


def versions_table(versions: list[PlanVersion]) -> Table:
    return Table(
        key=f"{KEY}.versions",
        title=_("Versions of the plan's framework"),
        columns=(
            _("Version"),
            _("Kind"),
            _("Reason"),
            _("Review"),
            _("Approved"),
            _("Co-signature of the board"),
        ),
        rows=tuple(
            (
                number_cell(v.number),
                text_cell(v.get_kind_display()),
                text_cell(v.reason),
                text_cell(v.review.title if v.review else ""),
                text_cell(_day(v.approved_at)),
                text_cell(_cosignature(v)),
            )
            for v in versions
        ),
    )


def _counts(number: int, diff: Difference) -> str:
    # Translators: what one version changed, in numbers.
    return _(
        "Version %(number)d: %(nodes_added)d parts of the framework added, %(nodes_removed)d "
        "removed, %(nodes_changed)d reworded or moved; %(ind_added)d indicators added, "
        "%(ind_removed)d dropped, %(ind_changed)d reworded or moved; %(targets)d targets changed."
    ) % {
        "number": number,
        "nodes_added": len(diff.nodes_added),
        "nodes_removed": len(diff.nodes_removed),
        "nodes_changed": len(diff.nodes_changed),
        "ind_added": len(diff.indicators_added),
        "ind_removed": len(diff.indicators_removed),
        "ind_changed": len(diff.indicators_changed),
        "targets": len(diff.targets_changed),
    }


FIELD_LABELS = {
    "title": _("title"),
    "definition": _("definition"),
    "parent": _("moved under"),
    "node": _("moved to"),
}


def changes_table(number: int, diff: Difference) -> Table | None:
    rows = []
    for r in diff.nodes_changed + diff.indicators_changed:
        rows.append(
            (
                text_cell(_("Reworded")),
                text_cell(r.code),
                text_cell(f"{FIELD_LABELS.get(r.field, r.field)}: {r.before} → {r.after}"),
            )
        )
    for i in diff.indicators_removed:
        rows.append((text_cell(_("Dropped")), text_cell(i["code"]), text_cell(i["title"])))
    for n in diff.nodes_removed:
        rows.append((text_cell(_("Removed")), text_cell(n["code"]), text_cell(n["title"])))
    for t in diff.targets_changed:
        rows.append(
            (
                text_cell(_("Target changed")),
                text_cell(t.indicator),
                text_cell(
                    f"{t.period} · {t.area}: "
                    f"{'—' if t.before is None else f'{t.before:g}'} → "
                    f"{'—' if t.after is None else f'{t.after:g}'}"
                ),
            )
        )
    if not rows:
        return None
    return Table(
        key=f"{KEY}.changes_v{number}",
        title=_("What version %(number)d changed") % {"number": number},
        columns=(_("Change"), _("Code"), _("What")),
        rows=tuple(rows),
    )


def targets_table(context: ReportContext, versions: list[PlanVersion]) -> Table | None:
    changes = (
        TargetChange.objects.filter(version__in=versions)
        .exclude(indicator__in=Indicator.objects.filter(context.hidden))
        .select_related("indicator", "period", "area", "version")
        .order_by("changed_at", "indicator__code", "period__start", "pk")
    )
    rows = tuple(
        (
            text_cell(c.indicator.code),
            text_cell(c.period.code),
            text_cell(c.area.code),
            number_cell(c.old_value),
            number_cell(c.new_value),
            number_cell(c.version.number),
            text_cell(_day(c.changed_at)),
        )
        for c in changes
    )
    if not rows:
        return None
    return Table(
        key=f"{KEY}.targets",
        title=_("Targets changed by a revision"),
        columns=(
            _("Indicator"),
            _("Period"),
            _("Area"),
            _("Before"),
            _("After"),
            _("Version"),
            _("Date"),
        ),
        rows=rows,
        note=_("A period that ended before a change is measured against the target in force then."),
    )


def build(context: ReportContext) -> Section:
    title = _("Revisions of the plan")
    end = date(context.last_year, 12, 31)
    versions = approved_up_to(context, end)
    if not versions:
        return Section(key=KEY, title=title, empty=_("The plan's framework has not been revised."))
    hidden = set(
        Indicator.objects.filter(plan=context.plan)
        .filter(context.hidden)
        .values_list("code", flat=True)
    )
    blocks: list[Paragraph | Table] = [versions_table(versions)]
    snapshots = {v.number: v.snapshot for v in versions}
    for i, v in enumerate(versions):
        if i == 0 or timezone.localdate(v.approved_at).year < context.first_year:
            continue
        before = snapshots[versions[i - 1].number]
        if before is None or v.snapshot is None:
            continue
        diff = difference_for(difference(before, v.snapshot), hidden)
        blocks.append(Paragraph(_counts(v.number, diff)))
        table = changes_table(v.number, diff)
        if table is not None:
            blocks.append(table)
    targets = targets_table(context, versions)
    if targets is not None:
        blocks.append(targets)
    return Section(key=KEY, title=title, blocks=tuple(blocks))
