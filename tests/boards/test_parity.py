"""The board's balance: current seats by side, against the sources' "half from government,
half from women's organisations". Expectations counted by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from tests.boards.conftest import Built

from wpsmonitor.boards import selectors
from wpsmonitor.boards.models import BoardMember

TODAY = date(2025, 6, 30)


def seat(side: str, since: date = date(2024, 1, 1), until: date | None = None) -> BoardMember:
    return BoardMember(name="x", side=side, since=since, until=until)


@pytest.mark.parametrize(
    ("government", "civil_society", "state"),
    [
        (4, 2, "below_parity"),  # 2 of 6 < 3
        (3, 2, "below_parity"),  # 2 of 5 < 2.5
        (3, 3, "parity"),
        (1, 1, "parity"),
        (2, 3, "civil_society_majority"),
        (0, 1, "civil_society_majority"),
        (1, 0, "below_parity"),
        (0, 0, "no_members"),
    ],
)
def test_state_from_the_counts(government: int, civil_society: int, state: str) -> None:
    seats = [seat("government")] * government + [seat("civil_society")] * civil_society
    found = selectors.balance(seats, TODAY)
    assert (found.government, found.civil_society, found.state) == (
        government,
        civil_society,
        state,
    )
    assert found.below_parity is (state == "below_parity")


def test_label_spells_out_the_counts_and_the_verdict() -> None:
    seats = [seat("government")] * 4 + [seat("civil_society")] * 2
    assert selectors.balance(seats, TODAY).label == (
        "4 government members, 2 civil-society members: "
        "below parity: civil society holds less than half the seats"
    )
    one_each = [seat("government"), seat("civil_society")]
    assert selectors.balance(one_each, TODAY).label == (
        "1 government member, 1 civil-society member: parity"
    )


def test_only_current_seats_count() -> None:
    seats = [
        seat("government"),
        seat("government", until=TODAY),  # last day: still sits
        seat("civil_society", until=TODAY - timedelta(days=1)),  # left yesterday
        seat("civil_society", since=TODAY + timedelta(days=1)),  # joins tomorrow
        seat("civil_society", since=TODAY),  # joins today
    ]
    found = selectors.balance(seats, TODAY)
    assert (found.government, found.civil_society, found.state) == (2, 1, "below_parity")


def test_the_board_page_shows_the_balance_with_a_warning(built: Built) -> None:
    # Fixture: 3 current government seats (one without an account), 2 civil society, one
    # former civil-society seat that no longer counts.
    page = Client().get(f"/plans/{built.plan.code}/board/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "3 government members, 2 civil-society members: below parity" in html
    assert "Warning" in html  # in words, not only in colour
    assert "Former Member" in html and "Former and future members" in html
    assert "no (no account)" in html  # M. Official can sit but not sign
