"""Import plan workbooks, plan JSON files and value files (CSV/XLSX), all or nothing.

    import_files(paths=[...], user=None, progress=print_progress) -> ImportSummary

Two steps. `read_files` parses the workbooks and JSON files into memory, outside any
transaction: it is the slow part of a workbook (openpyxl), and on SQLite a transaction that
writes holds the one write lock from its start, so every other writer (and the task worker)
would wait for the parse. `import_read` then checks and stores everything in one transaction.
Each problem is reported as `file:sheet:row:column: message` (`file:row:column: message` for
CSV); if there is any, the transaction is rolled back and ImportFailed lists them. (CSV value
files are still read inside the transaction, row by row, so that a file of millions of rows is
never held in memory.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from wpsmonitor.exchange import formats as f
from wpsmonitor.exchange.plan_import.loader import load_plan, value_rows
from wpsmonitor.exchange.plan_import.reader import Sections, text
from wpsmonitor.exchange.readers import (
    CsvRows,
    FileRefused,
    check_size,
    open_workbook,
    read_json,
    sheet_rows,
    sniff_kind,
)
from wpsmonitor.indicators.ingest import VALUE_COLUMNS, IngestError, Problem, ValueIngest

_VALUES_SHEET = re.compile(r"^values\d*$", re.IGNORECASE)
_TEXT_VALUE_COLUMNS = {c.name for c in f.VALUES.columns if c.text}
# May use a decimal comma in a semicolon-separated CSV.
_NUMBER_VALUE_COLUMNS = frozenset({"value", "numerator", "denominator"})


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem], truncated: bool = False) -> None:
        self.problems = problems
        self.truncated = truncated
        super().__init__("\n".join(str(p) for p in problems[:20]))


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    batch_id: int | None = None
    plan_ids: set[int] = field(default_factory=set)
    plans_loaded: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _ReadSheet:
    title: str
    rows: list[tuple[int, list[Any], list[int]]]  # sheet_rows(): number, values, formulas


@dataclass
class ReadFile:
    """One file as read before the transaction: its kind and, for a workbook its sheets, for a
    JSON file its data; `refused` is the FileRefused its reading raised (reported in place)."""

    path: Path
    kind: str
    sheets: list[_ReadSheet] | None = None
    data: Any = None
    refused: FileRefused | None = None


def read_files(paths: list[Path]) -> list[ReadFile]:
    """Parse the workbooks and JSON files into memory; no database, no transaction."""
    read = []
    for path in paths:
        try:
            kind = sniff_kind(path)
        except OSError:
            kind = "csv"
        file = ReadFile(path, kind)
        if kind in ("xlsx", "json"):
            try:
                check_size(path)
                if kind == "json":
                    file.data = read_json(path)
                else:
                    workbook = open_workbook(path)
                    try:
                        file.sheets = [
                            _ReadSheet(ws.title, list(sheet_rows(ws))) for ws in workbook.worksheets
                        ]
                    finally:
                        workbook.close()
            except FileRefused as exc:
                file.refused = exc
        read.append(file)
    return read


def import_files(
    *,
    paths: list[Path],
    user: User | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import the files in one transaction; raise ImportFailed listing every problem."""
    return import_read(files=read_files(paths), user=user, progress=progress)


