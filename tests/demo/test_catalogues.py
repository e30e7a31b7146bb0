"""The global indicator catalogues ship as data and load idempotently on every migrate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wpsmonitor.indicators.catalogues import (
    CatalogueError,
    catalogue_paths,
    catalogue_read,
    catalogues_load,
)
from wpsmonitor.indicators.models import GlobalIndicator

pytestmark = pytest.mark.django_db


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def _catalogue(version: str = "1", title: str = "Women in parliament") -> dict:
    return {
        "vocabulary": "test-vocab",
        "version": version,
        "title": "Test vocabulary",
        "source_ref": "here",
        "entries": [
            {
                "code": "A1",
                "title": title,
                "pillar": "participation",
                "verified": True,
                "source_ref": "p. 1",
            },
            {"code": "A2", "title": "Laws", "pillar": "", "verified": False, "source_ref": ""},
        ],
    }


def test_shipped_catalogues_are_in_the_database_after_migrate() -> None:
    vocabularies = {catalogue_read(p).vocabulary for p in catalogue_paths()}
    assert vocabularies == {"sg-wps", "sdg", "sdg-series", "cedaw-gr30", "gnwp"}
    for path in catalogue_paths():
        catalogue = catalogue_read(path)
        stored = GlobalIndicator.objects.filter(vocabulary=catalogue.vocabulary)
        assert stored.count() == len(catalogue.entries)
        assert set(stored.values_list("catalogue_version", flat=True)) == {catalogue.version}
    expected_sdg = {"5.5.1a", "5.5.1b", "5.2.1", "5.1.1", "16.1.1", "16.1.2", "16.1.3"}
    expected_sdg |= {"16.2.3", "16.3.1", "16.7.1", "16.7.2"}
    assert expected_sdg <= set(
        GlobalIndicator.objects.filter(vocabulary="sdg").values_list("code", flat=True)
    )


def test_verified_only_where_the_reference_marks_the_row_verified() -> None:
    # Hand-checked against domain.md §6.1: rows 1a (wording), 1b, 2 and 11a are [V].
    verified_sg = set(
        GlobalIndicator.objects.filter(vocabulary="sg-wps", verified=True).values_list(
            "code", flat=True
        )
    )
    assert verified_sg == {"1a", "1b", "2", "11a"}
    assert not GlobalIndicator.objects.get(vocabulary="sg-wps", code="12a").verified
    # GNWP wording was not recovered; of CEDAW GR30 five section headings and two paragraphs.
    assert not GlobalIndicator.objects.filter(vocabulary="gnwp", verified=True)
    cedaw = GlobalIndicator.objects.filter(vocabulary="cedaw-gr30", verified=True)
    assert set(cedaw.values_list("code", flat=True)) == {
        "conflict-prevention",
        "conflict-post-conflict-contexts",
        "security-council-agenda",
        "monitoring-reporting",
        "para-83",
        "para-84",
        "treaty-ratification",
    }
    # SDG wordings: every row's English was read in the UN list after the 2020 review (a copy).
    sdg = GlobalIndicator.objects.filter(vocabulary="sdg")
    assert all(row.verified for row in sdg)
    assert not any("ar" in row.verified_in for row in sdg)  # Arabic: working translations only


def test_loading_twice_changes_nothing() -> None:
    before = list(GlobalIndicator.objects.order_by("pk").values())
    result = catalogues_load()
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == len(before)
    assert list(GlobalIndicator.objects.order_by("pk").values()) == before


def test_a_new_version_updates_titles_and_records_the_version(tmp_path: Path) -> None:
    first = catalogues_load(paths=[_write(tmp_path, "v1.json", _catalogue())])
    assert (first.created, first.updated) == (2, 0)
    row = GlobalIndicator.objects.get(vocabulary="test-vocab", code="A1")
    newer = _catalogue(version="2", title="Seats held by women in parliament")
    newer["entries"] = newer["entries"][:1]  # A2 dropped from the file
    second = catalogues_load(paths=[_write(tmp_path, "v2.json", newer)])
    assert (second.created, second.updated, second.unchanged) == (0, 1, 0)
    row.refresh_from_db()
    assert row.title == "Seats held by women in parliament"
    assert row.catalogue_version == "2"
    # Indicators may still point at an entry that left the file, so it stays.
    assert GlobalIndicator.objects.get(vocabulary="test-vocab", code="A2").catalogue_version == "1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"vocabulary": "x",', "v.json:1:"),
        ("[]", "one JSON object"),
        ({"vocabulary": "x", "version": "1", "title": "t"}, "missing key\\(s\\) entries"),
        ({"vocabulary": "Bad Name", "version": "1", "title": "t", "entries": [1]}, "lower-case"),
        ({"vocabulary": "x", "version": "1", "title": "t", "entries": []}, "non-empty list"),
        (
            {"vocabulary": "x", "version": "1", "title": "t", "entries": [{"code": "1"}]},
            "entry 1 \\(1\\): 'verified' must be true or false",
        ),
        (
            {
                "vocabulary": "x",
                "version": "1",
                "title": "t",
                "entries": [{"code": "1", "title": "", "verified": False}],
            },
            "'title' must be a non-empty string",
        ),
        (
            {
                "vocabulary": "x",
                "version": "1",
                "title": "t",
                "entries": [
                    {"code": "1", "title": "a", "verified": False},
                    {"code": "1", "title": "b", "verified": False},
                ],
            },
            "appears twice",
        ),
    ],
)
def test_a_bad_file_gives_a_clear_error_and_loads_nothing(
    tmp_path: Path, content: object, message: str
) -> None:
    good = _write(tmp_path, "good.json", _catalogue())
    bad = _write(tmp_path, "v.json", content)
    before = GlobalIndicator.objects.count()
    with pytest.raises(CatalogueError, match=message):
        catalogues_load(paths=[good, bad])
    assert GlobalIndicator.objects.count() == before


def test_two_files_for_one_vocabulary_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="defined twice"):
        catalogues_load(
            paths=[
                _write(tmp_path, "a.json", _catalogue()),
                _write(tmp_path, "b.json", _catalogue()),
            ]
        )


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="cannot be read"):
        catalogues_load(paths=[tmp_path / "nope.json"])
