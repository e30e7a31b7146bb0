"""The steering committee (docs/oversight.md, "The steering committee"): the plan's joint body
holds meetings (attendance and its balance, minutes) and takes decisions carried out by an
organisation or a member, whose dated status history is never rewritten; overdue decisions are
flagged. Seats of the fixture (tests/boards/conftest.py), all sitting since 2024-01-01:
government focal, gov_member, official (no account); civil society monitor, cs_member; and a
former civil-society seat (2020-2021)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from tests.boards.conftest import Built

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.boards import selectors, services
from wpsmonitor.boards.models import Decision, DecisionUpdate, Meeting
from wpsmonitor.demo.steering import steering_load
from wpsmonitor.reports.sections import steering as section

HELD = date(2025, 3, 10)


def _meeting(b: Built, *attending: str, by: str = "coordinator", **extra: Any) -> Meeting:
    fields: dict[str, Any] = {"held_on": HELD, "place": "Kinshasa", "minutes": "Minutes."}
    fields.update(extra)
    return services.meeting_create(
        by=b.users[by],
        board=b.board,
        attendees=[b.seats[s] for s in attending],
        **fields,
    )


def _decision(
    b: Built, meeting: Meeting, *, member: str | None = "gov_member", **extra: Any
) -> Decision:
    return services.decision_add(
        by=b.users["coordinator"],
        meeting=meeting,
        text=extra.pop("text", "Train the focal points."),
        member=b.seats[member] if member else None,
        organisation=extra.pop("organisation", None),
        **extra,
    )


# The balance of who attended ------------------------------------------------------------------


def test_attendance_balance_hand_worked(built: Built) -> None:
    # 2 government, 1 civil society: civil society holds a third, below half.
    m = _meeting(built, "focal", "gov_member", "monitor")
    found = selectors.attendance(m)
    assert (found.government, found.civil_society, found.state) == (2, 1, "below_parity")
    assert found.label.startswith("2 government members, 1 civil-society member: below parity")
    # The seat without an account attends and counts: 3 government, 2 civil society.
    services.meeting_update(
        by=built.users["coordinator"],
        meeting=m,
        held_on=HELD,
        place="Kinshasa",
        attendees=[
            built.seats[s] for s in ("focal", "gov_member", "official", "monitor", "cs_member")
        ],
    )
    assert selectors.attendance(m).state == "below_parity"
    # 1 and 1: parity; nobody: no member.
    two = _meeting(built, "focal", "cs_member")
    assert selectors.attendance(two).state == "parity"
    assert selectors.attendance(_meeting(built)).state == "no_members"


def test_only_members_sitting_that_day_attend(built: Built) -> None:
    with pytest.raises(ValidationError, match="did not sit on the body on 2025-03-10"):
        _meeting(built, "monitor", "former_member")
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"place": "", "online": False}, "place of the meeting"),
        ({"held_on": timezone.localdate() + timedelta(days=2)}, "once it has been held"),
        ({"held_on": None}, "date of the meeting"),
        ({"document_url": "javascript:alert(1)"}, "web address"),
    ],
)
def test_a_meeting_record_is_checked(built: Built, extra: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _meeting(built, **extra)
    assert not Meeting.objects.exists()


def test_an_online_meeting_needs_no_place(built: Built) -> None:
    assert _meeting(built, place="", online=True).online


# Decisions, their history and overdue ---------------------------------------------------------


def test_overdue_hand_worked(built: Built) -> None:
    m = _meeting(built, "focal", "monitor")
    d = _decision(built, m, due_on=date(2025, 6, 30))
    # Not started, due 30 June: on time that day, overdue the day after.
    assert not d.is_overdue(date(2025, 6, 30))
    assert d.is_overdue(date(2025, 7, 1))
    coordinator = built.users["coordinator"]
    d = services.decision_update(by=coordinator, decision=d, status="in_progress", on=HELD)
    assert d.is_overdue(date(2025, 7, 1))  # in progress, still overdue
    d = services.decision_update(by=coordinator, decision=d, status="done", on=date(2025, 8, 1))
    assert not d.is_overdue(date(2025, 9, 1))  # done late: no longer overdue
    dropped = _decision(built, m, due_on=date(2025, 4, 1))
    dropped = services.decision_update(by=coordinator, decision=dropped, status="dropped", on=HELD)
    assert not dropped.is_overdue(date(2026, 1, 1))
    assert not _decision(built, m).is_overdue(date(2030, 1, 1))  # no due date


def test_the_history_is_never_rewritten(built: Built) -> None:
    m = _meeting(built, "focal")
    d = _decision(built, m, due_on=date(2025, 6, 30))
    [first] = d.updates.all()
    assert (first.status, first.on) == ("not_started", HELD)
    by = built.users["gov_member"]  # the member who carries it out
    services.decision_update(
        by=by, decision=d, status="in_progress", on=date(2025, 5, 1), note="Half."
    )
    with pytest.raises(ValidationError, match="never rewritten"):
        services.decision_update(by=by, decision=d, status="done", on=date(2025, 4, 1))
    with pytest.raises(ValidationError, match="already has this status"):
        services.decision_update(by=by, decision=d, status="in_progress", on=date(2025, 5, 2))
    with pytest.raises(ValidationError, match="not a status"):
        services.decision_update(by=by, decision=d, status="finished")
    with pytest.raises(ValidationError, match="future"):
        services.decision_update(
            by=by, decision=d, status="done", on=timezone.localdate() + timedelta(days=1)
        )
    assert [(u.status, u.on) for u in d.updates.all()] == [
        ("not_started", HELD),
        ("in_progress", date(2025, 5, 1)),
    ]
    d.refresh_from_db()
    assert d.status == "in_progress"


def test_a_decision_needs_someone_to_carry_it_out(built: Built) -> None:
    m = _meeting(built)
    with pytest.raises(ValidationError, match="Say who carries"):
        _decision(built, m, member=None)
    with pytest.raises(ValidationError, match="cannot come before the meeting"):
        _decision(built, m, due_on=date(2025, 1, 1))
    with_org = _decision(built, m, member=None, organisation=built.cycle.built.ministry)
    assert with_org.organisation == built.cycle.built.ministry


def test_a_published_meeting_is_final(built: Built) -> None:
    m = _meeting(built, "focal", minutes="")
    with pytest.raises(ValidationError, match="Write the minutes"):
        services.meeting_publish(by=built.users["coordinator"], meeting=m)
    m = _meeting(built, "focal")
    d = _decision(built, m, due_on=date(2025, 6, 30))
    services.meeting_publish(by=built.users["coordinator"], meeting=m)
    with pytest.raises(ValidationError, match="final"):
        _decision(built, m)
    with pytest.raises(ValidationError, match="final"):
        services.meeting_update(by=built.users["coordinator"], meeting=m, held_on=HELD, place="X")
    # Its decisions' status still moves on.
    services.decision_update(by=built.users["gov_member"], decision=d, status="done", on=HELD)


# Rights -----------------------------------------------------------------------------------------

RECORDERS = {"admin", "coordinator"}
ROLES = [
    "admin",
    "coordinator",
    "focal",
    "monitor",
    "viewer",
    "gov_member",
    "cs_member",
    "former_member",
    "outsider",
]


@pytest.mark.parametrize("role", ROLES)
def test_who_records_meetings(built: Built, role: str) -> None:
    if role in RECORDERS:
        assert _meeting(built, by=role).pk
    else:
        with pytest.raises(PermissionDenied):
            _meeting(built, by=role)


def test_the_secretary_records_meetings_and_decisions(built: Built) -> None:
    with pytest.raises(PermissionDenied):
        _meeting(built, by="cs_member")
    services.board_kind_set(
        by=built.users["coordinator"],
        board=built.board,
        kind="steering",
        secretary=built.seats["cs_member"],
    )
    m = _meeting(built, "cs_member", by="cs_member")
    services.decision_add(
        by=built.users["cs_member"], meeting=m, text="X.", member=built.seats["monitor"]
    )
    services.meeting_publish(by=built.users["cs_member"], meeting=m)
    # Only the coordinator names the secretary; a seat without an account cannot be one.
    with pytest.raises(PermissionDenied):
        services.board_kind_set(
            by=built.users["cs_member"], board=built.board, kind="steering", secretary=None
        )
    with pytest.raises(ValidationError, match="account"):
        services.board_kind_set(
            by=built.users["coordinator"],
            board=built.board,
            kind="steering",
            secretary=built.seats["official"],
        )
    with pytest.raises(ValidationError, match="current member"):
        services.board_kind_set(
            by=built.users["coordinator"],
            board=built.board,
            kind="steering",
            secretary=built.seats["former_member"],
        )


@pytest.mark.parametrize("role", ROLES)
def test_who_updates_a_decision(built: Built, role: str) -> None:
    d = _decision(built, _meeting(built), member="gov_member")
    if role in RECORDERS | {"gov_member"}:
        services.decision_update(by=built.users[role], decision=d, status="in_progress", on=HELD)
        assert DecisionUpdate.objects.filter(decision=d).count() == 2
    else:
        with pytest.raises(PermissionDenied):
            services.decision_update(
                by=built.users[role], decision=d, status="in_progress", on=HELD
            )
        assert DecisionUpdate.objects.filter(decision=d).count() == 1


READERS_BEFORE = {"admin", "coordinator", "focal", "monitor", "viewer", "gov_member", "cs_member"}


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_who_reads_a_meeting(built: Built, role: str) -> None:
    m = _meeting(built, "focal")
    _decision(built, m)
    client = Client()
    if role != "anonymous":
        client.force_login(built.users[role])
    code = built.plan.code
    page = reverse("boards:meeting", args=[code, m.pk])
    api = f"/api/v1/plans/{code}/board/meetings/{m.pk}"
    expected = 200 if role in READERS_BEFORE else 404
    # An anonymous visitor is sent to sign in (members follow links), as for reports.
    assert client.get(page).status_code == (302 if role == "anonymous" else expected)
    listed = client.get(f"/api/v1/plans/{code}/board/meetings")
    if role == "anonymous":  # the API asks everyone to sign in or bring a token
        assert listed.status_code == 401
    else:
        assert (len(listed.json()) == 1) == (role in READERS_BEFORE)
        assert client.get(api).status_code == expected
    services.meeting_publish(by=built.users["coordinator"], meeting=m)
    # Published: the decisions of a joint body are public.
    assert client.get(page).status_code == 200
    if role != "anonymous":
        assert len(client.get(f"/api/v1/plans/{code}/board/decisions").json()) == 1


# Pages ------------------------------------------------------------------------------------------


def test_the_pages_record_a_meeting_and_its_decisions(built: Built) -> None:
    client = Client()
    client.force_login(built.users["coordinator"])
    code = built.plan.code
    seats = built.seats
    response = client.post(
        reverse("boards:meeting_create", args=[code]),
        {
            "held_on": "2025-03-10",
            "place": "Kinshasa",
            "agenda": "Budget.",
            "minutes": "We met.",
            "attendees": [seats["focal"].pk, seats["gov_member"].pk, seats["monitor"].pk],
        },
    )
    m = Meeting.objects.get()
    assert response["Location"] == reverse("boards:meeting", args=[code, m.pk])
    act = reverse("boards:meeting_act", args=[code, m.pk])
    client.post(
        act,
        {
            "do": "decision",
            "text": "Train them.",
            "member": seats["gov_member"].pk,
            "due_on": "2025-06-30",
        },
    )
    client.post(
        act, {"do": "decision", "text": "Nobody does it.", "member": "", "organisation": ""}
    )
    [d] = Decision.objects.all()
    client.post(
        act,
        {
            "do": "update",
            "decision": d.pk,
            "status": "in_progress",
            "on": "2025-04-01",
            "note": "Started.",
        },
    )
    page = client.get(reverse("boards:meeting", args=[code, m.pk])).content.decode()
    assert "2 government members, 1 civil-society member: below parity" in page
    assert "Train them." in page and "Started." in page and "Overdue" in page
    listing = client.get(reverse("boards:meetings", args=[code])).content.decode()
    assert "Train them." in listing and "Overdue" in listing
    client.post(act, {"do": "publish"})
    m.refresh_from_db()
    assert m.published_at is not None
    anonymous = Client().get(reverse("boards:meeting", args=[code, m.pk])).content.decode()
    assert "Train them." in anonymous and "Add the update" not in anonymous
    plan_page = Client().get(reverse("portal:plan", args=[code])).content.decode()
    assert reverse("boards:meetings", args=[code]) in plan_page


def test_a_focal_point_cannot_post_a_meeting(built: Built) -> None:
    client = Client()
    client.force_login(built.users["focal"])
    url = reverse("boards:meeting_create", args=[built.plan.code])
    assert client.post(url, {"held_on": "2025-03-10", "place": "X"}).status_code == 403
    kind = reverse("boards:kind_save", args=[built.plan.code])
    assert client.post(kind, {"kind": "steering"}).status_code == 403
    assert not Meeting.objects.exists()


def test_the_member_who_carries_an_overdue_decision_is_told(built: Built) -> None:
    d = _decision(built, _meeting(built, "gov_member"), due_on=date(2025, 6, 30))
    client = Client()
    client.force_login(built.users["gov_member"])
    page = client.get(reverse("portal:tasks")).content.decode()
    assert "Overdue decisions you carry out" in page and d.text in page
    services.decision_update(by=built.users["gov_member"], decision=d, status="done", on=HELD)
    assert "Overdue decisions" not in client.get(reverse("portal:tasks")).content.decode()


# API ------------------------------------------------------------------------------------------


def test_the_api_shape(built: Built) -> None:
    m = _meeting(built, "focal", "cs_member")
    d = _decision(built, m, due_on=date(2025, 6, 30), organisation=built.cycle.built.ministry)
    services.meeting_publish(by=built.users["coordinator"], meeting=m)
    code = built.plan.code
    _token, raw = ApiToken.issue(user=built.users["viewer"], name="t")
    got = (
        Client()
        .get(f"/api/v1/plans/{code}/board/meetings/{m.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
        .json()
    )
    assert got["attendance"]["state"] == "parity"
    assert sorted(a["side"] for a in got["attendees"]) == ["civil_society", "government"]
    [dec] = got["decisions"]
    assert dec["id"] == d.pk and dec["overdue"] is True
    assert dec["member"] == built.seats["gov_member"].pk
    assert dec["organisation"] == built.cycle.built.ministry.code
    assert [u["status"] for u in dec["updates"]] == ["not_started"]
    board = Client().get(f"/api/v1/plans/{code}/board", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert board["kind"] == "monitoring"


# Report section and demo ------------------------------------------------------------------------


def test_the_report_section_reads_published_meetings_of_the_period(built: Built) -> None:
    m = _meeting(built, "focal", "monitor")
    d = _decision(built, m, due_on=date(2025, 6, 30))
    services.decision_update(
        by=built.users["coordinator"], decision=d, status="done", on=date(2026, 2, 1)
    )
    _meeting(built, "focal", held_on=date(2025, 5, 1))  # unpublished: left out
    services.meeting_publish(by=built.users["coordinator"], meeting=m)

    class Ctx:
        plan = built.plan
        first_year = last_year = 2025
        today = timezone.localdate()

    found = section.build(Ctx())  # type: ignore[arg-type]
    assert found.key == "steering"
    meetings, decisions = [b for b in found.blocks if hasattr(b, "rows")]
    assert len(meetings.rows) == 1
    assert "1 government member, 1 civil-society member: parity" in meetings.rows[0][2].text
    # Done in February 2026: at the end of 2025 it was not started and overdue.
    assert decisions.rows[0][4].text == "Not started (overdue)"
    assert found.blocks[0].text == (  # type: ignore[union-attr]
        "1 meeting held in the period; 1 decision taken: 0 done, 1 not started or in progress, "
        "0 dropped."
    )

    class Later(Ctx):
        first_year = last_year = 2024

    assert section.build(Later()).empty  # type: ignore[arg-type]


def test_the_demo_steering_committee(built: Built) -> None:
    assert steering_load(built.plan) == 5
    built.board.refresh_from_db()
    assert built.board.kind == "steering" and built.board.secretary is not None
    meetings = list(Meeting.objects.filter(board=built.board).order_by("held_on"))
    assert len(meetings) == 3
    assert [m.published_at is not None for m in meetings] == [True, True, False]
    assert (meetings[-1].held_on - meetings[0].held_on).days > 365
    statuses = sorted(Decision.objects.values_list("status", flat=True))
    assert statuses == ["done", "done", "dropped", "in_progress", "not_started"]
    overdue = [d for d in Decision.objects.all() if d.is_overdue()]
    assert len(overdue) == 1 and overdue[0].status == "in_progress"
    sides = {a.side for m in meetings for a in m.attendees.all()}
    assert sides == {"government", "civil_society"}


def test_a_meeting_with_decisions_keeps_its_date(built: Built) -> None:
    m = _meeting(built, "focal")
    _decision(built, m)
    with pytest.raises(ValidationError, match="date can no longer change"):
        services.meeting_update(
            by=built.users["coordinator"], meeting=m, held_on=date(2025, 3, 11), place="X"
        )
    m = services.meeting_update(
        by=built.users["coordinator"], meeting=m, held_on=HELD, place="Goma", minutes="New."
    )
    assert (m.place, m.minutes) == ("Goma", "New.")


# The kind of body, on the board's page -----------------------------------------------------------


def test_the_board_page_says_and_changes_what_the_body_is(built: Built) -> None:
    code = built.plan.code
    board_url = reverse("boards:board", args=[code])
    assert "Monitoring board" in Client().get(board_url).content.decode()
    focal = Client()
    focal.force_login(built.users["focal"])
    assert 'name="kind"' not in focal.get(board_url).content.decode()
    client = Client()
    client.force_login(built.users["coordinator"])
    page = client.get(board_url).content.decode()
    assert 'name="kind"' in page and 'name="back" value="board"' in page
    kind = reverse("boards:kind_save", args=[code])
    response = client.post(
        kind, {"kind": "task_force", "secretary": built.seats["cs_member"].pk, "back": "board"}
    )
    assert response.status_code == 302 and response["Location"] == board_url
    built.board.refresh_from_db()
    assert (built.board.kind, built.board.secretary) == ("task_force", built.seats["cs_member"])
    assert "Joint task force" in Client().get(board_url).content.decode()
    # A kind that is none: said on the page, nothing changed.
    response = client.post(kind, {"kind": "council", "back": "board"}, follow=True)
    assert "council is not a kind of body" in response.content.decode()
    built.board.refresh_from_db()
    assert built.board.kind == "task_force"
    # From the meetings page, back to it.
    response = client.post(kind, {"kind": "steering"})
    assert response["Location"] == reverse("boards:meetings", args=[code])


def test_the_plan_page_can_name_the_body(built: Built) -> None:
    assert selectors.body_kind(built.plan) == "Monitoring board"
    services.board_kind_set(
        by=built.users["coordinator"], board=built.board, kind="steering", secretary=None
    )
    assert selectors.body_kind(built.plan) == "Steering committee"
    with translation.override("fr"):
        assert selectors.body_kind(built.plan) == "Comité de pilotage"
    built.board.delete()
    assert selectors.body_kind(built.plan) == ""
