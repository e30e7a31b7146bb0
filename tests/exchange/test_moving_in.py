"""Moving in from another system (docs/moving-in.md): records keyed by labels, the mapping sheet,
all or nothing, the kept mapping, rights and hostile files."""

from __future__ import annotations

import json
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.directory.services import area_subdivision_ensure
from wpsmonitor.exchange.importer import ImportFailed
from wpsmonitor.exchange.models import LabelMapping
from wpsmonitor.exchange.movein.records import read_records
from wpsmonitor.exchange.services import plan_move_in
from wpsmonitor.indicators.models import DataValue, Indicator, ListItem
from wpsmonitor.indicators.services import scheme_ensure

from .helpers import db_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(small_plan):
    area_subdivision_ensure(parent=Area.objects.get(code="KEN"), code="KE-28", name="Mombasa")
    node = small_plan.nodes.get(code="P1")
    Indicator.objects.create(
        plan=small_plan,
        node=node,
        code="W1",
        title="Police officers, by sex",
        title_fr="Agents de police, par sexe",
        kind="number",
        time_rule="last",
        frequency="year",
        scheme=scheme_ensure(dimension_codes=["sex"]),
    )
    Indicator.objects.create(
        plan=small_plan,
        node=node,
        code="L1",
        title="Laws adopted",
        title_fr="Lois adoptées",
        kind="list",
        time_rule="sum",
        frequency="year",
        scheme=scheme_ensure(dimension_codes=[]),
    )
    return small_plan


@pytest.fixture
def coordinator(plan):
    user = User.objects.create_user("coord")
    PlanRole.objects.create(user=user, plan=plan, role=Role.COORDINATOR)
    return user


def _csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _move(user, plan, *paths: Path, mapping: list[Path] | None = None, dry_run: bool = False):
    return plan_move_in(
        by=user, plan=plan, files=read_records(list(paths)), mapping_paths=mapping, dry_run=dry_run
    )


FRENCH = [
    "Indicateur;Province;Année;Sexe;Valeur;Commentaire",
    "Agents de police, par sexe;Nairobi;2023;Femme;12;",
    "Agents de police, par sexe;Nairobi;2023;Homme;40;",
    "agents de police par sexe;MOMBASA;2023;FEMME;7;recensement",
    "Agents de police, par sexe;Mombasa;2023;homme;30,0;",
]


def test_french_labels_are_matched_and_a_dry_run_stores_nothing(tmp_path, plan, coordinator):
    path = _csv(tmp_path / "ministere.csv", FRENCH)
    before = db_state()
    checked = _move(coordinator, plan, path, dry_run=True)
    assert checked.complete and checked.values == 4 and checked.mapping_sheet is None
    assert db_state() == before
    done = _move(coordinator, plan, path)
    assert (done.created, done.records) == (4, 4)
    stored = {
        (v.area.code, v.cell.code): v.value
        for v in DataValue.objects.filter(indicator__code="W1").select_related("area", "cell")
    }
    assert stored == {
        ("KE-30", "sex=F"): 12,
        ("KE-30", "sex=M"): 40,
        ("KE-28", "sex=F"): 7,
        ("KE-28", "sex=M"): 30,
    }


def test_a_misspelt_province_gets_a_suggestion_and_nothing_is_imported(tmp_path, plan, coordinator):
    path = _csv(
        tmp_path / "legacy.csv",
        [*FRENCH[:2], "Agents de police, par sexe;Nairobbi;2023;Homme;40;", *FRENCH[3:]],
    )
    before = db_state()
    result = _move(coordinator, plan, path)
    assert not result.complete
    assert [(u.kind, u.label, u.count, u.first) for u in result.unmatched] == [
        ("area", "Nairobbi", 1, "legacy.csv:3")
    ]
    assert result.unmatched[0].suggestions[0] == "KE-30 (Nairobi)"
    assert db_state() == before
    sheet = load_workbook(BytesIO(result.mapping_sheet))
    rows = list(sheet["Areas"].values)
    assert rows[0] == (
        "label", "count", "first_seen", "suggestion_1", "suggestion_2", "suggestion_3", "code",
    )  # fmt: skip
    assert rows[1][:4] == ("Nairobbi", 1, "legacy.csv:3", "KE-30 (Nairobi)")


