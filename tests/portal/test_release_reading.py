"""Who reads what on the portal's pages (docs/publishing.md, "Who reads what"): anonymous
readers and signed-in outsiders read the plan's latest published release, its suppressed
figures shown as their flag; the plan's members see the detail, and are told it is not public.

The leak tests plant a sentinel: once the release is published, every aggregate and raw value
the release hides (and every figure of the restricted indicator, which it leaves out) is
overwritten with 4242. The release stored nothing of them, so a page that shows 4242 to a
release reader has read the fact tables, whatever the query parameters."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from tests.publishing.conftest import CSO, PASSWORD, ReleaseWorld
from tests.publishing.conftest import rw as rw  # noqa: F401  (the fixture)

from wpsmonitor.indicators.models import AggregateValue, DataValue
from wpsmonitor.publishing import services
from wpsmonitor.publishing.models import Release, ReleaseFigure

SENTINEL = 4242
# As the pages and files may write it: 4242, 4,242, 4 242 (any space), 4242.0.
# Not inside a word: a nonce or a file's hash in the page's head may hold the digits.
LEAK = re.compile(r"(?<![\w/-])4[,.\s\u00a0\u202f]?242(?![\w/-])")

AREAS = ["SEN", "SEN-P1", "SEN-P2", "SEN-D11", "SEN-D12", "SEN-D21"]
PERIODS = ["", "ALL", "2025", "2025Q1", "bogus"]
SOURCES = ["", CSO, "nobody"]  # "": the government's


def _publish(rw: ReleaseWorld) -> Release:
    draft = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    return services.release_publish(by=rw.coordinator, release=draft, confirm=True)


def _plant_sentinel(rw: ReleaseWorld, release: Release) -> int:
    """Overwrite what the release hides with SENTINEL in the fact tables; how many figures."""
    hidden = list(
        ReleaseFigure.objects.filter(release=release)
        .exclude(flag="")
        .values_list("indicator_id", "area_id", "period_code", "cell_key", "source_id")
    )
    for indicator_id, area_id, period, cell_key, source_id in hidden:
        AggregateValue.objects.filter(
            indicator_id=indicator_id,
            area_id=area_id,
            period_code=period,
            cell_key=cell_key,
            source_id=source_id,
        ).update(value=SENTINEL)
        # The raw value under a hidden district's quarter (the cross-tab computes from them).
        DataValue.objects.filter(
            indicator_id=indicator_id,
            area_id=area_id,
            period__code=period,
            cell__code=cell_key or "total",
            source_id=source_id,
        ).update(value=SENTINEL)
    AggregateValue.objects.filter(indicator=rw.restricted).update(value=SENTINEL)
    DataValue.objects.filter(indicator=rw.restricted).update(value=SENTINEL)
    return len(hidden)


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _outsider() -> Client:
    user = get_user_model().objects.create_user(
        username="outsider", email="outsider@example.org", password=PASSWORD
    )
    return _signed_in(user)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("\u00a0", " ")


def _body(response) -> str:  # type: ignore[no-untyped-def]
    """A page or a file as text: the sheets of an XLSX, the text of anything else."""
    content = response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return " ".join(
                book.read(name).decode()
                for name in book.namelist()
                if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
            )
    html = content.decode()
    if "<main" in html:
        return html[html.index("<main") : html.index("</main>")]
    return html


@pytest.fixture
def published(rw: ReleaseWorld) -> ReleaseWorld:
    release = _publish(rw)
    assert _plant_sentinel(rw, release) > 0
    return rw


# --- what each reader reads -------------------------------------------------------------------


def test_anonymous_and_outsiders_read_the_release_with_its_flags(published: ReleaseWorld) -> None:
    code = published.plan.code
    url = f"/plans/{code}/indicators/PRO-01/"
    params = {"area": "SEN-D11", "period": "2025Q1"}
    for client in (Client(), _outsider()):
        text = _text(client.get(url, params))
        assert "Published figures: release 1 of" in text
        assert "Small counts are hidden to protect people." in text
        # Two women survivors in District 11 that quarter: a small count, never shown.
        assert re.search(r"Female fewer than 5", text), text
        assert "2 survivors" not in text
        assert not LEAK.search(text)
        # The plan page and the area page say the same.
        plan = _text(client.get(f"/plans/{code}/", {"area": "SEN-D11", "period": "2025Q1"}))
        assert "Published figures: release 1 of" in plan and not LEAK.search(plan)
        area = _text(client.get("/areas/SEN-D11/"))
        assert "Published figures: release 1 of" in area and not LEAK.search(area)


def test_members_see_the_detail_and_are_told_it_is_not_public(published: ReleaseWorld) -> None:
    code = published.plan.code
    for user in (published.coordinator, published.focal_point, published.monitor):
        client = _signed_in(user)
        text = _text(
            client.get(f"/plans/{code}/indicators/PRO-01/", {"area": "SEN-D11", "period": "2025Q1"})
        )
        assert "before disclosure control: they are not public." in text
        assert "The public reads release 1." in text
        # The detail: here, the planted figure (the test's own proof that it would show).
        assert LEAK.search(text)
        assert "fewer than 5" not in text


def test_the_release_page_link_names_the_published_release(published: ReleaseWorld) -> None:
    html = Client().get(f"/plans/{published.plan.code}/").content.decode()
    assert f'href="/plans/{published.plan.code}/releases/1/"' in html
    assert 'role="note"' in html


def test_no_release_means_no_figure(rw: ReleaseWorld) -> None:
    code = rw.plan.code
    for url in (
        f"/plans/{code}/",
        f"/plans/{code}/indicators/PRO-01/",
        f"/plans/{code}/indicators/PA-01/",
        "/areas/SEN-D11/",
    ):
        text = _text(Client().get(url, {"area": "SEN-D11"} if "areas" not in url else None))
        assert "No figures published yet." in text, url
        # No figure of any indicator, small or not.
        assert not re.search(r"\d (survivors|meetings|defenders)\b", text), url
        assert "fewer than" not in text, url
    # No figure at all: the meetings (2 a district) and survivors are nowhere.
    indicator = _text(Client().get(f"/plans/{code}/indicators/PA-01/"))
    assert "2 meetings" not in indicator and "No value has been reported" in indicator
    csv = Client().get(f"/plans/{code}/indicators/PA-01/", {"download": "csv", "table": "series"})
    assert csv.status_code == 200 and "meetings" not in csv.content.decode().split("\n", 1)[-1]
    # The members still see the detail, and that the public sees nothing yet.
    member = _text(_signed_in(rw.coordinator).get(f"/plans/{code}/indicators/PA-01/"))
    assert "The public sees no figures yet" in member and "meetings" in member


def test_a_withdrawn_release_is_read_by_no_one(
    rw: ReleaseWorld, django_capture_on_commit_callbacks: Any
) -> None:
    release = _publish(rw)
    code = rw.plan.code
    before = _text(Client().get(f"/plans/{code}/indicators/PA-01/"))
    assert "Published figures: release 1" in before and "meetings" in before
    # Committed, the withdrawal makes every cached public page stale (shell.public_cache).
    with django_capture_on_commit_callbacks(execute=True):
        services.release_withdraw(by=rw.coordinator, release=release, reason="Harm found.")
    after = _text(Client().get(f"/plans/{code}/indicators/PA-01/"))
    assert "No figures published yet." in after
    assert "No value has been reported" in after


def test_release_readers_are_told_the_cross_tab_is_totals_and_margins(
    published: ReleaseWorld,
) -> None:
    # A two-dimension indicator: the cells are not offered to release readers.
    world = published.world
    police = world.indicator("PA-02", scheme=["sex", "rank"], unit="officers")
    for area in ("D11", "D12"):
        world.value(police, "2025Q1", area, 30, cell="sex=F;rank=constable")
    url = f"/plans/{published.plan.code}/indicators/PA-02/"
    anonymous = Client().get(url, {"cells": "on"}).content.decode()
    assert "not every combination of them" in anonymous
    assert 'name="cells"' not in anonymous
    member = _signed_in(published.coordinator).get(url).content.decode()
    assert 'name="cells"' in member and "not every combination of them" not in member


# --- no query parameter reaches a hidden figure -------------------------------------------------


def _combinations() -> list[dict[str, str]]:
    found = []
    for area, period, source in itertools.product(AREAS, PERIODS, SOURCES):
        params = {"area": area, "period": period, "source": source}
        found.append({k: v for k, v in params.items() if v})
    return found


@pytest.mark.parametrize("indicator", ["PRO-01", "PRO-09"])
def test_no_parameter_shows_a_hidden_figure_on_the_indicator_page(
    published: ReleaseWorld, indicator: str
) -> None:
    client = Client()
    url = f"/plans/{published.plan.code}/indicators/{indicator}/"
    if indicator == "PRO-09":
        # Restricted: it has no page at all for whoever may not read it.
        assert client.get(url).status_code == 404
    for params in _combinations():
        for extra in ({}, {"cells": "on"}):
            response = client.get(url, {**params, **extra})
            assert response.status_code == (404 if indicator == "PRO-09" else 200)
            assert not LEAK.search(_body(response)), (params, extra)
        for table in ("series", "disaggregation", "by_area", "sources"):
            response = client.get(url, {**params, "cells": "on", "download": "csv", "table": table})
            if response.status_code == 200:
                assert not LEAK.search(_body(response)), (params, table)
    for table in ("series", "disaggregation", "by_area", "sources"):
        response = client.get(url, {"area": "SEN-D11", "download": "xlsx", "table": table})
        if response.status_code == 200:
            assert not LEAK.search(_body(response)), table


def test_no_parameter_shows_a_hidden_figure_on_the_plan_and_area_pages(
    published: ReleaseWorld,
) -> None:
    client = Client()
    code = published.plan.code
    for params in _combinations():
        response = client.get(f"/plans/{code}/", params)
        assert response.status_code == 200
        assert not LEAK.search(_body(response)), params
        for fmt in ("csv", "xlsx"):
            for table in ("indicators", "off_track"):
                response = client.get(
                    f"/plans/{code}/", {**params, "download": fmt, "table": table}
                )
                if response.status_code == 200:
                    assert not LEAK.search(_body(response)), (params, fmt, table)
    areas = client.get(f"/plans/{code}/areas/")
    assert areas.status_code == 200 and not LEAK.search(_body(areas))
    for area in AREAS:
        page = client.get(f"/areas/{area}/")
        assert page.status_code == 200 and not LEAK.search(_body(page)), area
        for fmt in ("csv", "xlsx"):
            for table in ("plans", f"indicators-{code}"):
                response = client.get(f"/areas/{area}/", {"download": fmt, "table": table})
                if response.status_code == 200:
                    assert not LEAK.search(_body(response)), (area, fmt, table)


def test_downloads_write_the_flag_in_place_of_the_value(published: ReleaseWorld) -> None:
    response = Client().get(
        f"/plans/{published.plan.code}/indicators/PRO-01/",
        {"area": "SEN-D11", "period": "2025Q1", "download": "csv", "table": "disaggregation"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    female = next(line for line in body.splitlines() if "Female" in line)
    assert "fewer than 5" in female and ",2," not in female
    assert "Published release 1" in body or "Published release 1" in _body(
        Client().get(
            f"/plans/{published.plan.code}/indicators/PRO-01/",
            {"area": "SEN-D11", "period": "2025Q1", "download": "xlsx", "table": "series"},
        )
    )


def test_the_chart_leaves_a_gap_with_the_flag_never_a_zero(published: ReleaseWorld) -> None:
    # The civil-society line and the government's: District 11's quarters, one of them hidden.
    html = (
        Client()
        .get(f"/plans/{published.plan.code}/indicators/PRO-01/", {"area": "SEN-D11"})
        .content.decode()
    )
    svg = html[html.index("<svg", html.index('id="series-chart') - 200) :]
    svg = svg[: svg.index("</svg>")]
    assert not LEAK.search(svg)


def test_a_hidden_point_is_a_gap_named_by_its_flag(rw: ReleaseWorld) -> None:
    from wpsmonitor.indicators.selectors import Figure, SeriesPoint
    from wpsmonitor.portal.charts import indicator_chart

    series = [
        SeriesPoint("2025Q1", Figure(value=12.0)),
        SeriesPoint("2025Q2", Figure(flag="primary", threshold=5)),
        SeriesPoint("2025Q3", Figure(value=14.0)),
    ]
    svg = str(
        indicator_chart(
            indicator=rw.survivors,
            series=series,
            comparison=None,
            source_name="Government",
            headline=Figure(),
            headline_period="Whole plan to date",
            area_name="Senegal",
        )
    )
    assert "Gaps in the line are figures hidden in the release: 2025Q2: fewer than 5." in svg
    # Two markers, not three: the hidden quarter is not drawn (as a zero or otherwise).
    assert svg.count("2025Q2: ") == 1 and "2025Q1: 12" in svg and "2025Q3: 14" in svg
