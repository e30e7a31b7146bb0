"""Who reads what on the scorecard page (docs/publishing.md, "Who reads what"): anonymous
readers and signed-in outsiders score civil society's figures of the plan's latest published
release, where a suppressed figure is neither listed nor scored (as in the API); the plan's
members score the detail. The downloads hold what the page shows."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from openpyxl import load_workbook
from tests.aggregation.conftest import CSO
from tests.publishing.conftest import PASSWORD, ReleaseWorld
from tests.publishing.conftest import rw as rw  # noqa: F401  (the fixture)
from tests.publishing.figure_pages import (
    LEAK,
    add_small_totals,
    hand_release,
    main_text,
    publish_with_trap,
)

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.scorecard import scoring

# The items of 2025 of civil society's source (cso-watch), as (code, area, value) in the
# items download: every total the release publishes. PRO-03's 3 in District 21 is suppressed.
RELEASE_ITEMS = [
    ["PRO-01", "SEN-D11", "30"],
    ["PRO-01", "SEN-D12", "40"],
    ["PRO-01", "SEN-D21", "40"],
    ["PRO-03", "SEN-D11", "9"],
    ["PRO-03", "SEN-D12", "44"],
]


@pytest.fixture
def published(rw: ReleaseWorld) -> ReleaseWorld:
    add_small_totals(rw)
    publish_with_trap(rw)
    return rw


def _url(rw: ReleaseWorld) -> str:
    return f"/plans/{rw.plan.code}/scorecard/"


def _outsider() -> Client:
    user = get_user_model().objects.create_user(
        username="outsider", email="outsider@example.org", password=PASSWORD
    )
    client = Client()
    client.force_login(user)
    return client


def _member(rw: ReleaseWorld) -> Client:
    client = Client()
    client.force_login(rw.monitor)
    return client


def _items(client: Client, rw: ReleaseWorld) -> list[list[str]]:
    response = client.get(_url(rw), {"year": "2025", "download": "csv", "table": "items"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    at = [header.index(name) for name in ("Code", "Area", "Value")]
    return [[row[i] for i in at] for row in rows[1:]]


def test_anonymous_and_outsiders_score_the_release(published: ReleaseWorld) -> None:
    for client in (Client(), _outsider()):
        text = main_text(client.get(_url(published), {"year": "2025"}).content)
        assert "Published figures: release 1 of" in text
        assert "A figure hidden in the release is neither listed nor scored" in text
        assert "Local: District 11 PA Other themes PRO-03 Indicator PRO-03 9 survivors" in text
        assert "Local: District 21 PA Other themes PRO-03" not in text  # its 3 is hidden
        assert not LEAK.search(text)
        assert _items(client, published) == RELEASE_ITEMS


def test_members_score_the_detail(published: ReleaseWorld) -> None:
    member = _member(published)
    text = main_text(member.get(_url(published), {"year": "2025"}).content)
    assert "before disclosure control: they are not public." in text
    assert "Published figures" not in text
    # The detail: here, the planted figure (the test's own proof that it would show).
    assert LEAK.search(text)
    assert _items(member, published) == [*RELEASE_ITEMS, ["PRO-03", "SEN-D21", "4242"]]


def test_no_release_means_only_the_actions_are_scored(rw: ReleaseWorld) -> None:
    add_small_totals(rw)
    text = main_text(Client().get(_url(rw)).content)
    assert "No figures published yet." in text
    assert "PRO-01" not in text and "PRO-03" not in text
    assert "there is nothing to score" in text  # no action assessed either
    items = Client().get(_url(rw), {"year": "2025", "download": "csv", "table": "items"})
    assert items.status_code == 404  # no scorecard, no table
    assert _items(_member(rw), rw)  # the members' scorecard has them


def test_downloads_follow_the_same_rule(published: ReleaseWorld) -> None:
    for table in ("scores", "items"):
        book = Client().get(_url(published), {"year": "2025", "download": "xlsx", "table": table})
        sheets = load_workbook(io.BytesIO(book.content), read_only=True)
        cells = [
            str(c)
            for ws in sheets.worksheets
            for row in ws.iter_rows(values_only=True)
            for c in row
            if c is not None
        ]
        assert not any(LEAK.search(c) for c in cells), table
        assert any("Published release 1" in c for c in cells), table  # the About sheet


def test_the_api_scores_the_same_items(published: ReleaseWorld) -> None:
    from tests.publishing.conftest import _user

    _token, raw = ApiToken.issue(user=_user("api-outsider"), name="t")
    answer = (
        Client()
        .get(
            f"/api/v1/plans/{published.plan.code}/scorecard?year=2025",
            headers={"Authorization": f"Bearer {raw}"},
        )
        .json()
    )
    assert (answer["reading"], answer["release"]) == ("release", 1)
    (card,) = answer["sources"]
    found = [[i["code"], i["area"], f"{i['value']:g}"] for i in card["items"]]
    assert found == RELEASE_ITEMS


def test_a_hidden_figure_still_says_where_civil_society_reported(rw: ReleaseWorld) -> None:
    # Civil society reported in District 11 only: Province 1's figure is that district's sum,
    # not scored as if it had measured the province (scoring._where_measured), even when the
    # release hides the district's figure and publishes the province's.
    figures = hand_release(rw, [("D11", CSO, None, "primary"), ("P1", CSO, 12, "")])
    access = plan_access(AnonymousUser(), rw.plan.code)
    card = scoring.plan_scorecard(access, CSO, figures).card(CSO)
    assert card is None or [i for i in card.items if i.kind == "indicator"] == []
    # Without the district's row, the province is where it reported: scored there.
    shown = scoring.plan_scorecard(access, CSO, figures.exclude(area__code="SEN-D11")).card(CSO)
    assert shown is not None
    assert [(i.code, i.area.code) for i in shown.items] == [("PA-01", "SEN-P1")]
