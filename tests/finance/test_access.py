"""Role x action for the finance pages and API.

Allowed, or: 404 when the plan is hidden from the role (a draft, for outsiders), 403 when they
may see it but not do this, a redirect to sign in (pages) or 401 (API) when anonymous.
Reading is public for a plan that is not a draft: budgets are accountability data.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.finance.conftest import Money, build_money
from tests.links import forbidden_links

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.finance.models import ActionCost
from wpsmonitor.plans.models import Plan, PlanStatus

ROLES = ["admin", "coordinator", "focal", "police_focal", "monitor", "viewer", "outsider",
         "anonymous"]  # fmt: skip
SIGNED_IN = set(ROLES) - {"anonymous"}
COORD = {"admin", "coordinator"}
MINISTRY = COORD | {"focal"}  # the Ministry of Gender's focal point, on its actions

# action -> roles for which it succeeds; "sees": 403 for these; anyone else: 302 / 401.
MATRIX: dict[str, dict[str, Any]] = {
    "finance page": {"ok": set(ROLES)},
    "costs page": {"ok": set(ROLES)},
    "download the workbook": {"ok": set(ROLES)},
    "add a cost to a ministry action": {"ok": MINISTRY, "sees": SIGNED_IN - MINISTRY},
    "add a line to the police action": {"ok": COORD | {"police_focal"},
                                        "sees": SIGNED_IN - COORD - {"police_focal"}},
    "edit a ministry line": {"ok": MINISTRY, "sees": SIGNED_IN - MINISTRY},
    "set a rate": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "import page": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "api summary": {"ok": SIGNED_IN},
    "api write costs": {"ok": MINISTRY, "sees": SIGNED_IN - MINISTRY},
    "api write rates": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "api delete a ministry cost": {"ok": MINISTRY, "sees": SIGNED_IN - MINISTRY},
}  # fmt: skip

COST = {"action": "P1.O1.1.A1", "year": "2025", "item": "Printing", "lump_sum": "10",
        "currency": "USD"}  # fmt: skip


def _outcomes(role: str, m: Money) -> dict[str, int]:
    client = Client()
    headers: dict[str, str] = {}
    if role != "anonymous":
        user = m.users[role]
        client.force_login(user)
        _token, raw = ApiToken.issue(user=user, name="matrix")
        headers = {"Authorization": f"Bearer {raw}"}
    code = m.plan.code
    base = f"/plans/{code}/finance"
    api = f"/api/v1/plans/{code}/finance"
    line = m.line("P1.O1.1.A1", 2024)
    cost = m.cost("P1.O1.1.A1", 2024)

    def api_send(method: str, url: str, body: Any) -> int:
        call = {"post": client.post, "put": client.put}[method]
        return call(api + url, body, content_type="application/json", headers=headers).status_code

    return {
        "finance page": client.get(base + "/").status_code,
        "costs page": client.get(base + "/costs/").status_code,
        "download the workbook": client.get(base + "/budget.xlsx").status_code,
        "add a cost to a ministry action": client.post(base + "/costs/", COST).status_code,
        "add a line to the police action": client.post(
            base + "/lines/",
            {"action": "P2.O1.1.A2", "year": "2025", "funding_kind": "un", "allocated": "5"},
        ).status_code,
        "edit a ministry line": client.post(
            f"{base}/lines/{line.pk}/",
            {"action": "P1.O1.1.A1", "year": "2024", "funding_kind": "donor", "allocated": "7"},
        ).status_code,
        "set a rate": client.post(
            base + "/rates/", {"currency": "GBP", "year": "2025", "rate": "1.3"}
        ).status_code,
        "import page": client.get(base + "/import/").status_code,
        "api summary": client.get(api, headers=headers).status_code,
        "api write costs": api_send("post", "/costs", [COST]),
        "api write rates": api_send(
            "put", "/rates", [{"currency": "GBP", "year": 2025, "rate": "1.3"}]
        ),  # fmt: skip
        "api delete a ministry cost": client.delete(
            f"{api}/costs/{cost.pk}", headers=headers
        ).status_code,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role: str) -> None:
    m = build_money()
    got = _outcomes(role, m)
    api_write = {"api write costs", "api write rates", "api delete a ministry cost"}
    for action, spec in MATRIX.items():
        if role in spec["ok"]:
            expected = {302, 200} if action in {
                "add a cost to a ministry action", "add a line to the police action",
                "edit a ministry line", "set a rate"} else {200}  # fmt: skip
        elif role in spec.get("sees", set()):
            expected = {403}
        elif role == "anonymous":
            expected = {401} if action.startswith("api") else {302}
        else:
            expected = {404}
        assert got[action] in expected, f"{role} / {action}: {got[action]}, expected {expected}"
    if role == "anonymous":
        # Anonymous writes are refused, and sent to sign in, not stored.
        assert not ActionCost.objects.filter(item="Printing").exists()
        assert got["finance page"] == 200
        assert all(got[a] == 401 for a in api_write)


@pytest.mark.django_db
def test_a_draft_plans_finance_is_hidden_from_outsiders() -> None:
    m = build_money()
    Plan.objects.filter(pk=m.plan.pk).update(status=PlanStatus.DRAFT)
    base = f"/plans/{m.plan.code}/finance"
    anonymous = Client()
    assert anonymous.get(base + "/").status_code == 404
    assert anonymous.get(base + "/budget.xlsx").status_code == 404
    outsider = Client()
    outsider.force_login(m.users["outsider"])
    assert outsider.get(base + "/").status_code == 404
    assert outsider.get(f"/api/v1/plans/{m.plan.code}/finance").status_code == 404
    viewer = Client()
    viewer.force_login(m.users["viewer"])
    assert viewer.get(base + "/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_a_link_that_answers_403(role: str) -> None:
    """A focal point saw "Change" on every cost line, and "Not allowed" behind most (issue 12
    §6): each role is shown only the links it may follow."""
    m = build_money()
    client = Client()
    if role != "anonymous":
        client.force_login(m.users[role])
    base = f"/plans/{m.plan.code}/finance"
    pages = [f"{base}/", f"{base}/costs/", f"{base}/lines/", f"{base}/rates/"]
    assert forbidden_links(client, pages) == {}


@pytest.mark.django_db
def test_a_focal_point_sees_change_on_its_own_organisations_lines_only() -> None:
    m = build_money()
    client = Client()
    client.force_login(m.users["police_focal"])
    page = client.get(f"/plans/{m.plan.code}/finance/lines/").content.decode()
    police = m.line("P2.O1.1.A2", 2026)
    ministry = m.line("P1.O1.1.A1", 2024)
    # The change link (every line links its civil-society page, ".../civil-society/", too).
    assert f'/finance/lines/{police.pk}/"' in page
    assert f'/finance/lines/{ministry.pk}/"' not in page
