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
from tests.reporting.conftest import PASSWORD, Cycle, build_cycle, make_user
from tests.reporting.helpers import field, save

from wpsmonitor.accounts.models import ApiToken, Role
from wpsmonitor.accounts.models import PlanRole as PlanRoleModel
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
    # Separation of duties (issue 12): a civil-society organisation's roles are given and taken
    # only from inside it (the monitor is also its organisation's administrator); government
    # roles by the coordinator. Everyone signed in sees the plan, and is refused.
    "people page": {
        "ok": {"admin", "coordinator", "monitor"},
        "sees": set(ROLES) - {"admin", "coordinator", "monitor", "anonymous"},
    },
    "grant government role": {
        "ok": {"admin", "coordinator"},
        "sees": set(ROLES) - {"admin", "coordinator", "anonymous"},
    },
    "grant cs monitor role": {"ok": {"monitor"}, "sees": set(ROLES) - {"monitor", "anonymous"}},
    "revoke cs monitor role": {"ok": {"monitor"}, "sees": set(ROLES) - {"monitor", "anonymous"}},
    "revoke government role": {
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
    # A second member of the monitor's organisation, and a second viewer, to be removed.
    volunteer = make_user("cso-volunteer")
    cs_member = services.role_grant(
        by=u["monitor"],
        plan=cycle.plan,
        user=volunteer,
        role=Role.MONITOR,
        organisation=cycle.built.cso,
    )
    gov_member = services.role_grant(
        by=u["coordinator"], plan=cycle.plan, user=make_user("reader"), role=Role.VIEWER
    )
    return cycle, {
        "gov_draft": gov_draft,
        "police": police,
        "p2": p2,
        "cs": cs,
        "ev": evidence,
        "cs_member": cs_member,
        "gov_member": gov_member,
    }


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
    people = f"/plans/{plan}/reporting/people/"

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
            f"/submissions/{o['police'].pk}/decide/", {"do": "approve", "confirm": "yes"}
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
        "people page": page_get(people),
        "grant government role": page_post(
            people, {"username": "outsider", "role": "viewer", "reason": "Reads the plan."}
        ),
        "grant cs monitor role": page_post(
            people,
            {"username": "outsider", "role": "monitor", "organisation": cycle.built.cso.code},
        ),
        "revoke cs monitor role": page_post(
            people, {"do": "remove", "role": str(o["cs_member"].pk), "reason": "Left."}
        ),
        "revoke government role": page_post(
            people, {"do": "remove", "role": str(o["gov_member"].pk), "reason": "Left."}
        ),
    }


