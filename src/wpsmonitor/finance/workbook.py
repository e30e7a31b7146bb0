"""The budget workbook: its template, its export, and its import (all or nothing).

Sheets: Instructions (ignored on import), Plan (the plan's code and currency), Rates, Costs,
BudgetLines, Actions (the plan's actions, for reference; ignored on import). The columns are
defined once, below; docs/finance.md documents them and the template's Instructions sheet
lists them with their meaning.

Files are checked with the import readers of `exchange` (size, zip directory, compression
ratio, defused XML) before any parsing. Every problem is reported with its sheet, row and
column; if there is any, nothing is stored. Text written back out is protected against formula
injection: text starting with = + - @ is written as a text cell with Excel's quote prefix.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from wpsmonitor.core.spreadsheets import safe_cell
from wpsmonitor.exchange.formats import Column, Sheet, unneutralise
from wpsmonitor.exchange.readers import FileRefused, check_size, open_workbook, sheet_rows
from wpsmonitor.finance import services
from wpsmonitor.finance.currency import plan_currency
from wpsmonitor.finance.models import ActionCost, BudgetLine, ExchangeRate
from wpsmonitor.finance.services import ApplyResult, FinanceInputError, Problem
from wpsmonitor.plans.models import FrameworkNode, Plan

C = Column
Target = TypeVar("Target", Path, IO[bytes])
_l = gettext_lazy

PLAN = Sheet(
    "Plan",
    "plan",
    _l("Column A the field, column B its value: plan (the plan's code) and currency."),
    (
        C("plan", _l("The plan's code. May be empty when importing from the plan's page."), False),
        C(
            "currency",
            _l(
                "The plan's currency (ISO 4217). Checked, never changed by an import: set it "
                "on the finance page."
            ),
        ),
    ),
)
RATES = Sheet(
    "Rates",
    "rates",
    _l(
        "Exchange rates: how many units of the plan's currency one unit of the currency is "
        "worth, in that year. A rate for the same currency and year replaces the stored one."
    ),
    (
        C("currency", _l("ISO 4217 code (EUR, USD, CDF...)."), True),
        C("year", _l("The year the rate applies to."), True),
        C("rate", _l("Units of the plan's currency per unit; above 0, up to 8 decimals."), True),
        C("source", _l("Where the rate comes from (central bank, budget law...)."), text=True),
    ),
)
COSTS = Sheet(
    "Costs",
    "costs",
    _l(
        "What the actions cost, item by item and year by year: a unit cost and a quantity, "
        "or a lump sum. A row with an id changes that cost; without, it adds one."
    ),
    (
        C("id", _l("Empty for a new cost; the id from an export to change it.")),
        C("action", _l("Code of an action of the plan (see the Actions sheet)."), True),
        C("year", _l("Year, within the plan's period."), True),
        C("item", _l("What is costed (training sessions, shelters, salaries...)."), True, True),
        C("currency", _l("ISO 4217 code; empty: the plan's currency.")),
        C("unit_cost", _l("Cost of one unit (with quantity).")),
        C("quantity", _l("Number of units (with unit_cost).")),
        C("lump_sum", _l("A total amount, instead of unit_cost and quantity.")),
    ),
)
LINES = Sheet(
    "BudgetLines",
    "budget_lines",
    _l(
        "Money for an action and year from one funding source, at each stage: allocated, "
        "committed, disbursed, spent (at least one). A row with an id changes that line."
    ),
    (
        C("id", _l("Empty for a new budget line; the id from an export to change it.")),
        C("action", _l("Code of an action of the plan (see the Actions sheet)."), True),
        C("year", _l("Budget year, within the plan's period."), True),
        C("funding_kind", _l("national_budget, donor, un, private or other."), True),
        C("funder", _l("Code of the ministry or funder organisation (optional).")),
        C("budget_code", _l("The budget line's code in the finance law or the donor's system.")),
        C("currency", _l("ISO 4217 code; empty: the plan's currency.")),
        C("allocated", _l("Amount allocated (voted, budgeted).")),
        C("committed", _l("Amount committed (contracted, obligated).")),
        C("disbursed", _l("Amount disbursed (paid out to the implementer).")),
        C("spent", _l("Amount spent (executed).")),
        C("earmarked", _l("yes when the money is earmarked for the plan; empty: no.")),
        C(
            "gender_marker",
            _l(
                "OECD DAC gender equality marker: 0 (not targeted), 1 (significant), "
                "2 (principal); empty or not_screened when not screened (never 0)."
            ),
        ),
        C("note", _l("Note."), text=True),
    ),
)
ACTIONS = Sheet(
    "Actions",
    "actions",
    _l("The plan's actions, for reference; ignored on import."),
    (C("code", _l("Action code.")), C("title", _l("Title."))),
)
INSTRUCTIONS = "Instructions"
DATA_SHEETS = (RATES, COSTS, LINES)
ALL_SHEETS = (PLAN, RATES, COSTS, LINES, ACTIONS)
MAX_ROWS = 200_000  # per sheet; a plan has thousands of lines, not millions


# ----------------------------------------------------------------------------- writing


def _cell(ws: Any, value: Any, bold: bool = False) -> WriteOnlyCell:
    """A cell that holds text as text, even when it starts with = + - @ (formula injection)."""
    cell: WriteOnlyCell = safe_cell(ws, value)
    if bold:
        cell.font = Font(bold=True)
    return cell


def _write(path: Target, plan: Plan | None, filled: bool) -> Target:
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(INSTRUCTIONS)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 100
    ws.append([_cell(ws, _("WPS Monitor budget workbook"), bold=True)])
    for line in (
        _(
            "Fill in the sheets, then import the file on the plan's finance page or with "
            "wpsmonitor manage import_budget FILE. The import is all or nothing: every problem "
            "is listed with its sheet, row and column, and nothing is stored."
        ),
        _(
            "Type values, not formulas. Numbers use a point for decimals and no thousands "
            "separator. Amounts in another currency than the plan's are converted with the "
            "plan's rate for that currency and year; without one they are left out of the "
            "totals and reported, never guessed."
        ),
    ):
        ws.append([_cell(ws, line)])
    ws.append([])
    ws.append([_cell(ws, t, bold=True) for t in (_("Sheet"), _("Column"), _("Required"), "")])
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in ALL_SHEETS:
        ws.append([_cell(ws, sheet.name, bold=True), "", "", _cell(ws, str(sheet.help))])
        for column in sheet.columns:
            meaning = _cell(ws, str(column.help))
            meaning.alignment = wrap
            ws.append([sheet.name, column.name, _("yes") if column.required else "", meaning])
    currency = plan_currency(plan) if plan else ""
    ws = workbook.create_sheet(PLAN.name)
    ws.append([_cell(ws, "field", bold=True), _cell(ws, "value", bold=True)])
    ws.append(["plan", _cell(ws, plan.code if plan else "")])
    ws.append(["currency", currency])
    sheets = {s.name: workbook.create_sheet(s.name) for s in DATA_SHEETS}
    for sheet in DATA_SHEETS:
        target = sheets[sheet.name]
        target.append([_cell(target, name, bold=True) for name in sheet.column_names])
    if plan is not None and filled:
        for row in _export_rows(plan):
            target = sheets[row[0]]
            target.append([_cell(target, v) for v in row[1]])
    ws = workbook.create_sheet(ACTIONS.name)
    ws.append([_cell(ws, name, bold=True) for name in ACTIONS.column_names])
    if plan is not None:
        for code, title in (
            FrameworkNode.objects.filter(plan=plan, level__holds_actions=True)
            .order_by("code")
            .values_list("code", "title")
        ):
            ws.append([_cell(ws, code), _cell(ws, title)])
    workbook.save(path)
    return path


def write_template(path: Target, plan: Plan | None = None) -> Target:
    """The blank workbook (for a plan: its code, currency and actions filled in)."""
    return _write(path, plan, filled=False)


def export_workbook(plan: Plan, path: Target) -> Target:
    """The plan's rates, costs and budget lines, re-importable (ids kept)."""
    return _write(path, plan, filled=True)


