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
from typing import Protocol

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

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


def to_xlsx(table: Table, about: Sequence[tuple[str, str]]) -> bytes:
    """The table on a first sheet (header row, then the rows), what it is on a second."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    sheet = workbook.create_sheet(_sheet_title(table.key))
    header = []
    for name in table.columns:
        cell = _safe_cell(sheet, name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_safe_cell(sheet, _xlsx_value(v)) for v in row])
    info = workbook.create_sheet(_sheet_title(_("About")))
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
        lines.append((_("Figures last computed (UTC)"), str(rebuilt_at)))
    lines.append((_("Page"), page_url))
    lines.append(
        (
            _("Achievement"),
            _("Progress from baseline to target as a ratio: 1 means the target is reached."),
        )
    )
    return lines
