"""A reporting-cycle plan (users in every role) with a monitoring board, built through the
services as a coordinator would. Current seats, by side:

| seat          | account      | side          | organisation    | plan role  |
|---------------|--------------|---------------|-----------------|------------|
| Focal Point   | focal        | government    | mogender        | focal      |
| Police Member | gov_member   | government    | police          | none       |
| M. Official   | (none)       | government    | mogender        | —          |
| Monitor       | monitor      | civil society | women-network   | monitor    |
| CS Member     | cs_member    | civil society | other-cso       | none       |

plus a former civil-society seat (former_member, 2020-2021): 3 government, 2 civil society,
below parity. The board requires co-signature. Reports: `draft` (a draft) and `awaiting`
(sent to the board, no signature yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import AbstractBaseUser
from tests.reporting.conftest import Cycle, build_cycle, make_user

from wpsmonitor.boards import services
from wpsmonitor.boards.models import Board, BoardMember, PeriodicReport


@dataclass
class Built:
    cycle: Cycle
    board: Board
    seats: dict[str, BoardMember]
    draft: PeriodicReport
    awaiting: PeriodicReport

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.cycle.plan

    @property
    def users(self) -> dict[str, AbstractBaseUser]:
        return self.cycle.users


def build_board(cycle: Cycle | None = None) -> Built:
    cycle = cycle or build_cycle()
    u = cycle.users
    for name in ("gov_member", "cs_member", "former_member"):
        u[name] = make_user(name)
    coordinator = u["coordinator"]
    ministry, cso = cycle.built.ministry, cycle.built.cso
    board = services.board_save(
        by=coordinator, plan=cycle.plan, name="Comité de suivi", requires_cosignature=True
    )
    since = date(2024, 1, 1)

    def seat(name: str, side: str, org, user: str | None = None, **extra) -> BoardMember:  # type: ignore[no-untyped-def]
        return services.member_add(
            by=coordinator,
            board=board,
            name=name,
            side=side,
            organisation=org,
            user=u[user] if user else None,
            since=extra.pop("since", since),
            **extra,
        )

    seats = {
        "focal": seat("Focal Point", "government", ministry, "focal"),
        "gov_member": seat("Police Member", "government", cycle.police, "gov_member"),
        "official": seat("M. Official", "government", ministry),
        "monitor": seat("Monitor", "civil_society", cso, "monitor"),
        "cs_member": seat("CS Member", "civil_society", cycle.other_cso, "cs_member"),
        "former_member": seat(
            "Former Member",
            "civil_society",
            cso,
            "former_member",
            since=date(2020, 1, 1),
            until=date(2021, 12, 31),
        ),
    }
    draft = services.report_create(
        by=coordinator, plan=cycle.plan, title="Annual report 2025", period="2025", summary="Draft."
    )
    awaiting = services.report_create(
        by=coordinator,
        plan=cycle.plan,
        title="Annual report 2024",
        period="2024",
        summary="Progress in 2024.",
    )
    services.report_submit(by=coordinator, report=awaiting)
    return Built(cycle, board, seats, draft, awaiting)


@pytest.fixture
def built(db: None) -> Built:
    return build_board()
