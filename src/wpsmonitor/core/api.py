"""What every API module shares: the one error shape, the one mapping of errors to it, the
exception endpoints raise, and pagination links.

Every error the API returns, whatever its status, reads
    {"detail": "<one sentence>", "errors": [{"row": int | null, "field": str | null, "message": str}]}
`row` is the 0-based index in a bulk body, `field` the body field or query parameter at fault.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from wpsmonitor.core.errors import InputProblems, NotFound
from wpsmonitor.core.json_input import RefusedJson, loads_bounded
from wpsmonitor.core.periods import ParsedPeriod, PeriodCodeError, parse_period


class ErrorItem(Schema):
    row: int | None = None
    field: str | None = None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


# For `response=` declarations: the statuses any authenticated read can answer with.
READ_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut}


class ApiError(Exception):
    """Raise from an endpoint to answer with the error shape."""

    def __init__(
        self, status: int, detail: str, errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []


def bad_parameter(field: str, message: str) -> ApiError:
    return ApiError(
        400,
        _("Invalid query parameter %(field)s.") % {"field": field},
        [{"row": None, "field": field, "message": message}],
    )


def not_found(detail: str) -> ApiError:
    return ApiError(404, detail)


# Paging parameters. A list's offset (or cursor) is bounded well inside the databases' 64-bit
# integers: beyond them the query itself failed (a 500); far below, any offset past the end of
# a list is an empty page. Every list endpoint declares its paging with these.
MAX_OFFSET = 2**31 - 1
Offset = Annotated[
    int, Field(ge=0, le=MAX_OFFSET, description="Items to skip (0 to 2,147,483,647)")
]
Cursor = Annotated[
    int,
    Field(
        ge=0,
        le=MAX_OFFSET,
        description="Cursor: return values with an id above this one (0 to 2,147,483,647)",
    ),
]


# Ids, in paths and bodies, and years in bodies. Every id is a 64-bit key (BigAutoField): an
# integer beyond it reached the database (SQLite cannot bind it, PostgreSQL refuses it) and
# answered 500. Declared with these types, any such integer is a 400 naming the parameter, and the
# OpenAPI schema says the bounds. tests/api/test_schema_fuzz.py checks that no integer the API
# takes in is left unbounded.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="An id (1 to 2^63 - 1)")]
Year = Annotated[int, Field(ge=1, le=9999, description="A year (1 to 9999)")]


def page_limit(default: int, maximum: int) -> Any:
    """The `limit` of a list: 1 to `maximum` items per page, `default` when not given."""
    return Field(default, ge=1, le=maximum, description=f"Items per page (1 to {maximum:,})")


def json_body(body: bytes) -> Any:
    """A request body read as JSON, numbers bounded (core/json_input.py); ApiError (400)
    saying what is wrong otherwise."""
    try:
        return loads_bounded(body)
    except RefusedJson as exc:
        raise ApiError(400, _("The body is refused: %(error)s.") % {"error": exc}) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, _("The body is not valid JSON: %(error)s") % {"error": exc}) from exc


class BoundedJsonParser(Parser):
    """ninja's body parser, with json_body's bounds for every endpoint that takes a body."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json_body(request.body)


def period_parameter(code: str, field: str = "period") -> ParsedPeriod:
    """The period a query parameter names; a 400 naming the parameter when it names none."""
    try:
        return parse_period(code)
    except PeriodCodeError as exc:
        raise bad_parameter(field, str(exc)) from exc


def error_body(detail: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "detail": detail,
        "errors": [
            {"row": e.get("row"), "field": e.get("field"), "message": str(e["message"])}
            for e in errors or []
        ],
    }


def _respond(
    api: NinjaAPI, request: HttpRequest, status: int, body: dict[str, Any]
) -> HttpResponse:
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="wpsmonitor"'
    return response


def _on_api_error(request: HttpRequest, exc: ApiError, api: NinjaAPI) -> HttpResponse:
    return _respond(api, request, exc.status, error_body(exc.detail, exc.errors))


