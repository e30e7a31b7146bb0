"""Who reads what on the divergence page (docs/publishing.md, "Who reads what"): anonymous
readers and signed-in outsiders compare the figures of the plan's latest published release, and
a pair of which either figure is suppressed is not compared but listed with the flag's words;
the plan's members compare the detail. The API's divergence follows the same rule."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
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

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE
from wpsmonitor.publishing.models import ReleaseFigure
from wpsmonitor.shadow.divergence import compare


@pytest.fixture
def published(rw: ReleaseWorld) -> ReleaseWorld:
    add_small_totals(rw)
    publish_with_trap(rw)
    return rw


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


def _url(rw: ReleaseWorld) -> str:
    return f"/plans/{rw.plan.code}/divergence/"


def _table(text: str, caption: str) -> str:
    """The rows of the table with that caption, as text ("" when the page has none)."""
    if caption not in text:
        return ""
    return text[text.index(caption) :].split("Download this table")[0]


def _csv(client: Client, rw: ReleaseWorld, table: str) -> list[list[str]]:
    response = client.get(_url(rw), {"period": "2025", "download": "csv", "table": table})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_anonymous_and_outsiders_compare_the_release(published: ReleaseWorld) -> None:
    for client in (Client(), _outsider()):
        page = client.get(_url(published), {"period": "2025"})
        assert page.status_code == 200
        text = main_text(page.content)
        assert "Published figures: release 1 of" in text
        assert not LEAK.search(text)
        compared = _table(text, "Largest differences first, 2025")
        # The survivors' yearly totals are free: compared as the release has them.
        assert "PRO-01 Indicator PRO-01 District 11 Women's watch 26 30 13 %" in compared
        assert "PRO-03" not in compared  # each of its pairs has a figure hidden
        hidden = _table(text, "Pairs not compared, 2025")
        # The government's 2 in District 11 and civil society's 3 in District 21: the flag's
        # words, never the figure; the other side's figure is public.
        assert "PRO-03 Indicator PRO-03 District 11 Women's watch fewer than 5 9 " in hidden
        assert "PRO-03 Indicator PRO-03 District 21 Women's watch 30 fewer than 5 " in hidden
        # District 12: a complement hides one of its figures; no difference is given.
        assert "District 12" in hidden and "%" not in hidden


def test_members_compare_the_detail(published: ReleaseWorld) -> None:
    text = main_text(_member(published).get(_url(published), {"period": "2025"}).content)
    assert "before disclosure control: they are not public." in text
    # The detail: here, the planted figure (the test's own proof that it would show).
    assert LEAK.search(_table(text, "Largest differences first, 2025"))
    assert "Pairs not compared" not in text and "fewer than" not in text


def test_no_release_means_no_figure_compared(rw: ReleaseWorld) -> None:
    add_small_totals(rw)
    text = main_text(Client().get(_url(rw), {"period": "2025"}).content)
    assert "No figures published yet." in text
    assert "No figures are compared until a release" in text
    assert "Largest differences first" not in text and "PRO-01" not in text
    # The actions' accounts are not figures: they are still there for everyone.
    assert "Actions where the accounts differ" in text
    for table in ("divergences", "not_compared"):
        assert len(_csv(Client(), rw, table)) == 1, table  # the header only
    assert len(_csv(_member(rw), rw, "divergences")) > 1


def test_downloads_hold_what_the_page_shows(published: ReleaseWorld) -> None:
    rows = _csv(Client(), published, "divergences")
    assert [r[0] for r in rows[1:]] == ["PRO-01", "PRO-01", "PRO-01"]
    assert rows[1][3:7] == ["District 11", "Women's watch", "26", "30"]
    assert not any(LEAK.search(",".join(r)) for r in rows)
    hidden = _csv(Client(), published, "not_compared")
    # In the figure's column, the flag's words, never the figure.
    assert ["PRO-03", "District 11", "fewer than 5", "9"] in [
        [r[0], r[3], r[5], r[6]] for r in hidden
    ]
    assert ["PRO-03", "District 21", "30", "fewer than 5"] in [
        [r[0], r[3], r[5], r[6]] for r in hidden
    ]
    assert not any(LEAK.search(",".join(r)) for r in hidden)
    book = Client().get(
        _url(published), {"period": "2025", "download": "xlsx", "table": "not_compared"}
    )
    sheets = load_workbook(io.BytesIO(book.content), read_only=True)
    cells = [
        str(c) for ws in sheets.worksheets for row in ws.iter_rows(values_only=True) for c in row
    ]
    assert "fewer than 5" in cells and not any(LEAK.search(c) for c in cells)
    assert any("Published release 1" in c for c in cells)  # the About sheet says what it holds
    member = _csv(_member(published), published, "divergences")
    assert any(LEAK.search(",".join(r)) for r in member)


def test_the_api_compares_the_same_pairs(published: ReleaseWorld) -> None:
    from tests.publishing.conftest import _user

    _token, raw = ApiToken.issue(user=_user("api-outsider"), name="t")
    answer = (
        Client()
        .get(
            f"/api/v1/plans/{published.plan.code}/divergence?period=2025",
            headers={"Authorization": f"Bearer {raw}"},
        )
        .json()
    )
    assert (answer["reading"], answer["release"]) == ("release", 1)
    page = _csv(Client(), published, "divergences")[1:]
    assert [(i["indicator"], i["area"]) for i in answer["items"]] == [(r[0], r[2]) for r in page]
    hidden = _csv(Client(), published, "not_compared")[1:]
    assert answer["not_compared"] == len(hidden) > 0
    # None of them is an item: a suppressed figure is never compared.
    flagged = set(
        ReleaseFigure.objects.exclude(flag="")
        .filter(cell_key="", period_code="2025")
        .values_list("indicator__code", "area__code", "source__code")
    )
    for item in answer["items"]:
        assert (item["indicator"], item["area"], "government") not in flagged
        assert (item["indicator"], item["area"], item["source"]) not in flagged


def test_a_hidden_figure_still_says_where_civil_society_reported(rw: ReleaseWorld) -> None:
    # Civil society reported in District 11 only: Province 1's figure is that district's sum,
    # never compared with the government's province (shadow.divergence), even when the release
    # hides the district's figure and publishes the province's.
    figures = hand_release(
        rw,
        [
            ("D11", GOVERNMENT_SOURCE, 10, ""),
            ("P1", GOVERNMENT_SOURCE, 30, ""),
            ("D11", CSO, None, "primary"),
            ("P1", CSO, 12, ""),
        ],
    )
    found = compare(rw.plan, "2025", figures=figures)
    assert found.divergences == []
    (hidden,) = found.not_compared
    assert (hidden.area.code, hidden.government, hidden.civil_society) == ("SEN-D11", 10, None)
    assert hidden.civil_society_flag_text == "fewer than 5" and hidden.government_flag_text == ""
