"""Reading a rendered report back (PDF text, DOCX tables, XLSX cells) and comparing it with the
document it was drawn from: the same numbers in every format (docs/reports.md, "Formats")."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

from tests.output import TEST_OUTPUT

from wpsmonitor.reports.document import ReportDocument, Table

PAGES = TEST_OUTPUT / "reports"


def squeeze(text: str) -> str:
    """Text without any kind of space: PDF extraction spaces words its own way."""
    return re.sub(r"\s+", "", text.replace("\u00a0", " ").replace("\u202f", " "))


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def assert_pdf_matches(document: ReportDocument, data: bytes, *, cells: str = "all") -> None:
    """Every table's title, header and cell texts appear in the PDF's text, in reading order.
    `cells="numbers"` checks only the figures' cells (right-to-left words come out of the PDF
    in visual order)."""
    text = squeeze(pdf_text(data))
    position = 0
    for table in document.tables:
        for row in table.rows:
            for cell in row:
                if cells == "numbers" and not (cell.value is not None or cell.flag):
                    continue
                needle = squeeze(cell.text)
                if cells == "numbers":
                    # Right to left, "42 %" may be drawn "% 42": the figure's digits still read.
                    needle = re.sub(r"[^\d.,]", "", cell.text) or needle
                found = text.find(needle, position)
                assert found >= 0, f"{table.key}: {cell.text!r} not in the PDF after {position}"
                position = found + len(needle)


def assert_docx_matches(document: ReportDocument, data: bytes) -> None:
    """The DOCX's tables are the document's, header and cells, text for text; a withheld figure
    shows its words in italics."""
    from docx import Document

    docx = Document(io.BytesIO(data))
    tables = document.tables
    assert len(docx.tables) == len(tables)
    for table, word in zip(tables, docx.tables, strict=True):
        rows = [[cell.text for cell in row.cells] for row in word.rows]
        assert rows[0] == list(table.columns), table.key
        assert rows[1:] == [[c.text for c in row] for row in table.rows], table.key
        for row, word_row in zip(table.rows, word.rows[1:], strict=True):
            for cell, word_cell in zip(row, word_row.cells, strict=True):
                if cell.flag and cell.value is None:
                    runs = [r for p in word_cell.paragraphs for r in p.runs if r.text]
                    assert runs and all(r.italic for r in runs), (table.key, cell.text)


def xlsx_tables(data: bytes, document: ReportDocument) -> dict[str, list[list[object]]]:
    """Each table's body as the XLSX holds it (values, not texts), found by its title and
    header on its section's sheet."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    out: dict[str, list[list[object]]] = {}
    for section in document.sections:
        sheet = book[section.key[:31]]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        start = 0
        for table in section.tables:
            index = _find_table(rows, table, start)
            body = rows[index + 2 : index + 2 + len(table.rows)]
            out[table.key] = [r[: len(table.columns)] for r in body]
            start = index + 2 + len(table.rows)
    return out


def _find_table(rows: list[list[object]], table: Table, start: int) -> int:
    for index in range(start, len(rows) - 1):
        if rows[index][:1] == [table.title] and tuple(
            rows[index + 1][: len(table.columns)]
        ) == tuple(table.columns):
            return index
    raise AssertionError(f"{table.key}: title and header not found in the XLSX")


def assert_xlsx_matches(document: ReportDocument, data: bytes) -> None:
    """Every figure is the document's number (not its text); every other cell its text; a
    withheld figure is words, never a number."""
    found = xlsx_tables(data, document)
    for table in document.tables:
        expected = [[c.value if c.value is not None else c.text for c in row] for row in table.rows]
        assert found[table.key] == expected, table.key
        for row, xlsx_row in zip(table.rows, found[table.key], strict=True):
            for cell, value in zip(row, xlsx_row, strict=True):
                if cell.flag and cell.value is None:
                    assert isinstance(value, str), (table.key, value)


def page_images(data: bytes, name: str) -> list[Path]:
    """The PDF's pages as PNG under test-output/reports/ for a person to look at; [] when
    Poppler's pdftoppm is not installed (Debian: poppler-utils)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return []
    PAGES.mkdir(parents=True, exist_ok=True)
    for old in PAGES.glob(f"{name}-*.png"):
        old.unlink(missing_ok=True)
    pdf = PAGES / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(
        [pdftoppm, "-r", "70", "-png", str(pdf), str(PAGES / name)], check=True, timeout=120
    )
    return sorted(PAGES.glob(f"{name}-*.png"))
