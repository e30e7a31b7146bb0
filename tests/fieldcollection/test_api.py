"""GET /api/v1/plans/{plan}/rounds/{period}/xlsform: the assignment's XLSForm for a script that
feeds the secretariat's own server, with the page's rights."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.reporting.conftest import Cycle

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.fieldcollection.xlsform import form_spec, to_xform

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get(cycle: Cycle, user: str | None, query: str, period: str = "2025Q1"):  # type: ignore[no-untyped-def]
    headers = {}
    if user:
        _token, raw = ApiToken.issue(user=cycle.users[user], name="test")
        headers = {"Authorization": f"Bearer {raw}"}
    url = f"/api/v1/plans/{cycle.plan.code}/rounds/{period}/xlsform?{query}"
    return Client().get(url, headers=headers)


def _query(cycle: Cycle, extra: str = "") -> str:
    return f"organisation={cycle.built.ministry.code}&area={cycle.province.code}{extra}"


def test_the_focal_point_reads_the_form_in_the_language_asked(cycle: Cycle) -> None:
    answer = _get(cycle, "focal", _query(cycle, "&language=ar"))
    assert answer.status_code == 200 and answer["Content-Type"] == XLSX
    spec = form_spec(cycle.round, cycle.built.ministry, cycle.province, "ar")
    assert answer["Content-Disposition"] == f'attachment; filename="{spec.filename()}"'
    xform = to_xform(answer.content)
    assert '<translation lang="Arabic (ar)" default="true()">' in xform
    assert spec.version in xform
    # The organisation's only area in the plan need not be named.
    other = cycle.built.provinces[1]
    assert _get(cycle, "coordinator", _query(cycle).split("&")[0]).status_code == 400
    alone = _get(
        cycle, "focal_other_area", f"organisation={cycle.built.ministry.code}&area={other.code}"
    )
    assert alone.status_code == 200


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("coordinator", 200),
        ("focal", 200),
        ("police_focal", 404),
        ("focal_other_area", 404),
        ("viewer", 403),
        ("monitor", 403),
        (None, 401),
    ],
)
def test_who_reads_the_form(cycle: Cycle, user: str | None, status: int) -> None:
    answer = _get(cycle, user, _query(cycle))
    assert answer.status_code == status
    if status != 200:
        assert answer["Content-Type"].startswith("application/json") and answer.json()["detail"]


def test_bad_codes_and_languages_are_named(cycle: Cycle) -> None:
    ministry, province = cycle.built.ministry.code, cycle.province.code
    cases = [
        ("organisation=nobody", "2025Q1", 404, "No organisation with code nobody."),
        (_query(cycle), "2031Q4", 404, f"The plan {cycle.plan.code} has no round 2031Q4."),
        (f"organisation={ministry}&area=XX-99", "2025Q1", 404, "No area with code XX-99."),
        (_query(cycle, "&language=de"), "2025Q1", 400, "'de' is not a language of the platform."),
    ]
    for query, period, status, detail in cases:
        answer = _get(cycle, "coordinator", query, period)
        assert (answer.status_code, answer.json()["detail"]) == (status, detail), query
    several = _get(cycle, "coordinator", f"organisation={ministry}")
    assert several.status_code == 400 and several.json()["errors"][0]["field"] == "area"
    assert province in several.json()["detail"]
    missing = _get(cycle, "coordinator", f"area={province}")
    assert missing.status_code == 400
