"""Safe, streaming readers for the files people import: CSV, XLSX and JSON.

Every check that can be made before parsing is made first (size; for XLSX the zip directory:
member count, uncompressed size of each part and of all, compression ratio; then cells and
time while reading: core/spreadsheets.py). Parsing problems become
FileRefused with a readable message, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.utils.translation import gettext as _

from wpsmonitor.core.json_input import RefusedJson, loads_bounded
from wpsmonitor.core.spreadsheets import (  # noqa: F401 - the readers' XLSX half
    FileRefused,
    check_xlsx,
    error_summary,
    open_workbook,
    sheet_rows,
)
from wpsmonitor.exchange.formats import unneutralise

MAX_JSON_BYTES = 256 * 1024**2


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


# The one bounded opener and reader of XLSX uploads is core/spreadsheets.py: open_workbook,
# sheet_rows (imported above, for the importers of exchange and finance).


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
    except RefusedJson as exc:
        raise FileRefused(str(exc)) from None
    except (ValueError, RecursionError) as exc:  # JSONDecodeError
        raise FileRefused(_("not valid JSON (%(error)s)") % {"error": error_summary(exc)}) from None
