"""Field collection in the JSON API: an assignment's XLSForm, for a script that feeds the
secretariat's own collection server (docs/field-collection.md, docs/api.md).

The same rules as the page's download: the plan's coordinator and the focal points who enter
the assignment read it (403 to a member who collects nothing, 404 to a focal point of another
organisation or area).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from wpsmonitor.accounts.auth import READ_AUTH, access_for_api
from wpsmonitor.core.api import READ_ERRORS, ApiError, ErrorOut, not_found
from wpsmonitor.core.translated import language_codes, reader_language
from wpsmonitor.fieldcollection import selectors
from wpsmonitor.fieldcollection.xlsform import form_spec, write_xlsx

router = Router(tags=["field collection"], auth=READ_AUTH)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FormQuery(Schema):
    organisation: str = Field(description="The organisation's code")
    area: str | None = Field(
        None, description="The area's code; by default the organisation's only area in the plan"
    )
    language: str | None = Field(
        None,
        description="The respondent's language (en, fr, es, ar), the others as the form's "
        "translations; by default the language the request is answered in",
    )


@router.get(
    "/plans/{plan}/rounds/{period}/xlsform",
    response={200: None, 403: ErrorOut, **READ_ERRORS},
    summary="The XLSForm of an assignment (organisation and area) for a round, as XLSX",
    operation_id="field_xlsform",
    openapi_extra={
        "responses": {
            200: {
                "description": "The XLSForm (survey, choices, settings), to upload to ODK "
                "Central or KoboToolbox; its version is the framework version.",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def xlsform(request: HttpRequest, plan: str, period: str, query: Query[FormQuery]) -> HttpResponse:
    access = access_for_api(request, plan)
    if not access.can_collect_in_field():
        raise PermissionDenied
    language = query.language or reader_language()
    if language not in language_codes():
        raise ApiError(
            400,
            _("%(language)r is not a language of the platform.") % {"language": language},
            [{"row": None, "field": "language", "message": _("unknown language")}],
        )
    try:
        round_, organisation, area = selectors.assignment_named(
            access.plan, period, query.organisation, query.area
        )
    except ValidationError as exc:
        detail = " ".join(exc.messages)
        if exc.code == "ambiguous":
            raise ApiError(
                400, detail, [{"row": None, "field": "area", "message": detail}]
            ) from None
        raise not_found(detail) from None
    if not access.can_download_field_form(organisation.pk, area):
        raise not_found(_("No such assignment."))
    try:
        spec = form_spec(round_, organisation, area, language)
    except ValidationError as exc:
        raise not_found(" ".join(exc.messages)) from None
    response = HttpResponse(write_xlsx(spec), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{spec.filename()}"'
    return response