def _expected(role: str) -> dict[str, int]:
    expected = {}
    for action, rule in MATRIX.items():
        is_api = action.startswith("api ")
        success = (
            200
            if is_api or action.startswith(("view", "plan", "assign", "download", "people"))
            else 302
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


# Civil society's own indicators and action assessments (issue 4: "no government role can edit
# or delete them, and until they publish them, nobody outside their organisation sees them").

OWN_ROLES = [r for r in ROLES if r != "anonymous"]


def _own_world() -> tuple[Cycle, dict[str, Any]]:
    from wpsmonitor.indicators.models import IndicatorKind
    from wpsmonitor.plans.models import FrameworkNode

    cycle, objects = _world()
    monitor = cycle.users["monitor"]
    node = FrameworkNode.objects.get(plan=cycle.plan, code="P1.O1")
    for code, publish in (("CSO-PUB", True), ("CSO-DRAFT", False)):
        indicator = services.own_indicator_create(
            by=monitor,
            plan=cycle.plan,
            organisation=cycle.built.cso,
            node=node,
            code=code,
            title=f"Own {code}",
            kind=IndicatorKind.NUMBER,
            frequency="quarter",
        )
        if publish:
            services.own_indicator_publish(by=monitor, indicator=indicator)
    assert services.submission_save(
        by=monitor,
        submission=objects["cs"],
        rows=[],
        actions={cycle.action.pk: {"assessment": "not_implemented", "narrative": "None."}},
    ).ok
    return cycle, objects


def _own_outcomes(role: str, cycle: Cycle, o: dict[str, Any]) -> dict[str, Any]:
    import io

    from openpyxl import load_workbook

    client = Client()
    headers: dict[str, str] = {}
    if role != "anonymous":
        client.force_login(cycle.users[role])
        _token, raw = ApiToken.issue(user=cycle.users[role], name="own")
        headers = {"Authorization": f"Bearer {raw}"}
    plan = cycle.plan.code
    api = f"/api/v1/plans/{plan}"
    own = f"/plans/{plan}/civil-society-indicators"

    def send(method: str, url: str, body: dict[str, Any] | None = None) -> int:
        call = getattr(client, method)
        return call(url, body or {}, content_type="application/json", headers=headers).status_code

    workbook = load_workbook(io.BytesIO(b"".join(client.get(f"/plans/{plan}/workbook.xlsx"))))
    codes = {row[0] for row in workbook["Indicators"].iter_rows(values_only=True)}
    assert "IND-GRID" in codes  # the plan's own are there
    score = {"actions": [{"action": cycle.action.code, "assessment": "implemented"}]}
    return {
        "page draft indicator": client.get(f"/plans/{plan}/indicators/CSO-DRAFT/").status_code,
        "api draft indicator": client.get(
            f"{api}/indicators/CSO-DRAFT", headers=headers
        ).status_code,
        "workbook lists own indicators": bool(codes & {"CSO-PUB", "CSO-DRAFT"}),
        "api change the score": send("put", f"/api/v1/submissions/{o['cs'].pk}/figures", score),
        "edit published indicator page": client.post(
            f"{own}/CSO-PUB/edit/", {"do": "save", "title": "Changed", "node": "P1.O1"}
        ).status_code,
        "api edit published indicator": send(
            "patch", f"{api}/civil-society-indicators/CSO-PUB", {"title": "x"}
        ),
        "api delete published indicator": send("delete", f"{api}/civil-society-indicators/CSO-PUB"),
        "delete draft indicator page": client.post(
            f"{own}/CSO-DRAFT/edit/", {"do": "delete", "confirm": "yes"}
        ).status_code,
    }


def _own_expected(role: str) -> dict[str, Any]:
    if role == "monitor":
        return {
            "page draft indicator": 200,
            "api draft indicator": 200,
            "workbook lists own indicators": False,
            "api change the score": 200,
            "edit published indicator page": 302,
            "api edit published indicator": 200,
            "api delete published indicator": 400,  # published: it stays, with a clear error
            "delete draft indicator page": 302,
        }
    if role == "anonymous":
        return {
            "page draft indicator": 404,
            "api draft indicator": 401,
            "workbook lists own indicators": False,
            "api change the score": 401,
            "edit published indicator page": 302,  # to sign in
            "api edit published indicator": 401,
            "api delete published indicator": 401,
            "delete draft indicator page": 302,
        }
    return {
        "page draft indicator": 404,
        "api draft indicator": 404,
        "workbook lists own indicators": False,
        "api change the score": 404,  # the submission is hidden from them
        "edit published indicator page": 403,  # published: they see it, it is not theirs
        "api edit published indicator": 403,
        "api delete published indicator": 403,
        "delete draft indicator page": 404,  # a draft: not even its existence
    }


@pytest.mark.parametrize("role", ROLES)
def test_civil_society_indicators_and_scores_are_theirs_alone(db: None, role: str) -> None:
    from wpsmonitor.indicators.models import Indicator
    from wpsmonitor.reporting.models import ActionReport

    cycle, objects = _own_world()
    assert _own_outcomes(role, cycle, objects) == _own_expected(role)
    report = ActionReport.objects.get(submission=objects["cs"], action=cycle.action)
    published = Indicator.objects.get(code="CSO-PUB")
    if role != "monitor":
        # Nothing changed: the score, the published indicator, the draft.
        assert report.assessment == "not_implemented"
        assert published.title == "Own CSO-PUB"
        assert Indicator.objects.filter(code="CSO-DRAFT").exists()
    else:
        assert report.assessment == "implemented" and published.title == "x"
        assert not Indicator.objects.filter(code="CSO-DRAFT").exists()


# The Django admin is for structure, not anyone's drafts (issue 12): the administrator reaches
# no submission (its history holds draft comments), no civil-society indicator, and deletes
# nothing with history there (no audit row, files left on disk, names lost).


def test_the_admin_pages_reach_no_draft_and_delete_nothing_with_history(db: None) -> None:
    from wpsmonitor.indicators.models import DataValue, Indicator

    cycle, o = _own_world()
    client = Client()
    client.force_login(cycle.users["admin"])
    draft = Indicator.objects.get(code="CSO-DRAFT")
    services.submission_approve(by=cycle.users["coordinator"], submission=o["police"])
    value = DataValue.objects.first()
    assert value is not None
    monitor_role = cycle.users["monitor"].plan_roles.first()
    assert client.get("/admin/").status_code == 200  # the admin itself still works
    answers = {
        "submissions": client.get("/admin/reporting/submission/").status_code,
        "cs draft": client.get(f"/admin/reporting/submission/{o['cs'].pk}/change/").status_code,
        "cs indicator": client.get(f"/admin/indicators/indicator/{draft.pk}/change/").status_code,
        "delete value": client.get(f"/admin/indicators/datavalue/{value.pk}/delete/").status_code,
        "delete plan": client.get(f"/admin/plans/plan/{cycle.plan.pk}/delete/").status_code,
        "delete round": client.get(
            f"/admin/reporting/reportinground/{cycle.round.pk}/delete/"
        ).status_code,
        "delete user": client.get(
            f"/admin/auth/user/{cycle.users['monitor'].pk}/delete/"
        ).status_code,
        "add a role": client.get("/admin/accounts/planrole/add/").status_code,
        "change a role": client.post(
            f"/admin/accounts/planrole/{monitor_role.pk}/change/",
            {"user": cycle.users["coordinator"].pk, "plan": cycle.plan.pk, "role": "monitor"},
        ).status_code,
    }
    assert answers == {
        "submissions": 404,  # not in the admin at all
        "cs draft": 404,
        "cs indicator": 302,  # "does not exist" (Django's answer): civil society's own are hidden
        "delete value": 403,
        "delete plan": 403,
        "delete round": 403,
        "delete user": 403,
        "add a role": 403,
        "change a role": 403,
    }
    listing = client.get("/admin/indicators/indicator/").content.decode()
    assert "CSO-DRAFT" not in listing and "CSO-PUB" not in listing and "IND-GRID" in listing
    assert monitor_role.user == cycle.users["monitor"]
    assert PlanRoleModel.objects.filter(pk=monitor_role.pk, role="monitor").exists()


@pytest.mark.usefixtures("two_factor_flow")
def test_a_password_alone_opens_nothing_unpublished_to_any_role(db: None) -> None:
    """Two-factor sign-in (docs/security.md): every role of the matrix signed in with its password
    only is sent to the second step from every page of the matrix; the outsider, who reads only
    what is public, needs no second factor and still gets the hidden answer."""
    cycle, o = _world()
    plan = cycle.plan.code
    urls = [
        f"/submissions/{o['cs'].pk}/",
        f"/submissions/{o['gov_draft'].pk}/",
        f"/evidence/{o['ev'].pk}/",
        f"/plans/{plan}/reporting/people/",
        f"/api/v1/submissions/{o['cs'].pk}",
    ]
    for role in OWN_ROLES:
        client = Client()
        signed_in = client.post("/accounts/login/", {"username": role, "password": PASSWORD})
        assert signed_in.status_code == 302, role
        for url in urls:
            response = client.get(url)
            if role == "outsider":
                assert response.status_code in (403, 404), (role, url)
            else:
                assert response.status_code == 302, (role, url)
                assert response["Location"].startswith("/accounts/two-factor/set-up/"), (role, url)
