"""Build the standard report of a plan for a period: the sections, in order (docs/reports.md).

Each section is built by its own module in `sections/` from the one `ReportContext`; this module
only puts them in order. A section with nothing to show still appears, saying why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Paragraph, ReportDocument, Section
from wpsmonitor.reports.sections import (
    accountability,
    annexes,
    civil_society,
    completeness,
    method,
    money,
    oversight,
    peace,
    pillars,
    qualitative,
    revisions,
    security,
    steering,
    summary,
)
from wpsmonitor.reports.texts import ReportTexts

SectionBuilder = Callable[[ReportContext], Section]

# The order of the report (issue 14; docs/reports.md, "Sections").
SECTIONS: tuple[SectionBuilder, ...] = (
    summary.build,
    pillars.build,
    completeness.build,
    money.build,
    accountability.build,
    # The versions of the plan's framework (issue 19, part 3).
    revisions.build,
    # Oversight of the plan by its steering committee, auditing bodies and parliament (issue 19).
    steering.build,
    oversight.build,
    # The thematic modules of issue 18, each made of subsections (SUBSECTIONS in its module).
    security.build,
    peace.build,
    civil_society.build,
    qualitative.build,
    method.build,
    annexes.build,
)


def build_report(context: ReportContext) -> ReportDocument:
    # A fresh record of the texts that fall back, for this build's language.
    context = dataclasses.replace(context, texts=ReportTexts(context.plan.original_language))
    plan_title = context.texts.of_plan(context.plan).text
    sections = tuple(build(context) for build in SECTIONS)
    return ReportDocument(
        plan_code=context.plan.code,
        plan_title=plan_title,
        title=_("%(plan)s: %(period)s") % {"plan": plan_title, "period": context.period_label()},
        scope=context.scope,
        period_code=context.period_code,
        period_label=context.period_label(),
        version=context.version,
        language=get_language() or "en",
        generated_at=timezone.now(),
        release_number=context.release.number if context.release else None,
        sections=with_language_note(sections, context.texts.note()),
    )


def with_language_note(sections: tuple[Section, ...], note: str) -> tuple[Section, ...]:
    """The method section ends with the sentence naming the languages some of the plan's texts
    are shown in, once every section is built (the annexes come after it)."""
    if not note:
        return sections
    return tuple(
        dataclasses.replace(s, blocks=(*s.blocks, Paragraph(note, style="note")))
        if s.key == "method"
        else s
        for s in sections
    )
