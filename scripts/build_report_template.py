"""Write the report's default Word template (docs/reports.md, "Formats"), reproducibly.

    python scripts/build_report_template.py

Writes src/wpsmonitor/reports/templates/reports/report.docx with python-docx: the Word styles a
secretariat restyles (Title, Heading 1-3, Caption, Quote, Table Grid), the running header with
the version mark, page numbers, a table of contents field, and the docxtpl placeholders that
iterate the report (the names are listed in docs/reports.md). The zip is written with fixed
dates, so running the script twice gives the same bytes.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

OUT = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "wpsmonitor"
    / "reports"
    / "templates"
    / "reports"
    / "report.docx"
)
FIXED = datetime(2026, 1, 1)  # noqa: DTZ001 (document properties: a fixed, naive date)


def field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (TOC, PAGE) whose shown text until Word updates it is `placeholder`."""

    def char(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def tag(document: object, text: str) -> None:
    document.add_paragraph(text)  # type: ignore[attr-defined]


def cell_paragraphs(cell: object, bold: bool = False) -> None:
    """A table cell's text: right-aligned for a figure, italic for a withheld figure."""
    cell.paragraphs[0].text = "{%p if c.numeric %}"  # type: ignore[attr-defined]
    for align in (WD_ALIGN_PARAGRAPH.RIGHT, None):
        paragraph = cell.add_paragraph()  # type: ignore[attr-defined]
        if align is not None:
            paragraph.alignment = align
        withheld = paragraph.add_run("{% if c.suppressed %}{{ c.text }}{% endif %}")
        withheld.italic = True
        shown = paragraph.add_run("{% if not c.suppressed %}{{ c.text }}{% endif %}")
        shown.bold = bold or None
        if align is not None:
            cell.add_paragraph("{%p else %}")  # type: ignore[attr-defined]
    cell.add_paragraph("{%p endif %}")  # type: ignore[attr-defined]


def build() -> bytes:
    doc = Document()
    styles = doc.styles
    styles["Normal"].font.name = "DejaVu Sans"
    # The complex-script font too (Word draws Arabic with it): DejaVu Sans has Arabic glyphs.
    styles["Normal"].element.rPr.rFonts.set(qn("w:cs"), "DejaVu Sans")
    styles["Normal"].font.size = Pt(10)
    styles["Heading 1"].paragraph_format.page_break_before = True
    styles["Quote"].paragraph_format.left_indent = Mm(8)

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(18))
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)

    header = section.header.paragraphs[0]
    header.add_run("{{ plan_title }} · {{ period_label }}")
    header.add_run("\t\t")
    header.add_run("{{ version_mark }}").bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field(footer, " PAGE ", "1")

    # The cover.
    cover = doc.add_paragraph(style="Normal")
    cover.add_run("{{ version_mark }}").bold = True
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("{{ plan_title }} ({{ plan_code }})", style="Subtitle")
    doc.add_paragraph("{{ period_label }}", style="Subtitle")
    doc.add_paragraph("{{ release_label }}")
    doc.add_paragraph("{{ generated_label }}")

    # The table of contents: a field Word fills from the heading styles.
    doc.add_paragraph("{{ contents_label }}", style="TOC Heading")
    field(doc.add_paragraph(), ' TOC \\o "1-3" \\h \\z \\u ', "{{ toc_hint }}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    tag(doc, "{%p for s in sections %}")
    tag(doc, "{%p if s.level == 1 %}")
    doc.add_paragraph("{{ s.title }}", style="Heading 1")
    tag(doc, "{%p elif s.level == 2 %}")
    doc.add_paragraph("{{ s.title }}", style="Heading 2")
    tag(doc, "{%p else %}")
    doc.add_paragraph("{{ s.title }}", style="Heading 3")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if s.empty %}")
    doc.add_paragraph().add_run("{{ s.empty }}").italic = True
    tag(doc, "{%p endif %}")

    tag(doc, "{%p for b in s.blocks %}")
    tag(doc, '{%p if b.type == "table" %}')
    doc.add_paragraph("{{ b.title }}", style="Caption")
    table = doc.add_table(rows=4, cols=3, style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head, loop, body, end = table.rows
    # The header row repeats on every page the table runs over.
    tr_pr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    head.cells[0].text = "{%tc for c in b.columns %}"
    cell_paragraphs(head.cells[1], bold=True)
    head.cells[2].text = "{%tc endfor %}"
    loop.cells[0].text = "{%tr for row in b.rows %}"
    body.cells[0].text = "{%tc for c in row %}"
    cell_paragraphs(body.cells[1])
    body.cells[2].text = "{%tc endfor %}"
    end.cells[0].text = "{%tr endfor %}"
    tag(doc, "{%p if b.note %}")
    doc.add_paragraph().add_run("{{ b.note }}").italic = True
    tag(doc, "{%p endif %}")
    tag(doc, '{%p elif b.type == "chart" %}')
    doc.add_paragraph("{{ b.title }}", style="Caption")
    doc.add_paragraph("{{ b.alt }}")
    tag(doc, '{%p elif b.style == "quote" %}')
    doc.add_paragraph("{{ b.text }}", style="Quote")
    tag(doc, "{%p if b.attribution %}")
    doc.add_paragraph("{{ b.attribution }}", style="Quote").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    tag(doc, "{%p endif %}")
    tag(doc, '{%p elif b.style == "note" %}')
    doc.add_paragraph().add_run("{{ b.text }}").italic = True
    tag(doc, "{%p else %}")
    doc.add_paragraph("{{ b.text }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    # Word asks to update the fields (the table of contents) when the report is opened.
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)

    props = doc.core_properties
    props.title, props.author, props.last_modified_by = "WPS Monitor report", "WPS Monitor", ""
    props.created = props.modified = FIXED
    props.revision = 1

    raw = io.BytesIO()
    doc.save(raw)
    return _fixed_dates(raw.getvalue())


def _fixed_dates(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01, in a fixed order: reproducible bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"wrote {OUT}", file=sys.stderr)
