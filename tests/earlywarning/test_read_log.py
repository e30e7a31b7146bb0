"""Reads of a signal are logged like story reads (docs/stories.md, "Who reads a signal"):
every read by someone who is not one of the plan's coordinators, whole or coarse, on the
signal's page or in the list; the coordinators' own reads are not; the log is shown on the
signal's page to the coordinators only."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.earlywarning.conftest import WarningWorld

from wpsmonitor.earlywarning.models import SignalRead

pytestmark = pytest.mark.django_db


def _client(ww: WarningWorld, name: str) -> Client:
    client = Client()
    client.force_login(ww.users[name])
    return client


def _page(ww: WarningWorld, name: str, pk: int):  # type: ignore[no-untyped-def]
    return _client(ww, name).get(f"/plans/{ww.plan.code}/early-warning/{pk}/")


def test_a_whole_and_a_coarse_read_are_logged_a_coordinators_is_not(ww: WarningWorld) -> None:
    signal = ww.acknowledged()
    assert _page(ww, "coordinator", signal.pk).status_code == 200
    assert not SignalRead.objects.exists()
    assert _page(ww, "monitor", signal.pk).status_code == 200  # its reporter's people: whole
    assert _page(ww, "viewer", signal.pk).status_code == 200  # another member: coarse
    logged = {
        (r.reader_name, r.channel, r.reading) for r in SignalRead.objects.filter(signal=signal)
    }
    assert logged == {("monitor", "page", "full"), ("viewer", "page", "coarse")}


def test_a_read_in_the_list_is_logged_and_one_refused_is_not(ww: WarningWorld) -> None:
    received = ww.receive()  # in the queue: the coordinators' alone
    signal = ww.acknowledged()
    assert _client(ww, "viewer").get(f"/plans/{ww.plan.code}/early-warning/").status_code == 200
    assert [(r.signal_id, r.channel, r.reading) for r in SignalRead.objects.all()] == [
        (signal.pk, "list", "coarse")
    ]
    assert _page(ww, "viewer", received.pk).status_code == 404
    assert not SignalRead.objects.filter(signal=received).exists()


def test_the_log_is_shown_to_the_coordinators_only(ww: WarningWorld) -> None:
    signal = ww.acknowledged()
    _page(ww, "viewer", signal.pk)
    page = _page(ww, "coordinator", signal.pk).content.decode()
    assert "Who read it" in page and "viewer" in page
    for name in ("monitor", "viewer"):
        assert "Who read it" not in _page(ww, name, signal.pk).content.decode()
