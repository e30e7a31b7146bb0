"""Text that a spreadsheet would run as a formula, made safe in every file we write.

A cell starting with = + - @ (or a tab or carriage return) is a formula to Excel and LibreOffice:
an attacker's figure or comment could run on a reader's machine. CSV gets a leading apostrophe
(reversibly: the importer takes it off again), XLSX a quote-prefixed text cell.
"""

from __future__ import annotations

from typing import Any

# Text that a spreadsheet would run as a formula when it starts with one of these.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """CSV export: make text a spreadsheet will not run, reversibly (see unneutralise).

    Text starting with = + - @ (or a tab or carriage return) gets a leading apostrophe, as
    does text that already starts with apostrophes followed by one of those, so that
    unneutralise() gives back exactly the original.
    """
    if text[:1] in FORMULA_TRIGGERS or (
        text[:1] == "'" and text.lstrip("'")[:1] in FORMULA_TRIGGERS
    ):
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    if text[:1] == "'" and text.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def safe_cell(ws: Any, value: Any) -> Any:
    """A write-only XLSX cell that holds text as text, even when it starts with = + - @."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value[:1] in FORMULA_TRIGGERS:
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
