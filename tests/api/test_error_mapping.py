"""The one error mapping (core/api.py:install_error_handlers): whatever endpoint a service's
refusal comes out of, it is answered with the same status and the API's error shape."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from ninja.operation import Operation
from tests.api.conftest import ApiClient, World

from wpsmonitor.api import api
from wpsmonitor.core.errors import InputProblems, LocatedProblem, NotFound


class RowsForbidden(InputProblems, PermissionDenied):
    """Like finance's FinanceForbidden: a refusal of rights that locates the rows at fault."""

    status = 403


def _problems() -> InputProblems:
    return InputProblems(
        "Nothing was stored: 2 problem(s).",
        [LocatedProblem(0, "value", "not a number"), LocatedProblem(3, None, "a duplicate")],
    )


# (what the service raises, the status, the whole body answered)
CASES: list[tuple[str, Callable[[], Exception], int, dict[str, Any]]] = [
    (
        "permission-denied",
        lambda: PermissionDenied("an internal reason"),
        403,
        {"detail": "You may not do this.", "errors": []},
    ),
    (
        "validation-error",
        lambda: ValidationError(["The period is closed.", "The note is too long."]),
        400,
        {"detail": "The period is closed. The note is too long.", "errors": []},
    ),
    (
        "validation-error-by-field",
        lambda: ValidationError({"links": ["P9 is not a pillar.", "P1 is given twice."]}),
        400,
        {
            "detail": "P9 is not a pillar. P1 is given twice.",
            "errors": [
                {"row": None, "field": "links", "message": "P9 is not a pillar."},
                {"row": None, "field": "links", "message": "P1 is given twice."},
            ],
        },
    ),
    (
        "input-problems",
        _problems,
        400,
        {
            "detail": "Nothing was stored: 2 problem(s).",
            "errors": [
                {"row": 0, "field": "value", "message": "not a number"},
                {"row": 3, "field": None, "message": "a duplicate"},
            ],
        },
    ),
    (
        "input-problems-forbidden",
        lambda: RowsForbidden("You may not do this.", [LocatedProblem(1, "action", "not yours")]),
        403,
        {
            "detail": "You may not do this.",
            "errors": [{"row": 1, "field": "action", "message": "not yours"}],
        },
    ),
    (
        "not-found-for-the-caller",
        lambda: NotFound("No report 12."),
        404,
        {"detail": "No report 12.", "errors": []},
    ),
    (
        "not-found",
        lambda: Http404("an internal reason"),
        404,
        {"detail": "Not found.", "errors": []},
    ),
]


def _operations() -> Iterator[tuple[str, Operation]]:
    # The routers as mounted on the API (ninja binds a copy of each router to the API).
    for router in api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield f"{','.join(operation.methods)} {router.prefix}{path}", operation


OPERATIONS = dict(_operations())


def test_every_endpoint_is_seen() -> None:
    documented = api.get_openapi_schema()["paths"].values()
    assert len(OPERATIONS) == sum(len(methods) for methods in documented)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_a_refusal_inside_any_endpoint_is_answered_in_the_error_shape(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The endpoint's body is replaced by a service raising each refusal in turn; the
    authentication and the parsing of parameters are skipped, as they come before it."""
    operation = OPERATIONS[name]
    monkeypatch.setattr(operation, "_run_checks", lambda request: None)
    monkeypatch.setattr(operation, "_get_values", lambda request, kw, response: {})
    for case, refusal, status, body in CASES:

        def service(request: Any, refusal: Callable[[], Exception] = refusal) -> Any:
            raise refusal()

        monkeypatch.setattr(operation, "view_func", service)
        response = operation.run(RequestFactory().get("/"))
        assert (response.status_code, json.loads(response.content)) == (status, body), case


@pytest.mark.parametrize(("case", "refusal", "status", "body"), CASES, ids=[c[0] for c in CASES])
def test_a_refusal_of_the_ingest_service_through_the_bulk_write(
    world: World,
    writer_api: ApiClient,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    refusal: Callable[[], Exception],
    status: int,
    body: dict[str, Any],
) -> None:
    """End to end: a real request, authenticated, whose service refuses."""

    def values_ingest(**kwargs: Any) -> Any:
        raise refusal()

    monkeypatch.setattr("wpsmonitor.indicators.api.values_ingest", values_ingest)
    response = writer_api.post(
        "/plans/ken-nap-2/values",
        [{"indicator": "PAR-1", "period": "2024Q3", "area": "KEN", "cell": "sex=F", "value": 4}],
    )
    assert (response.status_code, response.json()) == (status, body)
