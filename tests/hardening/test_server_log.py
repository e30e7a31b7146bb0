"""Issue 12 §6: the server log says who was refused what, in one line, without a traceback."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from tests.portal.conftest import build_plan


@pytest.mark.django_db
def test_a_refused_page_logs_one_line_without_traceback(caplog: pytest.LogCaptureFixture) -> None:
    plan = build_plan(code="nap-log").plan
    user = get_user_model().objects.create_user(username="nobody", password="x")
    client = Client()
    client.force_login(user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/plans/{plan.code}/iati/import/")
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.exc_info is None and not record.exc_text
    line = logging.Formatter().format(record)
    assert line == f"Forbidden: GET /plans/{plan.code}/iati/import/ (user {user.pk})"
    assert "Traceback" not in caplog.text
