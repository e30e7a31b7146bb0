"""Out-of-range input is refused up front with a 400 in the API's error shape (issue 12):
offsets and cursors beyond the databases' integers, numbers too long for any figure."""

from __future__ import annotations

from typing import Any

import pytest
from tests.api.conftest import ApiClient, World

from wpsmonitor.core.api import MAX_OFFSET
from wpsmonitor.indicators.ingest import parse_number
from wpsmonitor.indicators.models import DataValue

LISTS = [
    ("/plans", "offset"),
    ("/plans/ken-nap-2/indicators", "offset"),
    ("/plans/ken-nap-2/finance/costs", "offset"),
    ("/plans/ken-nap-2/finance/budget-lines", "offset"),
    ("/plans/ken-nap-2/donors/activities", "offset"),
    ("/plans/ken-nap-2/values", "after"),
]


@pytest.mark.parametrize(("path", "parameter"), LISTS)
@pytest.mark.parametrize("number", [str(2**63), str(MAX_OFFSET + 1), "9" * 5001])
def test_an_offset_beyond_the_bound_is_400_naming_it(
    world: World, writer_api: ApiClient, path: str, parameter: str, number: str
) -> None:
    response = writer_api.client.get(
        "/api/v1" + path, {parameter: number}, headers=writer_api.headers
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid request."
    assert [e["field"] for e in body["errors"]] == [parameter]


@pytest.mark.parametrize(("path", "parameter"), LISTS[:2] + LISTS[-1:])
def test_the_largest_offset_is_an_empty_page(
    world: World, writer_api: ApiClient, path: str, parameter: str
) -> None:
    response = writer_api.get(path, **{parameter: MAX_OFFSET})
    assert response.status_code == 200
    assert response.json()["items"] == []


def _post(api: ApiClient, path: str, body: str) -> Any:
    return api.client.post(
        "/api/v1" + path, body, content_type="application/json", headers=api.headers
    )


@pytest.mark.parametrize("digits", [5001, 400, 41])
def test_a_number_too_long_for_a_figure_is_refused_before_it_is_converted(
    world: World, writer_api: ApiClient, digits: int
) -> None:
    before = DataValue.objects.count()
    row = '{"indicator": "PAR-1", "period": "2024Q3", "area": "KEN", "cell": "sex=F", "value": %s}'
    response = _post(writer_api, "/plans/ken-nap-2/values", "[" + row % ("1" * digits) + "]")
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"The body is refused: a number has {digits:,} characters; "
        "numbers have at most 40.",
        "errors": [],
    }
    assert DataValue.objects.count() == before


def test_every_json_body_has_its_numbers_bounded(world: World, writer_api: ApiClient) -> None:
    """Bodies ninja parses (here a recommendation) go through the same bounded parser."""
    response = _post(writer_api, "/plans/ken-nap-2/recommendations", '{"year": %s}' % ("7" * 5001))
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "The body is refused: a number has 5,001 characters; numbers have at most 40."
    )


def test_an_integer_beyond_a_float_is_a_readable_refusal() -> None:
    with pytest.raises(ValueError, match="the number is too large to be a figure"):
        parse_number(10**400)
    assert parse_number(10**300) == 1e300


@pytest.mark.parametrize(
    "body",
    [
        '{"organisation": "\\u0000\\u00a9:k", "area": "KEN"}',  # as the schema fuzzer sent it
        '{"organisation": "ORG", "area": "KEN", "\\u0000": 1}',  # in a key
    ],
)
def test_a_text_holding_a_nul_character_is_refused_not_a_server_error(
    world: World, writer_api: ApiClient, body: str
) -> None:
    """PostgreSQL refuses a NUL character in any text, even in a lookup: a submission naming
    the organisation "\\u0000..." was a 500 there. Every JSON body is refused before use."""
    response = _post(writer_api, "/plans/ken-nap-2/rounds/2024Q3/submissions", body)
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "The body is refused: a text holds a NUL character (\\u0000), which no field accepts."
    )
