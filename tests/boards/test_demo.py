"""The demo's board: parity, co-signature required, one report co-signed and published with a
civil-society dissent, one awaiting the civil-society signature; a reset builds it again."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from wpsmonitor.boards import selectors
from wpsmonitor.boards.models import Board, PeriodicReport
from wpsmonitor.demo import content
from wpsmonitor.demo.builder import demo_load

pytestmark = pytest.mark.django_db


def test_demo_board(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WPSMONITOR_DEMO_PASSWORD", "demo-secret-42")
    assert demo_load(rebuild=False) is not None
    board = Board.objects.get(plan__code=content.NAP_CODE)
    assert board.requires_cosignature
    found = selectors.balance(board.members.all())
    assert (found.government, found.civil_society, found.state) == (3, 3, "parity")
    published = PeriodicReport.objects.get(plan=board.plan, status="published")
    assert selectors.signing(published, board).sides == {"government", "civil_society"}
    [dissent] = selectors.standing_dissents(published)
    assert dissent.side == "civil_society" and "Nord-Kivu" in dissent.text
    awaiting = PeriodicReport.objects.get(plan=board.plan, status="awaiting")
    assert (
        selectors.signing(awaiting, board).label(awaiting.status)
        == "Signed for government; awaiting civil-society signature"
    )
    # The board's own accounts share the demo password.
    # A sign-in comes with its request: axes counts it per address (docs/security.md).
    sign_in = RequestFactory().post("/accounts/login/")
    assert authenticate(sign_in, username="board-rfpk", password="demo-secret-42") is not None
    # A reset deletes the plan with its signed reports and builds the same again.
    assert demo_load(reset=True, rebuild=False) is not None
    assert PeriodicReport.objects.filter(plan__code=content.NAP_CODE).count() == 2
