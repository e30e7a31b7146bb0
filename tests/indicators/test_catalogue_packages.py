"""Metadata packages: the catalogues exported from one database and imported into another.

An administrator exports the catalogues (`wpsmonitor catalogues export`), possibly one
vocabulary, and imports a package on another server (`wpsmonitor catalogues import`): checked
with the loader's own rules, all or nothing, never deleting an entry, never going back to an
older version unless asked. Anyone reads the catalogues in the API.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from wpsmonitor.cli import usage
from wpsmonitor.indicators.catalogue_packages import package_build, package_dumps
from wpsmonitor.indicators.catalogues import MAX_FILE_BYTES, catalogues_load, version_key
from wpsmonitor.indicators.models import GlobalCatalogue, GlobalIndicator, GlobalIndicatorLink

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


def _snapshot() -> tuple[list[Any], list[Any], list[Any]]:
    """Everything the catalogues hold, to compare before and after."""
    return (
        list(GlobalCatalogue.objects.order_by("vocabulary").values_list()),
        list(GlobalIndicator.objects.order_by("vocabulary", "code").values_list()),
        sorted(
            (
                str(x.source),
                str(x.target),
                x.relation,
                x.source_ref,
                x.verified,
                x.crosswalk_version,
            )
            for x in GlobalIndicatorLink.objects.select_related("source", "target")
        ),
    )


def _entries() -> list[tuple[Any, ...]]:
    """The entries without their database ids."""
    return list(
        GlobalIndicator.objects.order_by("vocabulary", "code").values_list(
            "vocabulary",
            "code",
            "title",
            "pillar",
            "catalogue_version",
            "verified",
            "source_ref",
            "titles",
            "working_titles",
            "verified_in",
        )
    )


def _export(*args: str) -> str:
    out = io.StringIO()
    call_command("catalogues", "export", *args, stdout=out)
    return out.getvalue()


def _import(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("catalogues", "import", str(path), *args, stdout=out)
    return out.getvalue()


def _write(tmp_path: Path, data: object, name: str = "package.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


ENTRY = {
    "code": "w1",
    "title": "Women mediators",
    "titles": {"en": "Share of women among mediators"},
    "verified": {"en": "Doc M, p. 2", "fr": None, "es": None, "ar": None},
    "source_ref": "Doc M",
}


def _package(*entries: dict[str, Any], version: str = "1.0", links: Any = None) -> dict[str, Any]:
    package: dict[str, Any] = {
        "format": "wpsmonitor-catalogues",
        "format_version": 1,
        "platform_version": "0.1.0",
        "exported_at": "2026-12-06T08:00:00+00:00",
        "catalogues": [
            {
                "vocabulary": "mediation",
                "version": version,
                "format": 2,
                "title": "Mediation indicators",
                "entries": list(entries) or [ENTRY, dict(ENTRY, code="w2")],
            }
        ],
    }
    if links is not None:
        package["crosswalk"] = {"version": version, "links": links}
    return package


LINK = {"from": "mediation:w1", "to": "sdg:5.5.1a", "type": "close", "source_ref": "Doc M, p. 3"}


# --- Export ----------------------------------------------------------------------------------


def test_export_then_import_into_an_empty_database_gives_the_same_catalogues(
    tmp_path: Path,
) -> None:
    path = tmp_path / "all.json"
    _export("--output", str(path))
    before = _snapshot()
    entries, headers = _entries(), before[0]
    assert entries and before[2]  # the shipped catalogues and crosswalk
    GlobalIndicatorLink.objects.all().delete()
    GlobalIndicator.objects.all().delete()
    GlobalCatalogue.objects.all().delete()

    printed = _import(path)

    assert _entries() == entries
    assert list(GlobalCatalogue.objects.order_by("vocabulary").values_list()) != []
    assert [h[1:] for h in _snapshot()[0]] == [h[1:] for h in headers]
    assert _snapshot()[2] == before[2]
    assert f"sdg (version none -> {dict((h[1], h[2]) for h in headers)['sdg']})" in printed
    assert f"crosswalk links: {len(before[2])} added" in printed


def test_the_same_data_exports_the_same_bytes_but_for_the_time() -> None:
    first = package_dumps(package_build(None, exported_at=WHEN))
    assert first == package_dumps(package_build(None, exported_at=WHEN))
    one, two = _export(), _export()
    differ = [(a, b) for a, b in zip(one.splitlines(), two.splitlines(), strict=True) if a != b]
    assert all('"exported_at"' in a for a, _b in differ)
    package = json.loads(first)
    assert (package["format"], package["format_version"]) == ("wpsmonitor-catalogues", 1)
    assert package["exported_at"] == "2026-12-06T08:00:00+00:00"
    sdg = next(c for c in package["catalogues"] if c["vocabulary"] == "sdg")
    assert (
        sdg["format"] == 2
        and sdg["version"] == GlobalCatalogue.objects.get(vocabulary="sdg").version
    )
    # Every language stated, null or the reference, as in the shipped files.
    assert all(set(e["verified"]) == {"en", "fr", "es", "ar"} for e in sdg["entries"])


def test_one_vocabulary_exports_with_the_links_among_its_entries_only(tmp_path: Path) -> None:
    _import(_write(tmp_path, _package(links=[dict(LINK, to="mediation:w2")])))
    package = json.loads(_export("--vocabulary", "mediation"))
    assert [c["vocabulary"] for c in package["catalogues"]] == ["mediation"]  # imported earlier
    assert [(x["from"], x["to"]) for x in package["crosswalk"]["links"]] == [
        ("mediation:w1", "mediation:w2")
    ]
    assert "crosswalk" not in json.loads(_export("--vocabulary", "sdg-series"))


def test_exporting_an_unknown_vocabulary_is_refused() -> None:
    with pytest.raises(CommandError, match="no catalogue nowhere in the database"):
        _export("--vocabulary", "nowhere")


# --- Import ----------------------------------------------------------------------------------


def test_a_dry_run_says_what_would_change_and_changes_nothing(tmp_path: Path) -> None:
    inner = dict(LINK, to="mediation:w2", type="broader")
    _import(_write(tmp_path, _package(links=[LINK, inner]), "first.json"))
    before = _snapshot()
    changed = _package(
        dict(ENTRY, title="Women mediators and negotiators"),
        dict(ENTRY, code="w3"),
        version="1.1",
        links=[],
    )
    printed = _import(_write(tmp_path, changed, "second.json"), "--dry-run")
    assert "mediation (version 1.0 -> 1.1): 1 created, 1 updated, 0 unchanged" in printed
    assert "  + w3" in printed and "  ~ w1" in printed
    # The package speaks for the links among its own vocabularies: one reaching another
    # catalogue (to sdg) is not removed by leaving it out.
    assert "crosswalk links: 0 added, 0 updated, 1 removed, 0 unchanged" in printed
    assert "  - mediation:w1 -> mediation:w2" in printed
    assert "Dry run: nothing was written." in printed
    assert _snapshot() == before

    _import(_write(tmp_path, changed, "second.json"))
    # Never deleted: w2, absent from the new version, stays for the plans that refer to it.
    codes = GlobalIndicator.objects.filter(vocabulary="mediation").values_list("code", flat=True)
    assert sorted(codes) == ["w1", "w2", "w3"]
    assert GlobalIndicator.objects.get(vocabulary="mediation", code="w1").title == (
        "Women mediators and negotiators"
    )
    links = GlobalIndicatorLink.objects.filter(source__vocabulary="mediation")
    assert [str(x.target) for x in links] == ["sdg:5.5.1a"]


def test_a_single_catalogue_file_imports_too(tmp_path: Path) -> None:
    catalogue = _package()["catalogues"][0]
    printed = _import(_write(tmp_path, catalogue, "mediation.json"))
    assert "mediation (version none -> 1.0): 2 created, 0 updated, 0 unchanged" in printed
    assert GlobalCatalogue.objects.get(vocabulary="mediation").title == "Mediation indicators"


def test_an_older_version_is_refused_unless_asked(tmp_path: Path) -> None:
    _import(_write(tmp_path, _package(version="2026.10"), "new.json"))
    before = _snapshot()
    older = _write(tmp_path, _package(dict(ENTRY, title="Older"), version="2026.9"), "old.json")
    with pytest.raises(
        CommandError,
        match=r"old.json: catalogue 1: version 2026.9 of mediation is older than the database's 2026.10",
    ):
        _import(older)
    assert _snapshot() == before
    _import(older, "--allow-older")
    assert GlobalCatalogue.objects.get(vocabulary="mediation").version == "2026.9"
    assert GlobalIndicator.objects.get(vocabulary="mediation", code="w1").title == "Older"


def test_an_older_crosswalk_is_refused_unless_asked(tmp_path: Path) -> None:
    inner = dict(LINK, to="mediation:w2")
    _import(_write(tmp_path, _package(version="3", links=[inner]), "new.json"))
    package = _package(version="3", links=[])
    package["crosswalk"]["version"] = "2"
    with pytest.raises(
        CommandError, match="crosswalk: version 2 is older than the database's links"
    ):
        _import(_write(tmp_path, package, "old.json"))
    assert GlobalIndicatorLink.objects.filter(source__vocabulary="mediation").count() == 1


def test_a_newer_import_of_a_shipped_vocabulary_outlives_migrate_an_older_one_does_not(
    tmp_path: Path,
) -> None:
    shipped = json.loads(_export("--vocabulary", "gnwp"))
    version = shipped["catalogues"][0]["version"]
    entry = shipped["catalogues"][0]["entries"][0]
    newer = dict(shipped, catalogues=[dict(shipped["catalogues"][0], version="9999.1")])
    newer["catalogues"][0]["entries"] = [
        dict(entry, title="Imported wording"),
        *newer["catalogues"][0]["entries"][1:],
    ]
    _import(_write(tmp_path, newer, "newer.json"))
    result = catalogues_load()  # what every migrate runs
    assert result.skipped == ["gnwp"]
    row = GlobalIndicator.objects.get(vocabulary="gnwp", code=entry["code"])
    assert (row.title, row.catalogue_version) == ("Imported wording", "9999.1")

    older = dict(newer, catalogues=[dict(newer["catalogues"][0], version="1")])
    _import(_write(tmp_path, older, "older.json"), "--allow-older")
    assert catalogues_load().skipped == []  # the shipped file is newer: it wins again
    row.refresh_from_db()
    assert (row.title, row.catalogue_version) == (entry["title"], version)


def test_versions_compare_by_their_numbers() -> None:
    assert version_key("2026.2") < version_key("2026.10") < version_key("2027.1")
    assert version_key("1") < version_key("1.1")


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            _package(dict(ENTRY, titles={"en": "x", "de": "y"})),
            r"package.json: catalogue 1: entry 1 \(w1\): 'titles' has unknown language\(s\) de",
        ),
        (
            _package(dict(ENTRY, verified={"en": ""})),
            r"entry 1 \(w1\): 'verified.en' must name what the wording was checked against",
        ),
        (
            _package(dict(ENTRY, source_ref=None)),
            r"entry 1 \(w1\): marked verified but has no 'source_ref'",
        ),
        (_package(ENTRY, ENTRY), r"entry 2 \(w1\): code 'w1' appears twice"),
        (
            _package(links=[dict(LINK, to="sdg:9.9.9")]),
            r"crosswalk: link 1 \(mediation:w1 -> sdg:9.9.9\): 'sdg:9.9.9' is not an entry",
        ),
        (_package(dict(ENTRY, title="a\x00b")), "a text holds a NUL character"),
        ("{not json", r"package.json:1:2: not valid JSON"),
        (_deep(100_000), "nested deeper than 8 levels"),
        (_package(dict(ENTRY, pillar=json.loads(_deep(12)))), "nested deeper than 8 levels"),
        (dict(_package(), format_version=7), "'format_version' 7 is not one this platform reads"),
        (dict(_package(), catalogues=[]), "'catalogues' must be a non-empty list"),
        ({"plans": []}, "neither a catalogue package nor a catalogue file"),
        (
            dict(_package(), catalogues=[*_package()["catalogues"], *_package()["catalogues"]]),
            "vocabulary mediation is defined twice",
        ),
    ],
)
def test_a_bad_package_is_refused_with_its_reason_and_nothing_is_written(
    tmp_path: Path, content: Any, message: str
) -> None:
    path = tmp_path / "package.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    before = _snapshot()
    with pytest.raises(CommandError, match=message) as refused:
        _import(path)
    assert str(refused.value).startswith(f"Nothing was imported: {path}")
    assert _snapshot() == before


def test_a_50_megabyte_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written
    before = _snapshot()
    with pytest.raises(CommandError, match=f"huge.json: bigger than {MAX_FILE_BYTES:,} bytes"):
        _import(path, "--dry-run")
    assert _snapshot() == before


def test_the_command_line_lists_the_catalogue_commands() -> None:
    assert "wpsmonitor catalogues export" in usage()
    assert "wpsmonitor catalogues import FILE [--dry-run]" in usage()


# --- The API and the page --------------------------------------------------------------------


def test_anyone_lists_the_catalogues_imported_ones_included(tmp_path: Path) -> None:
    _import(_write(tmp_path, _package()))
    response = Client().get("/api/v1/catalogues")  # no token, no session
    assert response.status_code == 200
    items = {item["vocabulary"]: item for item in response.json()["items"]}
    assert items["mediation"] == {
        "vocabulary": "mediation",
        "version": "1.0",
        "title": "Mediation indicators",
        "entries": 2,
    }
    assert items["sdg"]["entries"] == GlobalIndicator.objects.filter(vocabulary="sdg").count()
    assert response.json()["count"] == len(items)


def test_anyone_reads_one_catalogue_as_the_package_an_import_reads(tmp_path: Path) -> None:
    response = Client().get("/api/v1/catalogues/sdg")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    package = response.json()
    exported = json.loads(_export("--vocabulary", "sdg"))
    assert dict(package, exported_at=None) == dict(exported, exported_at=None)
    path = tmp_path / "sdg.json"
    path.write_bytes(response.content)
    assert "0 created, 0 updated" in _import(path, "--dry-run")


def test_an_unknown_catalogue_is_a_404_a_malformed_name_a_400() -> None:
    response = Client().get("/api/v1/catalogues/nowhere")
    assert response.status_code == 404
    assert response.json()["detail"] == "No catalogue nowhere."
    for malformed in ("SDG", "a" * 41, "sdg%00"):
        response = Client().get(f"/api/v1/catalogues/{malformed}")
        assert response.status_code == 400, malformed
        assert response.json()["errors"][0]["field"] == "vocabulary"


def test_the_catalogues_are_in_the_openapi_schema() -> None:
    paths = Client().get("/api/v1/schema").json()["paths"]
    assert set(paths["/api/v1/catalogues"]) == {"get"}
    detail = paths["/api/v1/catalogues/{vocabulary}"]["get"]
    assert set(detail["responses"]) == {"200", "400", "404"}
    assert "security" not in detail  # public reference data


def test_the_global_indicator_page_links_to_its_catalogue() -> None:
    page = Client().get("/global-indicators/sdg/5.5.1a/")
    assert page.status_code == 200
    assert 'href="/api/v1/catalogues/sdg" download="sdg.json"' in page.content.decode()
