"""Narrative and list indicators are read as text, not as "No value" (docs/dashboards.md, "Texts
and items"): the plan's members read a narrative's texts and a list's items on the indicator
page and in its downloads, and the plan page counts them; a restricted indicator's never show
to those who may not see it; the public reads the release, which carries no text and no item,
so it reads neither (docs/publishing.md, "Who reads what")."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from tests.publishing.conftest import PASSWORD, ReleaseWorld
from tests.publishing.conftest import rw as rw  # noqa: F401  (the fixture)

from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    DataValue,
    Indicator,
    IndicatorKind,
    TimeRule,
)
from wpsmonitor.indicators.services import period_ensure
from wpsmonitor.publishing import services

from .test_query_counts import count_queries

OLDER = "The ministry trained 40 mediators in District 11."
NEWER = "Women now sit on every district peace committee of Province 2."
CSO_TEXT = "The watch found the committees meet rarely."
SECRET = "Names of the defenders under protection: Amina, Fatou."


def _text_value(world, indicator: Indicator, period: str, area: str, text: str, source: str):  # type: ignore[no-untyped-def]
    now = timezone.now()
    return DataValue.objects.create(
        indicator=indicator,
        period=period_ensure(period),
        area=world.areas[area],
        cell=indicator.scheme.cells.get(code="total"),
        source=world.sources[source],
        text_value=text,
        created_at=now,
        updated_at=now,
    )


@pytest.fixture
def qw(rw: ReleaseWorld) -> ReleaseWorld:  # noqa: F811
    """The release world with a public narrative, a list and a restricted narrative."""
    world = rw.world
    story = world.indicator("PA-05", kind=IndicatorKind.NARRATIVE, time_rule=TimeRule.NONE)
    laws = world.indicator("PA-06", kind=IndicatorKind.LIST)
    secret = world.indicator(
        "PRO-15",
        kind=IndicatorKind.NARRATIVE,
        time_rule=TimeRule.NONE,
        sensitivity=Sensitivity.RESTRICTED,
    )
    _text_value(world, story, "2025Q1", "D11", OLDER, GOVERNMENT_SOURCE)
    _text_value(world, story, "2025Q2", "P2", NEWER, GOVERNMENT_SOURCE)
    _text_value(world, story, "2025Q2", "D21", CSO_TEXT, "cso-watch")
    _text_value(world, secret, "2025Q1", "D11", SECRET, GOVERNMENT_SOURCE)
    first = world.item(laws, "2025Q1", "D12")
    first.date, first.reference = date(2025, 2, 14), "Decree 2025-114"
    first.save()
    world.item(laws, "2025Q2", "N")
    world.rebuild()
    draft = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    services.release_publish(by=rw.coordinator, release=draft, confirm=True)
    return rw


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _main(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _xlsx_text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(body)) as book:
        return " ".join(
            book.read(name).decode() for name in book.namelist() if name.endswith(".xml")
        )


def _rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_member_reads_the_texts_newest_first_with_source_area_and_date(qw: ReleaseWorld) -> None:
    page = _client(qw.coordinator).get(f"/plans/{qw.plan.code}/indicators/PA-05/")
    assert page.status_code == 200
    html = _main(page)
    assert NEWER in html and OLDER in html
    assert html.index(NEWER) < html.index(OLDER)  # newest first
    assert "No value has been reported" not in html
    assert "Province 2" in html and "District 11" in html and "2025Q2" in html
    assert f'datetime="{timezone.localdate().isoformat()}"' in html
    # The source chosen above: the government's, by default; civil society's on request.
    assert CSO_TEXT not in html
    cso = _main(
        _client(qw.coordinator).get(
            f"/plans/{qw.plan.code}/indicators/PA-05/", {"source": "cso-watch"}
        )
    )
    assert CSO_TEXT in cso and OLDER not in cso
    # The period and area filters apply: 2025Q1 in Province 2 holds nothing.
    none = _main(
        _client(qw.coordinator).get(
            f"/plans/{qw.plan.code}/indicators/PA-05/", {"period": "2025Q1", "area": "SEN-P2"}
        )
    )
    assert NEWER not in none and OLDER not in none
    assert "No text has been reported for this period, area and source yet." in none


def test_a_member_reads_the_items_of_a_list(qw: ReleaseWorld) -> None:
    html = _main(_client(qw.focal_point).get(f"/plans/{qw.plan.code}/indicators/PA-06/"))
    assert "Law 1" in html and "Law 2" in html
    assert "Decree 2025-114" in html and 'datetime="2025-02-14"' in html
    assert "District 12" in html


def test_the_plan_page_counts_texts_and_items_and_links_to_them(qw: ReleaseWorld) -> None:
    html = _main(_client(qw.coordinator).get(f"/plans/{qw.plan.code}/"))
    assert '/indicators/PA-05/#texts">2 texts</a>' in html
    assert '/indicators/PA-06/#items">2 items</a>' in html
    # Another period: only what was reported within it is counted.
    q1 = _main(_client(qw.coordinator).get(f"/plans/{qw.plan.code}/", {"period": "2025Q1"}))
    assert '#texts">1 text</a>' in q1
    # The plan's download counts the texts as what the narrative reported.
    rows = _rows(
        _client(qw.coordinator).get(
            f"/plans/{qw.plan.code}/", {"download": "csv", "table": "indicators"}
        )
    )
    story = next(r for r in rows if r[2] == "PA-05")
    assert story[-1] == "2"


def test_the_downloads_hold_the_texts_and_the_items(qw: ReleaseWorld) -> None:
    client = _client(qw.coordinator)
    url = f"/plans/{qw.plan.code}/indicators/PA-05/"
    rows = _rows(client.get(url, {"download": "csv", "table": "texts"}))
    assert rows[0][:5] == ["Period", "Area", "Area code", "Source", "Text"]
    assert [r[4] for r in rows[1:]] == [NEWER, OLDER]
    assert rows[1][2] == "SEN-P2"
    assert NEWER in _xlsx_text(client.get(url, {"download": "xlsx", "table": "texts"}))
    items = _rows(
        client.get(
            f"/plans/{qw.plan.code}/indicators/PA-06/", {"download": "csv", "table": "items"}
        )
    )
    assert items[0][:3] == ["Item", "Date", "Reference"]
    assert ["Law 1", "2025-02-14", "Decree 2025-114"] in [r[:3] for r in items[1:]]


def test_the_public_reads_no_text_and_no_item_until_releases_carry_them(
    qw: ReleaseWorld,
) -> None:
    outsider = get_user_model().objects.create_user(
        username="outsider", email="outsider@example.org", password=PASSWORD
    )
    code = qw.plan.code
    for client in (Client(), _client(outsider)):
        story = client.get(f"/plans/{code}/indicators/PA-05/")
        assert story.status_code == 200
        html = _main(story)
        assert OLDER not in html and NEWER not in html
        assert "The texts of this indicator are not part of the published figures" in html
        laws = _main(client.get(f"/plans/{code}/indicators/PA-06/"))
        assert "Law 1" not in laws
        assert "The items of this list are not part of the published figures" in laws
        # No download of them either, and no count of texts on the plan page.
        assert (
            client.get(
                f"/plans/{code}/indicators/PA-05/", {"table": "texts", "download": "csv"}
            ).status_code
            == 404
        )
        assert (
            client.get(
                f"/plans/{code}/indicators/PA-06/", {"table": "items", "download": "csv"}
            ).status_code
            == 404
        )
        assert "#texts" not in _main(client.get(f"/plans/{code}/"))
        # The release's workbook holds the list's count, not its items.
        book = _xlsx_text(client.get(f"/plans/{code}/workbook.xlsx"))
        assert "ListItems" in book  # the sheet is there, empty
        assert "Law 1" not in book and OLDER not in book


def test_a_restricted_narrative_never_shows_to_those_who_may_not_see_it(qw: ReleaseWorld) -> None:
    code = qw.plan.code
    for client in (Client(), _client(qw.focal_point), _client(qw.monitor)):
        assert client.get(f"/plans/{code}/indicators/PRO-15/").status_code == 404
        assert (
            client.get(
                f"/plans/{code}/indicators/PRO-15/", {"download": "csv", "table": "texts"}
            ).status_code
            == 404
        )
        plan = _main(client.get(f"/plans/{code}/"))
        assert "PRO-15" not in plan and SECRET not in plan
        rows = client.get(f"/plans/{code}/", {"download": "csv", "table": "indicators"})
        assert "PRO-15" not in rows.content.decode("utf-8-sig")
    # Those who may see it read it, counted on the plan page too.
    coordinator = _client(qw.coordinator)
    assert SECRET in _main(coordinator.get(f"/plans/{code}/indicators/PRO-15/"))
    assert '/indicators/PRO-15/#texts">1 text</a>' in _main(coordinator.get(f"/plans/{code}/"))


def test_counting_texts_costs_the_plan_page_no_query(rw: ReleaseWorld) -> None:  # noqa: F811
    """A guard: the count rides on the query that lists the indicators."""
    client = _client(rw.coordinator)
    url = f"/plans/{rw.plan.code}/"
    before = count_queries(client, url)
    world = rw.world
    story = world.indicator("PA-05", kind=IndicatorKind.NARRATIVE, time_rule=TimeRule.NONE)
    for area in ("D11", "D12", "D21"):
        _text_value(world, story, "2025Q1", area, f"Text from {area}", GOVERNMENT_SOURCE)
    after = count_queries(client, url)
    assert '#texts">3 texts</a>' in _main(client.get(url))
    assert after == before
