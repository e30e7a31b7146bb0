"""The API against its own OpenAPI schema, fuzzed by schemathesis (issue 12 §5).

Every operation of /api/v1/schema is called in-process through Django's WSGI handler (no server,
no network) on the demo plans, signed in with the bearer token of the demo's plan coordinator
(who reads every plan and writes the demo NAP). Each answer must not be a server error, must
carry a status the operation declares, and must match the schema declared for that status.

The cases are derandomised and bounded (a few per operation), so the run is the same on every
machine and takes well under a minute; `WPSMONITOR_FUZZ_EXAMPLES=200` runs a deeper search by hand.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from pydantic import BaseModel
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.api import api
from wpsmonitor.demo import content
from wpsmonitor.demo.builder import demo_load

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Cases per operation: those that fit the schema, on the demo NAP, and those that do not.
EXAMPLES = int(os.environ.get("WPSMONITOR_FUZZ_EXAMPLES", "8"))
NEGATIVE_EXAMPLES = max(1, EXAMPLES // 2)
HUGE = "99999999999999999999"  # 10^20: beyond any 64-bit key


@pytest.fixture
def coordinator_token(db: Any) -> str:
    demo_load(reports=False)  # the data, not the generated reports
    _token, raw = ApiToken.issue(user=User.objects.get(username="coordinator"), name="fuzz")
    return raw


def _schema() -> dict[str, Any]:
    return api.get_openapi_schema(path_prefix="/api/v1")  # type: ignore[no-any-return]


def _unbounded_integers(
    node: Any, where: str, components: dict[str, Any], seen: frozenset[str] = frozenset()
) -> Iterator[str]:
    """Every integer in an input schema without both a minimum and a maximum."""
    if isinstance(node, list):
        for item in node:
            yield from _unbounded_integers(item, where, components, seen)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            yield from _unbounded_integers(components[name], where, components, seen | {name})
        return
    if node.get("type") == "integer" and ("minimum" not in node or "maximum" not in node):
        yield where
    for key, value in node.items():
        if key == "properties":
            for name, prop in value.items():
                yield from _unbounded_integers(prop, f"{where}.{name}", components, seen)
        elif key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties", "schema"):
            yield from _unbounded_integers(value, where, components, seen)


def test_every_integer_the_api_takes_in_is_bounded() -> None:
    # An integer beyond the database's 64 bits reached the query and answered 500; declared
    # with core/api.py's bounded types (Id, Year, Offset, ...), it is a 400 naming the field.
    schema = _schema()
    components = schema["components"]["schemas"]
    unbounded = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                where = f"{label} {parameter['in']} {parameter['name']}"
                unbounded += _unbounded_integers(parameter["schema"], where, components)
            for media in operation.get("requestBody", {}).get("content", {}).values():
                unbounded += _unbounded_integers(media["schema"], f"{label} body", components)
    assert unbounded == []


def _models(cls: type[BaseModel]) -> Iterator[type[BaseModel]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _models(sub)


def test_no_two_schemas_share_a_name() -> None:
    # ninja files every model under its class name in components/schemas, the last one
    # generated silently replacing an earlier namesake: the finance summary was then documented
    # with the recommendations' summary, and the framework's levels with the scorecard's.
    _schema()  # every router imported
    modules: dict[str, set[str]] = {}
    for model in _models(BaseModel):
        if model.__module__.startswith("wpsmonitor."):
            modules.setdefault(model.__name__, set()).add(model.__module__)
    assert {name: where for name, where in modules.items() if len(where) > 1} == {}


def test_a_huge_id_in_a_path_is_refused_not_a_crash(coordinator_token: str) -> None:
    client = Client(raise_request_exception=False)
    headers = {"Authorization": f"Bearer {coordinator_token}"}
    tried = 0
    for path, operations in _schema()["paths"].items():
        integers = {
            p["name"]
            for operation in operations.values()
            for p in operation.get("parameters", [])
            if p["in"] == "path" and p["schema"].get("type") == "integer"
        }
        if not integers:
            continue
        url = path.replace("{plan}", content.NAP_CODE).replace("{transition}", "sign")
        url = url.replace("{currency}", "USD")
        for name in integers:
            url = url.replace("{" + name + "}", HUGE)
        for method in operations:
            response = client.generic(
                method.upper(), url, "{}", content_type="application/json", headers=headers
            )
            tried += 1
            assert response.status_code in (400, 404), (method, url, response.content[:300])
            assert response.json()["detail"]
    assert tried >= 20


def test_a_huge_id_in_a_body_is_refused_not_a_crash(coordinator_token: str) -> None:
    client = Client(raise_request_exception=False)
    response = client.post(
        f"/api/v1/plans/{content.NAP_CODE}/finance/costs",
        f'[{{"id": {HUGE}, "action": "x", "year": 2025, "item": "x", "lump_sum": "1"}}]',
        content_type="application/json",
        headers={"Authorization": f"Bearer {coordinator_token}"},
    )
    assert response.status_code == 400, response.content[:300]
    assert [e["field"] for e in response.json()["errors"]] == ["0.id"]


def _run(operation: Any, strategy: Any, examples: int, token: str, found: dict[str, str]) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: Any) -> None:
        try:
            case.call_and_validate(
                # The in-process transport does not decompress: ask for the plain answer.
                headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
                checks=CHECKS,
            )
        except BaseException as failure:  # noqa: BLE001 - a schemathesis FailureGroup
            for one in getattr(failure, "exceptions", [failure]):
                title = (str(one).splitlines() or [type(one).__name__])[0]
                found.setdefault(
                    f"{operation.label}: {title}",
                    f"{case.as_curl_command(headers={'Authorization': 'Bearer …'})}\n{one}",
                )

    check()


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI handler, keeping the test's database connection open between requests
    (it closes it at the end of each request, as Django's own test client prevents too)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.slow
def test_the_api_keeps_to_its_schema(coordinator_token: str, wsgi_app: WSGIHandler) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema", wsgi_app)
    found: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        on_demo = (
            {"plan": content.NAP_CODE}
            if any(p.name == "plan" for p in operation.path_parameters)
            else None
        )
        positive = operation.as_strategy(GenerationMode.POSITIVE, path_parameters=on_demo)
        negative = operation.as_strategy(GenerationMode.NEGATIVE)
        _run(operation, positive, EXAMPLES, coordinator_token, found)
        # An operation that takes no input (GET /catalogues) has no case that breaks the schema.
        if any((operation.path_parameters, operation.query, operation.body)):
            _run(operation, negative, NEGATIVE_EXAMPLES, coordinator_token, found)
    assert operations >= 60
    assert not found, "\n\n".join(f"== {key}\n{example[:3000]}" for key, example in found.items())