def _number(value: Any) -> Any:
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def _export_rows(plan: Plan) -> Iterator[tuple[str, list[Any]]]:
    for rate in ExchangeRate.objects.filter(plan=plan).order_by("currency", "year"):
        yield RATES.name, [rate.currency, rate.year, float(rate.rate), rate.source]
    for cost in ActionCost.objects.filter(action__plan=plan).select_related("action"):
        yield (
            COSTS.name,
            [
                cost.pk,
                cost.action.code,
                cost.year,
                cost.item,
                cost.currency,
                _number(cost.unit_cost),
                _number(cost.quantity),
                _number(cost.lump_sum),
            ],
        )
    for line in BudgetLine.objects.filter(action__plan=plan).select_related("action", "funder"):
        yield (
            LINES.name,
            [
                line.pk,
                line.action.code,
                line.year,
                line.funding_kind,
                line.funder.code if line.funder else "",
                line.budget_code,
                line.currency,
                *(_number(getattr(line, stage)) for stage in BudgetLine.STAGES),
                "yes" if line.earmarked else "no",
                line.gender_marker,
                line.note,
            ],
        )


# ----------------------------------------------------------------------------- reading


@dataclass
class ImportResult:
    plan: Plan
    applied: ApplyResult


class _Shell:
    """The command line's caller: shell access to the server is the administrator's."""

    is_active = True
    is_superuser = True
    is_staff = True
    is_authenticated = False  # no roles to load: the administrator's rights suffice
    pk = None


