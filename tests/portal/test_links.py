"""Every role is shown only the links it may follow (issue 12 §6): the pages a member of a
plan moves through, followed link by link, never lead to "Not allowed" (403)."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.boards.conftest import build_board
from tests.links import forbidden_links

ROLES = [
    "admin",
    "coordinator",
    "focal",
    "police_focal",
    "monitor",
    "other_monitor",
    "viewer",
    "outsider",
    "gov_member",
    "cs_member",
    "anonymous",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_a_link_that_answers_403(role: str) -> None:
    built = build_board()
    client = Client()
    if role != "anonymous":
        client.force_login(built.users[role])
    plan = f"/plans/{built.plan.code}"
    pages = [
        "/",
        "/me/",
        "/reporting/",
        f"{plan}/",
        f"{plan}/reporting/",
        f"{plan}/field-collection/",
        f"{plan}/board/",
        f"{plan}/reports/",
        f"{plan}/reports/{built.draft.pk}/",
        f"{plan}/reports/{built.awaiting.pk}/",
        f"{plan}/recommendations/",
        f"{plan}/civil-society-indicators/",
        f"{plan}/actions/",
        f"{plan}/public/",
        f"{plan}/public/security/",
        f"{plan}/public/peace/",
        f"{plan}/public/oversight/",
    ]
    assert forbidden_links(client, pages) == {}
