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


# ----------------------------------------------------------------------------- bounded parse
# Issue 12: a 49.9 MB workbook whose shared strings unpacked to 494 MB (under the total bound,
# compressed only ~10 times) took 156 s and 3 GB before being refused. Each part is bounded now,
# the cells and the time of the reading too.

_SST_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def _with_shared_strings(path: Path, count: int) -> Path:
    """A Values workbook whose shared strings hold `count` distinct strings, streamed in."""
    _values_workbook(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", _SST_TYPE)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open("xl/sharedStrings.xml", "w") as member:
            member.write(
                b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main">'
            )
            for start in range(0, count, 10_000):
                member.write(
                    b"".join(
                        b"<si><t>comment %09d on the figure</t></si>" % i
                        for i in range(start, min(start + 10_000, count))
                    )
                )
            member.write(b"</sst>")
    return path


def test_shared_strings_bomb_is_refused_before_parsing(tmp_path: Path, monkeypatch) -> None:
    # 40 MB of shared strings, under 2 MB on disk and compressed far less than a classic bomb:
    # the part's own bound refuses it, from the zip directory, before openpyxl opens the file.
    path = _with_shared_strings(tmp_path / "strings.xlsx", 1_000_000)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/sharedStrings.xml")
    assert info.file_size > 40_000_000 and path.stat().st_size < 3_000_000
    assert info.file_size < 200 * info.compress_size  # not caught by the ratio
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened the workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    assert refused(path) == [
        f"strings.xlsx: the workbook part xl/sharedStrings.xml unpacks to {info.file_size} "
        f"bytes; the limit is {32 * 1024**2} bytes"
    ]


def test_a_part_named_like_a_sheet_is_bounded_by_its_type(tmp_path: Path) -> None:
    # Worksheets (streamed) may be larger than the parts openpyxl holds whole; the type
    # [Content_Types].xml declares decides, not the name.
    path = _values_workbook(tmp_path / "named.xlsx")
    with zipfile.ZipFile(path) as archive:
        types = archive.read("[Content_Types].xml")
    types = types.replace(b"</Types>", _SST_TYPE.replace(b"sharedStrings.xml", b"worksheets/s.xml"))
    _rewrite(
        path, {"[Content_Types].xml": types}, {"xl/worksheets/s.xml": b"<sst>" + b" " * 20_000}
    )
    with override_settings(IMPORT_MAX_XLSX_PART_BYTES=15_000, IMPORT_MAX_XLSX_SHEET_BYTES=10**6):
        assert refused(path) == [
            "named.xlsx: the workbook part xl/worksheets/s.xml unpacks to 20005 bytes; the limit "
            "is 15000 bytes"
        ]
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    with override_settings(IMPORT_MAX_XLSX_PART_BYTES=10**6, IMPORT_MAX_XLSX_SHEET_BYTES=100):
        assert refused(path) == [
            f"named.xlsx: the workbook part xl/worksheets/sheet1.xml unpacks to {sheet} bytes; "
            "the limit is 100 bytes"
        ]


def test_a_part_whose_header_lies_about_its_size_is_not_read_beyond_it(tmp_path: Path) -> None:
    # The zip directory says 1,000 bytes; the part really unpacks to 4 MB. Reading stops at the
    # declared size and the CRC check refuses the part: the declared sizes are a hard bound.
    path = _with_shared_strings(tmp_path / "liar.xlsx", 100_000)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/sharedStrings.xml")
    assert info.file_size > 4_000_000
    central = raw.index(b"PK\x01\x02")  # the first entry of the central directory
    while raw[central + 46 : central + 46 + len(info.filename)] != info.filename.encode():
        central = raw.index(b"PK\x01\x02", central + 4)
    raw[central + 24 : central + 28] = (1000).to_bytes(4, "little")  # uncompressed size
    path.write_bytes(bytes(raw))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size == 1000
    problems = refused(path)
    assert len(problems) == 1
    assert problems[0].startswith("liar.xlsx: the workbook cannot be read (")


def _sheet_xml(rows: bytes, dimension: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main">'
        + dimension
        + b"<sheetData>"
        + rows
        + b"</sheetData></worksheet>"
    )


def _header_row() -> bytes:
    names = ["plan", "indicator", "period", "area", "value"]
    return (
        b'<row r="1">'
        + b"".join(
            b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (col.encode(), name.encode())
            for col, name in zip("ABCDE", names, strict=True)
        )
        + b"</row>"
    )


def test_a_sheet_claiming_every_cell_of_excel_is_read_as_it_is(tmp_path: Path) -> None:
    # <dimension ref="A1:XFD1048576"/> made openpyxl pad every row to 16,384 cells and fill a
    # million rows: 17 billion cells from a few hundred bytes. The dimension is not trusted,
    # and the run of empty rows down to row 1,048,576 spends the cell budget.
    path = _values_workbook(tmp_path / "huge.xlsx")
    sheet = _sheet_xml(
        _header_row() + b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>',
        b'<dimension ref="A1:XFD1048576"/>',
    )
    _rewrite(path, {"xl/worksheets/sheet1.xml": sheet})
    assert path.stat().st_size < 10_000
    with override_settings(IMPORT_MAX_XLSX_CELLS=100_000):
        assert refused(path) == [
            "huge.xlsx:99997: the workbook holds more than 100000 cells (sheet Values, from row "
            "99997 on); split it, or send the values as CSV"
        ]


def test_a_cell_beyond_the_columns_of_any_sheet(tmp_path: Path) -> None:
    path = _values_workbook(tmp_path / "wide.xlsx")
    sheet = _sheet_xml(_header_row() + b'<row r="2"><c r="XFD2"><v>1</v></c></row>')
    _rewrite(path, {"xl/worksheets/sheet1.xml": sheet})
    assert refused(path) == [
        "wide.xlsx:2: the sheet Values fills a cell beyond column 256 on row 2; the import "
        "sheets have far fewer columns"
    ]


def test_reading_time_is_bounded(tmp_path: Path) -> None:
    # The clock is read every 512 rows (empty ones too); with no time at all the first look
    # refuses.
    path = _values_workbook(tmp_path / "slow.xlsx")
    rows = b'<row r="2000"><c r="A2000"><v>1</v></c></row>'
    _rewrite(path, {"xl/worksheets/sheet1.xml": _sheet_xml(_header_row() + rows)})
    with override_settings(IMPORT_MAX_XLSX_SECONDS=0):
        assert refused(path) == [
            "slow.xlsx:512: reading the workbook took longer than 0 seconds (sheet Values, row "
            "512); split it, or send the values as CSV"
        ]


def test_every_xlsx_upload_is_opened_by_the_one_bounded_opener() -> None:
    # Plan and values workbooks (exchange) and finance workbooks all go through
    # core/spreadsheets.py:open_workbook; nothing else calls openpyxl's loader.
    import wpsmonitor

    root = Path(wpsmonitor.__file__).parent
    callers = sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "load_workbook" in p.read_text(encoding="utf-8")
    )
    assert callers == ["core/spreadsheets.py"]
