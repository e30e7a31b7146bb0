"""Safe, streaming readers for the files people import: CSV, XLSX and JSON.

Every check that can be made before parsing is made first (size; for XLSX the zip directory:
member count, total uncompressed size, compression ratio). Parsing problems become
FileRefused with a readable message, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import openpyxl
import openpyxl.xml
from django.conf import settings
from django.utils.translation import gettext as _

from wpsmonitor.core.json_input import NumberTooLong, loads_bounded
from wpsmonitor.exchange.formats import unneutralise

MAX_XLSX_MEMBERS = 2_000
# A sheet of repeated cells compresses ~20-100x; a zip bomb compresses thousands of times.
MAX_COMPRESSION_RATIO = 200
_RATIO_MIN_BYTES = 1024 * 1024
MAX_JSON_BYTES = 256 * 1024**2


class FileRefused(Exception):
    """The file is refused (too big, not what it claims to be, unreadable from some row on)."""

    def __init__(self, message: str, row: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


def check_size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRefused(_("cannot read the file (%(error)s)") % {"error": exc.strerror}) from None
    if size > settings.IMPORT_MAX_FILE_BYTES:
        raise FileRefused(
            _("the file is %(size)s bytes; the limit is %(limit)s bytes")
            % {"size": size, "limit": settings.IMPORT_MAX_FILE_BYTES}
        )
    if size == 0:
        raise FileRefused(_("the file is empty"))
    return size


def check_xlsx(path: Path) -> None:
    """Refuse non-zip 'xlsx' and zip bombs from the zip directory alone, before openpyxl opens it.

    Reading a member never yields more than its declared size (zipfile stops there and checks
    the CRC), so the declared sizes bound the work openpyxl can be made to do.
    """
    if not openpyxl.xml.DEFUSEDXML:
        raise FileRefused(_("XLSX import needs the defusedxml package; install it"))
    if not zipfile.is_zipfile(path):
        raise FileRefused(_("this is not an XLSX workbook (not a zip archive)"))
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRefused(_("the workbook is damaged (%(error)s)") % {"error": exc}) from None
    if len(members) > MAX_XLSX_MEMBERS:
        raise FileRefused(
            _("the workbook holds %(count)s parts; the limit is %(limit)s")
            % {"count": len(members), "limit": MAX_XLSX_MEMBERS}
        )
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRefused(_("this zip archive is not an XLSX workbook"))
    total = sum(m.file_size for m in members)
    if total > settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES:
        raise FileRefused(
            _("the workbook unpacks to %(size)s bytes; the limit is %(limit)s bytes")
            % {"size": total, "limit": settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES}
        )
    for member in members:
        if member.file_size > _RATIO_MIN_BYTES and member.file_size > MAX_COMPRESSION_RATIO * max(
            member.compress_size, 1
        ):
            raise FileRefused(
                _("the workbook part %(name)s is compressed %(ratio)s times: refused as a zip bomb")
                % {
                    "name": member.filename,
                    "ratio": member.file_size // max(member.compress_size, 1),
                }
            )


def sniff_kind(path: Path) -> str:
    """'xlsx', 'json' or 'csv', from the content first and the name second."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK"):
        return "xlsx"
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return "xlsx"
    if suffix == ".json" or head.lstrip(codecs.BOM_UTF8).lstrip()[:1] in (b"{", b"["):
        return "json"
    return "csv"


# ----------------------------------------------------------------------------- CSV