SHELL = _Shell()


def _rows(ws: Any, sheet: Sheet, problems: list[Problem]) -> Iterator[tuple[int, dict[str, Any]]]:
    header: list[str | None] | None = None
    allowed = set(sheet.column_names)
    text_columns = {c.name for c in sheet.columns if c.text}
    count = 0
    for rownum, values, formulas in sheet_rows(ws):
        if header is None:
            header = []
            for value in values:
                name = str(value).strip().lower() if value is not None else ""
                if name and name not in allowed:
                    problems.append(
                        Problem(
                            sheet.name,
                            rownum,
                            name[:40],
                            _("unknown column; the columns are %(all)s")
                            % {"all": ", ".join(sheet.column_names)},
                        )
                    )
                header.append(name if name in allowed else None)
            for column in sheet.columns:
                if column.required and column.name not in header:
                    problems.append(
                        Problem(sheet.name, rownum, column.name, _("this column is missing"))
                    )
            continue
        count += 1
        if count > MAX_ROWS:
            raise FileRefused(
                _("the sheet %(sheet)s has more than %(n)s rows")
                % {"sheet": sheet.name, "n": f"{MAX_ROWS:,}"},
                row=rownum,
            )
        bad = False
        for index in formulas:
            where = header[index] if index < len(header) else None
            problems.append(
                Problem(
                    sheet.name,
                    rownum,
                    where or "?",
                    _("formulas are not imported; copy the cells and paste them as values"),
                )
            )
            bad = True
        if bad:
            continue
        row: dict[str, Any] = {}
        for index, key in enumerate(header):
            if key and index < len(values):
                value = values[index]
                if key in text_columns and isinstance(value, str):
                    value = unneutralise(value)
                row[key] = value
        yield rownum, row


# The Plan sheet's fields: name -> (row, value); the data sheets' rows by sheet name.
_Fields = dict[str, tuple[int, Any]]
_Sections = dict[str, list[tuple[int, dict[str, Any]]]]


def import_workbook(
    *, path: Path, by: Any = SHELL, plan: Plan | None = None, dry_run: bool = False
) -> ImportResult:
    """Import a budget workbook into `plan` (or the plan its Plan sheet names), all or nothing.

    Raises FinanceInputError listing every problem (section = sheet name, row = sheet row),
    FinanceForbidden when rows touch actions the caller may not edit, PermissionDenied when the
    caller may not import at all."""
    problems: list[Problem] = []
    workbook = _open_checked(path)
    try:
        fields, sections = _read_sheets(workbook, problems)
    finally:
        workbook.close()
    plan = _plan(plan, fields, problems)
    if plan is not None and "currency" in fields:
        _check_currency(plan, fields["currency"], problems)
    if not any(sections.values()) and not problems:
        problems.append(
            Problem(
                "",
                None,
                "",
                _("nothing to import: the Rates, Costs and BudgetLines sheets are empty"),
            )
        )
    if problems or plan is None:
        raise FinanceInputError(problems[: settings.IMPORT_MAX_ERRORS])
    try:
        with transaction.atomic():
            applied = services.finance_rows_apply(
                by=by,
                plan=plan,
                rates=sections.get(RATES.name, []),
                costs=sections.get(COSTS.name, []),
                lines=sections.get(LINES.name, []),
                dry_run=dry_run,
            )
    except FinanceInputError as exc:
        raise FinanceInputError(exc.problems[: settings.IMPORT_MAX_ERRORS]) from None
    return ImportResult(plan, applied)


