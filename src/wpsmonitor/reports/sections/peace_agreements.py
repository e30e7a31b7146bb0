"""The report's "Peace agreements and gender provisions" section (docs/peace-processes.md,
"Agreements and gender provisions"): the gender provisions of the plan's peace agreements by
PA-X category with the government's latest implementation status at the end of the report's
period, civil society's published view beside it, and the NAP actions that carry each out.

Agreements and the government's statuses are public documents; civil society's assessments are
printed only once their organisation published them (a report leaves the platform: no draft,
whatever its version). Nothing here is a count of persons: no disclosure control.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from wpsmonitor.peace.models import (
    STATUS_RANK,
    ImplementationStatus,
    ProvisionStatus,
    WggCategory,
)
from wpsmonitor.peace.selectors import (
    ProvisionView,
    agreements_of,
    latest_status,
    provision_views,
    published_only,
)
from wpsmonitor.reports.cells import number_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Paragraph, Section, Table

KEY = "peace.agreements"


def _latest_by(view: ProvisionView, end: date) -> ProvisionStatus | None:
    """The government's latest status on or before the end of the report's period."""
    return latest_status(s for s in view.statuses if s.on <= end)


def build(context: ReportContext) -> Section:
    title = _("Peace agreements and gender provisions")
    agreements = list(agreements_of(context.plan))
    views = provision_views(agreements, published_only)
    if not views:
        return Section(
            key=KEY,
            title=title,
            empty=_("No gender provision of a peace agreement is recorded for the plan."),
        )
    end = date(context.last_year, 12, 31)
    statuses = list(ImplementationStatus)
    counts: dict[str, dict[str, int]] = {
        c.value: {**{s.value: 0 for s in statuses}, "none": 0, "provisions": 0, "differs": 0}
        for c in WggCategory
    }
    rows = []
    for view in views:
        provision = view.provision
        latest = _latest_by(view, end)
        row = counts[provision.category]
        row["provisions"] += 1
        row[latest.status if latest else "none"] += 1
        views_text = []
        differs = False
        for c in view.comparisons:
            if c.assessment.assessed_on > end:
                continue
            steps = None if latest is None else _steps(c.assessment.status, latest.status)
            differs = differs or bool(steps)
            views_text.append(
                f"{c.assessment.organisation.name}: {c.assessment.get_status_display()}"
                + (f" ({_('differs')})" if steps else "")
            )
        if differs:
            row["differs"] += 1
        rows.append(
            (
                text_cell(provision.agreement.name),
                text_cell(provision.get_category_display()),
                text_cell(
                    f"{latest.get_status_display()} ({latest.on.isoformat()})" if latest else None
                ),
                text_cell("; ".join(views_text) or None),
                text_cell(", ".join(a.code for a in provision.actions.all()) or None),
            )
        )
    by_category = Table(
        key="peace.agreements.by_category",
        title=_("Gender provisions by PA-X category and latest implementation status"),
        columns=(
            _("Category"),
            _("Provisions"),
            *[str(s.label) for s in statuses],
            _("No status"),
            _("Civil society's view differs"),
        ),
        rows=tuple(
            (
                text_cell(WggCategory(code).label),
                number_cell(row["provisions"]),
                *[number_cell(row[s.value]) for s in statuses],
                number_cell(row["none"]),
                number_cell(row["differs"]),
            )
            for code, row in counts.items()
            if row["provisions"]
        ),
        note=_(
            "Latest status: the government's reading recorded by the plan's coordinator at the "
            "end of the period, on the Peace Accords Matrix's scale."
        ),
    )
    provisions = Table(
        key="peace.agreements.provisions",
        title=_("Each gender provision, its status and civil society's view"),
        columns=(
            _("Agreement"),
            _("Category"),
            _("Latest status (date)"),
            _("Civil society's published view"),
            _("NAP actions"),
        ),
        rows=tuple(rows),
    )
    intro = Paragraph(
        _(
            "Peace agreements: %(agreements)s. Gender provisions: %(provisions)s, coded in the "
            "categories of the PA-X peace agreements database."
        )
        % {"agreements": len({v.provision.agreement_id for v in views}), "provisions": len(views)}
    )
    return Section(key=KEY, title=title, blocks=(intro, by_category, provisions))


def _steps(cso: str, government: str) -> int:
    return STATUS_RANK[cso] - STATUS_RANK[government]
