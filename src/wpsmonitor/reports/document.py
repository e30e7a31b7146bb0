"""The standard report as data, before any format (docs/reports.md).

A report is built once (`builder.build_report`) into this tree of plain values, and every
format is drawn from the same tree: the PDF (through HTML), the DOCX and the XLSX twin. So the
three cannot disagree, and a test reads each back and compares it with `ReportDocument.numbers`.

A cell keeps the number itself (`value`) beside the words the reader sees (`text`, already
formatted in the report's language): the XLSX writes the number, the PDF and DOCX the text. A
figure withheld by disclosure control has no value and carries its `flag` and the public words
of it in `text` ("fewer than 5"); it is never a number anywhere.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

# The two versions of a report: built from the published release for everyone, or from the
# detail the platform holds for the roles that may see it. Every page says which.
PUBLIC: Final = "public"
INTERNAL: Final = "internal"
Version = Literal["public", "internal"]

# Scopes a report may cover (docs/reports.md, "Periods").
YEAR = "year"
MIDTERM = "midterm"
WHOLE_PLAN = "plan"


@dataclass(frozen=True)
class Cell:
    """One cell of a report table: what the reader sees, and the number behind it."""

    text: str
    value: float | int | None = None
    # Disclosure control ("primary", "secondary", "derived"); "" for a free figure.
    flag: str = ""
    # How a number is meant ("number", "percent": value 0.42 shown "42 %", "money", "text").
    kind: str = "text"
    # The language of a plan's text shown in another language than the report's (a fallback,
    # reports/texts.py); "" when it is the report's.
    language: str = ""

    @property
    def is_number(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Table:
    """A table of the report; `key` is stable (the XLSX names and tests use it)."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: str
    # "text": plain prose; "quote": a statement printed whole (a dissent, a narrative);
    # "note": a smaller note under a table or section.
    style: str = "text"
    # Who wrote it, for a quote (e.g. a board member's dissent): printed under it.
    attribution: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart drawn as SVG by the server (shell/charts), vector in the PDF; `alt` is the text
    that replaces it where a format cannot hold SVG (DOCX: the table it was drawn from)."""

    key: str
    title: str
    svg: str
    alt: str


Block = Paragraph | Table | Chart


@dataclass(frozen=True)
class Section:
    """One part of the report, in the order of docs/reports.md. A part with nothing to show
    keeps its title and `empty` says why ("No budget lines for this plan"), never empty tables."""

    key: str
    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()
    empty: str = ""

    def walk(self) -> Iterator[Section]:
        yield self
        for sub in self.subsections:
            yield from sub.walk()

    @property
    def tables(self) -> list[Table]:
        return [b for s in self.walk() for b in s.blocks if isinstance(b, Table)]


@dataclass(frozen=True)
class ReportDocument:
    plan_code: str
    plan_title: str
    title: str
    scope: str  # YEAR, MIDTERM or WHOLE_PLAN
    period_code: str  # "2025"; "ALL" for a whole-plan report; for a mid-term, its last year
    period_label: str
    version: Version
    language: str
    generated_at: datetime
    # The release read by a public version (None for an internal one).
    release_number: int | None
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def numbers(self) -> dict[str, list[list[float | int | None]]]:
        """Every table's numbers by key, row by row: what each format must print the same."""
        return {t.key: [[c.value for c in row] for row in t.rows] for t in self.tables}

    def as_json(self) -> dict[str, Any]:
        """The whole report as JSON-ready data: what the API answers and what a generated
        report keeps beside its files."""
        return {
            "plan": self.plan_code,
            "plan_title": self.plan_title,
            "title": self.title,
            "scope": self.scope,
            "period": self.period_code,
            "period_label": self.period_label,
            "version": self.version,
            "language": self.language,
            "generated_at": self.generated_at.isoformat(),
            "release": self.release_number,
            "sections": [_section_content(s) for s in self.sections],
        }

    def content_hash(self) -> str:
        """A hash of what the report says, not of when it was built: a signature is bound to
        it, and a regeneration that changes nothing keeps the same hash."""
        content = self.as_json()
        del content["generated_at"]
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _section_content(section: Section) -> dict[str, Any]:
    return {
        "key": section.key,
        "title": section.title,
        "empty": section.empty,
        "blocks": [_block_content(b) for b in section.blocks],
        "subsections": [_section_content(s) for s in section.subsections],
    }


def _cell_content(cell: Cell) -> dict[str, Any]:
    content: dict[str, Any] = {"text": cell.text, "value": cell.value, "flag": cell.flag or None}
    if cell.language:  # only then: a report without fallbacks keeps the hash it had
        content["language"] = cell.language
    return content


def _block_content(block: Block) -> dict[str, Any]:
    if isinstance(block, Table):
        return {
            "type": "table",
            "key": block.key,
            "title": block.title,
            "columns": list(block.columns),
            "rows": [[_cell_content(c) for c in row] for row in block.rows],
            "note": block.note,
        }
    if isinstance(block, Chart):
        return {"type": "chart", "key": block.key, "title": block.title, "svg": block.svg}
    return {
        "type": "paragraph",
        "text": block.text,
        "style": block.style,
        "attribution": block.attribution,
    }