def import_read(
    *,
    files: list[ReadFile],
    user: User | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Check and store files read by read_files in one transaction (all or nothing); raise
    ImportFailed listing every problem."""
    summary = ImportSummary()
    try:
        with transaction.atomic():
            kinds = [file.kind for file in files]
            session = ValueIngest(
                user=user,
                kind="plan" if any(k in ("xlsx", "json") for k in kinds) else "values",
                filename=", ".join(file.path.name for file in files),
                progress=progress,
            )
            # Plan files first, so value files may refer to the plans they define.
            order = sorted(range(len(files)), key=lambda i: kinds[i] == "csv")
            for index in order:
                _import_one(session, files[index], summary)
                if session.truncated:
                    break
            result = session.finish()
    except IngestError as exc:
        raise ImportFailed(exc.problems, exc.truncated) from None
    summary.rows = result.rows
    summary.created = result.created
    summary.updated = result.updated
    summary.unchanged = result.unchanged
    summary.seconds = result.seconds
    summary.batch_id = result.batch_id
    summary.plan_ids |= result.plan_ids
    summary.warnings = result.warnings
    return summary


def _import_one(session: ValueIngest, file: ReadFile, summary: ImportSummary) -> None:
    path, kind = file.path, file.kind
    label = _label(path)
    whole = session.place(label)
    try:
        if file.refused is not None:
            raise file.refused
        if kind == "xlsx":
            _import_xlsx(session, file, summary)
        elif kind == "json":
            _import_json(session, file, summary)
        else:
            check_size(path)
            place = session.place(label + ":{row}")
            rows = CsvRows(path, VALUE_COLUMNS, _TEXT_VALUE_COLUMNS, _NUMBER_VALUE_COLUMNS)
            session.add_rows(iter(rows), place=place)
    except FileRefused as exc:
        if exc.row:
            session.add_problem(session.place(label + ":{row}"), exc.row, exc.column, exc.message)
        else:
            session.add_problem(whole, 0, exc.column, exc.message)


def _label(path: Path) -> str:
    """The file's name as a location prefix (braces doubled: it becomes a format string)."""
    return path.name.replace("{", "{{").replace("}", "}}")


# ----------------------------------------------------------------------------- XLSX


def _header(
    session: ValueIngest, place: int, sheet: f.Sheet, rownum: int, values: list[Any]
) -> list[str | None]:
    names: list[str | None] = []
    allowed = set(sheet.column_names)
    for value in values:
        name = text(value).lower()
        if not name:
            names.append(None)
        elif name not in allowed:
            session.add_problem(
                place,
                rownum,
                name,
                f.unknown_column_message(name, sheet.columns)
                or _("unknown column %(name)r; the columns are %(all)s")
                % {"name": name, "all": ", ".join(sheet.column_names)},
            )
            names.append(None)
        else:
            names.append(name)
    return names


def _sheet_dicts(
    session: ValueIngest, place: int, sheet: f.Sheet, ws: _ReadSheet
) -> Iterator[tuple[int, dict[str, Any]]]:
    header: list[str | None] | None = None
    for rownum, values, formulas in ws.rows:
        if header is None:
            header = _header(session, place, sheet, rownum, values)
            continue
        bad = False
        for index in formulas:
            name = header[index] if index < len(header) else None
            session.add_problem(
                place,
                rownum,
                name or "?",
                _("formulas are not imported; copy the cells and paste them as values"),
            )
            bad = True
        if bad:
            continue
        # Every column of the header is in the row, a blank cell as None: a sheet row ends at
        # its last filled cell, and a blank cell must not look like a column left out (a
        # column left out leaves an existing row's field as it is; a blank clears it).
        row: dict[str, Any] = {
            name: values[i] if i < len(values) else None for i, name in enumerate(header) if name
        }
        for column in sheet.columns:
            cell = row.get(column.name)
            if column.text and isinstance(cell, str):
                row[column.name] = f.unneutralise(cell)
        yield rownum, row


def _import_xlsx(session: ValueIngest, file: ReadFile, summary: ImportSummary) -> None:
    path = file.path
    assert file.sheets is not None
    by_title = {ws.title: ws for ws in file.sheets}
    names = {ws.title.strip().lower(): ws.title for ws in file.sheets}
    value_sheets = [title for key, title in names.items() if _VALUES_SHEET.match(key)]
    for key, title in names.items():
        if key == f.INSTRUCTIONS.lower() or _VALUES_SHEET.match(key):
            continue
        if key not in f.SHEETS_BY_NAME:
            session.add_problem(
                session.place(_label(path)),
                0,
                "",
                _("unknown sheet %(name)r; the sheets are %(all)s")
                % {"name": title, "all": ", ".join(s.name for s in f.PLAN_SHEETS)},
            )
    plan_code = ""
    skip: frozenset[str] = frozenset()
    if "plan" in names:
        sections = Sections(plan={}, rows={}, places={})
        for sheet in f.PLAN_SHEETS:
            sections.places[sheet.name] = session.place(f"{_label(path)}:{sheet.name}:{{row}}")
        plan_place = sections.places["Plan"]
        for rownum, values, formulas in by_title[names["plan"]].rows:
            key = text(values[0] if values else "").lower()
            if key in ("", "field"):
                continue
            if formulas:
                session.add_problem(
                    plan_place, rownum, "value", _("formulas are not imported; paste values")
                )
                continue
            value = values[1] if len(values) > 1 else None
            if isinstance(value, str):
                value = f.unneutralise(value)
            sections.plan[key] = (rownum, value)
        for sheet in f.PLAN_SHEETS[1:]:
            if sheet is f.VALUES or sheet.name.lower() not in names:
                continue
            ws = by_title[names[sheet.name.lower()]]
            sections.rows[sheet.name] = list(
                _sheet_dicts(session, sections.places[sheet.name], sheet, ws)
            )
        loaded = load_plan(session, sections)
        if loaded is None:
            return  # the plan's own problems are listed; its values would only echo them
        plan, skip = loaded.plan, loaded.refused_indicators
        plan_code = plan.code
        summary.plans_loaded.append(plan.code)
        summary.plan_ids.add(plan.pk)
    elif not value_sheets:
        raise FileRefused(_("the workbook has neither a Plan nor a Values sheet"))
    for title in value_sheets:
        place = session.place(f"{_label(path)}:{title}:{{row}}")
        rows = _sheet_dicts(session, place, f.VALUES, by_title[title])
        session.add_rows(value_rows(rows, plan_code, skip), place=place)


# ----------------------------------------------------------------------------- JSON


def _import_json(session: ValueIngest, file: ReadFile, summary: ImportSummary) -> None:
    path, data = file.path, file.data
    if not isinstance(data, dict) or data.get("format") != f.JSON_FORMAT:
        raise FileRefused(
            _('not a WPS Monitor plan file (expected an object with "format": "%(format)s")')
            % {"format": f.JSON_FORMAT}
        )
    if data.get("version") != f.JSON_VERSION:
        raise FileRefused(
            _("unsupported format version %(version)r") % {"version": data.get("version")}
        )
    sections = Sections(plan={}, rows={}, places={})
    for sheet in f.PLAN_SHEETS:
        sections.places[sheet.name] = session.place(f"{_label(path)}:{sheet.key}:{{row}}")
    plan = data.get("plan")
    if not isinstance(plan, dict):
        raise FileRefused(_('"plan" must be an object'))
    sections.plan = {str(k): (1, v) for k, v in plan.items()}
    for sheet in f.PLAN_SHEETS[1:]:
        rows = data.get(sheet.key, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise FileRefused(_('"%(key)s" must be a list of objects') % {"key": sheet.key})
        place = sections.places[sheet.name]
        allowed = set(sheet.column_names)
        for index, row in enumerate(rows, start=1):
            for key in row:
                if key not in allowed:
                    session.add_problem(
                        place,
                        index,
                        key,
                        f.unknown_column_message(key, sheet.columns)
                        or _("unknown field %(name)r") % {"name": key},
                    )
        if sheet is not f.VALUES:
            sections.rows[sheet.name] = list(enumerate(rows, start=1))
    loaded = load_plan(session, sections)
    if loaded is None:
        return
    summary.plans_loaded.append(loaded.plan.code)
    summary.plan_ids.add(loaded.plan.pk)
    session.add_rows(
        value_rows(
            enumerate(data.get("values", []), start=1),
            loaded.plan.code,
            loaded.refused_indicators,
        ),
        place=sections.places["Values"],
    )