def _fill(sheet_bytes: bytes, path: Path, codes: dict[str, str]) -> Path:
    """Fill the code column: a label's code, or "1" to copy its first suggestion."""
    workbook = load_workbook(BytesIO(sheet_bytes))
    for name in ("Columns", "Indicators", "Areas", "Options", "Periods"):
        if name not in workbook.sheetnames:
            continue
        ws = workbook[name]
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            label = row[0].value
            if label in codes:
                code = codes[label]
                if code == "1":  # a line carried on from the sheet given keeps its code
                    code = (
                        row[header.index("suggestion_1")].value or row[header.index("code")].value
                    )
                row[header.index("code")].value = code
    workbook.save(path)
    return path


def _ministry_workbook(path: Path, bad: bool = False) -> Path:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Feuil1"
    ws.append(["Intitulé de l'indicateur", "Zone", "Exercice", "Genre", "Valeur"])
    ws.append(["Agents de police, par sexe", "Nairobi", 2023, "Femme", 12])
    ws.append(
        ["Agents de police, par sexe", "Ville de Mombasa", 2023, "Femme", "douze" if bad else 9]
    )
    ws.append(["Effectifs policiers", "Nairobi", 2024, "F", 14])
    workbook.save(path)
    return path


def test_the_filled_mapping_sheet_imports_and_is_kept_for_next_year(tmp_path, plan, coordinator):
    path = _ministry_workbook(tmp_path / "ministere.xlsx")
    first = _move(coordinator, plan, path)
    unmatched = {(u.kind, u.label): u for u in first.unmatched}
    assert set(unmatched) == {
        ("column", "Intitulé de l'indicateur"),
        ("column", "Genre"),
        ("area", "Ville de Mombasa"),
    }
    assert unmatched[("area", "Ville de Mombasa")].suggestions[0] == "KE-28 (Mombasa)"
    filled = _fill(
        first.mapping_sheet,
        tmp_path / "mapping.xlsx",
        {"Intitulé de l'indicateur": "indicator", "Genre": "sex", "Ville de Mombasa": "1"},
    )
    # The header understood, the indicator's other title is the next unmatched label.
    second = _move(coordinator, plan, path, mapping=[filled])
    assert [(u.kind, u.label) for u in second.unmatched] == [("indicator", "Effectifs policiers")]
    assert DataValue.objects.count() == 0
    filled = _fill(second.mapping_sheet, tmp_path / "mapping2.xlsx", {"Effectifs policiers": "W1"})
    done = _move(coordinator, plan, path, mapping=[tmp_path / "mapping.xlsx", filled])
    assert done.complete and done.created == 3 and done.remembered == 4
    assert set(LabelMapping.objects.values_list("kind", "label", "code")) == {
        ("column", "Intitulé de l'indicateur", "indicator"),
        ("column", "Genre", "sex"),
        ("area", "Ville de Mombasa", "KE-28"),
        ("indicator", "Effectifs policiers", "W1"),
    }
    # Next year's export of the same system: no mapping sheet needed.
    path = _ministry_workbook(tmp_path / "ministere-2025.xlsx")
    again = _move(coordinator, plan, path, dry_run=True)
    assert again.complete and again.unchanged == 3


def test_one_bad_row_refuses_everything_at_file_sheet_row_column(tmp_path, plan, coordinator):
    LabelMapping.objects.bulk_create(
        [
            LabelMapping(plan=plan, kind=k, label=label, folded=f, code=c)
            for k, label, f, c in [
                ("column", "Intitulé de l'indicateur", "intitule de l indicateur", "indicator"),
                ("column", "Genre", "genre", "sex"),
                ("area", "Ville de Mombasa", "ville de mombasa", "KE-28"),
                ("indicator", "Effectifs policiers", "effectifs policiers", "W1"),
            ]
        ]
    )
    path = _ministry_workbook(tmp_path / "ministere.xlsx", bad=True)
    before = db_state()
    with pytest.raises(ImportFailed) as failed:
        _move(coordinator, plan, path)
    assert [str(p) for p in failed.value.problems] == [
        "ministere.xlsx:Feuil1:3:Valeur: 'douze' is not a number"
    ]
    assert db_state() == before


