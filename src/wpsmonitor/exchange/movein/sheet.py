"""The mapping sheet: every label a move-in could not match, to be filled with the plan's codes.

An XLSX with an Instructions sheet (in the reader's language) and one sheet per kind of label:
Columns, Indicators, Areas, Options, Periods. Their columns are fixed codes, as in the plan
workbook: `label`, `dimension` (Options only), `count`, `first_seen`, `suggestion_1` to
`suggestion_3`, and `code`, the one to fill. A last sheet, Codes, lists what may be written.
The filled sheet is read back through the bounded XLSX opener, like every upload.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

from django.utils.translation import gettext as _

from wpsmonitor.core.spreadsheets import safe_cell
from wpsmonitor.exchange.models import LabelKind
from wpsmonitor.exchange.movein.matching import (
    IGNORE,
    ROLES,
    Catalogue,
    Mapping,
    MappingEntry,
    Unmatched,
    mapping_refusal,
)
from wpsmonitor.exchange.readers import FileRefused, check_size, open_workbook, sheet_rows
from wpsmonitor.indicators.ingest import Problem

SHEETS = {
    LabelKind.COLUMN: "Columns",
    LabelKind.INDICATOR: "Indicators",
    LabelKind.AREA: "Areas",
    LabelKind.OPTION: "Options",
    LabelKind.PERIOD: "Periods",
}
_KIND_BY_SHEET = {name.lower(): kind for kind, name in SHEETS.items()}
_SUGGESTED = ("suggestion_1", "suggestion_2", "suggestion_3")
# A suggestion copied into the code column: "CD-NK (Nord-Kivu)" is CD-NK.
_SHOWN = re.compile(r"^(\S+)\s+\(.*\)$")


def _columns(kind: str) -> list[str]:
    middle = ["dimension"] if kind == LabelKind.OPTION else []
    return ["label", *middle, "count", "first_seen", *_SUGGESTED, "code"]


def mapping_sheet(
    unmatched: list[Unmatched], catalogue: Catalogue, filled: list[MappingEntry] | None = None
) -> bytes:
    """The mapping sheet of these labels, as XLSX bytes. The lines already `filled` (the sheet
    given with this run) come first, their codes written: the new sheet carries them on, so
    a label found only once a column is mapped needs no second sheet."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    info = workbook.create_sheet("Instructions")
    for line in _instructions():
        info.append([safe_cell(info, line)])
    for kind, name in SHEETS.items():
        rows = [u for u in unmatched if u.kind == kind]
        done = [e for e in filled or [] if e.kind == kind]
        if not rows and not done:
            continue
        ws = workbook.create_sheet(name)
        ws.append(_columns(kind))
        for entry in done:
            middle = [entry.scope] if kind == LabelKind.OPTION else []
            cells: list[object] = [entry.label, *middle, None, entry.where, "", "", "", entry.code]
            ws.append([safe_cell(ws, c) for c in cells])
        for item in rows:
            suggestions = [*item.suggestions, "", "", ""][:3]
            middle = [item.scope] if kind == LabelKind.OPTION else []
            cells = [item.label, *middle, item.count, item.first, *suggestions, ""]
            ws.append([safe_cell(ws, c) for c in cells])
    codes = workbook.create_sheet("Codes")
    codes.append(["kind", "dimension", "code", "name"])
    for role in ROLES:
        codes.append(["column", "", role, ""])
    for dim in catalogue.dimensions.objects:
        codes.append(["column", "", dim.code, dim.names[0] if dim.names else ""])
    for obj in catalogue.indicators.objects:
        codes.append(["indicator", "", obj.code, obj.names[0] if obj.names else ""])
    for obj in catalogue.areas.objects:
        codes.append(["area", "", obj.code, obj.names[0] if obj.names else ""])
    for dim_code, index in catalogue.options.items():
        for obj in index.objects:
            codes.append(["option", dim_code, obj.code, obj.names[0] if obj.names else ""])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _instructions() -> list[str]:
    return [
        _("Mapping sheet of a move-in"),
        "",
        _(
            "Each sheet lists the labels of your file that the plan could not match, with how "
            "often they occur, where they are first found and up to three suggestions."
        ),
        _(
            "Write in the code column the plan's code each label stands for (or copy a "
            "suggestion there), then import your file again with this sheet."
        ),
        _(
            "Columns: a dimension code, or one of indicator, area, period, value, numerator, "
            "denominator, text, comment, source, cell, item, date, reference; - leaves the "
            "column out."
        ),
        _("Indicators: an indicator code; - leaves that indicator's records out."),
        _("Areas: an area code (ISO 3166-2 for a province). Options: an option code."),
        _("Periods: a period code: 2025, 2025S1, 2025Q3 or 2025-07."),
        _(
            "A code left blank stays unmatched. What you fill is kept for this plan once the "
            "import succeeds: the next export of the same system needs no mapping again."
        ),
        _("The Codes sheet lists every code you may write."),
    ]


def read_mapping_sheet(
    path: Path, catalogue: Catalogue, mapping: Mapping, problems: list[Problem]
) -> None:
    """Add the filled lines of a mapping sheet to the mapping; a wrong code is a problem at its
    cell (file:sheet:row:code). Raises FileRefused for a file that is not one."""
    check_size(path)
    workbook = open_workbook(path)
    try:
        found = False
        for ws in workbook.worksheets:
            kind = _KIND_BY_SHEET.get(ws.title.strip().lower())
            if kind is None:
                continue
            found = True
            header: list[str] | None = None
            for rownum, values, _formulas in sheet_rows(ws):
                texts = ["" if v is None else str(v).strip() for v in values]
                if header is None:
                    header = [t.lower() for t in texts]
                    if "label" not in header or "code" not in header:
                        raise FileRefused(
                            _("the sheet %(sheet)s has no label and code columns")
                            % {"sheet": ws.title}
                        )
                    continue
                row = dict(zip(header, texts, strict=False))
                label, code = row.get("label", ""), row.get("code", "")
                if not label or not code:
                    continue
                shown = _SHOWN.match(code)
                if shown and code != IGNORE:
                    code = shown.group(1)
                scope = row.get("dimension", "") if kind == LabelKind.OPTION else ""
                valid = catalogue.valid_code(kind, scope, code)
                where = f"{path.name}:{ws.title}:{rownum}"
                if valid is None:
                    problems.append(Problem(where, "code", mapping_refusal(kind, scope, code)))
                    continue
                mapping.add(MappingEntry(kind, scope, label, valid, where))
        if not found:
            raise FileRefused(
                _("not a mapping sheet: it has none of the sheets %(sheets)s")
                % {"sheets": ", ".join(SHEETS.values())}
            )
    finally:
        workbook.close()
