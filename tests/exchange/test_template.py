from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from openpyxl import load_workbook

from wpsmonitor.exchange import formats as f


def test_template_has_every_sheet_and_explains_every_column(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    call_command("write_template")
    path = tmp_path / "wpsmonitor-import-template.xlsx"
    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        "Instructions",
        "Plan",
        "Organisations",
        "Areas",
        "Levels",
        "Framework",
        "Dimensions",
        "Sources",
        "Indicators",
        "Baselines",
        "Targets",
        "Values",
        "ListItems",
    ]
    explained = {
        (row[0], row[1]) for row in workbook["Instructions"].iter_rows(values_only=True) if row[0]
    }
    for sheet in f.PLAN_SHEETS:
        if sheet is f.PLAN:
            for field in f.PLAN_FIELDS:
                assert ("Plan", f"field {field.name}") in explained
            assert [r[0] for r in workbook["Plan"].iter_rows(min_row=2, values_only=True)] == [
                c.name for c in f.PLAN_FIELDS
            ]
            continue
        header = [c.value for c in workbook[sheet.name][1]]
        assert header == sheet.column_names
        for column in sheet.columns:
            assert (sheet.name, column.name) in explained, (sheet.name, column.name)


def test_template_output_path(tmp_path: Path) -> None:
    call_command("write_template", "-o", str(tmp_path / "blank.xlsx"))
    assert load_workbook(tmp_path / "blank.xlsx")["Values"]["A1"].value == "plan"


def test_the_blank_template_imports_as_a_clear_refusal(tmp_path: Path, db) -> None:
    from .helpers import refused

    call_command("write_template", "-o", str(tmp_path / "blank.xlsx"))
    problems = refused(tmp_path / "blank.xlsx")
    assert "blank.xlsx:Plan:2:value: the plan field code is required" in problems