def _refused(exc: FileRefused, sheet: str = "") -> FinanceInputError:
    return FinanceInputError([Problem(sheet, exc.row or None, exc.column, exc.message)])


def _open_checked(path: Path) -> Any:
    """The workbook, once the file passed the readers' checks and is a zip (XLSX) at all."""
    try:
        check_size(path)
        with path.open("rb") as handle:
            if handle.read(2) != b"PK":
                raise FileRefused(_("this is not an XLSX workbook (save it as .xlsx)"))
        return open_workbook(path)
    except FileRefused as exc:
        raise _refused(exc) from None


def _read_sheets(workbook: Any, problems: list[Problem]) -> tuple[_Fields, _Sections]:
    """The Plan sheet's fields and the data sheets' rows; a refused sheet (too many rows...)
    ends the import with the sheet's name."""
    current = ""
    try:
        names = {ws.title.strip().lower(): ws.title for ws in workbook.worksheets}
        known = {s.name.lower(): s for s in ALL_SHEETS}
        for key, title in names.items():
            if key != INSTRUCTIONS.lower() and key not in known:
                problems.append(
                    Problem(
                        title[:40],
                        None,
                        "",
                        _("unknown sheet; the sheets are %(all)s")
                        % {"all": ", ".join(s.name for s in ALL_SHEETS)},
                    )
                )
        fields: _Fields = {}
        if "plan" in names:
            current = PLAN.name
            fields = _plan_fields(workbook[names["plan"]], problems)
        sections: _Sections = {}
        for sheet in DATA_SHEETS:
            if sheet.name.lower() in names:
                current = sheet.name
                sections[sheet.name] = list(
                    _rows(workbook[names[sheet.name.lower()]], sheet, problems)
                )
    except FileRefused as exc:
        raise _refused(exc, current) from None
    return fields, sections


def _plan_fields(ws: Any, problems: list[Problem]) -> _Fields:
    """Column A the field, column B its value; the header row and empty rows skipped."""
    fields: _Fields = {}
    for rownum, values, formulas in sheet_rows(ws):
        key = str(values[0] or "").strip().lower() if values else ""
        if key in ("", "field"):
            continue
        if key not in PLAN.column_names:
            problems.append(Problem(PLAN.name, rownum, "field", _("unknown field")))
            continue
        if formulas:
            problems.append(Problem(PLAN.name, rownum, "value", _("formulas are not imported")))
            continue
        fields[key] = (rownum, values[1] if len(values) > 1 else None)
    return fields


def _check_currency(plan: Plan, field: tuple[int, Any], problems: list[Problem]) -> None:
    """The workbook's currency, when given, must be the plan's: an import never changes it."""
    rownum, raw = field
    given = str(raw or "").strip().upper()
    actual = plan_currency(plan)
    if given and given != actual:
        problems.append(
            Problem(
                PLAN.name,
                rownum,
                "value",
                _(
                    "the workbook is in %(given)s but the plan's currency is %(actual)s; "
                    "change the plan's currency on the finance page first"
                )
                % {"given": given[:12], "actual": actual},
            )
        )


def _plan(
    plan: Plan | None, fields: dict[str, tuple[int, Any]], problems: list[Problem]
) -> Plan | None:
    rownum, raw = fields.get("plan", (None, None))
    code = str(raw or "").strip()
    if plan is not None:
        if code and code != plan.code:
            problems.append(
                Problem(
                    PLAN.name,
                    rownum,
                    "value",
                    _("this workbook is for the plan %(code)s, not %(plan)s")
                    % {"code": code[:64], "plan": plan.code},
                )
            )
        return plan
    if not code:
        problems.append(Problem(PLAN.name, rownum, "value", _("give the plan's code (field plan)")))
        return None
    found = Plan.objects.filter(code=code).first()
    if found is None:
        problems.append(
            Problem(
                PLAN.name, rownum, "value", _("no plan with code %(code)s") % {"code": code[:64]}
            )
        )
    return found


__all__ = [
    "ALL_SHEETS",
    "ImportResult",
    "export_workbook",
    "import_workbook",
    "write_template",
]
