"""The standard reports' pages in the cycle: the Word template's upload with its problems shown,
the narratives kept as versions, the page that refreshes while a report is generated, the
portal listing every published report in each format, and the API's document with the same
numbers as the report."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import Client
from tests.boards.conftest import build_board
from tests.reports.cycle import build_report_cycle, generate
from tests.reports.test_access_matrix import ready

import wpsmonitor.reports
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.reports import services
from wpsmonitor.reports.builder import build_report
from wpsmonitor.reports.context import report_context
from wpsmonitor.reports.models import ReportNarrative, ReportTemplate

pytestmark = pytest.mark.django_db

DEFAULT_TEMPLATE = Path(wpsmonitor.reports.__file__).parent / "templates/reports/report.docx"


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _docx_with(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_template_is_checked_before_it_is_accepted_and_its_problems_listed(media: Any) -> None:
    b = build_board()
    client = Client()
    client.force_login(b.users["coordinator"])
    url = f"/plans/{b.plan.code}/standard-reports/template/"
    bad = ContentFile(_docx_with("Dear {{ minister_name }},"), name="letterhead.docx")
    answer = client.post(url, {"file": bad})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "The template was not accepted" in page and "minister_name" in page
    not_word = ContentFile(b"%PDF-1.7 not a template", name="letterhead.docx")
    answer = client.post(url, {"file": not_word})
    assert answer.status_code == 400 and "not a Word document" in answer.content.decode()
    assert not ReportTemplate.objects.exists()
    good = ContentFile(DEFAULT_TEMPLATE.read_bytes(), name="ministry.docx")
    assert client.post(url, {"file": good}).status_code == 302
    assert ReportTemplate.objects.get(plan=b.plan).filename == "ministry.docx"
    assert "ministry.docx" in client.get(url).content.decode()


def test_narratives_are_kept_as_versions(media: Any) -> None:
    b = build_board()
    client = Client()
    client.force_login(b.users["coordinator"])
    url = f"/plans/{b.plan.code}/standard-reports/narratives/"
    fields = {"scope": "year", "year": b.plan.start.year, "language": "en"}
    client.post(url, fields | {"text": "First words."})
    client.post(url, fields | {"text": "First words."})  # the same: no new version
    client.post(url, fields | {"text": "Better words."})
    versions = list(
        ReportNarrative.objects.filter(plan=b.plan, node=None).values_list("version", "text")
    )
    assert sorted(versions) == [(1, "First words."), (2, "Better words.")]
    page = client.get(url + f"?scope=year&year={b.plan.start.year}&language=en").content.decode()
    assert "Better words." in page and "First words." in page and "2 versions" in page
    # A government focal point writes no narrative (and none in civil society's name).
    focal = Client()
    focal.force_login(b.users["focal"])
    assert focal.post(url, fields | {"text": "Mine."}).status_code == 403


def test_the_page_refreshes_itself_while_a_report_is_generated(media: Any) -> None:
    b = build_board()
    client = Client()
    client.force_login(b.users["coordinator"])
    base = f"/plans/{b.plan.code}/standard-reports/"
    answer = client.post(
        base + "request/",
        {"scope": "year", "year": b.plan.start.year, "version": "internal", "language": "en"},
    )
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "<progress" in page
    listing = client.get(base).content.decode()
    assert 'http-equiv="refresh"' in listing


def test_the_portal_lists_every_published_report_in_each_format(media: Any) -> None:
    b = build_board()
    published = ready(b, "public", published=True)
    hidden = ready(b, "public")
    page = Client().get(f"/plans/{b.plan.code}/public/").content.decode()
    for fmt in ("pdf", "docx", "xlsx"):
        assert f"/standard-reports/{published.pk}/{fmt}/" in page
        assert f"/standard-reports/{hidden.pk}/{fmt}/" not in page


def test_the_api_document_has_the_same_numbers_as_the_report_and_its_workbook(
    media: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle = build_report_cycle()
    report = generate(cycle, django_capture_on_commit_callbacks)
    assert report.status == "ready", report.error
    coordinator = cycle.users["coordinator"]
    _token, raw = ApiToken.issue(user=coordinator, name="numbers")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    api = f"/api/v1/plans/{cycle.plan.code}/standard-reports/{report.pk}"
    listed = client.get(api).json()
    assert listed["status"] == "ready" and set(listed["files"]) == {"pdf", "docx", "xlsx"}
    document = client.get(api + "/document").json()
    from_api = {
        table["key"]: [[cell["value"] for cell in row] for row in table["rows"]]
        for table in _tables(document["sections"])
    }
    # The same report built again: the numbers its files were drawn from.
    context = report_context(
        PlanAccess(AnonymousUser(), cycle.plan), scope="year", year=report.year, version="public"
    )
    assert from_api == build_report(context).numbers()
    assert from_api, "the report has tables"
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(api + "/files/xlsx").streaming_content))  # type: ignore[attr-defined]
    )
    in_workbook = {
        c.value
        for s in workbook.worksheets
        for row in s.iter_rows()
        for c in row
        if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
    }
    numbers = {v for rows in from_api.values() for row in rows for v in row if v is not None}
    assert numbers <= in_workbook


def _tables(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for section in sections:
        found += [b for b in section["blocks"] if b["type"] == "table"]
        found += _tables(section["subsections"])
    return found


def test_a_template_upload_is_refused_to_anyone_but_the_secretariat(media: Any) -> None:
    b = build_board()
    with pytest.raises(Exception, match="may not"):
        services.template_upload(
            by=b.users["viewer"],
            plan=b.plan,
            upload=ContentFile(DEFAULT_TEMPLATE.read_bytes(), name="t.docx"),  # type: ignore[arg-type]
        )
