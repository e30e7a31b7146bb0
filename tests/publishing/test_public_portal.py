"""The public homes of a plan and of a country (portal/public_views.py): an anonymous reader
sees the latest published release's figures and flag texts, never a suppressed value; no
release, a withdrawn release; the map (a path per area with a boundary, its table) and an area
without boundary; the downloads of exactly what is shown, with the release number."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.publishing.conftest import ReleaseWorld

from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.portal import maps
from wpsmonitor.publishing import services
from wpsmonitor.publishing.models import Release, ReleaseFigure


@pytest.fixture
def small(rw: ReleaseWorld):  # type: ignore[no-untyped-def]
    """A sensitive count with 3 cases in the whole of province P2: "fewer than 5" there."""
    world = rw.world
    cases = world.indicator("PRO-02", unit="cases", sensitivity=Sensitivity.SENSITIVE)
    world.value(cases, "2025Q1", "D11", 20)
    world.value(cases, "2025Q1", "D21", 3)
    world.rebuild()
    return cases


def _publish(rw: ReleaseWorld) -> Release:
    release = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    return services.release_publish(by=rw.coordinator, release=release, confirm=True)


def _row(page: str, area_code: str) -> str:
    found = re.search(rf'<tr id="map-area-{re.escape(area_code)}">(.*?)</tr>', page, re.S)
    assert found, f"no row for {area_code}"
    return found.group(1)


def test_anonymous_reader_sees_flag_text_never_the_small_count(rw: ReleaseWorld, small) -> None:  # type: ignore[no-untyped-def]
    release = _publish(rw)
    p2 = rw.world.areas["P2"]
    figure = ReleaseFigure.objects.get(
        release=release,
        indicator=small,
        area=p2,
        period_code="ALL",
        cell_key="",
        source__code="gov",
    )
    assert figure.flag == "primary" and figure.value is None  # the premise
    response = Client().get(f"/plans/{rw.plan.code}/public/?indicator=PRO-02")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Figures from release 1" in page
    row = _row(page, p2.code)
    assert "fewer than 5" in row and ">3<" not in row
    # The public indicator's figure and the civil-society account are those of the release.
    meetings = ReleaseFigure.objects.get(
        release=release,
        indicator=rw.meetings,
        area=rw.world.areas["N"],
        period_code="ALL",
        cell_key="",
        source__code="gov",
    )
    assert meetings.flag == "" and "PA-01" in page
    assert "Both accounts" in page and "PRO-01" in page
    # The restricted indicator never shows.
    assert "PRO-09" not in page


def test_download_is_what_is_shown_with_release_number_and_provenance(
    rw: ReleaseWorld,
    small,  # type: ignore[no-untyped-def]
) -> None:
    release = _publish(rw)
    response = Client().get(
        f"/plans/{rw.plan.code}/public/?indicator=PRO-02&download=csv&table=map"
    )
    assert response.status_code == 200
    assert "release-1" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[-4:] == ["Plan", "Release", "Published", "Licence"]
    by_area = {r[header.index("Area code")]: r for r in body}
    p2 = by_area[rw.world.areas["P2"].code]
    assert p2[header.index("Value")] == "" and p2[header.index("As shown")] == "fewer than 5"
    assert p2[header.index("Flag")] == "primary"
    assert p2[-3:] == ["1", release.published_at.date().isoformat(), release.licence]
    xlsx = Client().get(f"/plans/{rw.plan.code}/public/?download=xlsx&table=pillars")
    assert xlsx.status_code == 200 and "release-1" in xlsx["Content-Disposition"]
    assert Client().get(f"/plans/{rw.plan.code}/public/?download=csv&table=nope").status_code == 404


def test_no_release_says_so_and_still_shows_the_framework(rw: ReleaseWorld) -> None:
    page = Client().get(f"/plans/{rw.plan.code}/public/").content.decode()
    assert "No figures published yet" in page
    assert "actions completed" in page
    # A draft is not a release.
    services.release_prepare(by=rw.coordinator, plan=rw.plan)
    page = Client().get(f"/plans/{rw.plan.code}/public/").content.decode()
    assert "No figures published yet" in page and "release 1" not in page


def test_withdrawn_release_figures_are_gone(rw: ReleaseWorld, small) -> None:  # type: ignore[no-untyped-def]
    release = _publish(rw)
    assert "PRO-02" in Client().get(f"/plans/{rw.plan.code}/public/").content.decode()
    services.release_withdraw(by=rw.coordinator, release=release, reason="Harm found.")
    page = Client().get(f"/plans/{rw.plan.code}/public/?indicator=PRO-02").content.decode()
    assert "No figures published yet" in page
    assert "map-area-" not in page and "fewer than 5" not in page
    csv_file = Client().get(f"/plans/{rw.plan.code}/public/?download=csv&table=indicators")
    text = csv_file.content.decode("utf-8-sig")
    assert "no-release" in csv_file["Content-Disposition"]
    assert "fewer than" not in text


def test_the_map_draws_a_path_per_area_with_a_boundary(
    rw: ReleaseWorld,
    small,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    _publish(rw)
    p1, p2 = rw.world.areas["P1"], rw.world.areas["P2"]
    square = (maps.Boundary("P1", ([(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)],)),)
    shapes = {
        p1.code: square[0],
        p2.code: maps.Boundary("P2", ([(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 0.0)],)),
    }
    monkeypatch.setattr(maps, "_all_boundaries", lambda: shapes)
    page = Client().get(f"/plans/{rw.plan.code}/public/?indicator=PRO-02").content.decode()
    svg = page[
        page.index('<svg class="map"') : page.index("</svg>", page.index('<svg class="map"'))
    ]
    assert svg.count("<path ") == 2
    assert f'href="#map-area-{p2.code}"' in svg and "fewer than 5" in svg
    assert f"url(#{maps.HATCH_ID})" in svg  # the suppressed area is hatched
    assert "Suppressed: fewer than 5" in page  # and the legend says why
    assert _row(page, p1.code)  # the table beside the map


def test_areas_without_boundary_get_the_table_alone(rw: ReleaseWorld, small) -> None:  # type: ignore[no-untyped-def]
    _publish(rw)
    # The test world's provinces (SEN-P1, SEN-P2) are in no shipped boundary file.
    page = Client().get(f"/plans/{rw.plan.code}/public/?indicator=PRO-02").content.decode()
    assert 'class="map"' not in page
    assert "No boundary is available for these areas" in page
    assert _row(page, rw.world.areas["P2"].code)


def test_the_shipped_boundaries_draw_the_demo_provinces() -> None:
    areas = [
        maps.MapArea(code, code, value, str(value), False, f"a-{code}")
        for code, value in (("CD-NK", 10.0), ("CD-SK", 20.0), ("CD-KN", 30.0))
    ]
    view = maps.choropleth(
        [*areas, maps.MapArea("CD-XX", "Nowhere", 1.0, "1", False, "a-x")],
        title="t",
        description="d",
        fmt=str,
    )
    assert view.svg is not None and view.drawn == 3
    assert str(view.svg).count('class="map-area"') == 3  # a link per area with a boundary
    # The rest of the country is drawn behind, hidden from assistive technology, not linked.
    assert str(view.svg).count("<path ") == 26 and '<g aria-hidden="true">' in str(view.svg)
    assert [a.code for a in view.without_boundary] == ["CD-XX"]
    assert len(view.legend) == 3  # three distinct values, three classes


def test_country_home_lists_its_plans_and_the_national_key_figures(rw: ReleaseWorld, small) -> None:  # type: ignore[no-untyped-def]
    _publish(rw)
    country = rw.world.areas["N"]
    page = Client().get(f"/countries/{country.code}/?indicator=PRO-02").content.decode()
    assert f"/plans/{rw.plan.code}/public/" in page
    assert "Figures from release 1" in page
    assert "fewer than 5" in _row(page, rw.world.areas["P2"].code)
    home = Client().get("/").content.decode()
    assert f"/countries/{country.code}/" in home
    assert Client().get("/countries/NOPE/").status_code == 404
    # A province is not a country.
    assert Client().get(f"/countries/{rw.world.areas['P1'].code}/").status_code == 404
    download = Client().get(f"/countries/{country.code}/?download=csv&table=map&indicator=PRO-02")
    assert download.status_code == 200 and "release-1" in download["Content-Disposition"]


def test_plan_page_links_its_public_home(rw: ReleaseWorld) -> None:
    page = Client().get(f"/plans/{rw.plan.code}/").content.decode()
    assert f"/plans/{rw.plan.code}/public/" in page


def test_both_accounts_stand_apart_never_summed(rw: ReleaseWorld) -> None:
    release = _publish(rw)
    n = rw.world.areas["N"]
    rows = {
        f.source_kind: f
        for f in ReleaseFigure.objects.filter(
            release=release, indicator=rw.survivors, area=n, period_code="ALL", cell_key=""
        )
    }
    government, civil = rows["government"], rows["civil_society"]
    assert not government.flag and not civil.flag  # the premise: both published
    page = Client().get(f"/plans/{rw.plan.code}/public/").content.decode()
    section = page[page.index('id="accounts-heading"') :]
    section = section[: section.index("</section>")]
    assert f"{int(government.value)}" in section and f"{int(civil.value)}" in section  # type: ignore[arg-type]
    assert f"{int(government.value + civil.value)}" not in section  # type: ignore[operator]
    csv_file = Client().get(f"/plans/{rw.plan.code}/public/?download=csv&table=accounts")
    rows_csv = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    sources = [r[2] for r in rows_csv[1:] if r[0] == rw.survivors.code]
    assert sources == ["Government", "Civil society"]


def test_a_withdrawn_correction_leaves_the_previous_release(  # type: ignore[no-untyped-def]
    rw: ReleaseWorld, small, django_capture_on_commit_callbacks
) -> None:
    _publish(rw)
    second = _publish(rw)
    assert second.number == 2
    assert (
        "Figures from release 2" in Client().get(f"/plans/{rw.plan.code}/public/").content.decode()
    )
    # Committed, the withdrawal makes every cached public page stale (shell.public_cache).
    with django_capture_on_commit_callbacks(execute=True):
        services.release_withdraw(by=rw.coordinator, release=second, reason="Harm found.")
    page = Client().get(f"/plans/{rw.plan.code}/public/").content.decode()
    assert "Figures from release 1" in page and "release 2" not in page


def test_flag_texts_in_french(rw: ReleaseWorld, small) -> None:  # type: ignore[no-untyped-def]
    _publish(rw)
    response = Client(headers={"accept-language": "fr"}).get(
        f"/plans/{rw.plan.code}/public/?indicator=PRO-02"
    )
    page = response.content.decode()
    assert "Chiffres clés" in page
    assert "moins de 5" in _row(page, rw.world.areas["P2"].code)


def _queries(url: str) -> int:
    client = Client()
    client.get(url)  # warm the per-process caches (boundaries, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_pages_make_a_fixed_number_of_queries(rw: ReleaseWorld, small) -> None:  # type: ignore[no-untyped-def]
    _publish(rw)
    plan_url = f"/plans/{rw.plan.code}/public/?indicator=PRO-02"
    country_url = f"/countries/{rw.world.areas['N'].code}/?indicator=PRO-02"
    before = _queries(plan_url), _queries(country_url)
    for n in range(5):  # five more indicators with figures in every district
        more = rw.world.indicator(f"PA-1{n}", unit="meetings")
        for district in ("D11", "D12", "D21"):
            rw.world.value(more, "2025Q1", district, 7 + n)
    rw.world.rebuild()
    _publish(rw)
    assert (_queries(plan_url), _queries(country_url)) == before


def test_the_money_block_downloads_too(rw: ReleaseWorld) -> None:
    release = _publish(rw)
    response = Client().get(f"/plans/{rw.plan.code}/public/?download=csv&table=money")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["Costed", "Allocated", "Spent"]
    assert rows[1][-3] == str(release.number)


def test_a_draft_plan_has_no_public_home(rw: ReleaseWorld) -> None:
    rw.plan.status = "draft"
    rw.plan.save(update_fields=["status"])
    assert Client().get(f"/plans/{rw.plan.code}/public/").status_code == 404
    assert (
        f"/plans/{rw.plan.code}/public/"
        not in Client().get(f"/countries/{rw.world.areas['N'].code}/").content.decode()
    )


def test_the_plan_home_links_the_whole_release_as_open_data(rw: ReleaseWorld, small) -> None:  # type: ignore[no-untyped-def]
    release = _publish(rw)
    page = Client().get(f"/plans/{rw.plan.code}/public/").content.decode()
    base = f"/plans/{rw.plan.code}/releases/{release.number}/"
    for fmt in ("csv", "xlsx", "datapackage", "sdmx"):
        url = f"{base}download/{fmt}/"
        assert f'href="{url}"' in page
        assert Client().get(url).status_code == 200, fmt
    assert f'href="{base}"' in page