def _on_authentication(
    request: HttpRequest, exc: AuthenticationError, api: NinjaAPI
) -> HttpResponse:
    message = exc.message if exc.message != "Unauthorized" else _("Authentication required.")
    return _respond(api, request, 401, error_body(message))


def _on_http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    if isinstance(exc.__cause__, ApiError):
        # ninja wraps what its body parser raises ("Cannot parse request body"): BoundedJsonParser
        # says what is wrong, so say that.
        return _on_api_error(request, exc.__cause__, api)
    return _respond(api, request, exc.status_code, error_body(str(exc)))


def _on_404(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    # A 404 written for the caller (core.errors.NotFound) says what was not found; any other
    # says no more than "Not found.".
    detail = str(exc) if isinstance(exc, NotFound) else _("Not found.")
    return _respond(api, request, 404, error_body(detail))


def _on_validation(request: HttpRequest, exc: NinjaValidationError, api: NinjaAPI) -> HttpResponse:
    errors = []
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", ()) if part not in ("query", "path", "body")]
        errors.append({"row": None, "field": ".".join(loc) or None, "message": item.get("msg", "")})
    return _respond(api, request, 400, error_body(_("Invalid request."), errors))


def _on_permission_denied(
    request: HttpRequest, exc: PermissionDenied, api: NinjaAPI
) -> HttpResponse:
    return _respond(api, request, 403, error_body(_("You may not do this.")))


def _on_validation_error(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    # Every message in the detail; those that name their field (a dict of messages) in the
    # errors too.
    errors = []
    if hasattr(exc, "error_dict"):
        errors = [
            {"row": None, "field": None if field == NON_FIELD_ERRORS else field, "message": m}
            for field, messages in exc.message_dict.items()
            for m in messages
        ]
    return _respond(api, request, 400, error_body(" ".join(str(m) for m in exc.messages), errors))


def _on_input_problems(request: HttpRequest, exc: InputProblems, api: NinjaAPI) -> HttpResponse:
    errors = [{"row": p.row, "field": p.field, "message": p.message} for p in exc.located()]
    return _respond(api, request, exc.status, error_body(exc.summary(), errors))


def install_error_handlers(api: NinjaAPI) -> None:
    """The one mapping of errors to answers, for every endpoint; no endpoint catches them.

    Services raise PermissionDenied (403), ValidationError (400, its messages in `detail`, those
    keyed by field also in `errors`) and core.errors.InputProblems (its own status, its located
    problems in `errors`); lookups raise Http404 (404, a NotFound's message as `detail`);
    endpoints raise ApiError for what only they can tell (a bad parameter, a body too large).
    The handler is that of the first class in the exception's MRO that has one: a domain
    exception that is both an InputProblems and a PermissionDenied lists InputProblems first.
    """
    api.add_exception_handler(InputProblems, partial(_on_input_problems, api=api))
    api.add_exception_handler(PermissionDenied, partial(_on_permission_denied, api=api))
    api.add_exception_handler(ValidationError, partial(_on_validation_error, api=api))
    api.add_exception_handler(ApiError, partial(_on_api_error, api=api))
    api.add_exception_handler(AuthenticationError, partial(_on_authentication, api=api))
    api.add_exception_handler(HttpError, partial(_on_http_error, api=api))
    api.add_exception_handler(Http404, partial(_on_404, api=api))
    api.add_exception_handler(NinjaValidationError, partial(_on_validation, api=api))


def page_url(request: HttpRequest, **changes: Any) -> str:
    """The absolute URL of this request with some query parameters replaced."""
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = str(value)
    return request.build_absolute_uri(request.path + "?" + params.urlencode())


def fast_json(data: Any) -> HttpResponse:
    """Answer with JSON directly, skipping ninja's response-model validation.

    For the big answers (a page of 10,000 values, a whole plan's progress) that validation
    costs more than the query. Their shape is still the declared schema: the OpenAPI document
    lists it and the tests compare whole answers against it.
    """
    return JsonResponse(data, encoder=DjangoJSONEncoder, safe=False)
