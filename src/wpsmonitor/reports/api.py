"""The standard report in the JSON API (docs/reports.md, "The API").

The same selectors and services as the pages, so the same rules: a report the caller may not
read is a 404 (an internal version for anyone who does not see the detail, an unpublished one
for the public), an action they may not take a 403. Writes need a bearer token. A report's
document is the JSON its files were drawn from: the same numbers as the PDF, DOCX and XLSX.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from wpsmonitor.accounts.auth import READ_AUTH, WRITE_AUTH, access_for_api, api_user
from wpsmonitor.boards.models import PeriodicReport
from wpsmonitor.core.api import READ_ERRORS, ApiError, ErrorOut, Id, Year
from wpsmonitor.reports import formats, naming, selectors, services
from wpsmonitor.reports.models import GeneratedReport

router = Router(tags=["reports"], auth=READ_AUTH)
# Where wpsmonitor/urls.py mounts the API (the document's address in answers).
API_ROOT = "/api/v1"

WRITE_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class Format(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"


class GeneratedOut(Schema):
    id: int
    plan: str
    title: str
    scope: str = Field(description="year, midterm or plan")
    year: int = Field(description="The last year covered (the year of an annual report)")
    version: str = Field(description="public or internal")
    language: str
    status: str = Field(description="queued, running, ready or failed")
    progress: int = Field(description="0 to 100")
    step: str = Field(description="What is being done, in words, while it runs")
    error: str
    content_hash: str = Field(description="SHA-256 of what the report says (empty until ready)")
    release: int | None = Field(description="The release a public version reads")
    periodic_report: int | None = Field(description="The board's report it is the document of")
    published: bool
    published_at: datetime | None
    created_at: datetime
    finished_at: datetime | None
    files: dict[str, str] = Field(description="Address of each file by format, once ready")
    document: str | None = Field(description="Address of the document (JSON), once ready")


class GeneratedIn(Schema):
    scope: str = Field(description="year, midterm or plan")
    year: Year | None = Field(None, description="The year of an annual report")
    version: str = Field("public", description="public or internal")
    language: str = Field("en", description="A language code of the platform")
    periodic_report: Id | None = Field(None, description="The board's report it documents")


def _out(r: GeneratedReport) -> dict[str, Any]:
    code = r.plan.code
    ready = r.status == "ready"
    return {
        "id": r.pk,
        "plan": code,
        "title": r.title,
        "scope": r.scope,
        "year": r.year,
        "version": r.version,
        "language": r.language,
        "status": r.status,
        "progress": r.progress,
        "step": r.step,
        "error": r.error,
        "content_hash": r.content_hash,
        "release": r.release.number if r.release else None,
        "periodic_report": r.periodic_report_id,
        "published": r.published,
        "published_at": r.published_at,
        "created_at": r.created_at,
        "finished_at": r.finished_at,
        "files": {
            fmt: f"{API_ROOT}/plans/{code}/standard-reports/{r.pk}/files/{fmt}"
            for fmt in formats.FORMATS
            if ready and r.file_of(fmt) is not None
        },
        "document": f"{API_ROOT}/plans/{code}/standard-reports/{r.pk}/document" if ready else None,
    }


def _found(request: HttpRequest, plan: str, pk: int) -> tuple[Any, GeneratedReport]:
    access = access_for_api(request, plan)
    return access, selectors.generated_report(access, pk)


@router.get(
    "/plans/{plan}/standard-reports",
    response={200: list[GeneratedOut], **READ_ERRORS},
    summary="The plan's generated standard reports the caller may read (the published ones "
    "for the public; every one for the plan's members)",
    operation_id="generated_reports_list",
)
def list_generated(request: HttpRequest, plan: str) -> list[dict[str, Any]]:
    access = access_for_api(request, plan)
    return [_out(r) for r in selectors.generated_reports(access)]


@router.get(
    "/plans/{plan}/standard-reports/{pk}",
    response={200: GeneratedOut, **READ_ERRORS},
    summary="One generated report: its status, progress and the addresses of its files",
    operation_id="generated_report_get",
)
def get_generated(request: HttpRequest, plan: str, pk: Id) -> dict[str, Any]:
    return _out(_found(request, plan, pk)[1])


@router.get(
    "/plans/{plan}/standard-reports/{pk}/document",
    response={200: dict[str, Any], **READ_ERRORS},
    summary="The report's document as JSON: the sections, tables (text and number of every "
    "cell), paragraphs and charts its files were drawn from",
    operation_id="generated_report_document",
)
def get_document(request: HttpRequest, plan: str, pk: Id) -> dict[str, Any]:
    _access, found = _found(request, plan, pk)
    if found.status != "ready" or found.document is None:
        raise ApiError(404, _("The report is not ready yet."))
    document: dict[str, Any] = found.document
    return document


@router.get(
    "/plans/{plan}/standard-reports/{pk}/files/{fmt}",
    response={200: None, **READ_ERRORS},
    summary="A file of the report: pdf, docx or xlsx",
    operation_id="generated_report_file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in formats.CONTENT_TYPES.values()
                },
            }
        }
    },
)
def get_file(request: HttpRequest, plan: str, pk: Id, fmt: Format) -> FileResponse:
    _access, found = _found(request, plan, pk)
    stored = found.file_of(str(fmt))
    if stored is None:
        raise ApiError(404, _("The report is not ready yet."))
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=naming.download_name(found, str(fmt)),
        content_type=formats.CONTENT_TYPES[str(fmt)],
    )
    if not found.published:
        response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/plans/{plan}/standard-reports",
    auth=WRITE_AUTH,
    response={202: GeneratedOut, **WRITE_ERRORS},
    summary="Ask for a report (the plan's secretariat): it is generated off the request path; "
    "follow its status and progress",
    operation_id="generated_report_request",
)
def request_generated(
    request: HttpRequest, plan: str, body: GeneratedIn
) -> tuple[int, dict[str, Any]]:
    access = access_for_api(request, plan)
    if not access.can_generate_reports():
        raise PermissionDenied
    periodic = None
    if body.periodic_report is not None:
        periodic = PeriodicReport.objects.filter(plan=access.plan, pk=body.periodic_report).first()
        if periodic is None:
            raise ApiError(400, _("Choose one of the board's reports."))
    report = services.report_request(
        by=api_user(request),
        plan=access.plan,
        scope=body.scope,
        year=body.year,
        version=body.version,
        language=body.language,
        periodic_report=periodic,
    )
    report.refresh_from_db()
    return 202, _out(report)


@router.post(
    "/plans/{plan}/standard-reports/{pk}/publish",
    auth=WRITE_AUTH,
    response={200: GeneratedOut, **WRITE_ERRORS},
    summary="Publish a ready public version (the plan's secretariat); it is never changed again",
    operation_id="generated_report_publish",
)
def publish_generated(request: HttpRequest, plan: str, pk: Id) -> dict[str, Any]:
    access, found = _found(request, plan, pk)
    if not access.can_generate_reports():
        raise PermissionDenied
    return _out(services.report_publish(by=api_user(request), report=found))
