"""Reading an uploaded file of survey answers (CSV or XLSX) into rows, each located by file,
sheet, row and column; the bounded readers of exchange and core/spreadsheets do the reading.

The columns (header on the first row, any order, names in English): question (its number or
its indicator's code), area (code), cell ("sex=F;age=18-29", empty when the survey is not
disaggregated), option (its number or its label) and count (respondents, a whole number).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
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

COLUMNS = ("question", "area", "cell", "option", "count")
REQUIRED = ("question", "area", "option", "count")
MAX_ROWS = 50_000
SHEET = "Answers"


@dataclass(frozen=True)
class AnswerRow:
    index: int  # 0-based, in the file's order
    file: str
    sheet: str  # "" for a CSV
    row: int  # the row number in the file (the header is row 1)
    question: str
    area: str
    cell: str
    option: str
    count: int | None  # None when not a whole number
    count_text: str

    def where(self, column: str) -> str:
        parts = [self.file, self.sheet, str(self.row), column]
        return ":".join(p for p in parts if p)


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return unneutralise(str(raw).strip())


def _count(raw: Any) -> int | None:
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    text = str(raw).strip()
    try:
        return int(text)
    except ValueError:
        return None


def _refused(filename: str, sheet: str, exc: FileRefused) -> LocatedProblem:
    parts = [filename, sheet, str(exc.row) if exc.row else "", exc.column]
    return LocatedProblem(
        None, exc.column or None, f"{':'.join(p for p in parts if p)}: {exc.message}"
    )


def _positions(header: list[Any]) -> list[int]:
    names = [_text(h).lower() for h in header]
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
    return [names.index(c) if c in names else -1 for c in COLUMNS]


def _row(
    index: int, filename: str, sheet: str, rownum: int, values: list[Any], at: list[int]
) -> AnswerRow:
    cells = [values[p] if 0 <= p < len(values) else None for p in at]
    question, area, cell, option, count = cells
    return AnswerRow(
        index=index,
        file=filename,
        sheet=sheet,
        row=rownum,
        question=_text(question),
        area=_text(area),
        cell=_text(cell),
        option=_text(option),
        count=_count(count),
        count_text=_text(count),
    )


def _blank(values: list[Any]) -> bool:
    return all(_text(v) == "" for v in values)


def read_answer_rows(path: Path, filename: str) -> tuple[list[AnswerRow], list[LocatedProblem]]:
    """The file's rows, or the problems that refuse the file as a whole."""
    sheet = ""
    rows: list[AnswerRow] = []
    try:
        check_size(path)
        if sniff_kind(path) == "xlsx":
            workbook = open_workbook(path)
            chosen = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
            sheet = str(chosen.title)
            at: list[int] | None = None
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


def _csv_rows(path: Path, filename: str) -> list[AnswerRow]:
    rows: list[AnswerRow] = []
    rownum = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
            handle.seek(0)
            reader = csv.reader(handle, delimiter=header_delimiter(first))
            at: list[int] | None = None
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
