"""Hostile workbooks are refused with a message, never a traceback, and nothing is stored."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.test import override_settings
from openpyxl import Workbook

from .helpers import db_state, refused
from .workbooks import write_plan_workbook

pytestmark = pytest.mark.django_db


def _values_workbook(path: Path) -> Path:
    workbook = Workbook()
    workbook.active.title = "Values"
    workbook.active.append(["plan", "indicator", "period", "area", "value"])
    workbook.save(path)
    return path


def _rewrite(path: Path, replace: dict[str, bytes], extra: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts.update(replace)
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_zip_bomb_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    path = _values_workbook(tmp_path / "bomb.xlsx")
    # 300 MB of zeros deflate to about 300 KB: a classic bomb, streamed in, never unpacked.
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/zeros.bin", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1024 * 1024)
        for _ in range(300):
            member.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    problems = refused(path)
    assert len(problems) == 1
    assert problems[0].startswith("bomb.xlsx: the workbook part xl/media/zeros.bin is compressed")
    assert problems[0].endswith("times: refused as a zip bomb")


def _total(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(m.file_size for m in archive.infolist())


def test_uncompressed_size_limit(tmp_path: Path) -> None:
    path = _values_workbook(tmp_path / "big.xlsx")
    with override_settings(IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES=1000):
        assert refused(path) == [
            f"big.xlsx: the workbook unpacks to {_total(path)} bytes; the limit is 1000 bytes"
        ]


def test_too_many_members(tmp_path: Path) -> None:
    path = _values_workbook(tmp_path / "many.xlsx")
    _rewrite(path, {}, {f"xl/junk/{i}.xml": b"<a/>" for i in range(2001)})
    assert refused(path) == ["many.xlsx: the workbook holds 2010 parts; the limit is 2000"]


def test_billion_laughs_inside_an_xlsx(tmp_path: Path, small_plan) -> None:
    path = _values_workbook(tmp_path / "laughs.xlsx")
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
            for i in range(1, 10)
        )
        + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"'
        b' uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(
        b"</sheetData>", b'<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData>'
    )
    with zipfile.ZipFile(path) as archive:
        types = archive.read("[Content_Types].xml")
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    _rewrite(
        path,
        {"xl/worksheets/sheet1.xml": sheet, "[Content_Types].xml": types},
        {"xl/sharedStrings.xml": lol},
    )
    before = db_state()
    problems = refused(path)
    assert len(problems) == 1
    assert problems[0].startswith("laughs.xlsx: the workbook cannot be read (")
    assert "Forbidden" in problems[0]  # defusedxml's EntitiesForbidden / DTDForbidden
    assert db_state() == before


def test_not_a_zip_but_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"plan,indicator\n")
    # Content decides: a text file named .xlsx is read as what it claims, and refused.
    assert refused(path) == ["fake.xlsx: this is not an XLSX workbook (not a zip archive)"]


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused(path) == ["archive.xlsx: this zip archive is not an XLSX workbook"]


def test_truncated_workbook(tmp_path: Path) -> None:
    path = write_plan_workbook(tmp_path / "cut.xlsx")
    path.write_bytes(path.read_bytes()[:2000])
    problems = refused(path)
    assert len(problems) == 1 and problems[0].startswith("cut.xlsx: ")


def test_formula_cells_in_plan_sheets(tmp_path: Path) -> None:
    path = write_plan_workbook(
        tmp_path / "f.xlsx",
        sheets={
            "Organisations": [
                {"code": "moga", "name": '=HYPERLINK("http://evil")', "type": "government"},
                {"code": "police", "name": "Police", "type": "security"},
                {"code": "wcso", "name": "Network", "type": "civil_society"},
            ]
        },
    )
    # write_plan_workbook stores "=..." as text; make this one a real formula.
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook["Organisations"]["B2"] = '=HYPERLINK("http://evil")'
    workbook.save(path)
    before = db_state()
    problems = refused(path)
    assert (
        "f.xlsx:Organisations:2:name: formulas are not imported; copy the cells and paste them "
        "as values"
    ) in problems
    assert db_state() == before
