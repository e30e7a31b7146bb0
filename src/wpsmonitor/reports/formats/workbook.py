"""The report's XLSX twin: every table of the report with the same numbers, one sheet a section
(docs/reports.md, "Formats").

Numbers are written as numbers (with a number format: a percent for a ratio, grouped digits for
counts and money), a withheld figure as its words, never a number; text is written formula-safe
(core.spreadsheets). Sheet names are the sections' stable keys, so a reader's formulas keep
pointing at the right sheet from one year's report to the next.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils.translation import gettext as _

from wpsmonitor.core.spreadsheets import safe_cell
from wpsmonitor.reports.document import Cell, ReportDocument, Section, Table
from wpsmonitor.reports.formats.common import (
    generated_label,
    is_rtl,
    printable,
    release_label,
    version_mark,
)

# Excel's limit on a sheet name.
SHEET_NAME_MAX = 31
COLUMN_WIDTH_MAX = 60


def sheet_name(key: str, taken: set[str]) -> str:
    """The section's key as a sheet name: ≤ 31 characters, none of Excel's forbidden ones,
    unique in the workbook."""
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in key)[:SHEET_NAME_MAX] or "section"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f"_{n}"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def number_format(cell: Cell) -> str:
    """The Excel format that shows the number as the report's text does: a percent for a
    ratio, grouped digits for counts and money, with the text's decimals (one or two digits
    after the separator; a group of three is a thousands group)."""
    match = _DECIMALS.search(cell.text)
    decimals = "." + "0" * len(match.group(1)) if match else ""
    if cell.kind == "percent":
        return f"0{decimals}%"
    return f"#,##0{decimals}"


# "12.5", "42,25 %", "1 234,5 USD": the decimals shown; never a thousands group ("1,234").
_DECIMALS = re.compile(r"\d[.,](\d{1,2})(?!\d)\D*$")


def render_xlsx(document: ReportDocument) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    bold = Font(bold=True)
    title_font = Font(bold=True, size=13)
    italic = Font(italic=True)
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    header_border = Border(bottom=Side(style="medium", color="000000"))
    rtl = is_rtl(document.language)

    workbook = Workbook(write_only=True)
    taken: set[str] = {"about"}

    def text(ws: Any, value: str, font: Any = None) -> Any:
        cell = safe_cell(ws, printable(value))
        if font is not None:
            cell.font = font
        return cell

    # The first sheet says what the workbook is.
    about = workbook.create_sheet("about")
    about.sheet_view.rightToLeft = rtl
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 70
    about.append([text(about, document.title, title_font)])
    about.append([text(about, version_mark(document), bold)])
    rows: list[tuple[str, str]] = [
        (_("Plan"), f"{document.plan_title} ({document.plan_code})"),
        (_("Period"), document.period_label),
        (_("Version"), version_mark(document)),
        (_("Release"), release_label(document)),
        (_("Generated"), generated_label(document)),
        (_("Language"), document.language),
    ]
    for label, value in rows:
        about.append([text(about, label, bold), text(about, value)])
    about.append([])
    about.append([text(about, _("Sheet"), bold), text(about, _("Section"), bold)])
    names = [sheet_name(s.key, taken) for s in document.sections]
    for name, section in zip(names, document.sections, strict=True):
        about.append([text(about, name), text(about, section.title)])

    for name, section in zip(names, document.sections, strict=True):
        ws = workbook.create_sheet(name)
        ws.sheet_view.rightToLeft = rtl
        tables = section.tables
        widths = _widths(section, tables)
        for index, width in enumerate(widths):
            ws.column_dimensions[_column_letter(index)].width = width
        # One table: its header stays in view; several: the section's title does.
        ws.freeze_panes = "A4" if len(tables) == 1 else "A2"
        ws.append([text(ws, section.title, title_font)])
        if not tables:
            ws.append([text(ws, section.empty or _("No table in this section."), italic)])
            continue
        for number, table in enumerate(tables):
            if number:
                ws.append([])
            ws.append([text(ws, table.title, bold)])
            header = []
            for column in table.columns:
                cell = text(ws, column, bold)
                cell.fill = header_fill
                cell.border = header_border
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                header.append(cell)
            ws.append(header)
            for row in table.rows:
                ws.append([_cell(ws, c, italic) for c in row])
            if table.note:
                ws.append([text(ws, table.note, italic)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(ws: Any, cell: Cell, italic: Any) -> Any:
    if cell.value is not None:
        out = safe_cell(ws, cell.value)
        out.number_format = number_format(cell)
        return out
    out = safe_cell(ws, printable(cell.text))
    if cell.flag:
        # A withheld figure: its words, in italics, never a number.
        out.font = italic
    return out


def _widths(section: Section, tables: list[Table]) -> list[float]:
    widths: list[float] = [min(len(section.title) * 0.6, 40.0)]
    for table in tables:
        for row in (tuple(table.columns), *((c.text for c in r) for r in table.rows)):
            for index, value in enumerate(row):
                while len(widths) <= index:
                    widths.append(8.0)
                widths[index] = min(max(widths[index], len(value) * 1.1 + 2), COLUMN_WIDTH_MAX)
    return widths


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))
