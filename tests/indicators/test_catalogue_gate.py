"""The catalogue gate: nothing is called verified without the reference it was checked against.

A catalogue entry may carry an official wording per language (`titles`), a translation that is
not official (`working_titles`) and, per language, the exact reference its wording was read in
(`verified`). The crosswalk links entries of different catalogues, each link with its source.
These tests fail the build when a shipped file breaks those rules, and show that the loader
refuses a file that does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from wpsmonitor.indicators.catalogues import (
    CATALOGUE_DIR,
    CROSSWALK_NAME,
    CatalogueError,
    catalogue_languages,
    catalogue_paths,
    catalogue_read,
    catalogues_load,
    crosswalk_read,
)
from wpsmonitor.indicators.models import GlobalIndicator, GlobalIndicatorLink

pytestmark = pytest.mark.django_db

CROSSWALK = CATALOGUE_DIR / CROSSWALK_NAME


def _shipped_entries() -> dict[str, Any]:
    return {
        f"{c.vocabulary}:{e.code}": e
        for c in map(catalogue_read, catalogue_paths())
        for e in c.entries
    }


# --- The gate over the shipped files -------------------------------------------------------


def test_every_verified_wording_names_what_it_was_checked_against() -> None:
    entries = _shipped_entries()
    assert entries
    for name, entry in entries.items():
        for language, reference in entry.verified_in.items():
            assert language in catalogue_languages(), name
            assert reference.strip(), f"{name}: verified in {language} without a reference"
            # Verified means an official wording was read: never a working translation.
            assert entry.titles.get(language), f"{name}: verified {language} has no wording"
            assert language not in entry.working_titles, name
        if entry.verified_in:
            assert entry.source_ref.strip(), f"{name}: verified without a source"
        assert entry.verified == ("en" in entry.verified_in), name


def test_the_shipped_files_are_in_the_current_format() -> None:
    # Every shipped entry states its verification per language, null where not verified, so a
    # reader of the file sees which languages are still to check.
    for path in catalogue_paths():
        data = json.loads(path.read_text(encoding="utf-8"))
        for raw in data["entries"]:
            assert isinstance(raw["verified"], dict), (path.name, raw["code"])
            assert set(raw["verified"]) == set(catalogue_languages()), (path.name, raw["code"])


def test_every_crosswalk_link_has_a_source_and_known_entries() -> None:
    known = set(_shipped_entries())
    walk = crosswalk_read(CROSSWALK, known)
    assert walk.links
    for link in walk.links:
        assert link.source_ref.strip()
        assert {link.source, link.target} <= known
        assert link.source != link.target


def test_the_crosswalk_is_in_the_database_after_migrate() -> None:
    walk = crosswalk_read(CROSSWALK)
    stored = {
        (str(row.source), str(row.target), row.relation)
        for row in GlobalIndicatorLink.objects.select_related("source", "target")
    }
    assert stored == {(link.source, link.target, link.relation) for link in walk.links}
    parl = GlobalIndicator.objects.get(vocabulary="sg-wps", code="12a")
    assert [str(link.target) for link in parl.links_out.all()] == ["sdg:5.5.1a"]


def test_a_wording_is_shown_as_official_working_or_fallback() -> None:
    entry = GlobalIndicator.objects.get(vocabulary="sdg", code="5.5.1a")
    assert entry.wording("es") == (entry.titles["es"], "official")
    assert entry.wording("ar") == (entry.working_titles["ar"], "working")
    # A working translation is kept apart: it is never stored as an official wording.
    assert "ar" not in entry.titles and "ar" not in entry.verified_in
    theme = GlobalIndicator.objects.get(vocabulary="sg-wps", code="4")
    assert not theme.titles and not theme.working_titles
    assert theme.wording("ar") == (theme.title, "fallback")


# --- The loader refuses what the gate forbids ----------------------------------------------


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _catalogue(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"vocabulary": "gate", "version": "1", "title": "Gate", "entries": list(entries)}


GOOD = {
    "code": "1",
    "titles": {"en": "Women in parliament", "fr": "Les femmes au parlement"},
    "verified": {"en": "Doc A, p. 3", "fr": None},
    "source_ref": "Doc A",
}


def test_the_new_format_loads_per_language(tmp_path: Path) -> None:
    entry = dict(GOOD, working_titles={"es": "Mujeres en el parlamento"})
    catalogues_load(paths=[_write(tmp_path, "c.json", _catalogue(entry))])
    row = GlobalIndicator.objects.get(vocabulary="gate", code="1")
    assert row.title == "Women in parliament"  # no label: the English wording
    assert row.titles == {"en": "Women in parliament", "fr": "Les femmes au parlement"}
    assert row.working_titles == {"es": "Mujeres en el parlamento"}
    assert row.verified_in == {"en": "Doc A, p. 3"}
    assert row.verified


def test_the_older_format_still_loads(tmp_path: Path) -> None:
    old = {"code": "1", "title": "Seats", "verified": True, "source_ref": "Doc B, p. 2"}
    unverified = {"code": "2", "title": "A theme", "verified": False}
    catalogues_load(paths=[_write(tmp_path, "c.json", _catalogue(old, unverified))])
    seats = GlobalIndicator.objects.get(vocabulary="gate", code="1")
    assert (seats.titles, seats.verified_in, seats.verified) == (
        {"en": "Seats"},
        {"en": "Doc B, p. 2"},
        True,
    )
    theme = GlobalIndicator.objects.get(vocabulary="gate", code="2")
    assert (theme.title, theme.titles, theme.verified) == ("A theme", {}, False)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source_ref": ""}, "marked verified but has no 'source_ref'"),
        ({"verified": {"en": ""}}, "'verified.en' must name what the wording was checked"),
        ({"verified": {"en": "Doc A", "es": "Doc A, p. 4"}}, "'verified.es' but no official"),
        ({"working_titles": {"fr": "x"}}, "fr has both an official wording and a working"),
        ({"titles": {"en": "x", "de": "y"}}, "unknown language\\(s\\) de"),
        ({"verified": "yes"}, "'verified' must be true or false"),
    ],
)
def test_a_file_breaking_the_gate_is_refused_and_loads_nothing(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    before = GlobalIndicator.objects.count()
    bad = _write(tmp_path, "c.json", _catalogue(dict(GOOD, **change)))
    with pytest.raises(CatalogueError, match=message):
        catalogues_load(paths=[bad])
    assert GlobalIndicator.objects.count() == before


def test_an_older_verified_entry_without_source_is_refused(tmp_path: Path) -> None:
    bad = _write(tmp_path, "c.json", _catalogue({"code": "1", "title": "t", "verified": True}))
    with pytest.raises(CatalogueError, match="marked verified but has no 'source_ref'"):
        catalogue_read(bad)


LINK = {"from": "sg-wps:12a", "to": "sdg:5.5.1a", "type": "close", "source_ref": "Doc C"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source_ref": ""}, "'source_ref' must be a non-empty string"),
        ({"source_ref": None}, "'source_ref' must be a non-empty string"),
        ({"to": "sdg:9.9.9"}, "'sdg:9.9.9' is not an entry of any catalogue"),
        ({"type": "similar"}, "'type' must be one of broader, close, same"),
        ({"to": "sg-wps:12a"}, "links an entry to itself"),
    ],
)
def test_a_crosswalk_link_without_source_or_with_an_unknown_entry_is_refused(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    links_before = GlobalIndicatorLink.objects.count()
    walk = _write(tmp_path, "w.json", {"version": "1", "links": [dict(LINK, **change)]})
    with pytest.raises(CatalogueError, match=message):
        catalogues_load(paths=catalogue_paths(), crosswalk=walk)
    assert GlobalIndicatorLink.objects.count() == links_before


def test_a_crosswalk_link_left_out_of_the_file_is_removed(tmp_path: Path) -> None:
    # A newer version than the shipped crosswalk's: an older one is not loaded over it.
    walk = _write(tmp_path, "w.json", {"version": "2099.1", "links": [LINK]})
    result = catalogues_load(paths=catalogue_paths(), crosswalk=walk)
    assert result.links == 1
    (only,) = GlobalIndicatorLink.objects.select_related("source", "target")
    assert (str(only.source), str(only.target), only.crosswalk_version) == (
        "sg-wps:12a",
        "sdg:5.5.1a",
        "2099.1",
    )
