"""Sharing a generated report with parliament in place (docs/oversight.md): the coordinator's
button on the report's page, the confirmation, the shared document parliament then reads and
downloads, and the refusals (a report not ready, failed or internal, a format it lacks, the
same file twice, anyone but the coordinator)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from tests.oversight.conftest import OversightWorld

from wpsmonitor.oversight.models import SharedDocument
from wpsmonitor.reports import services
from wpsmonitor.reports.models import GeneratedReport

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 the annual report"


def _report(
    ow: OversightWorld, *, version: str = "public", status: str = "ready", pdf: bool = True
) -> GeneratedReport:
    ready = status == "ready"
    report = GeneratedReport(
        plan=ow.plan,
        scope="year",
        year=2024,
        version=version,
        language="en",
        status=status,
        progress=100 if ready else 40,
        title="National Action Plan: 2024" if ready else "",
        content_hash="a" * 64 if ready else "",
        document={"plan": ow.plan.code, "sections": []} if ready else None,
        error="" if status != "failed" else "Typst failed.",
        requested_by=ow.users["coordinator"],
        finished_at=timezone.now() if ready else None,
    )
    if ready:
        if pdf:
            report.pdf.save("pdf", ContentFile(PDF), save=False)
        report.xlsx.save("xlsx", ContentFile(b"PK\x03\x04 the workbook"), save=False)
    report.save()
    return report


def _client(ow: OversightWorld, who: str) -> Client:
    client = Client()
    client.force_login(ow.users[who])
    return client


def _page(ow: OversightWorld, report: GeneratedReport, who: str = "coordinator") -> str:
    return (
        _client(ow, who)
        .get(f"/plans/{ow.plan.code}/standard-reports/{report.pk}/")
        .content.decode()
    )


def _share(
    ow: OversightWorld, report: GeneratedReport, who: str = "coordinator", **data: str
) -> Any:
    url = f"/plans/{ow.plan.code}/standard-reports/{report.pk}/share/"
    return _client(ow, who).post(url, data)


def test_the_coordinator_shares_a_report_in_place_and_parliament_reads_it(
    ow: OversightWorld,
) -> None:
    report = _report(ow)
    page = _page(ow, report)
    assert "Share with parliament" in page
    assert 'value="pdf" id="share-pdf" checked' in page and 'value="xlsx"' in page
    assert 'value="docx"' not in page  # no file in that format
    asked = _share(ow, report, fmt="pdf")
    assert asked.status_code == 200
    assert (
        "Share “National Action Plan: 2024 (Annual report 2024, PDF)” with parliament?"
        in asked.content.decode()
    )
    assert not SharedDocument.objects.exists()  # asking shares nothing
    done = _share(ow, report, fmt="pdf", confirm="yes")
    assert done.status_code == 302
    document = SharedDocument.objects.get()
    assert document.title == "National Action Plan: 2024 (Annual report 2024, PDF)"
    assert document.filename == f"{ow.plan.code}-year-2024-public-en.pdf"
    assert document.shared_by == ow.users["coordinator"] and f"report {report.pk}" in document.note
    parliament = _client(ow, "parliament")
    listed = parliament.get(f"/plans/{ow.plan.code}/oversight/shared/").content.decode()
    assert document.title in listed
    response = parliament.get(f"/plans/{ow.plan.code}/oversight/shared/{document.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


def test_the_user_picks_the_format(ow: OversightWorld) -> None:
    report = _report(ow, pdf=False)
    page = _page(ow, report)
    assert 'value="xlsx" id="share-xlsx" checked' in page  # no PDF: what exists
    assert _share(ow, report, fmt="xlsx", confirm="yes").status_code == 302
    assert SharedDocument.objects.get().title.endswith("XLSX)")
    refused = _share(ow, report, fmt="pdf", confirm="yes")
    assert (
        refused.status_code == 400 and "is not a format of this report" in refused.content.decode()
    )
    assert _share(ow, report, fmt="odt", confirm="yes").status_code == 400
    assert SharedDocument.objects.count() == 1


def test_the_same_file_is_not_shared_twice(ow: OversightWorld) -> None:
    report = _report(ow)
    assert _share(ow, report, fmt="pdf", confirm="yes").status_code == 302
    again = _share(ow, report, fmt="pdf", confirm="yes")
    assert again.status_code == 400
    assert "already shared with parliament" in again.content.decode()
    assert SharedDocument.objects.count() == 1
    # Another format of it is another file; once the first is no longer shared, it may be again.
    assert _share(ow, report, fmt="xlsx", confirm="yes").status_code == 302
    from wpsmonitor.oversight.services import document_unshare

    document_unshare(
        by=ow.users["coordinator"], document=SharedDocument.objects.get(filename__endswith=".pdf")
    )
    assert _share(ow, report, fmt="pdf", confirm="yes").status_code == 302
    assert SharedDocument.objects.count() == 2


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ({"status": "running"}, "not generated yet"),
        ({"status": "failed"}, "failed to generate"),
        ({"version": "internal"}, "internal version"),
    ],
)
def test_what_cannot_be_shared(ow: OversightWorld, kind: dict[str, str], message: str) -> None:
    report = _report(ow, **kind)
    assert "Share with parliament" not in _page(ow, report)
    refused = _share(ow, report, fmt="pdf", confirm="yes")
    assert refused.status_code == 400 and message in refused.content.decode()
    with pytest.raises(ValidationError):
        services.report_share_with_parliament(by=ow.users["coordinator"], report=report, fmt="pdf")
    assert not SharedDocument.objects.exists()


@pytest.mark.parametrize("who", ["focal", "viewer", "monitor", "auditor", "parliament"])
def test_only_the_coordinator_shares(ow: OversightWorld, who: str) -> None:
    report = _report(ow)
    answer = _share(ow, report, who, fmt="pdf", confirm="yes")
    # Who may not read the unpublished report does not learn it exists (404); the others 403.
    assert answer.status_code == (403 if who in {"focal", "viewer", "monitor"} else 404)
    if answer.status_code == 403:
        assert "Share with parliament" not in _page(ow, report, who)
    with pytest.raises(PermissionDenied):
        services.report_share_with_parliament(by=ow.users[who], report=report, fmt="pdf")
    assert not SharedDocument.objects.exists()
