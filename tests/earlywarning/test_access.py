"""Who reads a signal, and how much (docs/stories.md, "Who reads a signal"): the matrix of
readers and statuses, through the rule and through the pages."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.earlywarning.conftest import MARKER, WarningWorld

from wpsmonitor.accounts.access import SIGNAL_COARSE, SIGNAL_FULL, PlanAccess

pytestmark = pytest.mark.django_db

FULL, COARSE, NONE = SIGNAL_FULL, SIGNAL_COARSE, None

# reader: (received, acknowledged, referred to the ministry)
MATRIX = {
    "coordinator": (FULL, FULL, FULL),
    "admin": (FULL, FULL, FULL),
    # The reporting organisation's people: not while it waits in the moderation queue.
    "monitor": (NONE, FULL, FULL),
    # The ministry's focal point: coarse, whole once the signal is referred to the ministry.
    "focal": (NONE, COARSE, FULL),
    "viewer": (NONE, COARSE, COARSE),
    "other_monitor": (NONE, COARSE, COARSE),
    "outsider": (NONE, NONE, NONE),
}


def _signals(ww: WarningWorld):  # type: ignore[no-untyped-def]
    return (
        ww.receive(),
        ww.acknowledged(),
        ww.referred(),
    )


@pytest.mark.parametrize("reader", MATRIX)
def test_the_rule(ww: WarningWorld, reader: str) -> None:
    access = PlanAccess(ww.users[reader], ww.plan)
    assert tuple(access.signal_reading(s) for s in _signals(ww)) == MATRIX[reader]


def _client(ww: WarningWorld, reader: str | None) -> Client:
    client = Client()
    if reader is not None:
        client.force_login(ww.users[reader])
    return client


@pytest.mark.parametrize("reader", MATRIX)
def test_the_signal_page(ww: WarningWorld, reader: str) -> None:
    client = _client(ww, reader)
    for signal, reading in zip(_signals(ww), MATRIX[reader], strict=True):
        response = client.get(f"/plans/{ww.plan.code}/early-warning/{signal.pk}/")
        if reader == "outsider":
            assert response.status_code == 403
            continue
        if reading is None:
            assert response.status_code == 404
            continue
        assert response.status_code == 200
        page = response.content.decode()
        if reading == FULL:
            assert MARKER in page and "District 11" in page and "2025-03-14" in page
            assert "Women&#x27;s Watch" in page or "Women's Watch" in page
        else:  # the province, the month; no description, no reporter
            assert MARKER not in page and "Women&#x27;s Watch" not in page
            assert "Province 1" in page and "District 11" not in page
            assert "2025-03" in page and "2025-03-14" not in page


@pytest.mark.parametrize("reader", MATRIX)
def test_the_list_shows_nothing_of_the_queue_but_to_coordinators(
    ww: WarningWorld, reader: str
) -> None:
    received, acknowledged, _referred = _signals(ww)
    response = _client(ww, reader).get(f"/plans/{ww.plan.code}/early-warning/")
    if reader == "outsider":
        assert response.status_code == 403
        return
    page = response.content.decode()
    link = f"/early-warning/{received.pk}/"
    assert (link in page) == (MATRIX[reader][0] is not None)
    assert f"/early-warning/{acknowledged.pk}/" in page
    assert MARKER not in page  # lists never print a description


def test_anonymous_and_token_holders_read_nothing(ww: WarningWorld) -> None:
    received, acknowledged, referred = _signals(ww)
    anonymous = Client()
    for signal in (received, acknowledged, referred):
        answer = anonymous.get(f"/plans/{ww.plan.code}/early-warning/{signal.pk}/")
        assert answer.status_code == 302 and "/accounts/" in answer["Location"]
    for path in ("", "response-times/", "links/"):
        answer = anonymous.get(f"/plans/{ww.plan.code}/early-warning/{path}")
        assert answer.status_code == 302
    # The link opens its form, and shows no signal, not even its own organisation's.
    page = anonymous.get(ww.intake_url()).content.decode()
    assert MARKER not in page and "/early-warning/" + str(acknowledged.pk) not in page
    api = f"/api/v1/plans/{ww.plan.code}/early-warning/response-times"
    assert anonymous.get(api).status_code == 401


@pytest.mark.parametrize(
    ("reader", "status"),
    [("coordinator", 200), ("admin", 200), ("viewer", 403), ("monitor", 403), ("outsider", 403)],
)
def test_only_coordinators_manage_the_intake_links(
    ww: WarningWorld, reader: str, status: int
) -> None:
    client = _client(ww, reader)
    assert client.get(f"/plans/{ww.plan.code}/early-warning/links/").status_code == status
    answer = client.post(
        f"/plans/{ww.plan.code}/early-warning/links/", {"organisation": "women-watch"}
    )
    assert answer.status_code == status
    ww.token.refresh_from_db()
    answer = client.post(f"/plans/{ww.plan.code}/early-warning/links/", {"token": ww.token.pk})
    ww.token.refresh_from_db()
    assert ww.token.revoked == (status == 200)


@pytest.mark.parametrize(
    ("reader", "status"),
    [("coordinator", 200), ("viewer", 200), ("focal", 200), ("outsider", 403)],
)
def test_response_times_are_for_the_plans_members(
    ww: WarningWorld, reader: str, status: int
) -> None:
    client = _client(ww, reader)
    assert client.get(f"/plans/{ww.plan.code}/early-warning/response-times/").status_code == status
    api = client.get(f"/api/v1/plans/{ww.plan.code}/early-warning/response-times")
    assert api.status_code == status
