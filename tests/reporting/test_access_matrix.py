"""Role x object x action, for pages and API alike.

Every role tries every action on government and civil-society submissions and on the plan's
reporting pages. The answer must be the allowed one, or: 404 when the object is hidden from
that role (a guessed URL tells nothing), 403 when they may see it but not do this, a redirect
to sign in (pages) or 401 (API) when anonymous.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from tests.reporting.conftest import Cycle, build_cycle
from tests.reporting.helpers import field, save

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.reporting import services

ROLES = [
    "admin",
    "coordinator",
    "focal",
    "focal_other_area",
    "police_focal",
    "monitor",
    "other_monitor",
    "viewer",
    "outsider",
    "anonymous",
]

# action -> the roles for which it succeeds; every other role gets the "hidden" answer unless
# it is listed under "sees" (then: refused, 403).
PAGE = "page"
API = "api"
MATRIX: dict[str, dict[str, Any]] = {
    # Government draft of the Ministry in Province 1 (the focal point's).
    "view gov draft": {"ok": {"admin", "coordinator", "focal"}},
    "save gov draft": {"ok": {"focal"}, "sees": {"admin", "coordinator"}},
    "api view gov draft": {"ok": {"admin", "coordinator", "focal"}},
    "api save gov draft": {"ok": {"focal"}, "sees": {"admin", "coordinator"}},
    # Government submission of the Police in Province 1, submitted.
    "approve police submission": {"ok": {"admin", "coordinator"}, "sees": {"police_focal"}},
    # Government submission of the Ministry in Province 2, submitted.
    "api approve ministry p2": {"ok": {"admin", "coordinator"}, "sees": {"focal_other_area"}},
    # Civil society's draft: its own organisation only, administrator included out.
    "view cs draft": {"ok": {"monitor"}},
    "save cs draft": {"ok": {"monitor"}},
    "download cs evidence": {"ok": {"monitor"}},
    "api view cs draft": {"ok": {"monitor"}},
    "api approve cs draft": {"ok": set(), "sees": {"monitor"}},
    # The plan's reporting pages.
    "plan reporting page": {
        "ok": {
            "admin",
            "coordinator",
            "focal",
            "focal_other_area",
            "police_focal",
            "monitor",
            "other_monitor",
            "viewer",
        }
    },
    "assignments page": {
        "ok": {"admin", "coordinator"},
        # The plan is public: everyone signed in sees it exists, and is refused.
        "sees": set(ROLES) - {"admin", "coordinator", "anonymous"},
    },
    "open a round": {
        "ok": {"admin", "coordinator"},
        "sees": set(ROLES) - {"admin", "coordinator", "anonymous"},
    },
}


def _world() -> tuple[Cycle, dict[str, Any]]:
    cycle = build_cycle()
    u = cycle.users
    gov_draft = services.submission_start(
        by=u["focal"], round_=cycle.round, organisation=cycle.built.ministry, area=cycle.province
    )
    assert save(u["focal"], gov_draft, {field(cycle.grid, "sex=F;age=18-29"): "5"}).ok

    police = services.submission_start(
        by=u["police_focal"], round_=cycle.round, organisation=cycle.police, area=cycle.province
    )
    services.assignment_add(
        by=u["coordinator"],
        plan=cycle.plan,
        organisation=cycle.police,
        area=cycle.province,
        indicator=cycle.yes_no,
    )
    assert save(u["police_focal"], police, {field(cycle.yes_no, "total"): "1"}).ok
    assert services.submission_submit(by=u["police_focal"], submission=police).ok

    p2 = services.submission_start(
        by=u["focal_other_area"],
        round_=cycle.round,
        organisation=cycle.built.ministry,
        area=cycle.other_province,
    )
    assert save(u["focal_other_area"], p2, {field(cycle.grid, "sex=M;age=0-17"): "2"}).ok
    assert services.submission_submit(by=u["focal_other_area"], submission=p2).ok

    cs = services.submission_start(
        by=u["monitor"],
        round_=cycle.round,
        organisation=cycle.built.cso,
        area=cycle.plan.area,
        civil_society=True,
    )
    assert save(u["monitor"], cs, {field(cycle.grid, "sex=F;age=18-29"): "1"}).ok
    evidence = services.evidence_attach(
        by=u["monitor"],
        submission=cs,
        upload=SimpleUploadedFile("testimony.pdf", b"%PDF-1.4 testimony", "application/pdf"),
    )
    return cycle, {"gov_draft": gov_draft, "police": police, "p2": p2, "cs": cs, "ev": evidence}


def _outcomes(role: str, cycle: Cycle, o: dict[str, Any]) -> dict[str, int]:
    client = Client()
    headers: dict[str, str] = {}
    if role != "anonymous":
        user = cycle.users[role]
        client.force_login(user)
        _token, raw = ApiToken.issue(user=user, name="matrix")
        headers = {"Authorization": f"Bearer {raw}"}
    api = "/api/v1"
    plan = cycle.plan.code
    cell = field(cycle.grid, "sex=F;age=18-29")

    def page_get(url: str) -> int:
        return client.get(url).status_code

    def page_post(url: str, data: dict[str, str]) -> int:
        return client.post(url, data).status_code

    def api_get(url: str) -> int:
        return client.get(api + url, headers=headers).status_code

    def api_send(method: str, url: str, body: dict[str, Any]) -> int:
        call = client.put if method == "put" else client.post
        return call(api + url, body, content_type="application/json", headers=headers).status_code

    figure = {"figures": [{"indicator": "IND-GRID", "cell": "sex=F;age=18-29", "value": 7}]}
    return {
        "view gov draft": page_get(f"/submissions/{o['gov_draft'].pk}/"),
        "save gov draft": page_post(
            f"/submissions/{o['gov_draft'].pk}/edit/", {cell: "6", "do": "save"}
        ),
        "api view gov draft": api_get(f"/submissions/{o['gov_draft'].pk}"),
        "api save gov draft": api_send("put", f"/submissions/{o['gov_draft'].pk}/figures", figure),
        "approve police submission": page_post(
            f"/submissions/{o['police'].pk}/decide/", {"do": "approve"}
        ),
        "api approve ministry p2": api_send("post", f"/submissions/{o['p2'].pk}/approve", {}),
        "view cs draft": page_get(f"/submissions/{o['cs'].pk}/"),
        "save cs draft": page_post(f"/submissions/{o['cs'].pk}/edit/", {cell: "2", "do": "save"}),
        "download cs evidence": page_get(f"/evidence/{o['ev'].pk}/"),
        "api view cs draft": api_get(f"/submissions/{o['cs'].pk}"),
        "api approve cs draft": api_send("post", f"/submissions/{o['cs'].pk}/approve", {}),
        "plan reporting page": page_get(f"/plans/{plan}/reporting/"),
        "assignments page": page_get(f"/plans/{plan}/reporting/assignments/"),
        "open a round": page_post(
            f"/plans/{plan}/reporting/rounds/",
            {"do": "open", "period": "2025Q2", "deadline": timezone.localdate().isoformat()},
        ),
    }


def _expected(role: str) -> dict[str, int]:
    expected = {}
    for action, rule in MATRIX.items():
        is_api = action.startswith("api ")
        success = (
            200 if is_api or action.startswith(("view", "plan", "assign", "download")) else 302
        )
        if role == "anonymous":
            expected[action] = 401 if is_api else 302
        elif role in rule["ok"]:
            expected[action] = success
        elif role in rule.get("sees", set()):
            expected[action] = 403
        else:
            expected[action] = 404
    return expected


@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_exactly_its_rights(db: None, role: str) -> None:
    cycle, objects = _world()
    assert _outcomes(role, cycle, objects) == _expected(role)


def test_refusals_change_nothing(db: None) -> None:
    """Everyone but the authors tried to save both drafts above: the figures are as they were."""
    cycle, o = _world()
    for role in ("admin", "coordinator", "focal_other_area", "other_monitor", "viewer", "outsider"):
        _outcomes(role, cycle, o)
    o["cs"].refresh_from_db()
    assert o["cs"].status == "draft"
    assert [v.value for v in o["cs"].values.all()] == [1.0]
    assert [v.value for v in o["gov_draft"].values.all()] == [5.0]
    assert o["gov_draft"].events.filter(kind="saved").count() == 1


def test_an_anonymous_page_visit_is_sent_to_sign_in(db: None) -> None:
    cycle, o = _world()
    response = Client().get(f"/submissions/{o['gov_draft'].pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