def test_a_wrong_code_in_the_mapping_sheet_is_located(tmp_path, plan, coordinator):
    path = _ministry_workbook(tmp_path / "ministere.xlsx")
    first = _move(coordinator, plan, path)
    filled = _fill(first.mapping_sheet, tmp_path / "mapping.xlsx", {"Ville de Mombasa": "KE-99"})
    with pytest.raises(ImportFailed) as failed:
        _move(coordinator, plan, path, mapping=[filled])
    assert [str(p) for p in failed.value.problems] == [
        "mapping.xlsx:Areas:2:code: 'KE-99' is not the code of an area of the plan"
    ]


def test_json_records_and_list_items_repeated_across_years(tmp_path, plan, coordinator):
    records = [
        {"indicateur": "Lois adoptées", "province": "Nairobi", "annee": year, "titre": title}
        for year, title in [
            (2021, "Loi sur la parité"),
            (2022, "Loi sur la parité"),
            (2022, "Plan d'action de Nairobi"),
            (2023, "loi sur la parite"),
        ]
    ] + [
        {"indicateur": "Agents de police, par sexe", "province": "Nairobi", "annee": "2023",
         "sexe": "Femme", "valeur": 5},
    ]  # fmt: skip
    path = tmp_path / "autre-app.json"
    path.write_text(json.dumps({"data": records}), encoding="utf-8")
    done = _move(coordinator, plan, path)
    assert (done.list_items, done.repeated_items, done.created) == (2, 2, 1)
    items = dict(ListItem.objects.values_list("title", "period__code"))
    assert items == {"Loi sur la parité": "2021", "Plan d'action de Nairobi": "2022"}


def test_only_a_coordinator_moves_in(tmp_path, plan):
    focal = User.objects.create_user("focal")
    ministry = Organisation.objects.create(
        code="moi", name="Ministry of Interior", type="government"
    )
    PlanRole.objects.create(user=focal, plan=plan, role=Role.FOCAL_POINT, organisation=ministry)
    path = _csv(tmp_path / "ministere.csv", FRENCH)
    for user in (focal, User.objects.create_user("nobody")):
        with pytest.raises(PermissionDenied):
            _move(user, plan, path)
    assert DataValue.objects.count() == 0


