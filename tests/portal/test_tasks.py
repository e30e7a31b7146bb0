"""The signed-in home (/me/): every user lands on what they can and should do now, and the
administrator creates plans from the site (issue 12 §6)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from tests.boards.conftest import Built, build_board
from tests.reporting.conftest import PASSWORD, make_user

from wpsmonitor.accountability.services import recommendation_create
from wpsmonitor.boards import services as boards
from wpsmonitor.plans.models import Plan, PlanStatus

HOME = reverse("portal:tasks")


@pytest.fixture
def built(db: None) -> Built:
    return build_board()


def _home(client: Client, user) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_signing_in_lands_on_what_to_do_now(built: Built, client: Client) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "gov_member", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_a_board_member_without_a_role_sees_the_report_to_sign(
    built: Built, client: Client
) -> None:
    page = _home(client, built.users["gov_member"])
    assert "Reports waiting for your signature" in page
    assert reverse("boards:report", args=[built.plan.code, built.awaiting.pk]) in page
    assert "no role on any plan" not in page
    # Signed: it no longer waits for them (it waits for the other side).
    boards.report_sign(by=built.users["gov_member"], report=built.awaiting)
    page = _home(client, built.users["gov_member"])
    assert "Reports waiting for your signature" not in page


def test_each_role_sees_its_own_work(built: Built, client: Client) -> None:
    cycle = built.cycle
    recommendation_create(
        by=built.users["coordinator"],
        plan=cycle.plan,
        source="cedaw",
        issued_on=date(2024, 1, 1),
        text="Adopt a law on SGBV",
        addressees=[cycle.built.ministry],
    )
    focal = _home(client, built.users["focal"])
    assert "Sheets to fill in" in focal
    assert cycle.round.period.code in focal
    assert "Recommendations to answer" in focal
    assert "Adopt a law on SGBV" in focal
    monitor = _home(client, built.users["monitor"])
    assert "Sheets to fill in" in monitor  # the organisation's independent figures
    assert "Recommendations to answer" not in monitor
    assert reverse("reporting:people", args=[cycle.plan.code]) in monitor  # organisation admin
    viewer = _home(client, built.users["viewer"])
    assert "Nothing waits for you on this plan now." in viewer
    assert reverse("reporting:people", args=[cycle.plan.code]) not in viewer
    assert reverse("portal:plan_new") not in viewer


def test_a_user_without_any_role_is_told_so_and_pointed_to_the_plans(
    built: Built, client: Client
) -> None:
    page = _home(client, built.users["outsider"])
    assert "no role on any plan yet" in page
    assert reverse("portal:home") in page


def test_the_administrator_gets_plan_creation_and_every_plan(built: Built, client: Client) -> None:
    page = _home(client, built.users["admin"])
    assert reverse("portal:plan_new") in page
    assert reverse("reporting:people", args=[built.plan.code]) in page


def test_the_home_needs_a_signed_in_user(client: Client) -> None:
    response = client.get(HOME)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def _plan_form(**changes: str) -> dict[str, str]:
    data = {
        "code": "CD-NAP9",
        "title": "Ninth national action plan",
        "kind": "national",
        "area": "COD",
        "start": "2027-01-01",
        "end": "2030-12-31",
    }
    data.update(changes)
    return data


def test_the_administrator_creates_a_draft_plan_then_names_its_coordinator(
    built: Built, client: Client
) -> None:
    client.force_login(built.users["admin"])
    assert client.get(reverse("portal:plan_new")).status_code == 200
    response = client.post(reverse("portal:plan_new"), _plan_form())
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:people", args=["CD-NAP9"])
    plan = Plan.objects.get(code="CD-NAP9")
    assert plan.status == PlanStatus.DRAFT
    assert client.get(response["Location"]).status_code == 200


def test_nobody_else_creates_a_plan(built: Built, client: Client) -> None:
    for name in ("coordinator", "focal", "monitor", "gov_member"):
        client.force_login(built.users[name])
        assert client.get(reverse("portal:plan_new")).status_code == 403
        assert client.post(reverse("portal:plan_new"), _plan_form()).status_code == 403
    staff = make_user("staff", is_staff=True)
    client.force_login(staff)
    assert client.post(reverse("portal:plan_new"), _plan_form()).status_code == 403
    assert not Plan.objects.filter(code="CD-NAP9").exists()


def test_bad_plan_input_is_refused_with_its_reason(built: Built, client: Client) -> None:
    client.force_login(built.users["admin"])
    cases = {
        "new": _plan_form(code="new"),  # /plans/new/ is this form
        "before it starts": _plan_form(end="2020-01-01"),
        "already exists": _plan_form(code=built.plan.code),
        "YYYY-MM-DD": _plan_form(start="01/01/2027"),
        "national plan as parent": _plan_form(kind="local"),
    }
    for expected, data in cases.items():
        response = client.post(reverse("portal:plan_new"), data)
        assert response.status_code == 400, expected
        assert expected in response.content.decode(), expected
    assert Plan.objects.count() == 1


def test_the_home_reads_a_bounded_number_of_queries(
    built: Built, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """Per plan of the user, a fixed number of queries, whatever the size of the plan."""
    client.force_login(built.users["monitor"])
    with django_assert_max_num_queries(30):
        assert client.get(HOME).status_code == 200
