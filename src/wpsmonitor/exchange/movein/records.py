"""Reading another system's export: long-format records (CSV, XLSX, JSON) as rows of labels.

Each file is read whole before any transaction, through the exchange readers' bounds (size,
the bounded XLSX opener, bounded JSON), and within MOVEIN_MAX_RECORDS records. A table (a CSV
file, a sheet of a workbook, the list of a JSON file) is a header and rows; nothing is matched
here: the headers and the cells stay the user's labels (matching.py turns them into codes).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from wpsmonitor.exchange.readers import (
    FileRefused,
    check_size,
    header_delimiter,
    open_workbook,
    read_json,
    sheet_rows,
    sniff_kind,
)

# Records one move-in reads, all files together: a legacy export is thousands of records, a
# big one a few hundred thousand. Beyond, split it or convert it to the values CSV.
MOVEIN_MAX_RECORDS = 500_000
# The JSON keys under which an app's export holds its list of records.
_JSON_LISTS = ("records", "data", "results", "values", "items", "rows")


@dataclass
class Table:
    """One table of labels: where its rows are (a location format with {row}), its header and
    its rows as (row number, cells in header order)."""

    label: str  # "export.xlsx:Feuil1" or "export.csv" or "export.json:records"
    place: str  # the location format of its rows: label + ":{row}"
    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    decimal_comma: bool = False  # a semicolon-separated CSV: "1,5" is 1.5


@dataclass
class RecordFile:
    path: Path
    name: str  # the file's name as problems show it
    tables: list[Table] = field(default_factory=list)
    refused: FileRefused | None = None


def escaped(name: str) -> str:
    """A name inside a location format (braces doubled: it is formatted with the row)."""
    return name.replace("{", "{{").replace("}", "}}")


def read_records(paths: list[Path]) -> list[RecordFile]:
    """Read every file; a file that cannot be read carries its refusal (reported in place)."""
    files = []
    budget = [MOVEIN_MAX_RECORDS]
    for path in paths:
        file = RecordFile(path, path.name)
        try:
            check_size(path)
            kind = sniff_kind(path)
            if kind == "xlsx":
                file.tables = _xlsx_tables(path, budget)
            elif kind == "json":
                file.tables = [_json_table(path, budget)]
            else:
                file.tables = [_csv_table(path, budget)]
        except FileRefused as exc:
            file.refused = exc
        files.append(file)
    return files


def _spend(budget: list[int], row: int) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise FileRefused(
            _("more than %(limit)s records; split the export or import it as a values CSV")
            % {"limit": MOVEIN_MAX_RECORDS},
            row=row,
        )


def _header_texts(values: list[Any]) -> list[str]:
    return ["" if v is None else str(v).strip() for v in values]


def _csv_table(path: Path, budget: list[int]) -> Table:
    head = path.open("rb").read(65536)
    if b"\x00" in head:
        raise FileRefused(_("this is not a CSV text file (it contains binary data)"))
    name = escaped(path.name)
    rownum = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
            handle.seek(0)
            delimiter = header_delimiter(first)
            reader = csv.reader(handle, delimiter=delimiter)
            try:
                header = _header_texts(next(reader))
            except StopIteration:
                raise FileRefused(_("the file is empty")) from None
            table = Table(path.name, name + ":{row}", header, decimal_comma=delimiter == ";")
            for record in reader:
                rownum += 1
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
                    raise FileRefused(
                        _("the row has %(n)s fields; the header has %(m)s")
                        % {"n": len(record), "m": len(header)},
                        row=rownum,
                    )
                _spend(budget, rownum)
                table.rows.append((rownum, list(record)))
    except UnicodeDecodeError:
        raise FileRefused(
            _("the file is not UTF-8 text here; save it as CSV UTF-8"), row=rownum + 1
        ) from None
    except csv.Error as exc:
        raise FileRefused(
            _("unreadable CSV (%(error)s)") % {"error": exc}, row=rownum + 1
        ) from None
    return table


def _xlsx_tables(path: Path, budget: list[int]) -> list[Table]:
    tables = []
    workbook = open_workbook(path)
    try:
        for ws in workbook.worksheets:
            table: Table | None = None
            label = f"{path.name}:{ws.title}"
            for rownum, values, formulas in sheet_rows(ws):
                if table is None:
                    if not any(v not in (None, "") for v in values):
                        continue
                    table = Table(label, escaped(label) + ":{row}", _header_texts(values))
                    continue
                if not any(v not in (None, "") for v in values):
                    continue
                if formulas:
                    raise FileRefused(
                        _(
                            "the sheet %(sheet)s holds a formula on row %(row)s; copy the cells "
                            "and paste them as values"
                        )
                        % {"sheet": ws.title, "row": rownum},
                        row=rownum,
                    )
                _spend(budget, rownum)
                table.rows.append((rownum, [_cell(v) for v in values]))
            if table is not None:
                tables.append(table)
    finally:
        workbook.close()
    return tables


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    return value


def _json_table(path: Path, budget: list[int]) -> Table:
    data = read_json(path)
    key = "records"
    if isinstance(data, dict):
        lists = [k for k in _JSON_LISTS if isinstance(data.get(k), list)]
        if not lists:
            raise FileRefused(
                _("expected a list of records, or an object holding one under %(keys)s")
                % {"keys": ", ".join(_JSON_LISTS)}
            )
        key = lists[0]
        data = data[key]
    if not isinstance(data, list):
        raise FileRefused(_("expected a list of records"))
    header: list[str] = []
    seen: dict[str, int] = {}
    label = f"{path.name}:{key}"
    table = Table(label, escaped(label) + ":{row}", header)
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise FileRefused(_("record %(n)s is not an object") % {"n": index}, row=index)
        _spend(budget, index)
        cells: list[Any] = [None] * len(header)
        for name, value in item.items():
            if isinstance(value, (dict, list)):
                raise FileRefused(
                    _("the field %(name)r of record %(n)s is not a single value")
                    % {"name": name, "n": index},
                    row=index,
                    column=str(name),
                )
            position = seen.get(name)
            if position is None:
                position = seen[name] = len(header)
                header.append(str(name))
                cells.append(None)
            cells[position] = value
        table.rows.append((index, cells))
    width = len(header)
    table.rows = [(n, cells + [None] * (width - len(cells))) for n, cells in table.rows]
    return table


def cell_text(value: Any) -> str:
    """A cell as trimmed text: a whole float (a spreadsheet's 2024.0) as "2024"."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).strip()
