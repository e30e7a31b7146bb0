"""The budget workbook: template, import (all or nothing, located), hostile files, export."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from tests.finance.conftest import Money

from wpsmonitor.finance import workbook
from wpsmonitor.finance.models import ActionCost, BudgetLine, ExchangeRate
from wpsmonitor.finance.services import FinanceInputError


def _state(m: Money) -> tuple[int, int, int]:
    return (
        ExchangeRate.objects.filter(plan=m.plan).count(),
        ActionCost.objects.filter(action__plan=m.plan).count(),
        BudgetLine.objects.filter(action__plan=m.plan).count(),
    )


def _filled(m: Money, path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    workbook.write_template(path, m.plan)
    book = openpyxl.load_workbook(path)
    for name, rows in sheets.items():
        ws = book[name] if name in book.sheetnames else book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


GOOD = {
    "Rates": [["GBP", 2025, 1.27, "Bank"]],
    "Costs": [["", "P1.O1.1.A2", 2025, "Workshops", "GBP", 100, 3, None]],
    "BudgetLines": [["", "P1.O1.1.A2", 2025, "donor", "donor-org", "UK-1", "GBP", 300, 300, 200,
                     100, "yes", 2, "note"]],
}  # fmt: skip


def _refused(m: Money, path: Path) -> list[str]:
    before = _state(m)
    with pytest.raises(FinanceInputError) as failed:
        workbook.import_workbook(path=path, by=m.users["coordinator"], plan=m.plan)
    assert _state(m) == before
    return [str(p) for p in failed.value.problems]


def test_template_documents_every_sheet_and_column(money: Money, tmp_path: Path) -> None:
    path = workbook.write_template(tmp_path / "t.xlsx", money.plan)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Instructions", "Plan", "Rates", "Costs", "BudgetLines", "Actions"]
    documented = {(r[0], r[1]) for r in book["Instructions"].iter_rows(values_only=True) if r[1]}
    for sheet in workbook.ALL_SHEETS:
        for column in sheet.column_names:
            assert (sheet.name, column) in documented
    assert [c.value for c in book["Costs"][1]] == list(workbook.COSTS.column_names)
    assert book["Plan"]["B2"].value == money.plan.code
    actions = [r[0] for r in book["Actions"].iter_rows(min_row=2, values_only=True)]
    assert actions == ["P1.O1.1.A1", "P1.O1.1.A2", "P2.O1.1.A1", "P2.O1.1.A2"]


def test_happy_path_then_the_export_round_trips(money: Money, tmp_path: Path) -> None:
    path = _filled(money, tmp_path / "b.xlsx", GOOD)
    result = workbook.import_workbook(path=path, by=money.users["coordinator"], plan=money.plan)
    assert (result.applied.created["rates"], result.applied.created["costs"],
            result.applied.created["lines"]) == (1, 1, 1)  # fmt: skip
    line = BudgetLine.objects.get(budget_code="UK-1")
    assert (line.allocated, line.spent, line.earmarked, line.gender_marker) == (300, 100, True, "2")
    # Export, change one amount, import again: the ids update, nothing is duplicated.
    before = _state(money)
    exported = workbook.export_workbook(money.plan, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(exported)
    ws = book["BudgetLines"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[header.index("budget_code")].value == "UK-1":
            row[header.index("spent")].value = 250
    book.save(exported)
    result = workbook.import_workbook(path=exported, by=money.users["coordinator"])
    assert _state(money) == before
    assert result.applied.updated["lines"] == 5 + 1
    line.refresh_from_db()
    assert line.spent == 250


def test_every_problem_is_located_by_sheet_row_and_column(money: Money, tmp_path: Path) -> None:
    path = _filled(money, tmp_path / "bad.xlsx", {
        "Rates": [["GBP", 2025, -1, ""]],
        "Costs": [["", "P1.O1.1.A2", 2025, "Workshops", "GBP", 100, 3, None],
                  ["", "P7", 2031, "", "", None, None, None]],
        "BudgetLines": [["", "P1.O1.1.A2", 2025, "gift", "", "", "", 10, None, None, None,
                         "", "", ""]],
    })  # fmt: skip
    assert _refused(money, path) == [
        "Rates:2:rate: Amounts cannot be negative.",
        "Costs:3:action: P7 is not an action of this plan.",
        "Costs:3:year: The year must be between 2024 and 2027.",
        "Costs:3:item: Say what is costed (the item).",
        "BudgetLines:2:funding_kind: gift is not allowed; use one of: national_budget, donor, "
        "un, private, other.",
    ]


def test_formulas_unknown_sheets_and_columns_are_refused(money: Money, tmp_path: Path) -> None:
    path = _filled(money, tmp_path / "f.xlsx", {
        "Costs": [["", "P1.O1.1.A2", 2025, "Workshops", "", "=2*3", 3, None]],
        "Extra": [["x"]],
    })  # fmt: skip
    book = openpyxl.load_workbook(path)
    book["Rates"]["E1"] = "comment"
    book.save(path)
    assert _refused(money, path) == [
        "Extra: unknown sheet; the sheets are Plan, Rates, Costs, BudgetLines, Actions",
        "Rates:1:comment: unknown column; the columns are currency, year, rate, source",
        "Costs:2:unit_cost: formulas are not imported; copy the cells and paste them as values",
    ]


def test_a_missing_column_the_wrong_plan_and_currency(money: Money, tmp_path: Path) -> None:
    path = _filled(money, tmp_path / "p.xlsx", GOOD)
    book = openpyxl.load_workbook(path)
    book["Plan"]["B2"] = "another-plan"
    book["Plan"]["B3"] = "EUR"
    book["Rates"].delete_cols(3)  # the rate column
    book.save(path)
    assert _refused(money, path) == [
        "Rates:1:rate: this column is missing",
        "Plan:2:value: this workbook is for the plan another-plan, not nap-3",
        "Plan:3:value: the workbook is in EUR but the plan's currency is USD; change the "
        "plan's currency on the finance page first",
    ]


def test_an_empty_workbook_is_refused(money: Money, tmp_path: Path) -> None:
    path = workbook.write_template(tmp_path / "empty.xlsx", money.plan)
    assert _refused(money, path) == [
        "nothing to import: the Rates, Costs and BudgetLines sheets are empty"
    ]


def test_not_a_workbook(money: Money, tmp_path: Path) -> None:
    text = tmp_path / "lines.xlsx"
    text.write_text("action,year\nP1,2025\n")
    assert _refused(money, text) == ["this is not an XLSX workbook (save it as .xlsx)"]
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert _refused(money, empty) == ["the file is empty"]
    fake = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert _refused(money, fake) == ["this zip archive is not an XLSX workbook"]


def test_a_zip_bomb_is_refused_before_parsing(money: Money, tmp_path: Path) -> None:
    path = _filled(money, tmp_path / "bomb.xlsx", GOOD)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/zeros.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(300):
            member.write(b"\0" * (1024 * 1024))
    problems = _refused(money, path)
    assert len(problems) == 1 and problems[0].endswith("refused as a zip bomb")


def test_external_entities_are_refused(money: Money, tmp_path: Path) -> None:
    path = _filled(money, tmp_path / "xxe.xlsx", GOOD)
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    body = parts[sheet]
    if body.startswith(b"<?xml"):
        body = body.split(b"?>", 1)[1]
    parts[sheet] = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + (
            body.replace(
                b"<sheetData>",
                b"<sheetData><row r='1'><c r='A1' t='inlineStr'><is><t>&e;</t></is></c></row>",
                1,
            )
        )
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    problems = _refused(money, path)
    assert len(problems) == 1 and "cannot be read" in problems[0]


def test_export_neutralises_formula_injection(money: Money, tmp_path: Path) -> None:
    from wpsmonitor.finance import services

    services.cost_save(by=money.users["coordinator"], plan=money.plan, data={
        "action": "P1.O1.1.A1", "year": 2026, "item": '=HYPERLINK("http://evil")',
        "lump_sum": "5"})  # fmt: skip
    data = workbook.export_workbook(money.plan, io.BytesIO())
    data.seek(0)
    book = openpyxl.load_workbook(data)
    cells = [
        c
        for row in book["Costs"].iter_rows()
        for c in row
        if c.value == '=HYPERLINK("http://evil")'
    ]
    assert len(cells) == 1
    assert cells[0].data_type == "s" and cells[0].quotePrefix


def test_upload_through_the_page(money: Money, tmp_path: Path) -> None:
    client = Client()
    client.force_login(money.users["coordinator"])
    url = f"/plans/{money.plan.code}/finance/import/"
    path = _filled(money, tmp_path / "up.xlsx", GOOD)
    with path.open("rb") as handle:
        answer = client.post(url, {"file": handle})
    assert answer.status_code == 302
    assert BudgetLine.objects.filter(budget_code="UK-1").exists()
    bad = _filled(
        money, tmp_path / "bad.xlsx", {"Costs": [["", "P7", 2025, "x", "", None, None, 1]]}
    )
    before = _state(money)
    with bad.open("rb") as handle:
        answer = client.post(url, {"file": handle})
    assert answer.status_code == 400
    assert "Costs:2:action: P7 is not an action of this plan." in answer.content.decode()
    assert _state(money) == before


def test_the_command_imports_or_exits_non_zero(money: Money, tmp_path: Path) -> None:
    path = _filled(money, tmp_path / "cmd.xlsx", GOOD)
    out = io.StringIO()
    call_command("import_budget", str(path), stdout=out)
    assert "Imported into nap-3: rates 1 new" in out.getvalue()
    bad = _filled(
        money, tmp_path / "cmdbad.xlsx", {"Costs": [["", "P7", 2025, "x", "", None, None, 1]]}
    )
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("import_budget", str(bad), stderr=err)
    assert exited.value.code == 1
    assert "cmdbad.xlsx:Costs:2:action: P7 is not an action of this plan." in err.getvalue()
    assert "nothing was stored" in err.getvalue()
    template = tmp_path / "blank.xlsx"
    call_command("budget_template", "-o", str(template), stdout=io.StringIO())
    assert openpyxl.load_workbook(template).sheetnames[0] == "Instructions"


def test_the_command_is_wired_into_wpsmonitor_manage() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wpsmonitor.cli", "manage", "import_budget", "--help"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if done.returncode != 0 and "No module named wpsmonitor.cli" in done.stderr:
        pytest.skip("wpsmonitor.cli is not runnable as a module here")
    assert "budget workbook" in done.stdout
