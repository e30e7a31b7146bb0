"""A signal is read whole only by a reader who proved a second factor, as a story is
(docs/stories.md, "Who reads a signal"): unproven, `read_signal` and `signals_for` read it
coarse at most, and the read log says so, with its channel."""

from __future__ import annotations

import pytest
from tests.earlywarning.conftest import MARKER, WarningWorld
from tests.earlywarning.test_access import COARSE, FULL, MATRIX

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.earlywarning import selectors
from wpsmonitor.earlywarning.models import SignalRead

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reader", MATRIX)
def test_unproven_a_whole_reading_is_coarse(ww: WarningWorld, reader: str) -> None:
    signals = (ww.receive(), ww.acknowledged(), ww.referred())
    access = PlanAccess(ww.users[reader], ww.plan)
    unproven = tuple(COARSE if r == FULL else r for r in MATRIX[reader])
    assert tuple(access.signal_reading(s, verified=False) for s in signals) == unproven
    read = [selectors.read_signal(access, s, channel="page") for s in signals]
    assert tuple(r.reading if r else None for r in read) == unproven
    assert all(r is None or (MARKER not in r.description and not r.organisation) for r in read)
    proven = [selectors.read_signal(access, s, verified=True) for s in signals]
    assert tuple(r.reading if r else None for r in proven) == MATRIX[reader]


def test_the_list_reads_coarse_unproven_and_logs_it(ww: WarningWorld) -> None:
    signal = ww.referred()  # the ministry's focal point reads it whole, with a second factor
    access = PlanAccess(ww.users["focal"], ww.plan)
    (read,) = selectors.signals_for(access)
    assert read.reading == COARSE and read.area.code == "SEN-P1" and read.observed == "2025-03"
    (read,) = selectors.signals_for(access, verified=True)
    assert read.reading == FULL and MARKER in read.description
    log = SignalRead.objects.filter(signal=signal).order_by("pk")
    assert list(log.values_list("channel", "reading", "reader__username")) == [
        ("list", COARSE, "focal"),
        ("list", FULL, "focal"),
    ]
