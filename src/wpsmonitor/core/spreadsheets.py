"""Spreadsheets in and out: formula-safe cells in every file we write, and the one bounded
way an uploaded XLSX is opened and read.

A cell starting with = + - @ (or a tab or carriage return) is a formula to Excel and LibreOffice:
an attacker's figure or comment could run on a reader's machine. CSV gets a leading apostrophe
(reversibly: the importer takes it off again), XLSX a quote-prefixed text cell.

Every XLSX upload (plan workbooks, values, finance workbooks) is opened by open_workbook and
read by sheet_rows: the zip directory is checked before openpyxl touches the file (parts,
uncompressed size of each part and of all, compression ratio), and the reading is bounded in
cells and time, so a hostile workbook is refused in seconds with a message saying why.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

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


# ----------------------------------------------------------------------------- reading XLSX


class FileRefused(Exception):
    """The file is refused (too big, not what it claims to be, unreadable from some row on)."""

    def __init__(self, message: str, row: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


# The bounds of an XLSX upload (docs/import-formats.md, "Limits"). The byte, cell and time bounds
# are settings (IMPORT_MAX_XLSX_*); these are not worth one.
XLSX_MAX_PARTS = 2_000
# A sheet of repeated cells compresses ~20-100x; a zip bomb compresses thousands of times.
XLSX_MAX_COMPRESSION_RATIO = 200
_RATIO_MIN_BYTES = 1024 * 1024
# Columns a row may fill; every import sheet has fewer than 30.
XLSX_MAX_COLUMNS = 256
# Time is checked every so many rows.
_CLOCK_EVERY = 512
_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CONTENT_TYPES = "[Content_Types].xml"
_BUDGET = "_wpsmonitor_budget"


@dataclass
class _Budget:
    """What is left of a workbook's cell and time bounds, shared by all its sheets."""

    cells: int
    deadline: float


