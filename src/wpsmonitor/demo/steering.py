"""Demo data: the national plan's steering committee (fictitious), its meetings and decisions.

The plan's joint body (its monitoring board, docs/boards.md) is made its steering committee,
with a civil-society secretary; three meetings over two years (the last one recorded by the
secretary and not yet published), five decisions in every state, one of them overdue. Everything
goes through the services, as the coordinator, the secretary and the members would do it.
Dates are counted back from today, so the overdue decision stays overdue.

Integration point: `steering_load(plan)` after the board's members are in (demo/boards.py);
it adds a board with two seats on each side when the plan has none.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.boards import services
from wpsmonitor.boards.models import Board, BoardKind, BoardMember, Side
from wpsmonitor.directory.models import Organisation, OrganisationType
from wpsmonitor.plans.models import Plan

LABEL = " (fictitious)"
GOVERNMENT_TYPES = [t.value for t in services.GOVERNMENT_TYPES]


def _coordinator(plan: Plan) -> Any:
    role = PlanRole.objects.filter(plan=plan, role=Role.COORDINATOR).select_related("user")
    found = role.first()
    if found is not None:
        return found.user
    return get_user_model().objects.filter(is_superuser=True, is_active=True).first()


def _ensure_members(board: Board, coordinator: Any, since: date) -> None:
    """Two seats on each side when the body lacks a current seat on one (a bare fixture)."""
    sides = {m.side for m in board.members.all() if m.is_current(since)}
    wanted = {
        Side.GOVERNMENT: Organisation.objects.filter(type__in=GOVERNMENT_TYPES).order_by("pk"),
        Side.CIVIL_SOCIETY: Organisation.objects.filter(
            type=OrganisationType.CIVIL_SOCIETY
        ).order_by("pk"),
    }
    for side, orgs in wanted.items():
        org = orgs.first()
        if side in sides or org is None:
            continue
        for n in (1, 2):
            services.member_add(
                by=coordinator,
                board=board,
                user=None,
                name=f"{Side(side).label} member {n}{LABEL}",
                side=side,
                organisation=org,
                since=since,
            )


def _seat(members: list[BoardMember], side: str) -> BoardMember:
    """The first current seat of a side, preferring one with an account (who can update)."""
    return sorted((m for m in members if m.side == side), key=lambda m: m.user_id is None)[0]


def steering_load(plan: Plan) -> int:
    """Make the plan's joint body its steering committee and record its meetings and
    decisions; the number of decisions recorded (0 when there is no coordinator)."""
    coordinator = _coordinator(plan)
    if coordinator is None:
        return 0
    today = timezone.localdate()
    first, second, third = (today - timedelta(days=d) for d in (700, 365, 45))
    board = Board.objects.filter(plan=plan).first() or services.board_save(
        by=coordinator,
        plan=plan,
        name=f"National steering committee{LABEL}",
        requires_cosignature=True,
    )
    _ensure_members(board, coordinator, first)
    members = [m for m in board.members.all() if m.is_current(first) and m.is_current(today)]
    gov = _seat(members, Side.GOVERNMENT)
    cso = _seat(members, Side.CIVIL_SOCIETY)
    # The secretary records meetings: a civil-society member with an account, if there is one.
    secretary = next(
        (m for m in members if m.side == Side.CIVIL_SOCIETY and m.user_id is not None), None
    )
    services.board_kind_set(
        by=coordinator, board=board, kind=BoardKind.STEERING, secretary=secretary
    )
    government = [m for m in members if m.side == Side.GOVERNMENT]
    civil = [m for m in members if m.side == Side.CIVIL_SOCIETY]

    one = services.meeting_create(
        by=coordinator,
        board=board,
        held_on=first,
        place=f"Ministry of Gender, meeting room 2{LABEL}",
        agenda="1. The plan's first year.\n2. Provincial data.\n3. The budget.",
        minutes=(
            "The committee reviewed the first year. Provincial figures arrive late and "
            "incomplete; the committee asks for a quarterly collection. Civil society asked "
            "that the plan have its own line in the budget law."
        ),
        # Every member but one civil-society member: below parity that day.
        attendees=government + civil[:-1] if len(civil) > 1 else government + civil,
    )
    d1 = services.decision_add(
        by=coordinator,
        meeting=one,
        text="Collect the provincial figures every quarter.",
        organisation=gov.organisation,
        member=gov,
        due_on=first + timedelta(days=180),
    )
    services.decision_update(
        by=coordinator, decision=d1, status="in_progress", on=first + timedelta(days=30)
    )
    services.decision_update(
        by=coordinator,
        decision=d1,
        status="done",
        on=first + timedelta(days=150),
        note="Quarterly collection running in all provinces.",
    )
    d2 = services.decision_add(
        by=coordinator,
        meeting=one,
        text="Ask for a budget line for the plan in the next budget law.",
        organisation=gov.organisation,
        due_on=first + timedelta(days=270),
    )
    services.decision_update(
        by=coordinator, decision=d2, status="in_progress", on=first + timedelta(days=60)
    )
    services.meeting_publish(by=coordinator, meeting=one)

    two = services.meeting_create(
        by=coordinator,
        board=board,
        held_on=second,
        online=True,
        agenda="1. The 2025 report.\n2. Nord-Kivu.\n3. Training of focal points.",
        minutes=(
            "The budget line was not adopted; the committee drops the request for this "
            "budget cycle. Civil society presents its monitoring in Nord-Kivu and will write "
            "a shadow note. The ministry will train the provincial focal points."
        ),
        attendees=government + civil,
    )
    services.decision_update(
        by=coordinator,
        decision=d2,
        status="dropped",
        on=second,
        note="Not adopted in the budget law; to be raised again next cycle.",
    )
    d3 = services.decision_add(
        by=coordinator,
        meeting=two,
        text="Write a shadow note on the Nord-Kivu figures.",
        organisation=cso.organisation,
        member=cso,
        due_on=second + timedelta(days=120),
    )
    services.decision_update(
        by=coordinator, decision=d3, status="done", on=second + timedelta(days=100)
    )
    d4 = services.decision_add(
        by=coordinator,
        meeting=two,
        text="Train the provincial gender focal points.",
        organisation=gov.organisation,
        member=gov,
        due_on=second + timedelta(days=200),
    )
    services.decision_update(
        by=coordinator,
        decision=d4,
        status="in_progress",
        on=second + timedelta(days=90),
        note="Two provinces out of six trained.",
    )  # past its due date and not done: overdue
    services.meeting_publish(by=coordinator, meeting=two)

    recorder = secretary.user if secretary is not None and secretary.user else coordinator
    three = services.meeting_create(
        by=recorder,
        board=board,
        held_on=third,
        place=f"Goma, provincial governorate{LABEL}",
        online=True,
        agenda="1. Mid-term review.\n2. Overdue training.",
        minutes="Draft minutes, to be approved at the next meeting.",
        attendees=government[:1] + civil,
    )
    services.decision_add(
        by=recorder,
        meeting=three,
        text="Prepare the plan's mid-term review with civil society.",
        organisation=cso.organisation,
        due_on=today + timedelta(days=90),
    )
    return 5
