"""Bulk write of values: stored and audited on success; on any problem, 400 and nothing stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from tests.api.conftest import ApiClient, World

from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.models import (
    AggregateRun,
    DataValue,
    DataValueAudit,
    ImportBatch,
)

URL = "/plans/ken-nap-2/values"


def snapshot() -> tuple[Any, ...]:
    """Everything a write may touch, to prove a refused write touched nothing."""
    return (
        list(
            DataValue.objects.order_by("id").values_list(
                "id", "value", "numerator", "denominator", "text_value", "comment", "updated_at"
            )
        ),
        DataValueAudit.objects.count(),
        ImportBatch.objects.count(),
        AggregateRun.objects.count(),
    )


def row(**fields: Any) -> dict[str, Any]:
    return {"indicator": "PAR-1", "period": "2024Q3", "area": "KEN", "cell": "sex=F", **fields}


def test_write_creates_updates_and_counts_unchanged_rows(
    world: World, writer_api: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = writer_api.post(
            URL,
            [
                row(value=4, comment="new"),  # created
                row(period="2024Q1", value=13),  # was 12: updated
                {  # same figures as stored: unchanged
                    "indicator": "PAR-2",
                    "period": "2024",
                    "area": "KEN",
                    "numerator": 70,
                    "denominator": 350,
                },
                row(cell="sex=M", period="2024Q3", area="KE-30", value=2, source="wpf-shadow"),
            ],
        )
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "rows": 4,
        "created": 2,
        "updated": 1,
        "unchanged": 1,
        "dry_run": False,
        "refresh_requested": True,
        "warnings": [],
    }
    created = DataValue.objects.get(
        indicator=world.par1, period__code="2024Q3", area=world.ken, source__code="gov"
    )
    assert (created.value, created.cell.code, created.comment) == (4.0, "sex=F", "new")
    assert created.stored_by == world.writer
    shadow = DataValue.objects.get(period__code="2024Q3", source__code="wpf-shadow")
    assert (shadow.value, shadow.area.code, shadow.cell.code) == (2.0, "KE-30", "sex=M")

    updated = DataValue.objects.get(
        indicator=world.par1,
        period__code="2024Q1",
        area=world.ken,
        cell__code="sex=F",
        source__code="gov",
    )
    assert updated.value == 13.0
    # The unchanged value and the shadow figure on the same key were left alone.
    assert DataValue.objects.get(source__code="wpf-shadow", period__code="2024Q1").value == 9.0
    audit = DataValueAudit.objects.get()
    assert (audit.action, audit.old_value, audit.new_value) == ("update", 12.0, 13.0)
    assert audit.changed_by == world.writer
    assert (audit.period.code, audit.cell.code, audit.source.code) == ("2024Q1", "sex=F", "gov")
    batch = ImportBatch.objects.get(pk=created.batch_id)
    assert (batch.kind, batch.filename, batch.user, batch.rows) == (
        "api",
        "api:ministry-sync",
        world.writer,
        4,
    )
    assert batch.created == 2 and batch.updated == 1

    # A refresh was requested, to run once the write commits (one callback: the enqueue).
    assert len(callbacks) == 1
    assert AggregateRun.objects.get(plan=world.nap).requested_at is not None
    # Run the rebuild as the task would, then read the new figures.
    rebuild_plan_aggregates(world.nap)
    figures = writer_api.get("/plans/ken-nap-2/indicators/PAR-1/aggregates").json()
    # gov, Kenya with Nairobi, all periods: 12→13, 8, 15, 4 nationally and 5 in Nairobi.
    assert figures["total"]["value"] == 13 + 8 + 15 + 4 + 5
    assert figures["margins"]["sex=F"]["value"] == 13 + 15 + 4
    assert figures["margins"]["sex=M"]["value"] == 8 + 5


def test_writing_the_same_rows_twice_changes_nothing_the_second_time(
    world: World, writer_api: ApiClient
) -> None:
    rows = [row(value=4), row(cell="sex=M", value=3)]
    assert writer_api.post(URL, rows).json()["created"] == 2
    again = writer_api.post(URL, rows).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert DataValueAudit.objects.count() == 0


def test_dry_run_validates_and_counts_but_stores_nothing(
    world: World, writer_api: ApiClient
) -> None:
    before = snapshot()
    response = writer_api.client.post(
        "/api/v1" + URL + "?dry_run=true",
        json.dumps([row(value=4), row(period="2024Q1", value=13)]),
        content_type="application/json",
        headers=writer_api.headers,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["updated"], body["dry_run"], body["refresh_requested"]) == (
        1,
        1,
        True,
        False,
    )
    assert snapshot() == before


def test_values_outside_the_expected_range_are_stored_with_a_warning(
    world: World, writer_api: ApiClient
) -> None:
    world.par1.expected_max = 1000
    world.par1.save()
    body = writer_api.post(URL, [row(value=10), row(cell="sex=M", value=5000)]).json()
    assert body["created"] == 2
    assert body["warnings"] == [
        {"row": 1, "field": "value", "message": "5000 is outside the expected range  to 1000"}
    ]


BAD_ROWS: list[tuple[str, list[Any], list[dict[str, Any]]]] = [
    (
        "unknown indicator",
        [row(value=1), row(indicator="NOPE", value=1)],
        [
            {
                "row": 1,
                "field": "indicator",
                "message": "unknown indicator 'NOPE' in plan ken-nap-2",
            }
        ],
    ),
    (
        "another plan's indicator",
        [row(indicator="UG-9", period="2024", cell="", value=1)],
        [
            {
                "row": 0,
                "field": "indicator",
                "message": "unknown indicator 'UG-9' in plan ken-nap-2",
            }
        ],
    ),
    (
        "bad cell",
        [row(cell="sex=X", value=1), row(cell="age=18-29", value=1)],
        [
            {
                "row": 0,
                "field": "cell",
                "message": "'X' is not an option of sex (F (Female), M (Male))",
            },
            {
                "row": 1,
                "field": "cell",
                "message": "dimension(s) age are not in this indicator's disaggregation",
            },
        ],
    ),
    (
        "numerator above denominator",
        [
            {
                "indicator": "PAR-2",
                "period": "2025",
                "area": "KEN",
                "numerator": 400,
                "denominator": 350,
            }
        ],
        [
            {
                "row": 0,
                "field": "numerator",
                "message": "the numerator (400) is above the denominator (350)",
            }
        ],
    ),
    (
        "duplicate rows",
        [row(value=1), row(cell="sex=M", value=2), row(value=3)],
        [
            {
                "row": 2,
                "field": "indicator",
                "message": "duplicate of row 0 (same indicator, period, area, cell and source)",
            }
        ],
    ),
    (
        "a fraction in a count of people (issue 12)",
        [row(value=1.5), row(cell="sex=M", value="2.0")],
        [{"row": 0, "field": "value", "message": "a count of people is a whole number: 1.5"}],
    ),
    (
        "text where a number belongs",
        [row(value="twelve")],
        [{"row": 0, "field": "value", "message": "'twelve' is not a number"}],
    ),
    (
        "period outside the plan and of the wrong frequency",
        [row(period="2030Q1", value=1), row(period="2024", value=1)],
        [
            {
                "row": 0,
                "field": "period",
                "message": "2030Q1 is outside the plan's dates (2024-01-01 to 2027-12-31)",
            },
            {
                "row": 1,
                "field": "period",
                "message": "2024 is a year but PAR-1 is reported by quarter",
            },
        ],
    ),
    (
        "area outside the plan and unknown source",
        [row(area="UGA", value=1), row(source="rumour", value=1)],
        [
            {"row": 0, "field": "area", "message": "area 'UGA' is outside the plan's area"},
            {"row": 1, "field": "source", "message": "unknown source 'rumour'"},
        ],
    ),
]


@pytest.mark.parametrize(
    ("rows", "errors"), [case[1:] for case in BAD_ROWS], ids=[c[0] for c in BAD_ROWS]
)
def test_refused_rows_are_reported_by_row_and_field_and_nothing_is_stored(
    world: World, writer_api: ApiClient, rows: list[Any], errors: list[dict[str, Any]]
) -> None:
    before = snapshot()
    response = writer_api.post(URL, rows)
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == errors
    assert body["detail"] == f"{len(errors)} problem(s) found; nothing was stored."
    assert snapshot() == before


SHAPE_ERRORS: list[tuple[str, list[Any], list[dict[str, Any]]]] = [
    (
        "not an object",
        [row(value=1), 7],
        [{"row": 1, "field": None, "message": "a row must be a JSON object"}],
    ),
    (
        "unknown field",
        [row(value=1, numerater=3)],
        [{"row": 0, "field": "numerater", "message": "unknown field"}],
    ),
    (
        "missing fields",
        [{"indicator": "PAR-1", "value": 1}],
        [
            {"row": 0, "field": "period", "message": "this field is required"},
            {"row": 0, "field": "area", "message": "this field is required"},
        ],
    ),
    (
        "wrong JSON types",
        [row(indicator=5, value=[1]), row(period=True, comment={"a": 1})],
        [
            {"row": 0, "field": "indicator", "message": "must be a string"},
            {"row": 0, "field": "value", "message": "must be a number, a string or null"},
            {"row": 1, "field": "comment", "message": "must be a string"},
            {"row": 1, "field": "period", "message": "must be a period code"},
        ],
    ),
]


@pytest.mark.parametrize(
    ("rows", "errors"), [case[1:] for case in SHAPE_ERRORS], ids=[c[0] for c in SHAPE_ERRORS]
)
def test_malformed_rows_are_400_with_row_and_field(
    world: World, writer_api: ApiClient, rows: list[Any], errors: list[dict[str, Any]]
) -> None:
    before = snapshot()
    response = writer_api.post(URL, rows)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Some rows are malformed; nothing was stored.",
        "errors": errors,
    }
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("{not json", "The body is not valid JSON"),
        ('{"rows": []}', "The body must be a JSON list of value rows."),
        ("[]", "The list of rows is empty."),
    ],
)
def test_bodies_that_are_not_a_list_of_rows_are_400(
    world: World, writer_api: ApiClient, body: str, detail: str
) -> None:
    before = snapshot()
    response = writer_api.client.post(
        "/api/v1" + URL, body, content_type="application/json", headers=writer_api.headers
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith(detail)
    assert snapshot() == before


@override_settings(API_BULK_MAX_ROWS=3)
def test_too_many_rows_is_413_and_nothing_is_stored(world: World, writer_api: ApiClient) -> None:
    before = snapshot()
    rows = [row(period=f"2024Q{q}", cell=f"sex={s}", value=1) for q in (3, 4) for s in "FM"]
    response = writer_api.post(URL, rows)
    assert response.status_code == 413
    assert response.json() == {
        "detail": "4 rows sent; at most 3 per request. Send them in several requests.",
        "errors": [],
    }
    assert snapshot() == before
    assert writer_api.post(URL, rows[:3]).status_code == 200


@override_settings(API_BULK_MAX_BYTES=200)
def test_too_large_a_body_is_413_before_it_is_read(world: World, writer_api: ApiClient) -> None:
    before = snapshot()
    response = writer_api.post(URL, [row(value=1, comment="x" * 300)])
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "The body is larger than 200 bytes; send the values in several requests."
    )
    assert snapshot() == before


def test_a_body_above_djangos_own_upload_limit_is_accepted_within_ours(
    world: World, writer_api: ApiClient
) -> None:
    # Django refuses request.body above 2.5 MB; the API reads the stream under its own cap.
    comment = "x" * 250_000
    rows = [
        row(period=f"2024Q{q}", cell=f"sex={s}", value=1, comment=comment)
        for q in (3, 4)
        for s in "FM"
    ]
    rows += [
        row(period=f"2025Q{q}", cell=f"sex={s}", value=1, comment=comment)
        for q in (1, 2, 3, 4)
        for s in "FM"
    ]
    assert len(json.dumps(rows)) > 2_621_440
    response = writer_api.post(URL, rows)
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 12


def test_writing_to_a_plan_without_a_role_on_it_is_403_whether_it_exists_or_not(
    world: World, writer_api: ApiClient
) -> None:
    # Rights are per plan: an unknown code answers like a plan of someone else's.
    for code in ("nope", "uga-nap-3"):
        response = writer_api.post(f"/plans/{code}/values", [row(value=1)])
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Your account may not write data values.",
            "errors": [],
        }


def test_the_administrator_writing_to_an_unknown_plan_gets_404(world: World) -> None:
    User.objects.filter(pk=world.writer.pk).update(is_superuser=True)
    response = ApiClient(world.writer_token).post("/plans/nope/values", [row(value=1)])
    assert response.status_code == 404
    assert response.json() == {"detail": "No plan with code nope.", "errors": []}


def test_rows_are_written_to_the_plan_of_the_url_only(world: World, writer_api: ApiClient) -> None:
    # A row cannot name another plan: "plan" is not a field of a row.
    response = writer_api.post(URL, [row(value=1, plan="uga-nap-3")])
    assert response.status_code == 400
    assert response.json()["errors"] == [{"row": 0, "field": "plan", "message": "unknown field"}]