# A number written with a decimal comma ("1,5", "-0,25"), as a French or German spreadsheet
# saves it in a semicolon-separated CSV.
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def header_delimiter(header_line: str) -> str:
    """The separator of a CSV, from its header line: ";" when it has more semicolons than
    commas (Excel in French, German... saves "CSV" so, its decimal separator being the comma),
    "," otherwise. Column names hold neither, so the header tells them apart."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


class CsvRows:
    """Stream a UTF-8 CSV (with or without BOM) as (row number, {column: text}) or lists.

    Comma or semicolon separated (header_delimiter); in a semicolon-separated file the cells of
    `number_columns` may use a decimal comma. The header is row 1. Problems with the file as a
    whole raise FileRefused; a decoding error in the middle raises FileRefused naming the row.
    """

    def __init__(
        self,
        path: Path,
        columns: tuple[str, ...],
        text_columns: set[str],
        number_columns: frozenset[str] = frozenset(),
    ) -> None:
        self.path = path
        self.columns = columns
        self.text_columns = text_columns
        self.number_columns = number_columns
        with path.open("rb") as handle:
            head = handle.read(65536)
        if b"\x00" in head:
            raise FileRefused(_("this is not a CSV text file (it contains binary data)"))
        try:
            text = head.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the 64 KiB boundary is fine.
            if exc.start < len(head) - 4:
                raise FileRefused(_("the file is not UTF-8 text; save it as CSV UTF-8")) from None
            text = head[: exc.start].decode("utf-8-sig")
        self.delimiter = header_delimiter(text.partition("\n")[0])

    def header(self, reader: Any) -> list[int]:
        try:
            header = next(reader)
        except StopIteration:
            raise FileRefused(_("the file is empty")) from None
        names = [h.strip().lower() for h in header]
        unknown = [h for h in names if h and h not in self.columns]
        separator = next((c for c in "\t|" if len(names) == 1 and c in names[0]), None)
        if unknown and separator:
            raise FileRefused(
                _(
                    "the columns are separated by %(found)r; separate them by commas (or "
                    "semicolons) and save as CSV UTF-8"
                )
                % {"found": separator},
                row=1,
            )
        if unknown:
            raise FileRefused(
                _("unknown column(s) %(cols)s; the columns are %(all)s")
                % {"cols": ", ".join(unknown), "all": ", ".join(self.columns)},
                row=1,
            )
        for required in ("indicator", "period", "area"):
            if required not in names:
                raise FileRefused(
                    _("the column %(col)s is missing") % {"col": required}, row=1, column=required
                )
        self.header_width = len(names)
        return [names.index(c) if c in names else -1 for c in self.columns]

    def __iter__(self) -> Iterator[tuple[int, list[str | None]]]:
        rownum = 1
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            try:
                positions = self.header(reader)
                width = len(positions)
                in_order = positions == list(range(width))
                text_at = [i for i, c in enumerate(self.columns) if c in self.text_columns]
                comma_at = (
                    [i for i, c in enumerate(self.columns) if c in self.number_columns]
                    if self.delimiter == ";"
                    else []
                )
                for record in reader:
                    rownum += 1
                    if not record:
                        continue
                    size = len(record)
                    row: list[str | None]
                    if in_order and size == width:
                        # The usual case: the columns in the documented order. No copy per row;
                        # the cast only widens the item type (list is invariant), and only str
                        # is ever written back into it below.
                        row = cast(list[str | None], record)
                    else:
                        row = [record[p] if 0 <= p < size else None for p in positions]
                    for i in text_at:
                        cell = row[i]
                        if cell and cell[0] == "'":
                            row[i] = unneutralise(cell)
                    for i in comma_at:
                        cell = row[i]
                        if cell and "," in cell and _DECIMAL_COMMA.fullmatch(cell.strip()):
                            row[i] = cell.strip().replace(",", ".")
                    if size > self.header_width and any(
                        x.strip() for x in record[self.header_width :]
                    ):
                        raise FileRefused(
                            _("the row has %(n)s fields; the header has %(m)s")
                            % {"n": size, "m": self.header_width},
                            row=rownum,
                        )
                    yield rownum, row
            except UnicodeDecodeError:
                raise FileRefused(
                    _("the file is not UTF-8 text here; save it as CSV UTF-8"), row=rownum + 1
                ) from None
            except csv.Error as exc:
                raise FileRefused(
                    _("unreadable CSV (%(error)s)") % {"error": exc}, row=rownum + 1
                ) from None


# ----------------------------------------------------------------------------- XLSX


class FormulaCell(Exception):
    pass


def open_workbook(path: Path) -> Any:
    check_xlsx(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # defusedxml, zipfile, KeyError, lxml... all mean "unreadable"
        raise FileRefused(
            _("the workbook cannot be read (%(error)s)") % {"error": _short(exc)}
        ) from None


def _short(exc: BaseException) -> str:
    """The root cause, on one line, without file paths (openpyxl wraps parser errors)."""
    root = exc
    while (root.__cause__ or root.__context__) is not None:
        root = root.__cause__ or root.__context__  # type: ignore[assignment]
    detail = str(root).splitlines()[0] if str(root) else ""
    if "/" in detail:
        detail = ""
    return (f"{type(root).__name__}: {detail}" if detail else type(root).__name__)[:200]


def sheet_rows(sheet: Any) -> Iterator[tuple[int, list[Any], list[int]]]:
    """(row number, cell values, columns holding formulas) for each non-empty row, header included."""
    try:
        for row in sheet.iter_rows():
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
            if rownum is None or all(v is None or v == "" for v in values):
                continue
            yield rownum, values, formulas
    except FileRefused:
        raise
    except Exception as exc:
        raise FileRefused(
            _("the workbook cannot be read (%(error)s)") % {"error": _short(exc)}
        ) from None


# ----------------------------------------------------------------------------- JSON


def read_json(path: Path) -> Any:
    size = path.stat().st_size
    if size > MAX_JSON_BYTES:
        raise FileRefused(
            _("a JSON plan file is limited to %(limit)s bytes; import values as CSV")
            % {"limit": MAX_JSON_BYTES}
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_("the file is not UTF-8 text")) from None
    try:
        return loads_bounded(text)
    except NumberTooLong as exc:
        raise FileRefused(str(exc)) from None
    except (ValueError, RecursionError) as exc:  # JSONDecodeError
        raise FileRefused(_("not valid JSON (%(error)s)") % {"error": _short(exc)}) from None
