"""The report as PDF: the Typst template `templates/reports/report.typ` compiled with the
document's JSON (docs/reports.md, "Formats").

The result is a tagged PDF/UA-1: headings become its bookmarks and structure, tables keep their
header rows, charts their text alternative, and the document its language and title. Every page
carries the plan, the period and the version mark in its running header; the contents get their
page numbers from Typst's outline.

Typst is one wheel with no system library. It reads nothing but the template and the JSON it is
given: its root is an empty folder, so a chart linking a file of the server is refused, and no
package is fetched. The document's strings are set as text, never read as markup. The same
document gives the same bytes: the PDF's dates are the report's generation time.

The compiler runs in a child process, for two reasons: it keeps every compilation's work in a
process-wide cache that the Python binding never empties (about 50 MB a report, which a worker
building reports for weeks would keep), and a compilation that never ends or crashes must not
take the worker with it. Starting the child costs about a tenth of a second.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from wpsmonitor.reports.document import ReportDocument
from wpsmonitor.reports.formats.common import document_view

TEMPLATE = Path(__file__).parent.parent / "templates" / "reports" / "report.typ"

# Far above the demo's report (about half a second) and the 2,000,000-value plan's.
TIMEOUT_SECONDS = 300

# The child: reads {"template", "document", "timestamp"} on stdin, writes the PDF on stdout, or
# Typst's message on stderr with exit status 3. `-I` (isolated): no PYTHONPATH, no user site.
CHILD = """
import json, sys, tempfile, typst
job = json.load(sys.stdin.buffer)
try:
    with tempfile.TemporaryDirectory(prefix="wpsmonitor-pdf-") as nothing:
        pdf = typst.compile(
            job["template"].encode(), root=nothing, sys_inputs={"document": job["document"]},
            pdf_standards=["ua-1"], timestamp=job["timestamp"],
        )
except typst.TypstError as error:
    sys.stderr.write(str(error))
    sys.exit(3)
sys.stdout.buffer.write(pdf)
"""


class PdfFailed(Exception):
    """Typst refused the document (its message says why), or the compiler did not finish."""


def compile_job(document: ReportDocument) -> bytes:
    """What the child reads on stdin: the template, the document's view, its timestamp."""
    job = {
        "template": TEMPLATE.read_text(encoding="utf-8"),
        "document": json.dumps(document_view(document), ensure_ascii=False, default=str),
        "timestamp": int(document.generated_at.timestamp()),
    }
    return json.dumps(job).encode()


def render_pdf(document: ReportDocument) -> bytes:
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", CHILD],
            input=compile_job(document),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as late:
        raise PdfFailed(f"the PDF was not done in {TIMEOUT_SECONDS} s") from late
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF-"):
        message = done.stderr.decode(errors="replace").strip()[-2000:]
        raise PdfFailed(message or f"the PDF compiler stopped (status {done.returncode})")
    return done.stdout
