"""Bad input gets a clear refusal, never a traceback or a silent wrong figure (issue 12, §5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import db_state, refused

pytestmark = pytest.mark.django_db


def test_a_json_plan_file_with_a_5001_digit_number_is_refused_with_a_message(
    small_plan, tmp_path: Path
) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{"plan": {"code": "x", "order": %s}}' % ("9" * 5001), encoding="utf-8")
    before = db_state()
    assert refused(path) == [
        "plan.json: a number has 5,001 characters; numbers have at most 40"
    ]
    assert db_state() == before
