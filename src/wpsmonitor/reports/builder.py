"""Build the standard report of a plan for a period: the sections, in order (docs/reports.md).

Each section is built by its own module in `sections/` from the one `ReportContext`; this module
only puts them in order. A section with nothing to show still appears, saying why.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import ReportDocument, Section
from wpsmonitor.reports.sections import (
    accountability,
    annexes,
    civil_society,
    completeness,
    method,
    money,
    pillars,
    qualitative,
    summary,
)

SectionBuilder = Callable[[ReportContext], Section]

# The order of the report (issue 14; docs/reports.md, "Sections").
SECTIONS: tuple[SectionBuilder, ...] = (
    summary.build,
    pillars.build,
    completeness.build,
    money.build,
    accountability.build,
    civil_society.build,
    qualitative.build,
    method.build,
    annexes.build,
)


def build_report(context: ReportContext) -> ReportDocument:
    plan = context.plan
    return ReportDocument(
        plan_code=plan.code,
        plan_title=plan.title,
        title=_("%(plan)s: %(period)s") % {"plan": plan.title, "period": context.period_label()},
        scope=context.scope,
        period_code=context.period_code,
        period_label=context.period_label(),
        version=context.version,
        language=get_language() or "en",
        generated_at=timezone.now(),
        release_number=context.release.number if context.release else None,
        sections=tuple(build(context) for build in SECTIONS),
    )
