"""Words the secretariat writes for a report, as paragraphs (docs/reports.md, "Narratives")."""

from __future__ import annotations

from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Paragraph
from wpsmonitor.reports.selectors import Narrative, narratives_for


def report_language() -> str:
    return (get_language() or "en").split("-")[0]


# Languages that write the names of languages in lower case inside a sentence ("en français").
LOWER_CASE_NAMES = {"fr", "es"}


def language_name(code: str) -> str:
    """The language's name in the report's language, as written inside a sentence."""
    try:
        name = str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
    return name.lower() if report_language() in LOWER_CASE_NAMES else name


def report_narratives(context: ReportContext) -> dict[int | None, Narrative]:
    """The narratives of this report (None: the summary's; else a node's pk). One query."""
    return narratives_for(
        context.plan, scope=context.scope, year=context.last_year, language=report_language()
    )


def narrative_paragraphs(narrative: Narrative | None) -> tuple[Paragraph, ...]:
    """The narrative's paragraphs (a blank line parts them), with a note when it is shown in
    another language than the report's, so no reader takes it for a translation."""
    if narrative is None:
        return ()
    parts = [p.strip() for p in narrative.text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    blocks = [Paragraph(text=part) for part in parts]
    language = report_language()
    if narrative.language.split("-")[0] != language:
        blocks.append(
            Paragraph(
                text=_("Shown in %(written)s: no %(report)s text yet.")
                % {
                    "written": language_name(narrative.language),
                    "report": language_name(language),
                },
                style="note",
            )
        )
    return tuple(blocks)
