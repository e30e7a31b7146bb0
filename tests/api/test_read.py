"""Read endpoints: exact content for the small Kenyan plan, filters, 404s, paging."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from tests.api.conftest import ApiClient, World


def _org(code: str, name: str, acronym: str, kind: str) -> dict[str, object]:
    """An organisation as the API returns it: its name in every language too (issue 15)."""
    return {
        "code": code,
        "name": name,
        "acronym": acronym,
        "type": kind,
        "original_language": "en",
        "translations": {"name": {"en": name, "fr": None, "es": None, "ar": None}},
    }


def _option(code: str, name: str) -> dict[str, object]:
    return {
        "code": code,
        "name": name,
        "translations": {"name": {"en": name, "fr": None, "es": None, "ar": None}},
    }


MOG = _org("mog", "Ministry of Gender", "MoG", "government")
NAP_REF = {
    "code": "ken-nap-2",
    "title": "Kenya National Action Plan 2024-2027",
    "kind": "national",
    "status": "implementation",
}


def without(item: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in keys}


def english(**texts: str) -> dict[str, dict[str, str | None]]:
    """The `translations` of texts written in English only (an empty text is null)."""
    return {
        field: {"en": text or None, "fr": None, "es": None, "ar": None}
        for field, text in texts.items()
    }


def nap_expected() -> dict[str, Any]:
    return {
        "code": "ken-nap-2",
        "title": "Kenya National Action Plan 2024-2027",
        "kind": "national",
        "status": "implementation",
        "country": "KEN",
        "area": {"code": "KEN", "name": "Kenya"},
        "generation": 2,
        "start": "2024-01-01",
        "end": "2027-12-31",
        "adopted_on": "2024-03-08",
        "lead_organisation": MOG,
        "coordination_mechanism": "National Steering Committee",
        "languages": ["en", "sw"],
        "description": "Second NAP.",
        "document_url": "https://example.org/nap2.pdf",
        "parent": None,
        "disclosure_threshold": 5,
        "structural_zeros_safe": False,
        "original_language": "en",
        "translations": english(title="Kenya National Action Plan 2024-2027"),
    }


def test_plan_list_has_every_plan_in_code_order(reader_api: ApiClient) -> None:
    response = reader_api.get("/plans")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["next"] is None
    assert [p["code"] for p in body["items"]] == ["ken-lap-nairobi", "ken-nap-2", "uga-nap-3"]
    lap, nap, uganda = body["items"]
    assert without(nap, "created_at", "updated_at") == nap_expected()
    assert without(lap, "created_at", "updated_at") == {
        "code": "ken-lap-nairobi",
        "title": "Nairobi Local Action Plan",
        "kind": "local",
        "status": "adopted",
        "country": "KEN",  # the local plan's area is a province of Kenya
        "area": {"code": "KE-30", "name": "Nairobi"},
        "generation": None,
        "start": "2024-01-01",
        "end": "2026-12-31",
        "adopted_on": None,
        "lead_organisation": None,
        "coordination_mechanism": "",
        "languages": [],
        "description": "",
        "document_url": "",
        "parent": NAP_REF,
        "disclosure_threshold": 5,
        "structural_zeros_safe": False,
        "original_language": "en",
        "translations": english(title="Nairobi Local Action Plan"),
    }
    assert uganda["country"] == "UGA"
    assert nap["created_at"].endswith("Z") or "+" in nap["created_at"]


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"kind": "national"}, ["ken-nap-2", "uga-nap-3"]),
        ({"kind": "local"}, ["ken-lap-nairobi"]),
        ({"country": "KE"}, ["ken-lap-nairobi", "ken-nap-2"]),
        ({"country": "KEN", "kind": "national"}, ["ken-nap-2"]),
        ({"country": "ug"}, ["uga-nap-3"]),
        ({"country": "FR"}, []),  # a real country with no plan
        ({"status": "draft"}, ["uga-nap-3"]),
        ({"parent": "ken-nap-2"}, ["ken-lap-nairobi"]),
    ],
)
def test_plan_list_filters(reader_api: ApiClient, params: dict[str, str], codes: list[str]) -> None:
    body = reader_api.get("/plans", **params).json()
    assert [p["code"] for p in body["items"]] == codes
    assert body["count"] == len(codes)


def test_plan_list_bad_filters_answer_400_with_the_field(reader_api: ApiClient) -> None:
    response = reader_api.get("/plans", country="XX")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid query parameter country.",
        "errors": [{"row": None, "field": "country", "message": "not an ISO 3166-1 country code"}],
    }
    response = reader_api.get("/plans", kind="galactic")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid request."
    assert [e["field"] for e in body["errors"]] == ["kind"]
    response = reader_api.get("/plans", limit=0)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["limit"]


def test_plan_list_pages_with_next_links(reader_api: ApiClient) -> None:
    first = reader_api.get("/plans", limit=2).json()
    assert first["count"] == 3
    assert [p["code"] for p in first["items"]] == ["ken-lap-nairobi", "ken-nap-2"]
    assert first["next"] == "http://testserver/api/v1/plans?limit=2&offset=2"
    second = reader_api.client.get(first["next"], headers=reader_api.headers).json()
    assert [p["code"] for p in second["items"]] == ["uga-nap-3"]
    assert second["next"] is None


def test_plan_detail_has_every_field_parent_and_children(reader_api: ApiClient) -> None:
    response = reader_api.get("/plans/ken-nap-2")
    assert response.status_code == 200
    assert without(response.json(), "created_at", "updated_at") == {
        **nap_expected(),
        "children": [
            {
                "code": "ken-lap-nairobi",
                "title": "Nairobi Local Action Plan",
                "kind": "local",
                "status": "adopted",
            }
        ],
    }
    lap = reader_api.get("/plans/ken-lap-nairobi").json()
    assert lap["parent"] == NAP_REF
    assert lap["children"] == []


def test_unknown_plan_is_404_in_the_error_shape(reader_api: ApiClient) -> None:
    for path in [
        "/plans/nope",
        "/plans/nope/framework",
        "/plans/nope/indicators",
        "/plans/nope/values",
    ]:
        response = reader_api.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "No plan with code nope.", "errors": []}


def test_framework_lists_levels_and_nodes_depth_first_by_order(reader_api: ApiClient) -> None:
    body = reader_api.get("/plans/ken-nap-2/framework").json()
    assert body["plan"] == "ken-nap-2"
    assert body["levels"] == [
        {"depth": 1, "code": "pillar", "name": "Pillar", "holds_actions": False},
        {"depth": 2, "code": "outcome", "name": "Outcome", "holds_actions": False},
        {"depth": 3, "code": "action", "name": "Action", "holds_actions": True},
    ]
    # A1.1.2 has order 1, A1.1.1 order 2: order wins over code and creation.
    assert [(n["code"], n["depth"], n["parent"]) for n in body["nodes"]] == [
        ("P1", 1, None),
        ("O1.1", 2, "P1"),
        ("A1.1.2", 3, "O1.1"),
        ("A1.1.1", 3, "O1.1"),
        ("P2", 1, None),
        ("O2.1", 2, "P2"),
    ]
    nodes = {n["code"]: n for n in body["nodes"]}
    assert nodes["P1"] == {
        "code": "P1",
        "title": "Participation",
        "description": "",
        "level": "pillar",
        "depth": 1,
        "parent": None,
        "order": 1,
        "pillar_theme": "participation",
        "translations": english(title="Participation"),
        "indicators": [],
        "action": None,
    }
    assert nodes["O1.1"]["indicators"] == ["PAR-1", "PAR-2"]
    assert nodes["O1.1"]["action"] is None
    assert nodes["A1.1.1"]["action"] == {
        "status": "completed",
        "delayed": False,
        "percent_complete": 100,
        "planned_start": "2024-01-01",
        "planned_end": "2024-12-31",
        "responsible_organisation": MOG,
        "partner_organisations": [
            _org("nps", "National Police Service", "NPS", "security"),
            _org("wpf", "Women Peace Forum", "WPF", "civil_society"),
        ],
    }
    # Not started although its planned start (2024-06-01) is past: delayed.
    assert nodes["A1.1.2"]["action"] == {
        "status": "not_started",
        "delayed": True,
        "percent_complete": None,
        "planned_start": "2024-06-01",
        "planned_end": "2099-12-31",
        "responsible_organisation": None,
        "partner_organisations": [],
    }


PAR1 = {
    "code": "PAR-1",
    "title": "Women trained as candidates",
    "definition": "People trained, by sex.",
    "node": "O1.1",
    "kind": "number",
    "unit": "people",
    "direction": "increase",
    "time_rule": "sum",
    "frequency": "quarter",
    "means_of_verification": "Training records",
    "responsible_organisation": MOG,
    "references": ["sdg:5.5.1", "wps:1a"],
    "factor": 1.0,
    "scale_labels": [],
    "numerator_formula": "",
    "denominator_formula": "",
    "share_of": None,
    "share_dimension": None,
    "share_option": None,
    "expected_min": None,
    "expected_max": None,
    "order": 1,
    "sensitivity": "public",
    "disclosure_threshold": None,
    "translations": english(
        title="Women trained as candidates",
        definition="People trained, by sex.",
        unit="people",
        means_of_verification="Training records",
    ),
    "scheme": {
        "code": "sex",
        "name": "Sex",
        "dimensions": [
            {
                "code": "sex",
                "name": "Sex",
                "options": [_option("F", "Female"), _option("M", "Male")],
            }
        ],
        "cells": ["sex=F", "sex=M"],
    },
    "baselines": [
        {
            "period": "2023",
            "area": "KEN",
            "cell": "sex=F",
            "value": 10.0,
            "numerator": None,
            "denominator": None,
            "comment": "",
        }
    ],
    "targets": [
        {
            "period": "2027",
            "area": "KEN",
            "cell": "sex=F",
            "value": 100.0,
            "numerator": None,
            "denominator": None,
            "comment": "",
        }
    ],
    "dropped_in": None,
}

PAR2 = {
    "code": "PAR-2",
    "title": "Share of seats held by women",
    "definition": "",
    "node": "O1.1",
    "kind": "percentage",
    "unit": "%",
    "direction": "increase",
    "time_rule": "last",
    "frequency": "year",
    "means_of_verification": "",
    "responsible_organisation": None,
    "references": [],
    "factor": 100.0,
    "scale_labels": [],
    "numerator_formula": "",
    "denominator_formula": "",
    "share_of": None,
    "share_dimension": None,
    "share_option": None,
    "expected_min": None,
    "expected_max": None,
    "order": 2,
    "sensitivity": "public",
    "disclosure_threshold": None,
    "translations": english(
        title="Share of seats held by women", definition="", unit="%", means_of_verification=""
    ),
    "scheme": {"code": "none", "name": "No disaggregation", "dimensions": [], "cells": ["total"]},
    "baselines": [],
    "targets": [
        {
            "period": "2027",
            "area": "KEN",
            "cell": "total",
            "value": 30.0,
            "numerator": None,
            "denominator": None,
            "comment": "Constitution's two-thirds rule",
        }
    ],
    "dropped_in": None,
}


def test_indicators_of_a_plan_with_scheme_references_baselines_and_targets(
    reader_api: ApiClient,
) -> None:
    body = reader_api.get("/plans/ken-nap-2/indicators").json()
    assert body == {"count": 2, "next": None, "items": [PAR1, PAR2]}


def test_indicator_list_pages(reader_api: ApiClient) -> None:
    body = reader_api.get("/plans/ken-nap-2/indicators", limit=1).json()
    assert [i["code"] for i in body["items"]] == ["PAR-1"]
    assert body["next"] == "http://testserver/api/v1/plans/ken-nap-2/indicators?limit=1&offset=1"
    body = reader_api.get("/plans/ken-nap-2/indicators", limit=1, offset=1).json()
    assert body["items"] == [PAR2]
    assert body["next"] is None


def test_one_indicator(reader_api: ApiClient) -> None:
    response = reader_api.get("/plans/ken-nap-2/indicators/PAR-2")
    assert response.status_code == 200
    # The single indicator adds the targets a revision changed (docs/revisions.md): none here.
    assert response.json() == {**PAR2, "target_changes": []}


def test_another_plans_indicator_is_404(reader_api: ApiClient) -> None:
    # UG-9 exists, but in Uganda's plan.
    response = reader_api.get("/plans/ken-nap-2/indicators/UG-9")
    assert response.status_code == 404
    assert response.json() == {"detail": "Plan ken-nap-2 has no indicator UG-9.", "errors": []}
    # PAR-1 exists in both plans: each plan's URL gives its own.
    assert reader_api.get("/plans/uga-nap-3/indicators/PAR-1").json()["title"] == "Uganda PAR-1"
    assert reader_api.get("/plans/ken-nap-2/indicators/PAR-1").json() == {
        **PAR1,
        "target_changes": [],
    }


def value(id_: int, **fields: Any) -> dict[str, Any]:
    base = {
        "id": id_,
        "cell": "total",
        "source": "gov",
        "value": None,
        "numerator": None,
        "denominator": None,
        "text": "",
        "comment": "",
    }
    return {**base, **fields}


def strip_times(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for item in items:
        assert item.pop("created_at")
        assert item.pop("updated_at")
    return items


def kenya_values(world: World) -> list[dict[str, Any]]:
    from wpsmonitor.indicators.models import DataValue

    ids = list(
        DataValue.objects.filter(indicator__plan=world.nap)
        .order_by("id")
        .values_list("id", flat=True)
    )
    par1 = {"indicator": "PAR-1"}
    return [
        value(ids[0], **par1, period="2024Q1", area="KEN", cell="sex=F", value=12.0),
        value(ids[1], **par1, period="2024Q1", area="KEN", cell="sex=M", value=8.0),
        value(ids[2], **par1, period="2024Q2", area="KEN", cell="sex=F", value=15.0),
        value(ids[3], **par1, period="2024Q2", area="KE-30", cell="sex=M", value=5.0),
        value(
            ids[4],
            **par1,
            period="2024Q1",
            area="KEN",
            cell="sex=F",
            source="wpf-shadow",
            value=9.0,
            comment="Shadow report",
        ),
        value(
            ids[5],
            indicator="PAR-2",
            period="2024",
            area="KEN",
            value=20.0,
            numerator=70.0,
            denominator=350.0,
        ),
    ]


def test_values_of_a_plan_are_the_stored_rows_only_of_that_plan(
    world: World, reader_api: ApiClient
) -> None:
    body = reader_api.get("/plans/ken-nap-2/values").json()
    assert body["next"] is None
    assert strip_times(body["items"]) == kenya_values(world)
    uganda = reader_api.get("/plans/uga-nap-3/values").json()["items"]
    assert [(v["indicator"], v["area"], v["value"]) for v in uganda] == [("UG-9", "UGA", 3.0)]


@pytest.mark.parametrize(
    ("params", "positions"),
    [
        ({"indicator": "PAR-2"}, [5]),
        ({"period": "2024Q1"}, [0, 1, 4]),
        ({"period": "2024"}, [0, 1, 2, 3, 4, 5]),  # a year holds its quarters
        ({"period": "2024S2"}, []),
        ({"area": "KE-30"}, [3]),
        ({"area": "KEN"}, [0, 1, 2, 3, 4, 5]),  # a country holds its provinces
        ({"source": "wpf-shadow"}, [4]),
        ({"source": "gov", "period": "2024Q2", "area": "KEN"}, [2, 3]),  # with Nairobi
        ({"updated_since": "2000-01-01T00:00:00Z"}, [0, 1, 2, 3, 4, 5]),
        ({"updated_since": "2999-01-01T00:00:00Z"}, []),
    ],
)
def test_value_filters(
    world: World, reader_api: ApiClient, params: dict[str, str], positions: list[int]
) -> None:
    expected = kenya_values(world)
    items = strip_times(reader_api.get("/plans/ken-nap-2/values", **params).json()["items"])
    assert items == [expected[i] for i in positions]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"indicator": "UG-9"}, "indicator", "plan ken-nap-2 has no such indicator"),
        ({"area": "ATLANTIS"}, "area", "unknown area code"),
        ({"source": "rumour"}, "source", "unknown source code"),
        (
            {"period": "2024Q5"},
            "period",
            "'2024Q5' is not a period code (use 2025, 2025S1, 2025Q3 or 2025-07)",
        ),
    ],
)
def test_value_filters_naming_unknown_things_answer_400(
    reader_api: ApiClient, params: dict[str, str], field: str, message: str
) -> None:
    response = reader_api.get("/plans/ken-nap-2/values", **params)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"row": None, "field": field, "message": message}]


def test_values_page_by_id_cursor_until_next_is_null(world: World, reader_api: ApiClient) -> None:
    expected = kenya_values(world)
    seen: list[dict[str, Any]] = []
    response = reader_api.get("/plans/ken-nap-2/values", limit=4)
    pages = 0
    while True:
        body = response.json()
        pages += 1
        seen.extend(body["items"])
        if body["next"] is None:
            break
        response = reader_api.client.get(body["next"], headers=reader_api.headers)
    assert pages == 2
    assert strip_times(seen) == expected
    # The cursor is an id: resuming after the fourth value gives the last two.
    after = expected[3]["id"]
    resumed = reader_api.get("/plans/ken-nap-2/values", after=after).json()["items"]
    assert [v["id"] for v in resumed] == [expected[4]["id"], expected[5]["id"]]


def test_values_page_size_is_capped(reader_api: ApiClient) -> None:
    response = reader_api.get("/plans/ken-nap-2/values", limit=10001)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "limit"


def test_schema_is_served_as_json_with_every_path(world: World) -> None:
    response = ApiClient().get("/schema")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "WPS Monitor API"
    expected_paths = {
        "/api/v1/plans": {"get"},
        "/api/v1/plans/{plan}": {"get"},
        "/api/v1/plans/{plan}/framework": {"get"},
        "/api/v1/plans/{plan}/indicators": {"get"},
        "/api/v1/plans/{plan}/indicators/{indicator}": {"get"},
        "/api/v1/plans/{plan}/values": {"get", "post"},
        "/api/v1/plans/{plan}/progress": {"get"},
        "/api/v1/plans/{plan}/indicators/{indicator}/aggregates": {"get"},
    }
    for path, methods in expected_paths.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path
    post = schema["paths"]["/api/v1/plans/{plan}/values"]["post"]
    assert post["security"] == [{"BearerTokenAuth": []}]
    row_schema = post["requestBody"]["content"]["application/json"]["schema"]["items"]
    assert set(row_schema["properties"]) == {
        "indicator",
        "period",
        "area",
        "cell",
        "source",
        "value",
        "numerator",
        "denominator",
        "text",
        "comment",
    }
    assert {"400", "401", "403", "404", "413"} <= set(post["responses"])
    assert "ErrorOut" in schema["components"]["schemas"]


def test_the_schema_has_each_key_once(db: None) -> None:
    """Swagger UI refuses a schema with a key twice ("duplicated mapping key"): an int and a
    str response code, both written "200", once broke the interactive docs."""

    def once(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [k for k, _v in pairs]
        assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
        return dict(pairs)

    response = Client().get("/api/v1/schema")
    assert response.status_code == 200
    json.loads(response.content, object_pairs_hook=once)
