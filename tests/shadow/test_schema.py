"""Every shadow-monitoring endpoint is in the OpenAPI schema, with its response schemas."""

from __future__ import annotations

from django.test import Client

ENDPOINTS = {
    "/api/v1/plans/{plan}/civil-society-indicators": {"get", "post"},
    "/api/v1/plans/{plan}/civil-society-indicators/{indicator}": {"patch", "delete"},
    "/api/v1/plans/{plan}/civil-society-indicators/{indicator}/publish": {"post"},
    "/api/v1/plans/{plan}/action-accounts": {"get"},
    "/api/v1/plans/{plan}/actions/{action}/accounts": {"get"},
}


def test_every_endpoint_is_in_the_schema_with_its_answers(client: Client, db: None) -> None:
    paths = client.get("/api/v1/schema").json()["paths"]
    for path, methods in ENDPOINTS.items():
        assert set(paths[path]) >= methods, path
        for method in methods:
            responses = paths[path][method]["responses"]
            assert {"200", "204"} & set(responses), (path, method)
            assert {"401", "404"} <= set(responses), (path, method)
    actions = paths["/api/v1/plans/{plan}/action-accounts"]["get"]["responses"]["200"]
    assert actions["content"]["application/json"]["schema"]["type"] == "array"
