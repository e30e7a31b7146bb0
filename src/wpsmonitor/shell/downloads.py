"""Any page's data table as CSV or XLSX: the one download path of every feature.

A table is downloaded from its page's own address with `?download=csv|xlsx&table=<key>` added to
the page's filters, so the file holds exactly the figures on screen. Pages build their tables from
what their selectors already read: a download makes the same fixed number of queries as the page.

Numbers stay numbers (no locale formatting, no units). Text that a spreadsheet would run as a
formula (starting with = + - @, tab or CR) is neutralised (core.spreadsheets): an apostrophe in
CSV, a quote-prefixed text cell in XLSX.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from wpsmonitor.core.names import localized_name
from wpsmonitor.core.spreadsheets import neutralise
from wpsmonitor.core.spreadsheets import safe_cell as _safe_cell


class NamedPlace(Protocol):
    """An area as the About sheet names it."""

    name: str
    code: str


CellValue = str | int | float | None
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[CellValue]]


TableBuilders = Mapping[str, Callable[[], Table]]


@dataclass(frozen=True)
class Wanted:
    format: str
    table: str


def requested(request: HttpRequest) -> Wanted | None:
    """The download asked for, None for the page itself; 404 for an unknown format."""
    fmt = request.GET.get("download")
    if not fmt:
        return None
    if fmt not in FORMATS:
        raise Http404("No such download format")
    return Wanted(format=fmt, table=request.GET.get("table", ""))


def respond(
    wanted: Wanted, tables: TableBuilders, *, name: Sequence[str], about: Sequence[tuple[str, str]]
) -> HttpResponse:
    """The file of one table; 404 when the page has no table of that name."""
    build = tables.get(wanted.table)
    if build is None:
        raise Http404("No such table")
    table = build()
    filename = "_".join(_filename_part(part) for part in [*name, table.key] if part)
    if wanted.format == "csv":
        content = to_csv(table)
    else:
        content = to_xlsx(table, [(_("Table"), table.title), *about])
    response = HttpResponse(content, content_type=CONTENT_TYPES[wanted.format])
    # _filename_part keeps only [A-Za-z0-9._-]: the name needs no quoting or encoding.
    response["Content-Disposition"] = f'attachment; filename="{filename}.{wanted.format}"'
    return response


def page_url(request: HttpRequest) -> str:
    """The page's address without the download parameters, for the files' "About" sheet."""
    params = request.GET.copy()
    for key in ("download", "table"):
        params.pop(key, None)
    query = params.urlencode()
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))


def _filename_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "x"


def _number(value: float | int) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def _csv_cell(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int: keep it out of the number branch
        return str(value)
    if isinstance(value, int | float):
        return _number(value)
    return neutralise(value)


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read accents right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(c) for c in row])
    return out.getvalue().encode("utf-8-sig")


def _sheet_title(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "Table"


# Column widths in characters: wide enough for the longest value, never wider than this.
MAX_WIDTH = 60
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0##"


def _number_format(values: list[CellValue]) -> str | None:
    """The format of a column of numbers (None: a column of text, or empty)."""
    numbers = [v for v in values if v is not None]
    if not numbers or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in numbers
    ):
        return None
    if all(isinstance(v, int) or float(v).is_integer() for v in numbers):  # type: ignore[arg-type]
        return INTEGER_FORMAT
    return DECIMAL_FORMAT


def _width(name: str, values: list[CellValue]) -> float:
    longest = max([len(str(name)), *(len(_csv_cell(v)) for v in values)])
    return min(longest + 2, MAX_WIDTH)


def to_xlsx(table: Table, about: Sequence[tuple[str, str]]) -> bytes:
    """The table on a first sheet (a bold, frozen header row with a filter, columns as wide
    as their text, numbers formatted with a thousands separator), what it is on a second."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    sheet = workbook.create_sheet(_sheet_title(table.key))
    columns = [
        [row[i] if i < len(row) else None for row in table.rows] for i in range(len(table.columns))
    ]
    formats = [_number_format(values) for values in columns]
    for i, (name, values) in enumerate(zip(table.columns, columns, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = _width(name, values)
    sheet.freeze_panes = "A2"
    if table.columns:
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    header = []
    for name in table.columns:
        cell = _safe_cell(sheet, name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        cells = []
        for i, value in enumerate(row):
            cell = _safe_cell(sheet, _xlsx_value(value))
            number_format = formats[i] if i < len(formats) else None
            if number_format and cell.value is not None:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    info = workbook.create_sheet(_sheet_title(_("About")))
    info.column_dimensions["A"].width = _width("", [label for label, _v in about])
    info.column_dimensions["B"].width = MAX_WIDTH
    for label, value in about:
        key = _safe_cell(info, label)
        key.font = bold
        info.append([key, _safe_cell(info, value)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value: CellValue) -> CellValue:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _moment(value: object) -> str:
    """A moment for people, in the reader's date format ("6 décembre 2026 14:30"), in UTC."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(UTC)
        return date_format(value, "DATETIME_FORMAT")
    return str(value)


def about_lines(
    *,
    plan_title: str,
    page_url: str,
    period: str = "",
    area: NamedPlace | None = None,
    source: str = "",
    rebuilt_at: object = None,
) -> list[tuple[str, str]]:
    """The XLSX "About" sheet: where the figures come from."""
    lines = [(_("Plan"), plan_title)] if plan_title else []
    if period:
        lines.append((_("Period"), period))
    if area is not None:
        lines.append((_("Area"), f"{localized_name(area.name)} ({area.code})"))
    if source:
        lines.append((_("Source"), source))
    if rebuilt_at:
        lines.append((_("Figures last computed (UTC)"), _moment(rebuilt_at)))
    lines.append((_("Page"), page_url))
    lines.append(
        (
            _("Achievement"),
            _("Progress from baseline to target as a ratio: 1 means the target is reached."),
        )
    )
    return lines
