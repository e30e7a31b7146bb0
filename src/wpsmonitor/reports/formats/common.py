"""What every format of the report prints around the tables: the version mark, the running
header, the document flattened into headings and blocks (docs/reports.md, "Formats").

The PDF's HTML template and the Word template both iterate this view, so the two say the same
words in the same order; the XLSX twin reads the document itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils import formats, translation
from django.utils.translation import get_language_bidi, override
from django.utils.translation import gettext as _

from wpsmonitor.reports.document import (
    PUBLIC,
    Block,
    Cell,
    Chart,
    Paragraph,
    ReportDocument,
    Section,
    Table,
)


def version_mark(document: ReportDocument) -> str:
    """The words every page carries, so an internal version is never mistaken for the public."""
    if document.version == PUBLIC:
        return _("Public version")
    return _("Internal version: not for publication")


def release_label(document: ReportDocument) -> str:
    if document.release_number is None:
        return _("Built from the platform's detail, not from a published release")
    return _("Built from published release %(number)s") % {"number": document.release_number}


def generated_label(document: ReportDocument) -> str:
    when = formats.date_format(document.generated_at, "DATETIME_FORMAT")
    return _("Generated %(when)s") % {"when": when}


def is_rtl(language: str) -> bool:
    with override(language):
        return bool(get_language_bidi())


def is_numeric_column(table: Table, index: int) -> bool:
    """A column whose cells are figures (numbers, percents, money): right-aligned."""
    # A dash (no figure) says nothing of the column.
    kinds = {
        row[index].kind
        for row in table.rows
        if index < len(row) and (row[index].value is not None or row[index].flag)
    }
    return bool(kinds) and kinds <= {"number", "percent", "money"}


@dataclass(frozen=True)
class Heading:
    """A section's heading in reading order; `level` 1 for a part of the report."""

    section: Section
    level: int
    anchor: str


def headings(document: ReportDocument) -> list[Heading]:
    out: list[Heading] = []

    def visit(section: Section, level: int) -> None:
        out.append(Heading(section, level, "s-" + section.key.replace(".", "-")))
        for sub in section.subsections:
            visit(sub, level + 1)

    for section in document.sections:
        visit(section, 1)
    return out


def cell_view(cell: Cell, numeric: bool) -> dict[str, Any]:
    """A cell as the templates print it; `numeric`: its column holds figures (right-aligned)."""
    return {
        "text": cell.text,
        "flag": cell.flag,
        # A withheld figure: its words, set apart (italic) so it never reads as a number.
        "suppressed": bool(cell.flag) and cell.value is None,
        "numeric": numeric,
        # A plan's text in another language than the report's (reports/texts.py): tagged so.
        "language": cell.language,
        "rtl": bool(cell.language) and translation.get_language_info(cell.language)["bidi"],
    }


def block_view(block: Block) -> dict[str, Any]:
    if isinstance(block, Table):
        numeric = [is_numeric_column(block, i) for i in range(len(block.columns))]
        return {
            "type": "table",
            "key": block.key,
            "title": block.title,
            "columns": [
                {"text": c, "numeric": n, "suppressed": False, "flag": "", "language": ""}
                for c, n in zip(block.columns, numeric, strict=True)
            ],
            "rows": [
                [cell_view(c, n) for c, n in zip(row, numeric, strict=False)] for row in block.rows
            ],
            "note": block.note,
        }
    if isinstance(block, Chart):
        return {
            "type": "chart",
            "key": block.key,
            "title": block.title,
            "svg": block.svg,
            "alt": block.alt,
        }
    assert isinstance(block, Paragraph)
    return {
        "type": "paragraph",
        "text": block.text,
        "style": block.style,
        "attribution": block.attribution,
    }


# Characters XML 1.0 cannot hold: a control character pasted into a narrative would make Word
# refuse the whole file and garble the PDF's text. Line ends become "\n".
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def printable(value: Any) -> Any:
    """Every string of a view without control characters (but tabs and line ends)."""
    if isinstance(value, str):
        return _UNWRITABLE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, dict):
        return {k: v if k == "svg" else printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [printable(v) for v in value]
    return value


def document_view(document: ReportDocument) -> dict[str, Any]:
    """The context both templates read (the Word template's placeholders: docs/reports.md)."""
    return printable(_view(document))  # type: ignore[no-any-return]


def _view(document: ReportDocument) -> dict[str, Any]:
    return {
        "title": document.title,
        "plan_code": document.plan_code,
        "plan_title": document.plan_title,
        "period_label": document.period_label,
        "version": document.version,
        "version_mark": version_mark(document),
        "release_label": release_label(document),
        "generated_label": generated_label(document),
        "language": document.language,
        "rtl": is_rtl(document.language),
        "contents_label": _("Contents"),
        "sections": [
            {
                "key": h.section.key,
                "anchor": h.anchor,
                "title": h.section.title,
                "level": h.level,
                "empty": h.section.empty,
                "blocks": [block_view(b) for b in h.section.blocks],
            }
            for h in headings(document)
        ],
    }
