"""The plan's own texts in a report, in the report's language (docs/reports.md, "Languages").

A report is written in one language; the plan's texts (titles of its framework, indicators'
names and units, organisations' names, recommendations) are read in it when they have a text in
it, else in their original language (core/translated.py's one rule). A report leaves the
platform, so what falls back is said once, in the method section ("Some texts are shown in
French: no Spanish text yet"), and a table cell that falls back carries its language, which
the PDF tags (a screen reader then reads it in that language).
"""

from __future__ import annotations

from typing import Any

from wpsmonitor.core.translated import Shown, fallback_note, shown
from wpsmonitor.reports.cells import text_cell
from wpsmonitor.reports.document import Cell


class ReportTexts:
    """Reads the plan's texts for one report, remembering the ones that fell back."""

    def __init__(self, plan_language: str) -> None:
        self.plan_language = plan_language
        self.fallbacks: list[Shown] = []

    def _read(self, obj: Any, field: str, original: str | None) -> Shown:
        found = shown(obj, field, original=original)
        if found.is_fallback:
            self.fallbacks.append(found)
        return found

    def of_plan(self, obj: Any, field: str = "title") -> Shown:
        """A text of the plan or of what belongs to it (node, indicator, recommendation, dimension
        option), whose original language is the plan's."""
        return self._read(obj, field, self.plan_language)

    def of_organisation(self, organisation: Any) -> Shown:
        """An organisation's name: its original language is its own."""
        return self._read(organisation, "name", None)

    def note(self) -> str:
        """One sentence naming the languages texts were shown in, or ""."""
        # One text a language is enough for the sentence.
        return fallback_note({t.language: t for t in self.fallbacks}.values())


def content_cell(found: Shown, prefix: str = "") -> Cell:
    """A table cell holding a plan's text, with its language when it falls back."""
    cell = text_cell(f"{prefix}{found.text}")
    if not found.is_fallback:
        return cell
    return Cell(text=cell.text, kind=cell.kind, language=found.language)
