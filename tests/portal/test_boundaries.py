"""The boundary files the public map draws (portal/boundaries/*.json, made by
scripts/simplify_boundaries.py): every key is a current ISO 3166-2 subdivision of the file's
country, as our areas carry them (pycountry); each shipped country has all of them; the DR
Congo's are its 26 provinces since 2015; the map credits the source and licence of the countries
it draws, with the licence page's link, on the public country page."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pycountry
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from tests.aggregation.conftest import World

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, Source
from wpsmonitor.indicators.services import reference_data_ensure
from wpsmonitor.plans.models import PlanKind
from wpsmonitor.plans.services import node_create, plan_create
from wpsmonitor.portal import maps
from wpsmonitor.publishing import services

FILES = sorted(maps.BOUNDARIES.glob("*.json"))
# Areas a file lists without a ring: too small or too far out to draw at the map's scale (the
# script says which); the map lists them as having no boundary.
UNDRAWN = {"CO-SAP"}  # San Andrés, Providencia y Santa Catalina: small islands 700 km out


def _load(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _subdivisions(alpha_3: str) -> dict[str, str]:
    country = pycountry.countries.get(alpha_3=alpha_3)
    assert country is not None, alpha_3
    return {s.code: s.name for s in pycountry.subdivisions.get(country_code=country.alpha_2)}


def test_the_platforms_countries_ship_a_boundary_file() -> None:
    shipped = {path.stem for path in FILES}
    assert {"COD", "BDI", "COL", "CHL", "AFG", "YEM", "SDN"} <= shipped
    # Small enough to ship and to read once per process.
    assert sum(path.stat().st_size for path in FILES) < 400_000


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_every_key_is_a_current_subdivision_of_the_files_country(path: Path) -> None:
    data = _load(path)
    assert data["country"] == path.stem
    current = _subdivisions(data["country"])
    for code, shape in data["areas"].items():
        assert code in current, f"{path.name}: {code} is no current subdivision"
        assert shape["name"] == current[code]  # the name our areas get from pycountry
    # Every current subdivision is there: none of the country's areas lacks a boundary.
    assert set(data["areas"]) == set(current)
    for code, shape in data["areas"].items():
        if code in UNDRAWN:
            assert shape["rings"] == []
            continue
        assert shape["rings"], f"{path.name}: {code} has nothing to draw"
        for ring in shape["rings"]:
            assert len(ring) >= 4 and ring[0] == ring[-1]
            assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in ring)
    # The credit line needs a source, a licence and the licence's page.
    assert data["source"] and data["licence"] and data["url"].startswith("https://")


def test_the_drc_file_has_its_26_current_provinces() -> None:
    provinces = _load(maps.BOUNDARIES / "COD.json")["areas"]
    assert len(provinces) == 26
    assert set(provinces) == set(_subdivisions("COD"))
    # Provinces made in 2015, none of which the former file had.
    for code in ("CD-KL", "CD-LU", "CD-TA", "CD-HU", "CD-SA", "CD-TU"):
        assert maps.boundary(code) is not None and maps.boundary(code).rings  # type: ignore[union-attr]
    # Équateur since 2015 is a fifth of the former province that carried its code.
    lons = [lon for ring in maps.boundary("CD-EQ").rings for lon, _lat in ring]  # type: ignore[union-attr]
    assert max(lons) - min(lons) < 5


def test_the_map_credits_only_the_sources_it_draws() -> None:
    view = maps.choropleth(
        [maps.MapArea("CD-KN", "Kinshasa", 1.0, "1", False, "a-kn")],
        title="t",
        description="d",
        fmt=str,
    )
    cod = _load(maps.BOUNDARIES / "COD.json")
    assert view.sources == [maps.BoundarySource(cod["source"], cod["licence"], cod["url"])]
    # Every file's source is known to the credit line, each once.
    everything = maps.boundary_sources()
    assert len(everything) == len(set(everything)) >= 2
    assert maps.boundary_sources(["NOPE"]) == []


@pytest.fixture
def drc_plan(db: None) -> World:
    """A national plan of the DR Congo over the demo's three provinces (Kinshasa, Nord-Kivu,
    Sud-Kivu), with a published release of a public count."""
    reference_data_ensure()
    country = area_country_ensure("COD")
    areas = {"N": country}
    for code in ("CD-KN", "CD-NK", "CD-SK"):
        areas[code] = area_subdivision_ensure(parent=country, code=code)
    plan = plan_create(
        code="nap-drc",
        title="DRC plan",
        kind=PlanKind.NATIONAL,
        area=country,
        start=date(2024, 1, 1),
        end=date(2027, 12, 31),
    )
    plan.status = PlanStatus.IMPLEMENTATION
    plan.save(update_fields=["status"])
    pillar = node_create(plan=plan, code="PA", title="Participation")
    outcome = node_create(plan=plan, code="O1", title="Women take part", parent=pillar)
    world = World(
        plan=plan,
        areas=areas,
        pillars={"PA": pillar},
        outcomes={"O1": outcome},
        sources={GOVERNMENT_SOURCE: Source.objects.get(code=GOVERNMENT_SOURCE)},
    )
    meetings = world.indicator("PA-01", unit="meetings")
    for code, value in (("CD-KN", 4), ("CD-NK", 7), ("CD-SK", 9)):
        world.value(meetings, "2025Q1", code, value)
    world.rebuild()
    coordinator = get_user_model().objects.create_user(
        username="drc-coord", email="drc-coord@example.org", password="a-long-test-password-9"
    )
    PlanRole.objects.create(user=coordinator, plan=plan, role=Role.COORDINATOR)
    release = services.release_prepare(by=coordinator, plan=plan)
    services.release_publish(by=coordinator, release=release, confirm=True)
    return world


def test_the_country_page_maps_the_demo_provinces_and_credits_the_source(
    drc_plan: World,
) -> None:
    page = Client().get("/countries/COD/?indicator=PA-01").content.decode()
    start = page.index('<svg class="map"')
    svg = page[start : page.index("</svg>", start)]
    links = re.findall(r'<a href="#map-area-([A-Z]{2}-[A-Z]{2})" class="map-area"', svg)
    assert sorted(links) == ["CD-KN", "CD-NK", "CD-SK"]
    # The 23 other provinces are drawn behind, in grey, not linked.
    assert svg.count("<path ") == 26
    assert "for want of a boundary" not in page
    cod = _load(maps.BOUNDARIES / "COD.json")
    credit = page[page.index('<figcaption class="small muted">') :]
    credit = credit[: credit.index("</figcaption>")]
    assert f'<a href="{cod["url"]}">' in credit and cod["licence"] in credit
    assert "Natural Earth" not in credit  # Chile's source: not drawn here