def _worksheet_parts(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> set[str]:
    """The parts [Content_Types].xml declares as worksheets (streamed row by row).

    Every other part (shared strings, styles, the workbook...) is read whole into memory by
    openpyxl, so it gets the tighter bound; a part is a worksheet only by its declared type,
    whatever its name.
    """
    from defusedxml.ElementTree import fromstring

    if info.file_size > settings.IMPORT_MAX_XLSX_PART_BYTES:
        raise _part_too_big(info.filename, info.file_size, settings.IMPORT_MAX_XLSX_PART_BYTES)
    try:
        root = fromstring(archive.read(info))
    except Exception as exc:  # defusedxml's refusals, ParseError, BadZipFile (CRC)...
        raise FileRefused(
            _("the workbook cannot be read (%(error)s)") % {"error": error_summary(exc)}
        ) from None
    return {
        str(node.get("PartName", "")).lstrip("/")
        for node in root
        if str(node.tag).endswith("Override") and node.get("ContentType") == _WORKSHEET
    }


def _part_too_big(name: str, size: int, limit: int) -> FileRefused:
    return FileRefused(
        _("the workbook part %(name)s unpacks to %(size)s bytes; the limit is %(limit)s bytes")
        % {"name": name, "size": size, "limit": limit}
    )


def check_xlsx(path: Path) -> None:
    """Refuse non-zip "xlsx", zip bombs and oversized parts from the zip directory alone,
    before openpyxl opens the file.

    The sizes are those the zip directory declares, and they hold: reading a member never
    yields more than its declared size (zipfile stops there and checks the CRC, so a part
    whose header lies is refused as damaged: tests/exchange/test_hostile_files.py). So each
    part openpyxl reads whole (shared strings, styles) is bounded by IMPORT_MAX_XLSX_PART_BYTES,
    each worksheet by IMPORT_MAX_XLSX_SHEET_BYTES, and all of them together by
    IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES.
    """
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:
        raise FileRefused(_("XLSX import needs the defusedxml package; install it"))
    if not zipfile.is_zipfile(path):
        raise FileRefused(_("this is not an XLSX workbook (not a zip archive)"))
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > XLSX_MAX_PARTS:
                raise FileRefused(
                    _("the workbook holds %(count)s parts; the limit is %(limit)s")
                    % {"count": len(members), "limit": XLSX_MAX_PARTS}
                )
            by_name = {m.filename: m for m in members}
            if _CONTENT_TYPES not in by_name or "xl/workbook.xml" not in by_name:
                raise FileRefused(_("this zip archive is not an XLSX workbook"))
            total = sum(m.file_size for m in members)
            if total > settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES:
                raise FileRefused(
                    _("the workbook unpacks to %(size)s bytes; the limit is %(limit)s bytes")
                    % {"size": total, "limit": settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES}
                )
            _check_ratios(members)
            sheets = _worksheet_parts(archive, by_name[_CONTENT_TYPES])
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FileRefused(_("the workbook is damaged (%(error)s)") % {"error": exc}) from None
    for member in members:
        limit = (
            settings.IMPORT_MAX_XLSX_SHEET_BYTES
            if member.filename in sheets
            else settings.IMPORT_MAX_XLSX_PART_BYTES
        )
        if member.file_size > limit:
            raise _part_too_big(member.filename, member.file_size, limit)


def _check_ratios(members: list[zipfile.ZipInfo]) -> None:
    for member in members:
        if member.file_size > _RATIO_MIN_BYTES and member.file_size > (
            XLSX_MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            raise FileRefused(
                _("the workbook part %(name)s is compressed %(ratio)s times: refused as a zip bomb")
                % {
                    "name": member.filename,
                    "ratio": member.file_size // max(member.compress_size, 1),
                }
            )


def open_workbook(path: Path) -> Any:
    """The one way an uploaded XLSX is opened: checked (check_xlsx), then opened read-only,
    with the cell and time bounds that sheet_rows spends as it reads."""
    import openpyxl

    check_xlsx(path)
    started = time.monotonic()
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # defusedxml, zipfile, KeyError, lxml... all mean "unreadable"
        raise FileRefused(
            _("the workbook cannot be read (%(error)s)") % {"error": error_summary(exc)}
        ) from None
    setattr(
        workbook,
        _BUDGET,
        _Budget(
            cells=settings.IMPORT_MAX_XLSX_CELLS,
            deadline=started + settings.IMPORT_MAX_XLSX_SECONDS,
        ),
    )
    return workbook


def error_summary(exc: BaseException) -> str:
    """The root cause, on one line, without file paths (openpyxl wraps parser errors)."""
    root = exc
    while (root.__cause__ or root.__context__) is not None:
        root = root.__cause__ or root.__context__  # type: ignore[assignment]
    detail = str(root).splitlines()[0] if str(root) else ""
    if "/" in detail:
        detail = ""
    return (f"{type(root).__name__}: {detail}" if detail else type(root).__name__)[:200]


def sheet_rows(sheet: Any) -> Iterator[tuple[int, list[Any], list[int]]]:
    """(row number, cell values, columns holding formulas) for each non-empty row, header
    included, within the workbook's bounds.

    The sheet's own <dimension> is not trusted (openpyxl would pad every row to its width, so
    a tiny sheet could claim 16,384 columns by 1,048,576 rows). Every row read spends its width
    (at least one) from the workbook's cell budget, so runs of empty rows count too; a row
    filled beyond XLSX_MAX_COLUMNS, a workbook above IMPORT_MAX_XLSX_CELLS cells or one read
    for longer than IMPORT_MAX_XLSX_SECONDS is refused, naming the sheet and the row.
    """
    budget: _Budget = getattr(sheet.parent, _BUDGET, None) or _Budget(
        cells=settings.IMPORT_MAX_XLSX_CELLS,
        deadline=time.monotonic() + settings.IMPORT_MAX_XLSX_SECONDS,
    )
    title = str(getattr(sheet, "title", ""))
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    previous = 0
    try:
        for count, row in enumerate(sheet.iter_rows(), start=1):
            budget.cells -= max(len(row), 1)
            values = []
            formulas = []
            rownum = None
            for index, cell in enumerate(row):
                if rownum is None and getattr(cell, "row", None) is not None:
                    rownum = cell.row
                value = cell.value
                if getattr(cell, "data_type", None) == "f":
                    formulas.append(index)
                values.append(value)
            where = rownum or previous + 1
            previous = where
            if budget.cells < 0:
                raise FileRefused(
                    _(
                        "the workbook holds more than %(limit)s cells (sheet %(sheet)s, from row "
                        "%(row)s on); split it, or send the values as CSV"
                    )
                    % {"limit": settings.IMPORT_MAX_XLSX_CELLS, "sheet": title, "row": where},
                    row=where,
                )
            if count % _CLOCK_EVERY == 0 and time.monotonic() > budget.deadline:
                raise FileRefused(
                    _(
                        "reading the workbook took longer than %(limit)s seconds (sheet "
                        "%(sheet)s, row %(row)s); split it, or send the values as CSV"
                    )
                    % {"limit": settings.IMPORT_MAX_XLSX_SECONDS, "sheet": title, "row": where},
                    row=where,
                )
            if len(values) > XLSX_MAX_COLUMNS:
                if any(v is not None and v != "" for v in values[XLSX_MAX_COLUMNS:]):
                    raise FileRefused(
                        _(
                            "the sheet %(sheet)s fills a cell beyond column %(limit)s on row "
                            "%(row)s; the import sheets have far fewer columns"
                        )
                        % {"sheet": title, "limit": XLSX_MAX_COLUMNS, "row": where},
                        row=where,
                    )
                del values[XLSX_MAX_COLUMNS:]
                formulas = [i for i in formulas if i < XLSX_MAX_COLUMNS]
            if rownum is None or all(v is None or v == "" for v in values):
                continue
            yield rownum, values, formulas
    except FileRefused:
        raise
    except Exception as exc:
        raise FileRefused(
            _("the workbook cannot be read (%(error)s)") % {"error": error_summary(exc)}
        ) from None
