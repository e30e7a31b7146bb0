"""Reading an uploaded roster of a training session (CSV or XLSX) into rows, each located by
file, sheet, row and column; the bounded readers of exchange and core/spreadsheets do the
reading and refuse hostile files (size, zip bombs, cells, time) before anything is parsed.

The columns (header on the first row, any order, names in English): service_number, sex (F or
M), rank (a NATO rank band: of_general, of_senior, of_junior, or_senior, or_junior, or_other),
unit (a unit's name, may be empty), pre_score and post_score (0 to 100, may be empty),
follow_up_on (YYYY-MM-DD), follow_up_score (0 to 100) and follow_up_by (may all be empty).
No name: a roster with a column "name" is refused.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from wpsmonitor.core.errors import LocatedProblem
from wpsmonitor.core.spreadsheets import unneutralise
from wpsmonitor.exchange.readers import (
    FileRefused,
    check_size,
    header_delimiter,
    open_workbook,
    sheet_rows,
    sniff_kind,
)

COLUMNS = (
    "service_number",
    "sex",
    "rank",
    "unit",
    "pre_score",
    "post_score",
    "follow_up_on",
    "follow_up_score",
    "follow_up_by",
)
REQUIRED = ("service_number", "sex", "rank")
# A session's roster: a few dozen people; a file of more is not a roster.
MAX_ROWS = 5_000
SHEET = "Roster"


@dataclass(frozen=True)
class RosterRow:
    index: int  # 0-based, in the file's order
    file: str
    sheet: str  # "" for a CSV
    row: int  # the row number in the file (the header is row 1)
    cells: dict[str, Any]

    def text(self, column: str) -> str:
        raw = self.cells.get(column)
        if raw is None:
            return ""
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        if isinstance(raw, datetime):
            return raw.date().isoformat()
        if isinstance(raw, date):
            return raw.isoformat()
        return unneutralise(str(raw).strip())

    def where(self, column: str) -> str:
        parts = [self.file, self.sheet, str(self.row), column]
        return ":".join(p for p in parts if p)


def _refused(filename: str, sheet: str, exc: FileRefused) -> LocatedProblem:
    parts = [filename, sheet, str(exc.row) if exc.row else "", exc.column]
    return LocatedProblem(
        None, exc.column or None, f"{':'.join(p for p in parts if p)}: {exc.message}"
    )


def _positions(header: list[Any]) -> dict[str, int]:
    names = [("" if h is None else str(h)).strip().lower() for h in header]
    unknown = [n for n in names if n and n not in COLUMNS]
    if unknown:
        raise FileRefused(
            _("unknown column(s) %(cols)s; the columns are %(all)s")
            % {"cols": ", ".join(unknown), "all": ", ".join(COLUMNS)},
            row=1,
        )
    for required in REQUIRED:
        if required not in names:
            raise FileRefused(
                _("the column %(col)s is missing") % {"col": required}, row=1, column=required
            )
    return {c: names.index(c) for c in COLUMNS if c in names}


def _row(
    index: int, filename: str, sheet: str, rownum: int, values: list[Any], at: dict[str, int]
) -> RosterRow:
    cells = {c: (values[p] if p < len(values) else None) for c, p in at.items()}
    return RosterRow(index=index, file=filename, sheet=sheet, row=rownum, cells=cells)


def _blank(values: list[Any]) -> bool:
    return all(v is None or str(v).strip() == "" for v in values)


def read_roster(path: Path, filename: str) -> tuple[list[RosterRow], list[LocatedProblem]]:
    """The file's rows, or the problem that refuses the file as a whole."""
    sheet = ""
    rows: list[RosterRow] = []
    try:
        check_size(path)
        if sniff_kind(path) == "xlsx":
            workbook = open_workbook(path)
            chosen = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
            sheet = str(chosen.title)
            at: dict[str, int] | None = None
            for rownum, values, _formulas in sheet_rows(chosen):
                if at is None:
                    at = _positions(values)
                    continue
                if _blank(values):
                    continue
                rows.append(_row(len(rows), filename, sheet, rownum, values, at))
                if len(rows) > MAX_ROWS:
                    raise FileRefused(_("more than %(max)d rows") % {"max": MAX_ROWS}, row=rownum)
            if at is None:
                raise FileRefused(_("the file is empty"))
        else:
            rows = _csv_rows(path, filename)
    except FileRefused as exc:
        return [], [_refused(filename, sheet, exc)]
    return rows, []


def _csv_rows(path: Path, filename: str) -> list[RosterRow]:
    rows: list[RosterRow] = []
    rownum = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
            handle.seek(0)
            reader = csv.reader(handle, delimiter=header_delimiter(first))
            at: dict[str, int] | None = None
            for record in reader:
                rownum += 1
                if at is None:
                    at = _positions(list(record))
                    continue
                if _blank(list(record)):
                    continue
                rows.append(_row(len(rows), filename, "", rownum, list(record), at))
                if len(rows) > MAX_ROWS:
                    raise FileRefused(_("more than %(max)d rows") % {"max": MAX_ROWS}, row=rownum)
            if at is None:
                raise FileRefused(_("the file is empty"))
    except UnicodeDecodeError:
        raise FileRefused(
            _("the file is not UTF-8 text here; save it as CSV UTF-8"), row=rownum + 1
        ) from None
    except csv.Error as exc:
        raise FileRefused(
            _("unreadable CSV (%(error)s)") % {"error": exc}, row=rownum + 1
        ) from None
    return rows
