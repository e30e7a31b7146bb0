"""The reporting cycle through /api/v1/: the same services and rules as the pages."""

from __future__ import annotations

from typing import Any

from django.test import Client
from tests.reporting.conftest import Cycle

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.indicators.models import DataValue


class Api:
    def __init__(self, cycle: Cycle, name: str) -> None:
        _token, raw = ApiToken.issue(user=cycle.users[name], name="test")
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {raw}"}

    def get(self, url: str) -> Any:
        return self.client.get("/api/v1" + url, headers=self.headers)

    def send(self, method: str, url: str, body: Any) -> Any:
        call = getattr(self.client, method)
        return call("/api/v1" + url, body, content_type="application/json", headers=self.headers)


def test_a_focal_point_enters_submits_and_the_coordinator_approves(cycle: Cycle) -> None:
    focal, coordinator = Api(cycle, "focal"), Api(cycle, "coordinator")
    plan = cycle.plan.code
    started = focal.send(
        "post",
        f"/plans/{plan}/rounds/2025Q1/submissions",
        {"organisation": cycle.built.ministry.code, "area": cycle.province.code},
    )
    assert started.status_code == 200, started.json()
    pk = started.json()["id"]
    assert started.json()["status"] == "draft"

    # All or nothing: one bad figure and nothing is saved.
    refused = focal.send(
        "put",
        f"/submissions/{pk}/figures",
        {
            "figures": [
                {"indicator": "IND-GRID", "cell": "age=18-29;sex=F", "value": 12},
                {"indicator": "IND-GRID", "cell": "sex=M;age=18-29", "value": "douze"},
                {"indicator": "IND-GRID", "cell": "sex=X", "value": 1},
            ]
        },
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0] == {
        "row": 2,
        "field": "cell",
        "message": "missing dimension(s) age",
    }
    refused = focal.send(
        "put",
        f"/submissions/{pk}/figures",
        {"figures": [{"indicator": "IND-GRID", "cell": "sex=M;age=18-29", "value": "douze"}]},
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {
            "row": None,
            "field": "IND-GRID [sex=M;age=18-29]:value",
            "message": "'douze' is not a number",
        }
    ]
    assert focal.get(f"/submissions/{pk}").json()["figures"] == []

    saved = focal.send(
        "put",
        f"/submissions/{pk}/figures",
        {
            "figures": [
                {"indicator": "IND-GRID", "cell": "age=18-29;sex=F", "value": 12},
                {"indicator": "IND-YN", "value": "yes"},
            ],
            "actions": [{"action": "P1.O1.1.A1", "status": "ongoing", "percent_complete": 30}],
        },
    )
    assert saved.status_code == 200, saved.json()
    figures = {(f["indicator"], f["cell"]): f["value"] for f in saved.json()["figures"]}
    assert figures == {("IND-GRID", "sex=F;age=18-29"): "12", ("IND-YN", "total"): "1"}

    assert coordinator.send("post", f"/submissions/{pk}/approve", {}).status_code == 400
    unknown = coordinator.send("post", f"/submissions/{pk}/explode", {})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "transition"
    assert focal.send("post", f"/submissions/{pk}/submit", {"note": "Q1"}).json()["status"] == (
        "submitted"
    )
    assert focal.send("post", f"/submissions/{pk}/approve", {}).status_code == 403
    returned = coordinator.send("post", f"/submissions/{pk}/return", {"note": ""})
    assert returned.status_code == 400
    approved = coordinator.send("post", f"/submissions/{pk}/approve", {"note": "Thanks"})
    assert approved.status_code == 200
    assert [e["kind"] for e in approved.json()["events"]][-2:] == ["submitted", "approved"]
    assert DataValue.objects.get(indicator=cycle.grid).value == 12

    listed = coordinator.get(f"/plans/{plan}/submissions").json()
    assert [s["id"] for s in listed] == [pk]
    assert Api(cycle, "police_focal").get(f"/plans/{plan}/submissions").json() == []
    rounds = focal.get(f"/plans/{plan}/rounds").json()
    assert [r["period"] for r in rounds] == ["2025Q1"]


def test_the_schema_lists_the_reporting_endpoints(cycle: Cycle) -> None:
    schema = Client().get("/api/v1/schema").json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/submissions/{pk}",
        "/api/v1/submissions/{pk}/figures",
        "/api/v1/submissions/{pk}/{transition}",
        "/api/v1/plans/{plan}/rounds/{period}/submissions",
    } <= paths
