"""The PA-X CSV import: the plan's country's rows only, created or updated by AgtId (never
duplicated), a provision stub per WGG category flagged 1; all or nothing with problems located
`file:row:column`; hostile files refused fast."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from tests.peace.conftest import PeaceWorld

from wpsmonitor.peace import agreements as pax
from wpsmonitor.peace import services
from wpsmonitor.peace.models import Agreement, GenderProvision

SAMPLE = Path(__file__).parent / "data" / "pax_sample.csv"


def _run(pw: PeaceWorld, path: Path, who: str = "coordinator", **kwargs: object) -> pax.PaxResult:
    return pax.pax_import(by=pw.users[who], plan=pw.plan, path=path, name=path.name, **kwargs)  # type: ignore[arg-type]


def _write(tmp_path: Path, text: str, name: str = "pax.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _sample_with(tmp_path: Path, row: int, column: str, value: str) -> Path:
    """The sample with one cell changed (row counted as the file's lines, the header 1)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[header.index(column)] = value
    lines[row - 1] = ",".join(cells)
    return _write(tmp_path, "\n".join(lines) + "\n")


def test_the_plan_s_country_s_rows_become_agreements_with_provision_stubs(
    pw: PeaceWorld,
) -> None:
    result = _run(pw, SAMPLE)
    # Senegal's two rows, and the Gambia/Senegal protocol (by name and by Loc2ISO); not Mali's.
    assert (result.rows, result.kept) == (4, 3)
    assert sorted(Agreement.objects.filter(plan=pw.plan).values_list("pax_id", flat=True)) == [
        90001,
        90002,
        90004,
    ]
    framework = Agreement.objects.get(pax_id=90002)
    assert framework.stage == "SubComp" and framework.agreement_type == "Intra"
    assert str(framework.signed_on) == "2014-05-02"
    assert "Mediation team (fictitious)" in framework.parties
    # Flagged 1: WggPar, WggEq, WggGrp, WggNewInst, WggVio, WggTraJus, WggInstRef, WggDev, WggImpl.
    assert sorted(framework.provisions.values_list("category", flat=True)) == sorted(
        ["WggPar", "WggEq", "WggGrp", "WggNewInst", "WggVio", "WggTraJus", "WggInstRef",
         "WggDev", "WggImpl"]
    )  # fmt: skip
    assert result.provisions_created == 2 + 9 + 0
    assert all(p.text == "" for p in GenderProvision.objects.all())


def test_a_re_import_updates_and_never_duplicates(pw: PeaceWorld, tmp_path: Path) -> None:
    _run(pw, SAMPLE)
    provision = GenderProvision.objects.get(agreement__pax_id=90001, category="WggPar")
    provision.text = "Typed by the coordinator."
    provision.save()
    renamed = _sample_with(tmp_path, 2, "Agt", "Fictitious ceasefire (corrected name)")
    unflagged = renamed.read_text().replace(
        ",1,1,0,0,0,0,1,0,0,0,0,0\n", ",1,0,0,0,0,0,1,0,0,0,0,0\n"
    )
    renamed.write_text(unflagged)
    result = _run(pw, renamed)
    assert (len(result.created), len(result.updated), result.provisions_created) == (0, 3, 0)
    assert Agreement.objects.filter(plan=pw.plan).count() == 3
    assert Agreement.objects.get(pax_id=90001).name == "Fictitious ceasefire (corrected name)"
    # The provision the file no longer flags is kept with its text, and reported.
    provision.refresh_from_db()
    assert provision.text == "Typed by the coordinator."
    assert any("Participation" in u for u in result.unflagged)


def test_check_only_stores_nothing(pw: PeaceWorld) -> None:
    result = _run(pw, SAMPLE, check_only=True)
    assert result.checked_only and len(result.created) == 3
    assert not Agreement.objects.exists() and not GenderProvision.objects.exists()


def test_a_process_of_the_same_name_is_attached(pw: PeaceWorld) -> None:
    process = services.process_record(
        by=pw.users["coordinator"],
        plan=pw.plan,
        name="Casamance process (fictitious)",
        level="national",
        status="ongoing",
    )
    _run(pw, SAMPLE)
    assert Agreement.objects.get(pax_id=90002).process == process
    assert Agreement.objects.get(pax_id=90004).process is None


def test_the_provision_text_column_fills_the_stub(pw: PeaceWorld, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "AgtId,Con,Agt,Dat,Stage,WggVio,WggVio_text\n"
        '7,Senegal,Accord,2020-01-02,Cea,1,"The parties shall protect women, and girls."\n',
    )
    _run(pw, path)
    (provision,) = GenderProvision.objects.all()
    assert provision.text == "The parties shall protect women, and girls."


@pytest.mark.parametrize(
    "row,column,value,message",
    [
        (3, "Dat", "2014-13-45", "is not a date"),
        (3, "Stage", "Peace", "unknown stage"),
        (3, "WggVio", "yes", "is not a flag"),
        (3, "WggEq", "", "is not a flag"),
        (3, "AgtId", "abc", "is not a PA-X agreement id"),
        (3, "AgtId", "90001", "is already on row 2"),
        (3, "Agtp", "Civil", "unknown agreement type"),
        (3, "Agt", "", "has no name"),
    ],
)
def test_a_wrong_cell_refuses_the_whole_file_and_is_located(
    pw: PeaceWorld, tmp_path: Path, row: int, column: str, value: str, message: str
) -> None:
    path = _sample_with(tmp_path, row, column, value)
    with pytest.raises(pax.PaxRefused) as refused:
        _run(pw, path)
    lines = refused.value.lines()
    assert any(
        line.startswith(f"pax.csv:{row}:{column}: ") and message in line for line in lines
    ), lines
    assert not Agreement.objects.exists()


def test_a_wrong_row_of_another_country_is_not_the_plan_s_concern(
    pw: PeaceWorld, tmp_path: Path
) -> None:
    path = _sample_with(tmp_path, 4, "Stage", "Peace")  # Mali's row
    assert _run(pw, path).kept == 3


def test_every_problem_is_listed(pw: PeaceWorld, tmp_path: Path) -> None:
    path = _sample_with(tmp_path, 2, "Dat", "yesterday")
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace(",SubComp,SubComp,", ",Peace,SubComp,")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(pax.PaxRefused) as refused:
        _run(pw, path)
    assert [line.split(": ")[0] for line in refused.value.lines()] == [
        "pax.csv:2:Dat",
        "pax.csv:3:Stage",
    ]


def test_a_missing_column_is_named(pw: PeaceWorld, tmp_path: Path) -> None:
    path = _write(tmp_path, "AgtId,Con,Agt,Dat\n1,Senegal,A,2020-01-01\n")
    with pytest.raises(pax.PaxRefused) as refused:
        _run(pw, path)
    assert refused.value.lines() == ["pax.csv:1:Stage: the column Stage is missing"]


def test_hostile_files_are_refused_fast(
    pw: PeaceWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"AgtId,Con\x00\x01\x02")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("AgtId,Con,Agt,Dat,Stage\n1,Sénégal,A,2020-01-01,Cea\n".encode("latin-1"))
    empty = _write(tmp_path, "", "empty.csv")
    for path, words in ((binary, "binary"), (latin, "not UTF-8"), (empty, "empty")):
        with pytest.raises(pax.PaxRefused) as refused:
            _run(pw, path)
        assert words in refused.value.lines()[0], refused.value.lines()
    monkeypatch.setattr(pax, "PAX_MAX_BYTES", 100)
    with pytest.raises(pax.PaxRefused) as refused:
        _run(pw, SAMPLE)
    assert "the limit is 100 bytes" in refused.value.lines()[0]
    monkeypatch.setattr(pax, "PAX_MAX_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(pax, "PAX_MAX_ROWS", 2)
    with pytest.raises(pax.PaxRefused) as refused:
        _run(pw, SAMPLE)
    assert "more than 2 rows" in refused.value.lines()[0]
    assert not Agreement.objects.exists()


def test_a_formula_is_stored_as_text_and_never_run(pw: PeaceWorld, tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example","click")'
    path = _write(
        tmp_path,
        f'AgtId,Con,Agt,Dat,Stage\n5,SEN,"{formula.replace(chr(34), chr(34) * 2)}",2020-01-01,Cea\n',
    )
    _run(pw, path)
    assert Agreement.objects.get(pax_id=5).name == formula


def test_only_the_coordinator_imports(pw: PeaceWorld) -> None:
    for who in ("monitor", "focal", "viewer", "outsider"):
        with pytest.raises(PermissionDenied):
            _run(pw, SAMPLE, who=who)
    assert not Agreement.objects.exists()


def test_country_names_match_in_any_spelling(pw: PeaceWorld) -> None:
    from wpsmonitor.directory.models import Area

    pw.plan.area = Area(code="COD", name="Congo, The Democratic Republic of the")
    assert pax.country_matches(pw.plan, "Congo, Democratic Republic of")
    assert pax.country_matches(pw.plan, "Democratic Republic of Congo/Rwanda")
    assert not pax.country_matches(pw.plan, "Congo")
    assert pax.country_matches(pw.plan, "Somewhere", ["COD"])
