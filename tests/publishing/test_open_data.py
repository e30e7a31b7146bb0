"""Open data of a release (docs/publishing.md, "Open data"): tidy CSV, XLSX, a Frictionless Data
Package and SDMX-CSV, from the portal and the API; flags in every format, government and civil
society apart, licence and provenance; withdrawn → 410 and no link; drafts to preparers only."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from tests.aggregation.conftest import CSO
from tests.publishing.conftest import SURVIVORS, ReleaseWorld

from wpsmonitor.indicators.models import GlobalIndicator
from wpsmonitor.publishing import opendata, sdmx, services
from wpsmonitor.publishing.models import Release, ReleaseFigure

SMALL = {v for by_sex in SURVIVORS.values() for v in by_sex.values() if v < 5}


def _published(rw: ReleaseWorld) -> Release:
    release = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    return services.release_publish(by=rw.coordinator, release=release, confirm=True)


def _body(answer: Any) -> bytes:
    return b"".join(answer.streaming_content) if answer.streaming else answer.content


def _portal(rw: ReleaseWorld, fmt: str, number: int = 1, client: Client | None = None) -> Any:
    return (client or Client()).get(f"/plans/{rw.plan.code}/releases/{number}/download/{fmt}/")


def _api(rw: ReleaseWorld, path: str, number: int = 1, client: Client | None = None) -> Any:
    return (client or Client()).get(f"/api/v1/plans/{rw.plan.code}/releases/{number}/{path}")


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _coordinator(rw: ReleaseWorld) -> Client:
    client = Client()
    client.force_login(rw.coordinator)
    return client


def test_tidy_csv_has_one_row_per_figure_flags_and_both_accounts_apart(
    rw: ReleaseWorld,
) -> None:
    release = _published(rw)
    answer = _portal(rw, "csv")
    assert answer.status_code == 200 and answer.streaming
    assert answer["Content-Type"].startswith("text/csv")
    assert 'filename="wpsmonitor_nap-test_release-1.csv"' in answer["Content-Disposition"]
    assert "creativecommons.org/licenses/by/4.0" in answer["Link"]
    rows = _csv(_body(answer))
    assert list(rows[0]) == list(opendata.COLUMNS)
    assert len(rows) == ReleaseFigure.objects.filter(release=release).count()
    assert {r["plan"] for r in rows} == {"nap-test"} and {r["release"] for r in rows} == {"1"}
    survivors = [r for r in rows if r["indicator_code"] == "PRO-01"]
    withheld = [r for r in survivors if r["flag"]]
    assert withheld and all(
        (r["value"], r["numerator"], r["denominator"]) == ("", "", "") for r in withheld
    )
    primary = [r for r in withheld if r["flag"] == "primary"]
    assert primary and all(
        r["flag_text"] == "fewer than 5"
        and r["threshold"] == "5"
        and (r["obs_status"], r["conf_status"]) == ("O", "A")
        for r in primary
    )
    assert all(r["conf_status"] == "D" for r in withheld if r["flag"] != "primary")
    published = [r for r in rows if not r["flag"]]
    assert all(r["value"] != "" and r["conf_status"] == "F" for r in published)
    # No district-quarter figure below the threshold is anywhere in the file.
    for r in survivors:
        if r["period"].endswith(("Q1", "Q2")) and r["option"]:
            assert r["value"] == "" or int(r["value"]) not in SMALL
    assert not [r for r in rows if r["indicator_code"] == "PRO-09"]  # restricted

    # Government and civil society: separate rows for the same figure, never added.
    def key(r: dict[str, str]) -> tuple[str, ...]:
        return (r["indicator_code"], r["period"], r["area_code"], r["cell"])

    government = {key(r): r for r in survivors if r["source_kind"] == "government"}
    civil = {key(r): r for r in survivors if r["source_kind"] == "civil_society"}
    assert government.keys() == civil.keys()
    assert {r["source"] for r in civil.values()} == {CSO}
    # Civil society counted one more survivor of each sex in each district and quarter: four
    # more in a district's year, in its own rows.
    pairs = [
        (government[k]["value"], civil[k]["value"])
        for k in government
        if k[2].startswith("SEN-D") and k[1] == "2025" and k[3] == "total"
    ]
    both = [(int(g), int(c)) for g, c in pairs if g and c]
    assert both and all(c == g + 4 for g, c in both)
    margin = next(iter(government.values()))
    assert margin["cell"] in ("total", f"{margin['dimension']}={margin['option']}")
    total = next(r for r in rows if r["cell"] == "total")
    assert (total["dimension"], total["option"]) == ("", "")


def test_xlsx_holds_the_table_and_the_provenance(rw: ReleaseWorld) -> None:
    from openpyxl import load_workbook

    release = _published(rw)
    answer = _api(rw, "data.xlsx")
    assert answer.status_code == 200, answer.content
    assert 'filename="wpsmonitor_nap-test_release-1.xlsx"' in answer["Content-Disposition"]
    book = load_workbook(io.BytesIO(_body(answer)), read_only=True)
    sheet = list(book["figures"].iter_rows(values_only=True))
    assert sheet[0] == opendata.COLUMNS
    assert len(sheet) - 1 == release.figures
    col = {name: i for i, name in enumerate(opendata.COLUMNS)}
    withheld = [r for r in sheet[1:] if r[col["flag"]]]
    assert withheld and all(r[col["value"]] is None for r in withheld)
    assert {r[col["source_kind"]] for r in sheet[1:]} == {"government", "civil_society"}
    free = next(r for r in sheet[1:] if not r[col["flag"]] and r[col["value"]] is not None)
    assert isinstance(free[col["value"]], int | float)
    about = dict(book["about"].iter_rows(values_only=True))
    assert about["Release"] == "1" and "nap-test" in about["Plan"]
    assert about["Licence"].startswith("CC-BY-4.0")
    assert about["Published (UTC)"].startswith(str(release.published_at.year))
    assert about["Changes"] == "First release."
    assert "complementary suppression" in about["Disclosure control"]


def _package(data: bytes, tmp_path: Path) -> tuple[dict[str, Any], Path]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
        assert names == ["datapackage.json", "wpsmonitor_nap-test_release-1.csv"]
        archive.extractall(tmp_path)
    return json.loads((tmp_path / "datapackage.json").read_text()), tmp_path


def test_data_package_is_valid_for_frictionless(rw: ReleaseWorld, tmp_path: Path) -> None:
    import frictionless  # the dev extra: CI validates every generated package with it

    release = _published(rw)
    answer = _portal(rw, "datapackage")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    descriptor, folder = _package(_body(answer), tmp_path)
    assert descriptor["name"] == "wpsmonitor-nap-test-release-1"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["created"] == release.published_at.isoformat().replace("+00:00", "Z")
    assert descriptor["sources"][0]["path"].endswith("/plans/nap-test/releases/1/")
    assert descriptor["wpsmonitor"]["change_summary"] == "First release."
    schema = descriptor["resources"][0]["schema"]
    assert schema["primaryKey"] == ["indicator_code", "source", "area_code", "cell", "period"]
    assert schema["missingValues"] == [""]
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # The validation bites: a withheld figure given a value breaks its enum-free number type,
    # a duplicated key breaks the primary key.
    data = folder / "wpsmonitor_nap-test_release-1.csv"
    lines = data.read_text().splitlines()
    data.write_text("\r\n".join([*lines, lines[1]]) + "\r\n")
    assert not frictionless.validate(str(folder / "datapackage.json")).valid


@override_settings(WPSMONITOR_OPEN_DATA_LICENCE="CC0-1.0")
def test_the_licence_is_configurable_and_travels_with_every_file(
    rw: ReleaseWorld, tmp_path: Path
) -> None:
    _published(rw)
    descriptor, _folder = _package(_body(_api(rw, "datapackage.zip")), tmp_path)
    assert descriptor["licenses"][0] == {
        "name": "CC0-1.0",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        "title": "CC0-1.0",
    }
    assert "publicdomain/zero" in _api(rw, "data.csv")["Link"]
    page = Client().get(f"/plans/{rw.plan.code}/releases/1/").content.decode()
    assert "CC0-1.0" in page


def _map_to_series(rw: ReleaseWorld, code: str = "VC_DTH_TOCVN") -> None:
    rw.survivors.references.add(GlobalIndicator.objects.get(vocabulary="sdg-series", code=code))


def test_sdmx_csv_carries_sdg_codes_and_flags_for_mapped_indicators_only(
    rw: ReleaseWorld,
) -> None:
    _map_to_series(rw)
    release = _published(rw)
    answer = _api(rw, "sdmx.csv")
    assert answer.status_code == 200 and answer.streaming
    assert 'filename="wpsmonitor_nap-test_release-1_sdmx.csv"' in answer["Content-Disposition"]
    rows = _csv(_body(answer))
    assert list(rows[0]) == list(sdmx.COLUMNS) and list(rows[0])[0] == "DATAFLOW"
    assert {r["SERIES"] for r in rows} == {"VC_DTH_TOCVN"}  # PA-01 is mapped to no series
    # Only the country (M49 686, Senegal); the provinces and districts have no SDG code.
    assert {r["REF_AREA"] for r in rows} == {"686"}
    assert {r["SEX"] for r in rows} == {"F", "M", "_T"}
    assert {r["AGE"] for r in rows} == {r["DISABILITY_STATUS"] for r in rows} == {"_T"}
    assert {(r["FREQ"], r["TIME_PERIOD"]) for r in rows} >= {("Q", "2025-Q1"), ("A", "2025")}
    assert "ALL" not in {r["TIME_PERIOD"] for r in rows}
    assert {r["DATAFLOW"] for r in rows} == {
        "WPSMONITOR:DF_SDG_NAP_TEST_GOV(1.0)",
        "WPSMONITOR:DF_SDG_NAP_TEST_CS_CSO_WATCH(1.0)",
    }
    # The same flags as the other formats: the national figures suppressed in the release.
    national = ReleaseFigure.objects.filter(
        release=release, indicator=rw.survivors, area=rw.world.areas["N"]
    ).exclude(period_code="ALL")
    assert len(rows) == national.count()
    flagged = {(f.source_kind, f.period_code, f.cell_key): f.flag for f in national if f.flag}
    assert flagged, "the test needs a suppressed national figure"
    for r in rows:
        kind = "government" if r["DATAFLOW"].endswith("_GOV(1.0)") else "civil_society"
        period = r["TIME_PERIOD"].replace("-", "")
        cell = "" if r["SEX"] == "_T" else f"sex={r['SEX']}"
        flag = flagged.get((kind, period, cell), "")
        if flag:
            assert r["OBS_VALUE"] == "" and r["OBS_STATUS"] == "O"
            assert r["CONF_STATUS"] == ("A" if flag == "primary" else "D")
        else:
            assert r["OBS_VALUE"] != "" and (r["OBS_STATUS"], r["CONF_STATUS"]) == ("A", "F")
        assert r["UNIT_MEASURE"] == "NUMBER"


def test_sdmx_leaves_out_what_has_no_sdg_code() -> None:
    assert sdmx._breakdown("age=30-59") is None  # CL_AGE has no code for it
    assert sdmx._breakdown("rank=constable") is None
    assert sdmx._breakdown("age=60+") == {
        "SEX": "_T",
        "AGE": "Y_GE60",
        "URBANISATION": "_T",
        "DISABILITY_STATUS": "_T",
    }
    assert sdmx.m49("COD") == "180" and sdmx.m49("COD-NK") is None and sdmx.m49("XXX") is None
    assert sdmx.time_period("ALL") is None
    assert sdmx.time_period("2025-03") == ("M", "2025-03")
    assert sdmx.time_period("2025S2") == ("S", "2025-S2")


def test_sdmx_of_a_release_without_mapped_indicators_is_a_header(rw: ReleaseWorld) -> None:
    _published(rw)
    assert _body(_portal(rw, "sdmx")).decode().splitlines() == [",".join(sdmx.COLUMNS)]


def test_the_release_page_links_every_format(rw: ReleaseWorld) -> None:
    _published(rw)
    page = Client().get(f"/plans/{rw.plan.code}/releases/1/")
    assert page.status_code == 200
    html = page.content.decode()
    for fmt in opendata.FORMATS:
        assert f"/plans/{rw.plan.code}/releases/1/download/{fmt}/" in html
    assert "CC-BY-4.0" in html and "First release." in html
    listing = _coordinator(rw).get(f"/plans/{rw.plan.code}/releases/").content.decode()
    assert f'href="/plans/{rw.plan.code}/releases/1/"' in listing


def test_a_withdrawn_release_answers_410_and_loses_its_links(rw: ReleaseWorld) -> None:
    release = _published(rw)
    services.release_withdraw(by=rw.coordinator, release=release, reason="A survivor was named.")
    for fmt in opendata.FORMATS:
        answer = _portal(rw, fmt)
        assert answer.status_code == 410 and b"A survivor was named." in answer.content
    for path in ("data.csv", "data.xlsx", "datapackage.zip", "sdmx.csv"):
        answer = _api(rw, path)
        assert answer.status_code == 410 and "A survivor was named." in answer.json()["detail"]
    page = Client().get(f"/plans/{rw.plan.code}/releases/1/")
    assert page.status_code == 410
    html = page.content.decode()
    assert "A survivor was named." in html and "/download/" not in html


def test_a_draft_is_downloadable_by_its_preparers_only(rw: ReleaseWorld) -> None:
    services.release_prepare(by=rw.coordinator, plan=rw.plan)
    anonymous, monitor = Client(), Client()
    monitor.force_login(rw.monitor)
    for client in (anonymous, monitor):
        assert _portal(rw, "csv", client=client).status_code == 404
        assert _api(rw, "data.csv", client=client).status_code == 404
        assert client.get(f"/plans/{rw.plan.code}/releases/1/").status_code == 404
    coordinator = _coordinator(rw)
    assert _portal(rw, "csv", client=coordinator).status_code == 200
    assert _api(rw, "sdmx.csv", client=coordinator).status_code == 200
    assert "draft" in coordinator.get(f"/plans/{rw.plan.code}/releases/1/").content.decode()


def test_unknown_format_release_or_plan_is_404(rw: ReleaseWorld) -> None:
    _published(rw)
    assert _portal(rw, "pdf").status_code == 404
    assert _portal(rw, "csv", number=2).status_code == 404
    assert _api(rw, "data.json").status_code == 404
    assert _api(rw, "data.csv", number=2).status_code == 404
    assert Client().get("/api/v1/plans/nope/releases/1/data.csv").status_code == 404
    assert Client().get("/plans/nope/releases/1/download/csv/").status_code == 404


def test_the_open_data_endpoints_are_in_the_openapi_schema(db: None) -> None:
    paths = Client().get("/api/v1/schema").json()["paths"]
    for path, media in (
        ("data.csv", "text/csv"),
        ("data.xlsx", opendata.CONTENT_TYPES["xlsx"]),
        ("datapackage.zip", "application/zip"),
        ("sdmx.csv", "text/csv"),
    ):
        operation = paths[f"/api/v1/plans/{{plan}}/releases/{{number}}/{path}"]["get"]
        assert media in operation["responses"]["200"]["content"]
        assert "410" in operation["responses"]


def test_csv_streams_in_chunks(rw: ReleaseWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    release = _published(rw)
    monkeypatch.setattr(opendata, "CHUNK", 10)
    pieces = list(opendata.tidy_csv(release))
    assert len(pieces) >= release.figures // 10
    assert len(_csv(b"".join(pieces))) == release.figures


def test_xlsx_goes_on_to_another_sheet_when_one_is_full(
    rw: ReleaseWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    release = _published(rw)
    monkeypatch.setattr(opendata, "XLSX_ROWS", 50)
    out = io.BytesIO()
    opendata.tidy_xlsx(release, out)
    book = load_workbook(out, read_only=True)
    figures = [name for name in book.sheetnames if name.startswith("figures")]
    assert figures[:2] == ["figures", "figures-2"] and book.sheetnames[-1] == "about"
    rows = [list(book[name].iter_rows(values_only=True)) for name in figures]
    assert all(r[0] == opendata.COLUMNS and len(r) <= 51 for r in rows)
    assert sum(len(r) - 1 for r in rows) == release.figures


def test_text_that_a_spreadsheet_would_run_is_neutralised(rw: ReleaseWorld) -> None:
    from openpyxl import load_workbook

    rw.meetings.title = '=HYPERLINK("http://evil.example","x")'
    rw.meetings.save(update_fields=["title"])
    release = _published(rw)
    rows = _csv(_body(_portal(rw, "csv")))
    titles = {r["indicator_name"] for r in rows if r["indicator_code"] == "PA-01"}
    assert titles == {"'" + rw.meetings.title}
    out = io.BytesIO()
    opendata.tidy_xlsx(release, out)
    out.seek(0)
    book = load_workbook(out)  # not read-only: the cell's type and quote prefix are kept
    cells = [row[3] for row in book["figures"].iter_rows(min_row=2) if row[2].value == "PA-01"]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_files_are_in_english_for_a_french_reader_and_the_page_in_french(
    rw: ReleaseWorld,
) -> None:
    _published(rw)
    french = Client(HTTP_ACCEPT_LANGUAGE="fr")
    page = french.get(f"/plans/{rw.plan.code}/releases/1/").content.decode()
    assert "Données ouvertes" in page
    rows = _csv(_body(_portal(rw, "csv", client=french)))
    assert {r["flag_text"] for r in rows if r["flag"] == "primary"} == {"fewer than 5"}


def test_a_published_release_s_workbook_is_built_once(
    rw: ReleaseWorld, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from openpyxl import load_workbook

    release = _published(rw)
    first = _body(_api(rw, "data.xlsx"))
    assert opendata.cache_path(release, "xlsx").exists()

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("built again")

    monkeypatch.setattr(opendata, "tidy_xlsx", refuse)
    monkeypatch.setattr(opendata, "datapackage_zip", refuse)
    again = _body(_portal(rw, "xlsx"))
    assert again == first and load_workbook(io.BytesIO(again), read_only=True)["about"]
    # A withdrawn release's kept file is never served.
    kept = opendata.cache_path(release, "xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        services.release_withdraw(by=rw.coordinator, release=release, reason="Harm found.")
    assert _portal(rw, "xlsx").status_code == 410
    assert not kept.exists()


def test_a_share_mapped_to_sg_gen_parl_is_published_in_percent(rw: ReleaseWorld) -> None:
    from wpsmonitor.indicators.models import IndicatorKind, TimeRule

    members = rw.world.indicator(
        "PA-03", scheme=["sex"], unit="members", time_rule=TimeRule.LAST, frequency="year"
    )
    share = rw.world.indicator(
        "PA-04",
        kind=IndicatorKind.SHARE,
        unit="%",
        time_rule=TimeRule.LAST,
        frequency="year",
        share_of=members,
        share_dimension="sex",
        share_option="F",
    )
    share.references.add(GlobalIndicator.objects.get(vocabulary="sdg-series", code="SG_GEN_PARL"))
    rw.world.value(members, "2025", "N", 32, cell="sex=F")
    rw.world.value(members, "2025", "N", 68, cell="sex=M")
    rw.world.rebuild()
    _published(rw)
    rows = _csv(_body(_portal(rw, "sdmx")))
    parl = [r for r in rows if r["SERIES"] == "SG_GEN_PARL" and r["TIME_PERIOD"] == "2025"]
    assert [(r["REF_AREA"], r["SEX"], r["OBS_VALUE"], r["UNIT_MEASURE"]) for r in parl] == [
        ("686", "_T", "32", "PT")
    ]
    assert parl[0]["DATAFLOW"].endswith("_GOV(1.0)") and parl[0]["CONF_STATUS"] == "F"
