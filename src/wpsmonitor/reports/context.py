"""What every section of a report reads: the plan, the period it covers, which figures.

`ReportContext` is built once per report (`builder.report_context`) and handed to each section
builder, so the sections agree on the period, on the figures read (the release for the public
version, the detail for the internal one) and on the indicators left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess, hidden_indicators_filter
from wpsmonitor.indicators.aggregation import ALL_PERIODS
from wpsmonitor.indicators.selectors import Figures
from wpsmonitor.plans.models import Plan
from wpsmonitor.publishing.models import Release
from wpsmonitor.publishing.selectors import published_release, release_figures
from wpsmonitor.reports.document import INTERNAL, MIDTERM, PUBLIC, WHOLE_PLAN, YEAR, Version
from wpsmonitor.reports.texts import ReportTexts


@dataclass(frozen=True)
class ReportContext:
    plan: Plan
    scope: str  # YEAR, MIDTERM or WHOLE_PLAN
    first_year: int
    last_year: int
    version: Version
    # Read by the indicator selectors (`figures=`): None, the detail; else the release's.
    figures: Figures
    release: Release | None
    # Indicators a report never shows, public or internal: restricted ones and organisations'
    # unpublished ones (a report is a document that leaves the platform; docs/reports.md).
    hidden: Q
    today: date
    # The plan's texts in the report's language, and those that fell back (reports/texts.py);
    # a new one for each build (builder.build_report).
    texts: ReportTexts

    @property
    def period_code(self) -> str:
        """The period whose figures the report shows: the year of an annual report; for a
        whole-plan report "ALL", the aggregates' plan to date (a count summed over the years, a
        level at its latest: docs/computations.md); for a mid-term report the last year it
        covers (the aggregates hold no figure for the first half of a plan)."""
        if self.scope == WHOLE_PLAN:
            return ALL_PERIODS
        return str(self.last_year)

    @property
    def period_name(self) -> str:
        """The period of the figures as a reader reads it: "2025", or "2024–2026" for the plan
        to date."""
        if self.scope == WHOLE_PLAN:
            return f"{self.first_year}–{self.last_year}"
        return self.period_code

    @property
    def years(self) -> list[str]:
        return [str(y) for y in range(self.first_year, self.last_year + 1)]

    @property
    def is_public(self) -> bool:
        return self.version == PUBLIC

    def period_label(self) -> str:
        if self.scope == YEAR:
            return _("Annual report %(year)s") % {"year": self.last_year}
        if self.scope == MIDTERM:
            return _("Mid-term report %(first)s–%(last)s") % {
                "first": self.first_year,
                "last": self.last_year,
            }
        return _("Whole-plan report %(first)s–%(last)s") % {
            "first": self.first_year,
            "last": self.last_year,
        }


def years_covered(plan: Plan, scope: str, year: int | None) -> tuple[int, int]:
    """The first and last year a report of `scope` covers. A mid-term report covers the first
    half of the plan's years (rounded down); a whole-plan report, every year to date."""
    first, last = plan.start.year, plan.end.year
    if scope == YEAR:
        if year is None or not first <= year <= last:
            raise ValidationError(
                _("The plan runs from %(first)s to %(last)s: choose a year in it.")
                % {"first": first, "last": last}
            )
        return year, year
    if scope == MIDTERM:
        return first, first + (last - first) // 2
    if scope == WHOLE_PLAN:
        return first, min(last, max(first, timezone.localdate().year))
    raise ValidationError(_("Unknown report scope: %(scope)s.") % {"scope": scope})


def report_context(
    access: PlanAccess,
    *,
    scope: str,
    year: int | None = None,
    version: Version = PUBLIC,
    today: date | None = None,
) -> ReportContext:
    """The context of one report. The internal version is for those who see the detail
    (`PlanAccess.sees_detail`); the public one reads the latest published release, whoever
    asks, so that what a member generates for the public is what the public may read."""
    plan = access.plan
    if version == INTERNAL and not access.sees_detail:
        raise PermissionDenied(_("Only the plan's members may build its internal report."))
    first, last = years_covered(plan, scope, year)
    release = None
    figures: Figures = None
    if version == PUBLIC:
        release = published_release(plan)
        if release is None:
            raise ValidationError(
                _(
                    "The plan has no published release yet: the public report is built from "
                    "one (publish a release first, or build the internal report)."
                )
            )
        figures = release_figures(release).order_by()
    return ReportContext(
        plan=plan,
        scope=scope,
        first_year=first,
        last_year=last,
        version=version,
        figures=figures,
        release=release,
        hidden=hidden_indicators_filter(AnonymousUser(), plan),
        today=today or timezone.localdate(),
        texts=ReportTexts(plan.original_language),
    )
