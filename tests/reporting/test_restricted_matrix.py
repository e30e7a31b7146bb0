"""Role x indicator sensitivity x action: restricted indicators reach only their readers.

A restricted indicator (docs/publishing.md, "Restricted indicators") is seen by the plan's
coordinator, the administrator and the focal points of the organisation responsible for it or
assigned to report it; by no one else: not a viewer, a monitor, another focal point, an outsider
or an anonymous visitor. Public and sensitive indicators are listed for every reader (sensitive
figures go through disclosure control in the release, not through access). Every action that
reads an indicator asks `PlanAccess.can_view_indicator` or `hidden_indicators`: the indicator
page, the API's indicator and its lists, the values list, the divergence list and the workbook.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from openpyxl import load_workbook
from tests.reporting.conftest import Cycle, build_cycle
from tests.reporting.helpers import field, save

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.indicators.aggregation.rebuild import rebuild_plan_aggregates
from wpsmonitor.indicators.models import IndicatorKind, TimeRule
from wpsmonitor.indicators.services import indicator_create
from wpsmonitor.publishing.services import release_prepare, release_publish
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
CODES = {"public": "IND-PUB", "sensitive": "IND-SEN", "restricted": "IND-RES"}
# The restricted indicator is the police's (responsible and assigned): its readers.
READERS = {"admin", "coordinator", "police_focal"}
ACTIONS = (
    "page",
    "plan page",
    "api indicator",
    "api list",
    "api framework",
    "api values",
    "workbook",
)


def _world() -> Cycle:
    cycle = build_cycle()
    for sensitivity, code in CODES.items():
        indicator_create(
            plan=cycle.plan,
            node="P1.O1",
            code=code,
            title=f"Defenders threatened ({sensitivity})",
            kind=IndicatorKind.NUMBER,
            time_rule=TimeRule.SUM,
            responsible_organisation=cycle.police if sensitivity == "restricted" else None,
            sensitivity=sensitivity,
        )
        services.assignment_add(
            by=cycle.users["coordinator"],
            plan=cycle.plan,
            organisation=cycle.police,
            area=cycle.province,
            indicator=cycle.plan.indicators.get(code=code),
        )
    police = services.submission_start(
        by=cycle.users["police_focal"],
        round_=cycle.round,
        organisation=cycle.police,
        area=cycle.province,
    )
    figures = {field(cycle.plan.indicators.get(code=c), "total"): "3" for c in CODES.values()}
    assert save(cycle.users["police_focal"], police, figures).ok
    assert services.submission_submit(by=cycle.users["police_focal"], submission=police).ok
    services.submission_approve(by=cycle.users["coordinator"], submission=police)
    # Those who are not the plan's members read its release (docs/publishing.md): publish one.
    rebuild_plan_aggregates(cycle.plan)
    release = release_prepare(by=cycle.users["coordinator"], plan=cycle.plan)
    release_publish(by=cycle.users["coordinator"], release=release, confirm=True)
    return cycle


def _seen(role: str, cycle: Cycle) -> dict[str, set[str]]:
    """Per action, the codes among CODES that the role reached."""
    client = Client()
    headers: dict[str, str] = {}
    if role != "anonymous":
        client.force_login(cycle.users[role])
        _token, raw = ApiToken.issue(user=cycle.users[role], name="matrix")
        headers = {"Authorization": f"Bearer {raw}"}
    plan = cycle.plan.code
    api = f"/api/v1/plans/{plan}"
    ours = set(CODES.values())

    def listed(url: str, key: str = "code") -> set[str]:
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            return set()
        body = response.json()
        items: list[dict[str, Any]] = body["items"] if isinstance(body, dict) else body
        return {str(item.get(key)) for item in items} & ours

    seen: dict[str, set[str]] = {}
    seen["page"] = {
        c for c in ours if client.get(f"/plans/{plan}/indicators/{c}/").status_code == 200
    }
    overview = client.get(f"/plans/{plan}/").content.decode()
    seen["plan page"] = {c for c in ours if f">{c}<" in overview or f"{c} " in overview}
    seen["api indicator"] = {
        c for c in ours if client.get(f"{api}/indicators/{c}", headers=headers).status_code == 200
    }
    seen["api list"] = listed(f"{api}/indicators?limit=500")
    framework = client.get(f"/api/v1/plans/{plan}/framework", headers=headers)
    text = framework.content.decode() if framework.status_code == 200 else ""
    seen["api framework"] = {c for c in ours if f'"{c}"' in text}
    seen["api values"] = listed(f"{api}/values?limit=500", key="indicator")
    book = load_workbook(io.BytesIO(b"".join(client.get(f"/plans/{plan}/workbook.xlsx"))))
    in_book = {row[0] for row in book["Indicators"].iter_rows(values_only=True)}
    # The plan's members get the stored values; everyone else the release's figures, where the
    # sensitive count of 3 is there with its flag (and no value) and the restricted one absent.
    if "Values" in book.sheetnames:
        values = {row[1] for row in book["Values"].iter_rows(values_only=True)}
    else:
        values = {row[0] for row in book["Figures"].iter_rows(values_only=True)}
    seen["workbook"] = ours & in_book
    seen["workbook values"] = ours & values
    return seen


@pytest.mark.parametrize("role", ROLES)
def test_restricted_indicators_reach_their_readers_alone(db: None, role: str) -> None:
    cycle = _world()
    seen = _seen(role, cycle)
    expected = set(CODES.values()) if role in READERS else {CODES["public"], CODES["sensitive"]}
    for action in ACTIONS:
        if role == "anonymous" and action.startswith("api"):
            assert seen[action] == set(), action  # the API asks to sign in (401)
            continue
        if role == "outsider" and action == "api values":
            assert seen[action] == set(), action  # stored values are the members' (403)
            continue
        assert seen[action] == expected, (role, action)
    # The workbook's figures follow its indicators (every indicator has an approved value).
    assert seen["workbook values"] == expected, role


def test_the_rule_in_access_and_in_the_list_filter_agree(db: None) -> None:
    """can_view_indicator and hidden_indicators say the same, for each role and indicator,
    and a share computed from a restricted indicator follows its base."""
    cycle = _world()
    base = cycle.plan.indicators.get(code=CODES["restricted"])
    share = cycle.plan.indicators.get(code=CODES["public"])
    share.share_of = base
    share.save(update_fields=["share_of"])
    for role in ROLES:
        user = cycle.users.get(role) or AnonymousUser()
        access = PlanAccess.load(user, cycle.plan)
        listed = set(
            cycle.plan.indicators.exclude(access.hidden_indicators()).values_list("code", flat=True)
        )
        for indicator in cycle.plan.indicators.all():
            assert access.can_view_indicator(indicator) == (indicator.code in listed), (
                role,
                indicator.code,
            )
        readable = role in READERS
        assert (CODES["restricted"] in listed) == readable, role
        assert (CODES["public"] in listed) == readable, role  # now a share of it
        assert CODES["sensitive"] in listed
        assert base.sensitivity == Sensitivity.RESTRICTED
