"""A signal's description and action are unreadable in the database's own bytes."""

from __future__ import annotations

import pytest
from django.db import connection
from tests.earlywarning.conftest import MARKER, WarningWorld

from wpsmonitor.core import encryption
from wpsmonitor.earlywarning import services
from wpsmonitor.earlywarning.models import Signal

pytestmark = pytest.mark.django_db


def test_description_and_action_are_unreadable_in_the_raw_table(ww: WarningWorld) -> None:
    signal = ww.referred()
    services.signal_record_action(
        by=ww.users["coordinator"], signal=signal, action=f"Escort arranged for {MARKER}"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM earlywarning_signal")
        rows = cursor.fetchall()
    assert rows and not any(MARKER in str(value) for row in rows for value in row)
    assert sum(str(v).startswith(encryption.PREFIX) for row in rows for v in row) == 2
    stored = Signal.objects.get()
    assert MARKER in stored.description and MARKER in stored.action
