"""The report's formats (docs/reports.md, "Formats"): PDF, DOCX and XLSX rendered from one
document and read back, with the same numbers as the document and its JSON; a withheld figure
is words in every format, never a number; right-to-left reports render (charts included)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from django.test import SimpleTestCase

from wpsmonitor.reports.document import (
    INTERNAL,
    PUBLIC,
    YEAR,
    Cell,
    Chart,
    Paragraph,
    ReportDocument,
    Section,
    Table,
)
from wpsmonitor.reports.formats import CONTENT_TYPES, FORMATS, render
from wpsmonitor.shell.charts import ChartSeries, line_chart

from .readback import (
    assert_docx_matches,
    assert_pdf_matches,
    assert_xlsx_matches,
    page_images,
    pdf_text,
    squeeze,
)

WITHHELD = Cell("fewer than 5", None, flag="primary", kind="number")
DERIVED = Cell("not shown", None, flag="derived", kind="percent")


def figures_table(key: str, label: str = "Women judges") -> Table:
    return Table(
        key=key,
        title="Figures & shares <by province>",
        columns=("Indicator", "Count", "Share", "Budget", "Mean"),
        rows=(
            (
                Cell(label),
                Cell("1,234", 1234, kind="number"),
                Cell("42 %", 0.42, kind="percent"),
                Cell("2,500,000 USD", 2_500_000, kind="money"),
                Cell("12.5", 12.5, kind="number"),
            ),
            (Cell('=HYPERLINK("x")'), WITHHELD, DERIVED, Cell("–", kind="money"), Cell("–")),
            (
                Cell("Police officers"),
                Cell("87", 87, kind="number"),
                Cell("7.5 %", 0.075, kind="percent"),
                Cell("0 USD", 0, kind="money"),
                Cell("0.25", 0.25, kind="number"),
            ),
        ),
        note="Counts under 5 are withheld.",
    )


def chart(width: bool = True) -> Chart:
    svg = str(
        line_chart(
            chart_id="c1",
            title="Women judges",
            description="Women judges by year",
            categories=("2023", "2024", "2025"),
            series=(ChartSeries("Women judges", (10.0, 12.0, 15.0)),),
        )
    )
    if not width:
        # A chart without width or height (only its viewBox), in a right-to-left page.
        svg = svg.replace(' width="', ' data-w="').replace(' height="', ' data-h="')
    return Chart(key="c1", title="Women judges, 2023-2025", svg=svg, alt="10, 12, 15")


def synthetic(language: str = "en", version: str = PUBLIC) -> ReportDocument:
    arabic = language == "ar"
    return ReportDocument(
        plan_code="SYN-1",
        plan_title="الخطة الوطنية" if arabic else "A national plan",
        title="التقرير السنوي" if arabic else "Annual report",
        scope=YEAR,
        period_code="2025",
        period_label="2025",
        version=version,  # type: ignore[arg-type]
        language=language,
        generated_at=datetime(2026, 1, 15, 10, 0, tzinfo=UTC),
        release_number=3 if version == PUBLIC else None,
        sections=(
            Section(
                key="summary",
                title="ملخص" if arabic else "Summary",
                blocks=(
                    Paragraph("نص عربي" if arabic else "Plain text & more."),
                    figures_table("summary.figures", "القضاة" if arabic else "Women judges"),
                ),
                subsections=(
                    Section(
                        key="summary.trend",
                        title="الاتجاه" if arabic else "Trend",
                        blocks=(
                            chart(width=not arabic),
                            Paragraph("A dissent.", style="quote", attribution="A member"),
                        ),
                    ),
                ),
            ),
            Section(key="money", title="المال" if arabic else "Money", empty="No budget lines."),
            Section(
                key="annexes_with_a_very_long_key_beyond_31",
                title="Annexes",
                blocks=(figures_table("annexes.sg"),),
            ),
        ),
    )


class SyntheticFormatsTests(SimpleTestCase):
    def test_every_format_reads_back_with_the_documents_numbers(self) -> None:
        document = synthetic()
        assert FORMATS == ("pdf", "docx", "xlsx") and set(CONTENT_TYPES) == set(FORMATS)
        pdf = render(document, "pdf")
        assert pdf.startswith(b"%PDF-")
        assert_pdf_matches(document, pdf)
        assert_docx_matches(document, render(document, "docx"))
        assert_xlsx_matches(document, render(document, "xlsx"))
        page_images(pdf, "synthetic-en")

    def test_the_json_has_the_same_numbers_and_no_withheld_value(self) -> None:
        document = synthetic()
        data = document.as_json()
        tables = [
            b
            for s in data["sections"]
            for sub in (s, *s["subsections"])
            for b in sub["blocks"]
            if b["type"] == "table"
        ]
        assert {t["key"]: [[c["value"] for c in r] for r in t["rows"]] for t in tables} == (
            document.numbers()
        )
        withheld = [c for t in tables for r in t["rows"] for c in r if c["flag"]]
        assert withheld and all(c["value"] is None for c in withheld)

    def test_the_same_document_gives_the_same_pdf(self) -> None:
        """The PDF's dates are the report's generation time: a regenerated report that says the
        same things is the same file (what a signature or a checksum relies on)."""
        assert render(synthetic(), "pdf") == render(synthetic(), "pdf")

    def test_a_narrative_in_typst_markup_prints_as_written(self) -> None:
        """The PDF's template sets every string as text: a narrative holding Typst code or
        markup prints those characters and runs nothing."""
        import dataclasses

        written = '#read("/etc/passwd") *bold* _em_ $x^2$ @ref <label> = Heading // not a comment'
        base = synthetic()
        section = dataclasses.replace(
            base.sections[0], blocks=(Paragraph(written), *base.sections[0].blocks)
        )
        document = dataclasses.replace(base, sections=(section, *base.sections[1:]))
        text = squeeze(pdf_text(render(document, "pdf")))
        assert squeeze(written) in text
        assert "root:" not in text

    def test_a_withheld_figure_is_words_never_a_number(self) -> None:
        document = synthetic()
        text = pdf_text(render(document, "pdf"))
        assert squeeze("fewer than 5") in squeeze(text)
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(render(document, "xlsx")))
        sheet = book["summary"]
        cells = {c.coordinate: c for row in sheet.iter_rows() for c in row}
        withheld = [c for c in cells.values() if c.value == "fewer than 5"]
        assert withheld and all(c.data_type == "s" and c.font.i for c in withheld)

    def test_every_page_says_its_version_plan_and_period(self) -> None:
        from pypdf import PdfReader

        for version, mark in ((PUBLIC, "Public version"), (INTERNAL, "Internal version")):
            pdf = render(synthetic(version=version), "pdf")
            pages = PdfReader(io.BytesIO(pdf)).pages
            assert len(pages) >= 4
            for page in pages:
                text = page.extract_text() or ""
                assert mark in text and "A national plan" in text and "2025" in text
        from docx import Document

        docx = Document(io.BytesIO(render(synthetic(version=INTERNAL), "docx")))
        header = "".join(p.text for p in docx.sections[0].header.paragraphs)
        assert "Internal version: not for publication" in header and "A national plan" in header

    def test_the_pdf_has_a_contents_with_page_numbers_bookmarks_and_tags(self) -> None:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(render(synthetic(), "pdf")))
        contents = reader.pages[1].extract_text() or ""
        # The contents page lists each section with the page it starts on.
        assert "Summary" in contents and "Annexes" in contents
        lines = {line.split(".")[0].strip(): line for line in contents.splitlines()}
        assert lines["Summary"].rstrip().endswith("3")
        outline = [item.title for item in reader.outline if not isinstance(item, list)]
        assert outline[:2] == ["Contents", "Summary"] and "Annexes" in outline
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/Lang"] == "en"

    def test_the_docx_uses_word_heading_styles_and_a_contents_field(self) -> None:
        from docx import Document

        data = render(synthetic(), "docx")
        docx = Document(io.BytesIO(data))
        headings = [
            (p.style.name, p.text) for p in docx.paragraphs if p.style.name.startswith("Heading")
        ]
        assert headings == [
            ("Heading 1", "Summary"),
            ("Heading 2", "Trend"),
            ("Heading 1", "Money"),
            ("Heading 1", "Annexes"),
        ]
        body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
        assert 'TOC \\o "1-3"' in body
        texts = [p.text for p in docx.paragraphs]
        assert "No budget lines." in texts and "10, 12, 15" in texts  # a chart as its text
        assert "A dissent." in texts and "{{" not in body and "{%" not in body
        # Five columns from a three-cell template row: the table fits the page's width.
        from docx.oxml.ns import qn

        for table in docx.tables:
            width = table._tbl.tblPr.find(qn("w:tblW"))
            assert (width.get(qn("w:type")), width.get(qn("w:w"))) == ("pct", "5000")

    def test_the_xlsx_has_an_about_sheet_and_a_sheet_a_section(self) -> None:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(render(synthetic(), "xlsx")))
        assert book.sheetnames == ["about", "summary", "money", "annexes_with_a_very_long_key_be"]
        about = [r for r in book["about"].iter_rows(values_only=True)]
        assert ("Release", "Built from published release 3") in [tuple(r[:2]) for r in about]
        summary = book["summary"]
        assert summary.freeze_panes == "A4"
        number = {c.value: c for row in summary.iter_rows() for c in row}
        assert number[0.42].number_format == "0%" and number[0.075].number_format == "0.0%"
        assert number[2_500_000].number_format == "#,##0"
        assert number[12.5].number_format == "#,##0.0"
        formula = number['=HYPERLINK("x")']
        assert formula.data_type == "s" and formula.quotePrefix
        assert book["money"]["A2"].value == "No budget lines."

    def test_a_statement_printed_whole_keeps_its_paragraphs_in_every_format(self) -> None:
        import dataclasses

        from docx import Document

        dissent = Paragraph(
            "We do not sign.\n\nThe figures of 2025\r\nleave out the east.\x0b",
            style="quote",
            attribution="Women's Network",
        )
        base = synthetic()
        document = dataclasses.replace(
            base,
            sections=(dataclasses.replace(base.sections[0], blocks=(dissent,), subsections=()),),
        )
        docx = Document(io.BytesIO(render(document, "docx")))
        quotes = [p.text for p in docx.paragraphs if p.style.name == "Quote"]
        assert quotes == [
            "We do not sign.",
            "The figures of 2025\nleave out the east.",
            "Women's Network",
        ]
        text = pdf_text(render(document, "pdf"))
        assert "We do not sign." in text and "leave out the east." in text

    def test_a_control_character_in_a_cell_does_not_break_the_workbook(self) -> None:
        import dataclasses

        from openpyxl import load_workbook

        table = Table("t", "T", ("Name",), ((Cell("Kivu\x0bNord\x00"),),))
        base = synthetic()
        document = dataclasses.replace(
            base, sections=(dataclasses.replace(base.sections[0], blocks=(table,), subsections=()),)
        )
        book = load_workbook(io.BytesIO(render(document, "xlsx")))
        assert book["summary"]["A4"].value == "KivuNord"

    def test_every_format_speaks_the_documents_language_not_the_requests(self) -> None:
        from docx import Document
        from openpyxl import load_workbook

        document = synthetic(language="fr")
        assert "Version publique" in pdf_text(render(document, "pdf"))
        docx = Document(io.BytesIO(render(document, "docx")))
        assert "Version publique" in "".join(p.text for p in docx.sections[0].header.paragraphs)
        about = load_workbook(io.BytesIO(render(document, "xlsx")))["about"]
        assert ("Édition", "Établi à partir de l’édition publiée 3") in [
            tuple(r[:2]) for r in about.iter_rows(values_only=True)
        ]

    def test_rendering_the_pdf_reads_no_file_of_the_server(self) -> None:
        """A chart linking an image, by absolute path or beside the template, is refused with
        the link named: the PDF never carries a file of the server."""
        import dataclasses
        import tempfile
        from pathlib import Path

        from PIL import Image

        from wpsmonitor.reports.formats.pdf import TEMPLATE, PdfFailed

        with tempfile.TemporaryDirectory() as folder:
            png = Path(folder) / "secret.png"
            Image.new("RGB", (40, 40), "red").save(png)
            beside = TEMPLATE.parent / "report.docx"  # a file beside the template
            for href in (f"file://{png}", str(png), beside.name):
                svg = (
                    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" '
                    f'height="40"><image href="{href}" width="40" height="40"/></svg>'
                )
                block = Chart(key="c", title="C", svg=svg, alt="c")
                base = synthetic()
                document = dataclasses.replace(
                    base,
                    sections=(
                        dataclasses.replace(base.sections[0], blocks=(block,), subsections=()),
                    ),
                )
                with self.assertRaises(PdfFailed) as refused:
                    render(document, "pdf")
                assert "image" in str(refused.exception), str(refused.exception)


class RightToLeftTests(SimpleTestCase):
    def test_an_arabic_report_renders_right_to_left_with_its_chart(self) -> None:
        document = synthetic(language="ar")
        pdf = render(document, "pdf")  # a chart without width inside a right-to-left page
        assert_pdf_matches(document, pdf, cells="numbers")
        page_images(pdf, "synthetic-ar")
        from pypdf import PdfReader

        assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "ar"
        docx = render(document, "docx")
        assert_docx_matches(document, docx)
        from docx import Document
        from docx.oxml.ns import qn

        word = Document(io.BytesIO(docx))
        body = word.element.body
        paragraphs = list(body.iter(qn("w:p")))
        assert paragraphs and all(p.pPr.find(qn("w:bidi")) is not None for p in paragraphs)
        # In the schema's order: the style first, then bidi.
        styled = [p.pPr for p in paragraphs if p.pPr.find(qn("w:pStyle")) is not None]
        assert styled and all(p[0].tag == qn("w:pStyle") for p in styled)
        assert all(t.find(qn("w:bidiVisual")) is not None for t in body.iter(qn("w:tblPr")))
        xlsx = render(document, "xlsx")
        assert_xlsx_matches(document, xlsx)
        from openpyxl import load_workbook

        assert load_workbook(io.BytesIO(xlsx))["summary"].sheet_view.rightToLeft

    def test_an_unknown_format_is_refused(self) -> None:
        with pytest.raises(ValueError, match="unknown report format"):
            render(synthetic(), "odt")