def test_hostile_files_are_refused_and_nothing_is_stored(tmp_path, plan, coordinator):
    binary = tmp_path / "export.csv"
    binary.write_bytes(b"Indicateur,Province\x00\x01\x02")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    bomb = _ministry_workbook(tmp_path / "bomb.xlsx")
    with (
        zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/zeros.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(300):
            member.write(b"\0" * (1024 * 1024))
    before = db_state()
    with pytest.raises(ImportFailed) as failed:
        _move(coordinator, plan, binary, deep, bomb)
    problems = [str(p) for p in failed.value.problems]
    assert problems[0] == "export.csv: this is not a CSV text file (it contains binary data)"
    assert problems[1].startswith("deep.json: ")
    assert problems[2].startswith("bomb.xlsx: the workbook part xl/media/zeros.bin is compressed")
    assert len(problems) == 3
    assert db_state() == before


def test_the_page_checks_offers_the_mapping_sheet_and_imports(tmp_path, plan, coordinator, client):
    url = f"/plans/{plan.code}/moving-in/"
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    export = _ministry_workbook(tmp_path / "ministere.xlsx").read_bytes()

    def post(step: str, mapping: bytes | None = None):
        data = {"step": step, "file": _upload("ministere.xlsx", export)}
        if mapping is not None:
            data["mapping"] = _upload("mapping.xlsx", mapping)
        return client.post(url, data)

    page = post("check")
    assert page.status_code == 200
    assert "Ville de Mombasa" in page.content.decode()
    codes = {
        "Intitulé de l'indicateur": "indicator",
        "Genre": "sex",
        "Ville de Mombasa": "1",
        "Effectifs policiers": "W1",
    }
    sheet = client.get(url + "mapping.xlsx")
    assert sheet.status_code == 200 and sheet["Content-Disposition"].startswith("attachment")
    filled = _fill(b"".join(sheet.streaming_content), tmp_path / "m1.xlsx", codes).read_bytes()
    # Its columns mapped, the file's other indicator title shows; the new sheet carries the
    # lines filled already.
    assert "Effectifs policiers" in post("check", filled).content.decode()
    sheet = client.get(url + "mapping.xlsx")
    filled = _fill(b"".join(sheet.streaming_content), tmp_path / "m2.xlsx", codes).read_bytes()
    assert DataValue.objects.count() == 0
    checked = post("check", filled)
    assert "Every label matches" in checked.content.decode()
    assert DataValue.objects.count() == 0
    done = post("import", filled)
    assert done.status_code == 302
    assert DataValue.objects.count() == 3


def test_the_page_lists_problems_and_is_for_coordinators(tmp_path, plan, coordinator, client):
    url = f"/plans/{plan.code}/moving-in/"
    focal = User.objects.create_user("focal")
    ministry = Organisation.objects.create(code="moi", name="Ministry", type="government")
    PlanRole.objects.create(user=focal, plan=plan, role=Role.FOCAL_POINT, organisation=ministry)
    client.force_login(focal)
    assert client.get(url).status_code == 403
    assert client.get(url + "mapping.xlsx").status_code == 403
    client.force_login(coordinator)
    assert client.get(url + "mapping.xlsx").status_code == 404
    bad = "\n".join([*FRENCH[:2], "Agents de police, par sexe;Nairobi;2023;Homme;quarante;"])
    page = client.post(url, {"step": "import", "file": _upload("m.csv", bad.encode())})
    assert page.status_code == 400
    assert "m.csv:3:Valeur: &#x27;quarante&#x27; is not a number" in page.content.decode()
    assert DataValue.objects.count() == 0


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_command_writes_the_mapping_sheet_then_imports(tmp_path, plan, monkeypatch):
    from django.core.management import call_command

    monkeypatch.chdir(tmp_path)
    path = _ministry_workbook(tmp_path / "ministere.xlsx")
    with pytest.raises(SystemExit) as exit:
        call_command("movein", plan.code, str(path))
    assert exit.value.code == 3
    sheet = tmp_path / f"{plan.code}-mapping.xlsx"
    codes = {
        "Intitulé de l'indicateur": "indicator",
        "Genre": "sex",
        "Ville de Mombasa": "KE-28",
        "Effectifs policiers": "W1",
    }
    filled = _fill(sheet.read_bytes(), tmp_path / "filled.xlsx", codes)
    with pytest.raises(SystemExit) as exit:
        call_command("movein", plan.code, str(path), "--mapping", str(filled))
    assert exit.value.code == 3
    filled = _fill(sheet.read_bytes(), tmp_path / "filled.xlsx", codes)
    call_command("movein", plan.code, str(path), "--mapping", str(filled), "--dry-run")
    assert DataValue.objects.count() == 0
    call_command("movein", plan.code, str(path), "--mapping", str(filled))
    assert DataValue.objects.count() == 3


def test_a_column_naming_the_plans_own_dimension_and_the_packages_lands_on_the_plans_own(
    tmp_path, plan, coordinator
):
    # The plan adopted the security package: its shared "Rank" dimension is "Grade" in French.
    from wpsmonitor.indicators.services import dimension_ensure
    from wpsmonitor.security.services import RANK_DIMENSION, package_dimensions_ensure

    package_dimensions_ensure()
    node = plan.nodes.get(code="P1")
    Indicator.objects.create(
        plan=plan,
        node=node,
        code="PNC-PERS",
        title="Personnel by sex and rank (package)",
        kind="number",
        time_rule="last",
        frequency="year",
        scheme=scheme_ensure(dimension_codes=["sex", RANK_DIMENSION]),
    )
    # ...and has its own police grades, named "Grade".
    dimension_ensure(
        code="police_grade",
        name="Grade",
        options=[("officer", "Officier"), ("agent", "Agent")],
        plan=plan,
    )
    Indicator.objects.create(
        plan=plan,
        node=node,
        code="G1",
        title="Police officers, by grade",
        title_fr="Policiers, par grade",
        kind="number",
        time_rule="last",
        frequency="year",
        scheme=scheme_ensure(dimension_codes=["police_grade"]),
    )
    path = _csv(
        tmp_path / "recensement.csv",
        [
            "Indicateur;Province;Année;Grade;Valeur",
            "Policiers, par grade;Nairobi;2023;Officier;120",
            "Policiers, par grade;Nairobi;2023;Agent;900",
        ],
    )
    done = _move(coordinator, plan, path)
    assert done.complete and not done.unmatched
    stored = {
        v.cell.code: v.value
        for v in DataValue.objects.filter(indicator__code="G1").select_related("cell")
    }
    assert stored == {"police_grade=officer": 120, "police_grade=agent": 900}
