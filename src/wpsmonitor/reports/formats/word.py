"""The report as DOCX: a Word template filled by docxtpl (docs/reports.md, "Formats").

The default template (templates/reports/report.docx, written by
scripts/build_report_template.py) uses Word's own styles, so a secretariat restyles it in Word
(letterhead, fonts) and uploads it in place of the default. An uploaded template is checked
first (`check_template`): a real DOCX of bounded size, no macros, no outside links, only the
placeholders of `PLACEHOLDERS`. It is filled in Jinja's sandbox, so a template can read the
report and nothing else.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from defusedxml import ElementTree
from django.utils.translation import gettext as _

from wpsmonitor.reports.document import ReportDocument
from wpsmonitor.reports.formats.common import document_view

DEFAULT_TEMPLATE = Path(__file__).parent.parent / "templates" / "reports" / "report.docx"

# Bounds of an uploaded template: a letterhead and styles fit in far less.
MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_PARTS = 1_000
# A document part compresses ~5-20x; a zip bomb compresses thousands of times.
MAX_RATIO = 200
_RATIO_MIN_BYTES = 1024 * 1024

MAIN_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
# Outside links a reader's Word would follow by itself (an attached template, a linked image,
# a frame): refused. A hyperlink is followed only when a reader clicks it, so a letterhead may
# keep its ministry's address.
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


class TemplateRefused(ValueError):
    """A Word template that may not be used; `problems` says why, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def placeholders() -> dict[str, str]:
    """The names a template may use, with what each holds (docs/reports.md lists them)."""
    return {
        "title": _("the report's title"),
        "plan_code": _("the plan's code"),
        "plan_title": _("the plan's title"),
        "period_label": _("the period covered"),
        "version": _("public or internal"),
        "version_mark": _("the version mark printed on every page"),
        "release_label": _("the release the figures come from"),
        "generated_label": _("when the report was generated"),
        "language": _("the report's language code"),
        "rtl": _("true when the language is written right to left"),
        "contents_label": _("the table of contents' title"),
        "toc_hint": _("the words shown until Word updates the table of contents"),
        "sections": _("the sections in reading order, each with its blocks"),
    }


def template_context(document: ReportDocument) -> dict[str, Any]:
    context = document_view(document)
    context["toc_hint"] = _(
        "Right-click here and choose Update Field to fill the table of contents."
    )
    return _word_text(context)  # type: ignore[no-any-return]


def _word_text(value: Any) -> Any:
    """Every string of the context as Word holds it: a blank line starts a new paragraph (in
    the same style: docxtpl's \a), a single line break stays a line break (\n)."""
    if isinstance(value, str):
        text = value  # control characters are gone already (common.document_view)
        return re.sub(r"\n\s*\n\s*", "\a", text.strip("\n")) if "\n" in text else text
    if isinstance(value, dict):
        return {k: v if k == "svg" else _word_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_word_text(v) for v in value]
    return value


def _environment(strict: bool = False) -> Any:
    from jinja2 import StrictUndefined, Undefined
    from jinja2.sandbox import SandboxedEnvironment

    # The sandbox: an uploaded template reads the report's values and calls nothing unsafe.
    # Autoescape: the values go into XML (a "&" in a title would break the document).
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined if strict else Undefined)


def render_docx(document: ReportDocument, template: bytes | None = None) -> bytes:
    if template is not None:
        problems = check_template(template)
        if problems:
            raise TemplateRefused(problems)
        return _fill(io.BytesIO(template), template_context(document))
    with DEFAULT_TEMPLATE.open("rb") as default:
        return _fill(io.BytesIO(default.read()), template_context(document))


def _fill(source: io.BytesIO, context: dict[str, Any], strict: bool = False) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(source)
    tpl.render(context, jinja_env=_environment(strict))
    _fit_tables(tpl.docx)
    if context.get("rtl"):
        _right_to_left(tpl.docx)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _fit_tables(docx: Any) -> None:
    """A table whose columns came from a column loop ({%tc %}) keeps the template cell's width
    in every cell, wider than the page once there are more columns than in the template: such a
    table is set to the page's width, its columns shared out by Word."""
    for table in docx.element.body.iter(W + "tbl"):
        grid = sum(int(c.get(W + "w", "0")) for c in table.iter(W + "gridCol"))
        first = table.find(W + "tr")
        if first is None:
            continue
        cells = sum(int(w.get(W + "w", "0")) for w in first.iter(W + "tcW"))
        if cells <= grid:
            continue
        tbl_pr = table.find(W + "tblPr")
        width = tbl_pr.find(W + "tblW") if tbl_pr is not None else None
        if width is not None:
            width.set(W + "type", "pct")
            width.set(W + "w", "5000")
        for cell_width in table.iter(W + "tcW"):
            cell_width.set(W + "type", "auto")
            cell_width.set(W + "w", "0")


