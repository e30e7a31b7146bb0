"""The divergence view's default period and scale labels, and the same view in the API
(issue 12 §6)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from tests.portal.conftest import BuiltPlan, add_values, build_plan

from wpsmonitor.accounts.models import ApiToken, PlanRole, Role
from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.models import Direction, IndicatorKind, TimeRule
from wpsmonitor.indicators.services import indicator_create
from wpsmonitor.plans.models import FrameworkNode

User = get_user_model()


def _government_only_in_2025(built: BuiltPlan) -> None:
    """One government figure in 2025 and no civil-society one: 2025 is the latest year."""
    values_ingest(
        rows=[
            {
                "indicator": built.indicators[0].code,
                "period": "2025Q1",
                "area": built.provinces[0].code,
                "cell": "sex=F",
                "value": 4,
            }
        ],
        plan=built.plan.code,
    )
    rebuild_plan_aggregates(built.plan)


def _scale(built: BuiltPlan) -> None:
    node = FrameworkNode.objects.get(plan=built.plan, code="P1.O1")
    scale = indicator_create(
        plan=built.plan,
        node=node,
        code="IND-SCALE",
        title="Plan integrated in budgets",
        kind=IndicatorKind.SCALE,
        direction=Direction.INCREASE,
        time_rule=TimeRule.LAST,
        scale_labels=["None", "Initial", "Partial", "Full"],
    )
    rows = [
        {"indicator": scale.code, "period": "2024Q2", "area": built.provinces[0].code, "value": v}
        for v in (2,)
    ]
    rows.append({**rows[0], "value": 1, "source": "cso-shadow"})
    values_ingest(rows=rows, plan=built.plan.code)
    rebuild_plan_aggregates(built.plan)


def _api(client: Client, url: str, user: Any = None) -> Any:
    headers = {}
    if user is not None:
        _token, raw = ApiToken.issue(user=user, name="t")
        headers = {"Authorization": f"Bearer {raw}"}
    return client.get(url, headers=headers)


def test_the_view_opens_on_the_latest_year_both_accounts_reported(
    plan_with_values: BuiltPlan, detail_client: Client
) -> None:
    client = detail_client  # the figures compared are the detail's (docs/publishing.md)
    built = plan_with_values
    _government_only_in_2025(built)
    page = client.get(f"/plans/{built.plan.code}/divergence/").content.decode()
    assert '<option value="2024" selected>' in page
    assert "Largest differences first, 2024" in page
    # Asked for, 2025 is shown (and has nothing to compare).
    page = client.get(f"/plans/{built.plan.code}/divergence/?period=2025").content.decode()
    assert '<option value="2025" selected>' in page
    assert "No indicator has both a government and a civil-society figure" in page


def test_anonymous_readers_compare_the_published_release(plan_with_values: BuiltPlan) -> None:
    # Anonymous readers read the latest published release (docs/publishing.md, "Who reads
    # what"): the scale's figures came after it, so they are not compared for them.
    built = plan_with_values
    _scale(built)
    page = Client().get(f"/plans/{built.plan.code}/divergence/?period=2024").content.decode()
    assert "Published figures: release 1 of" in page
    assert "Largest differences first, 2024" in page and "IND-1-1-N" in page
    assert ">Partial</td>" not in page and "IND-SCALE" not in page
    download = Client().get(
        f"/plans/{built.plan.code}/divergence/?period=2024&download=csv&table=divergences"
    )
    assert download.status_code == 200
    rows = download.content.decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 2 and rows[1].startswith("IND-1-1-N,")  # the header, the release's pair


def test_scale_steps_show_their_labels(plan_with_values: BuiltPlan, detail_client: Client) -> None:
    client = detail_client
    built = plan_with_values
    _scale(built)
    page = client.get(f"/plans/{built.plan.code}/divergence/?period=2024").content.decode()
    row = page[page.index("IND-SCALE") :].split("</tr>")[0]
    assert ">Partial</td>" in row and ">Initial</td>" in row
    download = client.get(
        f"/plans/{built.plan.code}/divergence/?period=2024&download=csv&table=divergences"
    ).content.decode("utf-8-sig")
    assert "Partial,Initial" in download


def test_the_api_answers_the_view_with_the_same_default_period(
    plan_with_values: BuiltPlan, client: Client
) -> None:
    built = plan_with_values
    _government_only_in_2025(built)
    _scale(built)
    reader = User.objects.create_user("reader")
    # A member reads the detail (anyone else the published release: tests/publishing).
    PlanRole.objects.create(user=reader, plan=built.plan, role=Role.VIEWER)
    url = f"/api/v1/plans/{built.plan.code}/divergence"
    answer = _api(client, url, reader)
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["period"] == "2024" and data["count"] == 2
    first = data["items"][0]
    assert (first["indicator"], first["government"], first["civil_society"]) == (
        built.indicators[0].code,
        45,
        20,
    )
    assert first["gap_in"] == "share_of_larger" and first["government_label"] is None
    scale = next(i for i in data["items"] if i["indicator"] == "IND-SCALE")
    assert (scale["government_label"], scale["civil_society_label"]) == ("Partial", "Initial")
    assert scale["gap_in"] == "share_of_scale"
    # Pages: limit and offset, the count of all.
    paged = _api(client, url + "?limit=1&offset=1", reader).json()
    assert paged["count"] == 2 and [i["indicator"] for i in paged["items"]] == ["IND-SCALE"]
    # A period asked for: that one, even empty.
    assert _api(client, url + "?period=2025", reader).json()["items"] == []


def test_the_api_refuses_what_the_page_refuses(db: None, client: Client) -> None:
    built = build_plan(code="nap-draft", status="draft")
    add_values(built)
    url = "/api/v1/plans/nap-draft/divergence"
    assert client.get(url).status_code == 401
    stranger = User.objects.create_user("stranger")
    assert _api(client, url, stranger).status_code == 404  # a draft: hidden without a role
    member = User.objects.create_user("member")
    PlanRole.objects.create(user=member, plan=built.plan, role=Role.VIEWER)
    assert _api(client, url, member).status_code == 200
    assert _api(client, "/api/v1/plans/no-such-plan/divergence", member).status_code == 404
    for bad in ("1999", "banana", "2024Q9"):
        answer = _api(client, f"{url}?period={bad}", member)
        assert answer.status_code == 400, bad
        assert answer.json()["errors"][0]["field"] == "period"
    assert _api(client, f"{url}?limit=0", member).status_code in (400, 422)


def test_the_divergence_endpoint_is_in_the_schema(db: None, client: Client) -> None:
    schema = client.get("/api/v1/schema").json()
    operation = schema["paths"]["/api/v1/plans/{plan}/divergence"]["get"]
    assert operation["operationId"] == "divergence_list"
    assert {p["name"] for p in operation["parameters"]} >= {"plan", "period", "limit", "offset"}
