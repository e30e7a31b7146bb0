"""The steering committee's writes through the API (docs/oversight.md, "The steering
committee"): a meeting, its attendance, minutes and publication, its decisions and their dated
status updates. Each: what the caller relies on, the wrong role (403, nothing written), bad
input (400 naming the field, nothing written). Seats of the fixture (tests/boards/conftest.py),
sitting since 2024-01-01: government focal, gov_member, official (no account); civil society
monitor, cs_member; a former civil-society seat (2020-2021)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from tests.boards.conftest import Built

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.boards import services
from wpsmonitor.boards.models import Board, BoardMember, Decision, DecisionUpdate, Meeting
from wpsmonitor.core.history import display_name
from wpsmonitor.plans.services import plan_create

HELD = date(2025, 3, 10)


def _call(built: Built, who: str, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    _token, raw = ApiToken.issue(user=built.users[who], name="t")
    return getattr(Client(), method)(
        f"/api/v1/plans/{built.plan.code}/board{url}",
        body or {},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )


def _fields(response: Any) -> set[str | None]:
    return {e["field"] for e in response.json()["errors"]}


def _meeting(built: Built, *attending: str, **extra: Any) -> Meeting:
    fields: dict[str, Any] = {"held_on": HELD, "place": "Kinshasa"} | extra
    return services.meeting_create(
        by=built.users["coordinator"],
        board=built.board,
        attendees=[built.seats[s] for s in attending],
        **fields,
    )


def _decision(built: Built, meeting: Meeting, member: str = "cs_member") -> Decision:
    return services.decision_add(
        by=built.users["coordinator"],
        meeting=meeting,
        text="Train the focal points.",
        member=built.seats[member],
    )


def _secretary(built: Built, seat: str = "cs_member") -> None:
    services.board_kind_set(
        by=built.users["coordinator"],
        board=built.board,
        kind="task_force",
        secretary=built.seats[seat],
    )


MEETING = {
    "held_on": "2025-03-10",
    "place": "Kinshasa",
    "agenda": "1. The annual report.",
    "attendees": [],
}


# A meeting -------------------------------------------------------------------------------------


def test_the_coordinator_records_a_meeting(built: Built) -> None:
    seats = [built.seats[s].pk for s in ("focal", "official", "monitor")]
    response = _call(built, "coordinator", "post", "/meetings", MEETING | {"attendees": seats})
    assert response.status_code == 200, response.json()
    got = response.json()
    assert (got["held_on"], got["agenda"], got["published"]) == (
        "2025-03-10",
        "1. The annual report.",
        False,
    )
    # The seat without an account attends and counts: 2 government, 1 civil society.
    assert sorted(a["member"] for a in got["attendees"]) == sorted(seats)
    assert got["attendance"]["state"] == "below_parity"
    meeting = Meeting.objects.get(pk=got["id"])
    assert meeting.created_by == built.users["coordinator"]


def test_the_secretary_records_a_meeting(built: Built) -> None:
    _secretary(built)
    response = _call(built, "cs_member", "post", "/meetings", MEETING | {"online": True})
    assert response.status_code == 200, response.json()
    assert Meeting.objects.get().online


@pytest.mark.parametrize("who", ["focal", "gov_member", "cs_member", "viewer", "outsider"])
def test_who_may_not_record_a_meeting(built: Built, who: str) -> None:
    # A plan member, a board member who is not the secretary, a stranger: 403, before any
    # lookup (an unknown seat does not turn it into a 400).
    response = _call(built, who, "post", "/meetings", MEETING | {"attendees": [999999]})
    assert response.status_code == 403, response.json()
    assert not Meeting.objects.exists()


def test_a_token_is_needed_to_write(built: Built) -> None:
    client = Client()
    client.force_login(built.users["coordinator"])  # a browser session reads only
    response = client.post(
        f"/api/v1/plans/{built.plan.code}/board/meetings", MEETING, content_type="application/json"
    )
    assert response.status_code == 401
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"held_on": "10/03/2025"}, "held_on"),
        ({"held_on": "2999-01-01"}, "held_on"),
        ({"place": "", "online": False}, "place"),
        ({"document_url": "javascript:alert(1)"}, "document_url"),
        ({"attendees": [999999]}, "attendees"),
        ({"attendees": ["x"]}, "attendees.0"),
        ({"attendees": ["former_member"]}, "attendees"),  # not sitting on that day
    ],
)
def test_a_bad_meeting_is_refused_by_field(
    built: Built, change: dict[str, Any], field: str
) -> None:
    if change.get("attendees") == ["former_member"]:
        change = {"attendees": [built.seats["former_member"].pk]}
    if change.get("held_on") == "2999-01-01":
        change = {"held_on": (timezone.localdate() + timedelta(days=1)).isoformat()}
    response = _call(built, "coordinator", "post", "/meetings", MEETING | change)
    assert response.status_code == 400, response.json()
    assert field in _fields(response), response.json()
    assert response.json()["detail"]
    assert not Meeting.objects.exists()


def test_the_whole_record_changes_until_published(built: Built) -> None:
    m = _meeting(built)
    body = MEETING | {"place": "Goma", "minutes": "Agreed."}
    response = _call(built, "coordinator", "put", f"/meetings/{m.pk}", body)
    assert response.status_code == 200, response.json()
    assert (response.json()["place"], response.json()["minutes"]) == ("Goma", "Agreed.")
    assert _call(built, "gov_member", "put", f"/meetings/{m.pk}", body).status_code == 403
    response = _call(built, "coordinator", "put", f"/meetings/{m.pk}", body | {"place": ""})
    assert response.status_code == 400 and "place" in _fields(response)
    m.refresh_from_db()
    assert m.place == "Goma"


# Attendance ------------------------------------------------------------------------------------


def test_attendance_is_recorded_and_replaced(built: Built) -> None:
    m = _meeting(built, "focal", agenda="Kept.", minutes="Kept too.")
    seats = [built.seats[s].pk for s in ("focal", "monitor")]
    response = _call(
        built, "coordinator", "put", f"/meetings/{m.pk}/attendance", {"attendees": seats}
    )
    assert response.status_code == 200, response.json()
    got = response.json()
    assert got["attendance"]["state"] == "parity"
    assert (got["agenda"], got["minutes"], got["place"]) == ("Kept.", "Kept too.", "Kinshasa")
    assert set(m.attendees.values_list("pk", flat=True)) == set(seats)


def test_attendance_wrong_role_and_bad_seats(built: Built) -> None:
    m = _meeting(built, "focal")
    url = f"/meetings/{m.pk}/attendance"
    monitor = built.seats["monitor"].pk
    # The civil-society member is not the secretary: they record no one's attendance.
    assert _call(built, "cs_member", "put", url, {"attendees": [monitor]}).status_code == 403
    former = built.seats["former_member"].pk
    for bad in ([former], [999999]):
        response = _call(built, "coordinator", "put", url, {"attendees": bad})
        assert response.status_code == 400 and _fields(response) == {"attendees"}
    response = _call(built, "coordinator", "put", url, {})
    assert response.status_code == 400 and "attendees" in _fields(response)
    assert list(m.attendees.values_list("pk", flat=True)) == [built.seats["focal"].pk]


def test_a_published_meeting_keeps_its_attendance(built: Built) -> None:
    m = _meeting(built, "focal", minutes="Agreed.")
    services.meeting_publish(by=built.users["coordinator"], meeting=m)
    response = _call(
        built,
        "coordinator",
        "put",
        f"/meetings/{m.pk}/attendance",
        {"attendees": [built.seats["monitor"].pk]},
    )
    assert response.status_code == 400
    assert "final" in response.json()["detail"]
    assert list(m.attendees.values_list("pk", flat=True)) == [built.seats["focal"].pk]


# Minutes and publication -----------------------------------------------------------------------


def test_minutes_then_publication(built: Built) -> None:
    m = _meeting(built, "focal", "monitor", agenda="Kept.")
    response = _call(built, "coordinator", "post", f"/meetings/{m.pk}/publish")
    assert response.status_code == 400 and _fields(response) == {"minutes"}
    body = {"minutes": "The body agreed.", "document_url": "https://example.org/minutes.pdf"}
    response = _call(built, "coordinator", "post", f"/meetings/{m.pk}/minutes", body)
    assert response.status_code == 200, response.json()
    got = response.json()
    assert (got["minutes"], got["document_url"], got["agenda"]) == (
        "The body agreed.",
        "https://example.org/minutes.pdf",
        "Kept.",
    )
    assert len(got["attendees"]) == 2
    response = _call(built, "coordinator", "post", f"/meetings/{m.pk}/publish")
    assert response.status_code == 200 and response.json()["published"] is True
    # Final: the minutes no longer change.
    response = _call(built, "coordinator", "post", f"/meetings/{m.pk}/minutes", {"minutes": "X"})
    assert response.status_code == 400
    m.refresh_from_db()
    assert m.minutes == "The body agreed."


def test_minutes_wrong_role_and_bad_input(built: Built) -> None:
    m = _meeting(built)
    url = f"/meetings/{m.pk}/minutes"
    assert _call(built, "focal", "post", url, {"minutes": "Mine."}).status_code == 403
    assert _call(built, "monitor", "post", f"/meetings/{m.pk}/publish").status_code == 403
    response = _call(
        built, "coordinator", "post", url, {"minutes": "M.", "document_url": "ftp://x"}
    )
    assert response.status_code == 400 and _fields(response) == {"document_url"}
    response = _call(built, "coordinator", "post", url, {})
    assert response.status_code == 400 and _fields(response) == {"minutes"}
    m.refresh_from_db()
    assert (m.minutes, m.published_at) == ("", None)


def test_the_secretary_publishes(built: Built) -> None:
    _secretary(built)
    m = _meeting(built, minutes="Agreed.")
    response = _call(built, "cs_member", "post", f"/meetings/{m.pk}/publish")
    assert response.status_code == 200, response.json()


# Decisions -------------------------------------------------------------------------------------


def test_a_decision_carried_out_by_a_seat(built: Built) -> None:
    m = _meeting(built)
    body = {
        "text": "Train the focal points.",
        "member": built.seats["cs_member"].pk,
        "organisation": built.cycle.built.ministry.code,
        "due_on": "2025-06-30",
    }
    response = _call(built, "coordinator", "post", f"/meetings/{m.pk}/decisions", body)
    assert response.status_code == 200, response.json()
    got = response.json()
    assert (got["member"], got["member_name"], got["organisation"], got["due_on"]) == (
        built.seats["cs_member"].pk,
        "CS Member",
        built.cycle.built.ministry.code,
        "2025-06-30",
    )
    # Its history starts "not started" on the meeting's day.
    assert [(u["status"], u["on"]) for u in got["updates"]] == [("not_started", "2025-03-10")]
    assert got["overdue"] is True  # 2025-06-30 has passed, not started


@pytest.mark.parametrize("who", ["focal", "gov_member", "cs_member", "viewer", "outsider"])
def test_who_may_not_record_a_decision(built: Built, who: str) -> None:
    m = _meeting(built, minutes="M.")
    if who == "outsider":  # a stranger sees a published meeting only, and still may not write
        services.meeting_publish(by=built.users["coordinator"], meeting=m)
    body = {"text": "Mine.", "member": built.seats[who if who in built.seats else "monitor"].pk}
    response = _call(built, who, "post", f"/meetings/{m.pk}/decisions", body)
    assert response.status_code == 403, response.json()
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "  ", "organisation": "mogender"}, "text"),
        ({"text": "Do it."}, "member"),  # nobody carries it out
        ({"text": "Do it.", "organisation": "nope"}, "organisation"),
        ({"text": "Do it.", "member": 999999}, "member"),
        ({"text": "Do it.", "organisation": "mogender", "due_on": "2025-03-09"}, "due_on"),
        ({"text": "Do it.", "organisation": "mogender", "due_on": "soon"}, "due_on"),
        ({"organisation": "mogender"}, "text"),
    ],
)
def test_a_bad_decision_is_refused_by_field(built: Built, body: dict[str, Any], field: str) -> None:
    m = _meeting(built)
    response = _call(built, "coordinator", "post", f"/meetings/{m.pk}/decisions", body)
    assert response.status_code == 400, response.json()
    assert field in _fields(response), response.json()
    assert not Decision.objects.exists()


def test_a_seat_of_another_plan_carries_nothing_out(built: Built) -> None:
    other_plan = plan_create(
        code="other-nap",
        title="Another plan",
        kind="national",
        area=built.plan.area,
        start=date(2024, 1, 1),
        end=date(2027, 12, 31),
    )
    other = Board.objects.create(plan=other_plan, name="Another board")
    seat = BoardMember.objects.create(
        board=other,
        name="Elsewhere",
        side="civil_society",
        organisation=built.cycle.other_cso,
        since=date(2024, 1, 1),
    )
    m = _meeting(built)
    body = {"text": "Do it.", "member": seat.pk}
    response = _call(built, "coordinator", "post", f"/meetings/{m.pk}/decisions", body)
    assert response.status_code == 400 and _fields(response) == {"member"}
    assert not Decision.objects.exists()


# Decision status updates -----------------------------------------------------------------------


def test_the_member_who_carries_it_out_updates_it(built: Built) -> None:
    d = _decision(built, _meeting(built), member="cs_member")
    url = f"/decisions/{d.pk}/updates"
    body = {"status": "in_progress", "on": "2025-04-01", "note": "Sessions planned."}
    response = _call(built, "cs_member", "post", url, body)
    assert response.status_code == 200, response.json()
    response = _call(built, "coordinator", "post", url, {"status": "done", "on": "2025-05-02"})
    assert response.status_code == 200, response.json()
    got = response.json()
    assert got["status"] == "done" and got["overdue"] is False
    # The history only grows: the first steps are as they were.
    assert [(u["status"], u["on"], u["note"]) for u in got["updates"]] == [
        ("not_started", "2025-03-10", ""),
        ("in_progress", "2025-04-01", "Sessions planned."),
        ("done", "2025-05-02", ""),
    ]
    assert got["updates"][1]["by"] == display_name(built.users["cs_member"])


def test_an_update_dated_today_when_no_date(built: Built) -> None:
    d = _decision(built, _meeting(built))
    response = _call(built, "coordinator", "post", f"/decisions/{d.pk}/updates", {"status": "done"})
    assert response.status_code == 200
    assert response.json()["updates"][-1]["on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize("who", ["gov_member", "focal", "monitor", "viewer", "outsider"])
def test_who_may_not_update_a_decision(built: Built, who: str) -> None:
    # A government token acting on a civil-society seat's decision, a civil-society member who
    # does not carry it out, plan members, a stranger (on a published meeting): 403.
    m = _meeting(built, minutes="M.")
    d = _decision(built, m, member="cs_member")
    services.meeting_publish(by=built.users["coordinator"], meeting=m)
    body = {"status": "done", "on": "2025-04-01"}
    response = _call(built, who, "post", f"/decisions/{d.pk}/updates", body)
    assert response.status_code == 403, response.json()
    assert DecisionUpdate.objects.filter(decision=d).count() == 1
    d.refresh_from_db()
    assert d.status == "not_started"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"status": "done", "on": "2025-03-09"}, "on"),  # before the last step
        ({"status": "done", "on": "2999-01-01"}, "on"),  # in the future
        ({"status": "done", "on": "yesterday"}, "on"),
        ({"status": "not_started", "on": "2025-04-01"}, "note"),  # the same status, no note
        ({}, "status"),
    ],
)
def test_a_bad_update_is_refused_by_field(built: Built, body: dict[str, Any], field: str) -> None:
    d = _decision(built, _meeting(built))
    response = _call(built, "coordinator", "post", f"/decisions/{d.pk}/updates", body)
    assert response.status_code == 400, response.json()
    assert field in _fields(response), response.json()
    assert DecisionUpdate.objects.filter(decision=d).count() == 1


# Unpublished meetings stay with the members ----------------------------------------------------


def test_an_unpublished_meeting_is_not_readable_by_strangers(built: Built) -> None:
    m = _meeting(built, "focal", minutes="Draft minutes.")
    d = _decision(built, m)
    for url in (f"/meetings/{m.pk}", "/meetings", "/decisions"):
        assert _call(built, "viewer", "get", url).status_code == 200  # a plan member reads it
    assert _call(built, "outsider", "get", f"/meetings/{m.pk}").status_code == 404
    assert _call(built, "outsider", "get", "/meetings").json() == []
    assert _call(built, "outsider", "get", "/decisions").json() == []
    # Nor written: the meeting is as absent as one that does not exist.
    updates = f"/decisions/{d.pk}/updates"
    assert _call(built, "outsider", "post", updates, {"status": "done"}).status_code == 404
    publish = f"/meetings/{m.pk}/publish"
    assert _call(built, "outsider", "post", publish).status_code == 404
    # Published, it is public.
    assert _call(built, "coordinator", "post", publish).status_code == 200
    got = _call(built, "outsider", "get", f"/meetings/{m.pk}")
    assert got.status_code == 200 and got.json()["minutes"] == "Draft minutes."


def test_every_write_is_in_the_schema(built: Built) -> None:
    schema = Client().get("/api/v1/schema").json()
    operations = {
        op["operationId"]: op
        for path in schema["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    for name in (
        "board_meeting_create",
        "board_meeting_update",
        "board_meeting_attendance",
        "board_meeting_minutes",
        "board_meeting_publish",
        "board_decision_add",
        "board_decision_update",
    ):
        assert name in operations, name
        assert {"200", "400", "401", "403", "404"} <= set(operations[name]["responses"]), name