# What follows w:bidi in a paragraph's properties and w:bidiVisual in a table's (ECMA-376,
# CT_PPr and CT_TblPr sequences).
_AFTER_BIDI = tuple(
    "w:" + t
    for t in [
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
)
_AFTER_BIDI_VISUAL = tuple(
    "w:" + t
    for t in [
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
        "tblCaption",
        "tblDescription",
        "tblPrChange",
    ]
)


def _right_to_left(docx: Any) -> None:
    """Every paragraph and table of the body read right to left (Word's bidi properties), each
    property in its place in the schema's order (Word calls a file with them out of order
    damaged)."""
    from docx.oxml import OxmlElement

    body = docx.element.body
    for paragraph in body.iter(W + "p"):
        p_pr = paragraph.get_or_add_pPr()
        if p_pr.find(W + "bidi") is None:
            p_pr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
    for tbl_pr in body.iter(W + "tblPr"):
        if tbl_pr.find(W + "bidiVisual") is None:
            tbl_pr.insert_element_before(OxmlElement("w:bidiVisual"), *_AFTER_BIDI_VISUAL)


# ------------------------------------------------------------------------ uploaded templates


def check_template(data: bytes) -> list[str]:
    """The problems of an uploaded Word template, each a sentence naming the placeholder or
    part; [] when it may be used."""
    if len(data) > MAX_BYTES:
        return [
            _("The template is larger than %(size)s MB: a letterhead and styles fit in less.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        ]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return [_("The file is not a Word document (.docx): it is not even a zip archive.")]
    with archive:
        problems = _check_parts(archive)
        if problems:
            return problems
        problems = _check_package(archive)
    if problems:
        return problems
    return _check_placeholders(data)


def _check_parts(archive: zipfile.ZipFile) -> list[str]:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        return [_("The template has more than %(count)s parts.") % {"count": MAX_PARTS}]
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > _RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            return [
                _("The part %(part)s unpacks to far more than it weighs: refused as a zip bomb.")
                % {"part": info.filename}
            ]
    if total > MAX_UNCOMPRESSED:
        return [
            _("The template unpacks to more than %(size)s MB.")
            % {"size": MAX_UNCOMPRESSED // (1024 * 1024)}
        ]
    return []


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as part:
        # Bounded even if the directory lies about the size.
        return part.read(MAX_UNCOMPRESSED + 1)[:MAX_UNCOMPRESSED]


def _check_package(archive: zipfile.ZipFile) -> list[str]:
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        return [_("The file is not a Word document (.docx): it has no word/document.xml part.")]
    problems: list[str] = []
    try:
        types = ElementTree.fromstring(_read(archive, "[Content_Types].xml"))
    except Exception:
        return [_("The part [Content_Types].xml cannot be read.")]
    content_types = {el.get("ContentType", "") for el in types}
    if any("macroEnabled" in t or "vbaProject" in t for t in content_types) or any(
        n.lower().endswith("vbaproject.bin") for n in names
    ):
        problems.append(
            _(
                "The template holds macros (a .docm or a vbaProject.bin part): save it as a plain .docx."
            )
        )
    elif MAIN_CONTENT_TYPE not in content_types:
        problems.append(
            _("The file is not a Word document (.docx): its main part is not a Word document.")
        )
    for name in sorted(n for n in names if n.endswith(".rels")):
        try:
            rels = ElementTree.fromstring(_read(archive, name))
        except Exception:
            problems.append(_("The part %(part)s cannot be read.") % {"part": name})
            continue
        for rel in rels:
            if rel.get("TargetMode") == "External" and rel.get("Type") != HYPERLINK:
                kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
                problems.append(
                    _(
                        "The part %(part)s links to an outside file (%(kind)s: %(target)s): "
                        "a template must hold everything it shows."
                    )
                    % {"part": name, "kind": kind, "target": rel.get("Target", "")[:200]}
                )
    return problems


def _check_placeholders(data: bytes) -> list[str]:
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError
    from jinja2.exceptions import SecurityError, TemplateError

    known = placeholders()
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        unknown = tpl.get_undeclared_template_variables(
            jinja_env=_environment(), context=dict.fromkeys(known, "")
        )
    except TemplateSyntaxError as error:
        return [
            _("The placeholder near “%(text)s” is not valid: %(error)s.")
            % {"text": _near(tpl), "error": error.message or ""}
        ]
    except Exception:
        return [_("The Word document cannot be read: open it in Word and save it again.")]
    if unknown:
        return [
            _("The placeholder {{ %(name)s }} is unknown: a template may use %(known)s.")
            % {"name": name, "known": ", ".join(sorted(known))}
            for name in sorted(unknown)
        ]
    # Filled once with a small sample report, strictly: a misspelt field ({{ s.titel }}) or an
    # unsafe one is named now, not when the board's report is generated.
    from wpsmonitor.reports.formats.sample import sample_document

    try:
        _fill(io.BytesIO(data), template_context(sample_document()), strict=True)
    except SecurityError as error:
        return [_("A placeholder is not allowed: %(error)s.") % {"error": error}]
    except TemplateError as error:
        return [_("A placeholder cannot be filled: %(error)s.") % {"error": error}]
    except Exception:
        return [_("The Word document cannot be filled: open it in Word and save it again.")]
    return []


def _near(tpl: Any) -> str:
    """The words of the paragraph where the template's Jinja breaks (XML tags taken off)."""
    from jinja2 import TemplateSyntaxError

    try:
        xml = tpl.patch_xml(tpl.xml_to_string(tpl.get_docx().element.body))
    except Exception:
        return "?"
    # One paragraph a line, as docxtpl fills it, so the error's line is a paragraph.
    xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)
    try:
        _environment().parse(xml)
    except TemplateSyntaxError as error:
        lines = xml.splitlines()
        if error.lineno and error.lineno <= len(lines):
            text = re.sub(r"<[^>]+>", "", lines[error.lineno - 1])
            return re.sub(r"\s+", " ", text).strip()[:120] or "?"
    return "?"
