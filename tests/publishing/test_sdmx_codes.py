"""Every code the SDMX file writes is a code of the SDG data structure's code lists, as recorded
in publishing/sdg_dsd_codes.json (IAEG-SDGs:SDG(1.14), its source in the file and in
scripts/sdg_dsd_codes.py): the mapping tables themselves, and a release's file end to end."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path
from typing import Any

import pycountry
import pytest
from tests.publishing.conftest import ReleaseWorld

from wpsmonitor.indicators.models import GlobalIndicator
from wpsmonitor.publishing import opendata, sdmx, services

REFERENCE = json.loads(
    (Path(sdmx.__file__).with_name("sdg_dsd_codes.json")).read_text(encoding="utf-8")
)
CATALOGUE = Path(sdmx.__file__).parents[1] / "indicators" / "catalogues" / "sdg-series.json"


def codes_of(dimension: str) -> set[str]:
    """The codes the SDG structure allows in one dimension or attribute."""
    ref = REFERENCE["code_list_of"][dimension]  # "AGENCY:CL_ID(version)"
    name = ref.split(":", 1)[1].split("(", 1)[0]
    return set(REFERENCE["code_lists"][name]["codes"])


def test_the_reference_is_the_sdg_structure() -> None:
    assert REFERENCE["source"]["structure"].endswith("DataStructure=IAEG-SDGs:SDG(1.14)")
    assert REFERENCE["code_list_of"]["DISABILITY_STATUS"] == "IAEG-SDGs:CL_DISABILITY(1.0)"


def test_every_dimension_we_fill_is_one_of_the_structure() -> None:
    dimensions = ("FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", *sdmx.SDG_DIMENSIONS)
    assert set(dimensions) <= set(REFERENCE["dimensions"])
    assert {"OBS_STATUS", "UNIT_MEASURE"} <= set(REFERENCE["attributes"])


def test_every_breakdown_code_is_in_its_sdg_code_list() -> None:
    for sdg_dimension, mapping in sdmx.DIMENSIONS.values():
        allowed = codes_of(sdg_dimension)
        assert sdmx.TOTAL in allowed, sdg_dimension
        for option, code in mapping.items():
            assert code in allowed, f"{sdg_dimension} {option} -> {code}"


def test_the_other_codes_are_in_their_sdg_code_lists() -> None:
    assert sdmx.REPORTING_TYPE in codes_of("REPORTING_TYPE")
    assert set(sdmx._FREQ.values()) <= codes_of("FREQ")
    assert set(sdmx.SERIES_UNITS) <= codes_of("SERIES")
    assert set(sdmx.SERIES_UNITS.values()) <= codes_of("UNIT_MEASURE")
    assert {opendata.OBS_STATUS_NORMAL, opendata.OBS_STATUS_MISSING} <= codes_of("OBS_STATUS")
    catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    series = {e["code"] for e in catalogue["entries"]}
    assert series and series <= codes_of("SERIES")
    # Every series of the catalogue has its unit: a plan's indicator may report any of them.
    assert series <= set(sdmx.SERIES_UNITS), series - set(sdmx.SERIES_UNITS)
    units = {e["code"]: e.get("note", "") + e.get("title", "") for e in catalogue["entries"]}
    assert "percent" in units["VC_DTH_TOCVR"] and sdmx.SERIES_UNITS["VC_DTH_TOCVR"] == "PT"
    # Every country's M49 code as CL_AREA writes it (4 for Afghanistan, not 004).
    areas = codes_of("REF_AREA")
    for country in pycountry.countries:
        assert sdmx.m49(country.alpha_3) in areas, country.alpha_3
    assert sdmx.m49("AFG") == "4" and sdmx.m49("COD") == "180"


def test_options_without_an_sdg_code_are_left_out() -> None:
    assert sdmx._breakdown("age=30-59") is None
    assert sdmx._breakdown("disability=no") == {
        "SEX": "_T",
        "AGE": "_T",
        "URBANISATION": "_T",
        "DISABILITY_STATUS": "PWD",
    }


@pytest.mark.django_db
def test_a_release_file_holds_only_sdg_codes(rw: ReleaseWorld) -> None:
    world = rw.world
    people = world.indicator("PA-09", scheme=["age", "disability", "area_type"], unit="people")
    options = {
        "age": ["0-17", "18-29", "30-59", "60+"],
        "disability": ["yes", "no"],
        "area_type": ["urban", "rural"],
    }
    for age, disability, area_type in itertools.product(*options.values()):
        cell = f"age={age};disability={disability};area_type={area_type}"
        world.value(people, "2025Q1", "D11", 40, cell=cell)
    world.rebuild()
    people.references.add(GlobalIndicator.objects.get(vocabulary="sdg-series", code="VC_DTH_TOCVN"))
    release = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    services.release_publish(by=rw.coordinator, release=release, confirm=True)
    text = b"".join(sdmx.sdmx_csv(release)).decode()
    rows: list[dict[str, Any]] = list(csv.DictReader(io.StringIO(text)))
    assert rows
    for dimension in ("FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", *sdmx.SDG_DIMENSIONS):
        written = {r[dimension] for r in rows}
        assert written <= codes_of(dimension), (dimension, written - codes_of(dimension))
    assert {r["UNIT_MEASURE"] for r in rows} <= codes_of("UNIT_MEASURE")
    assert {r["OBS_STATUS"] for r in rows} <= codes_of("OBS_STATUS")
    # Each SDG breakdown of the indicator is there, and nothing for 30 to 59 years.
    assert {r["AGE"] for r in rows} == {"_T", "Y0T17", "Y18T29", "Y_GE60"}
    assert {r["DISABILITY_STATUS"] for r in rows} == {"_T", "PD", "PWD"}
    assert {r["URBANISATION"] for r in rows} == {"_T", "U", "R"}
