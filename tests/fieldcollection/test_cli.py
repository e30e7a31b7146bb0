"""`wpsmonitor fieldcollection form|send|pull|import`: the page's services from the command line,
with the same rights (--user), the same all-or-nothing import, clear messages and exit code 1
when anything is refused."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from tests.reporting.conftest import Cycle

from wpsmonitor import cli
from wpsmonitor.fieldcollection.models import FieldBatch, FieldForm, FieldInstance
from wpsmonitor.fieldcollection.xlsform import form_spec, to_xform
from wpsmonitor.reporting.models import Submission, SubmissionStatus, SubmissionValue

ODK = {
    "url": "https://central.example.org",
    "email": "secretariat@example.org",
    "password": "recorded",
    "project": "3",
}


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("fieldcollection", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _refused(*args: str) -> tuple[str, str]:
    """The command's message when it refuses, and what it wrote on stderr before."""
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("fieldcollection", *args, stdout=io.StringIO(), stderr=err)
    return str(refused.value), err.getvalue()


def _spec(cycle: Cycle) -> Any:
    return form_spec(cycle.round, cycle.built.ministry, cycle.province, "en")


def _export(cycle: Cycle, path: Path, rows: list[tuple[str, str]], version: str = "") -> Path:
    """A CSV export as ODK Central or Kobo write it: group paths joined with '-'."""
    spec = _spec(cycle)
    lines = [
        "SubmissionDate;g__IND_YN-v__IND_YN;wps_round;wps_assignment;wps_framework;meta-instanceID"
    ]
    lines += [
        f"2025-03-0{n};{value};2025Q1;{spec.assignment};{version or spec.version};{instance}"
        for n, (instance, value) in enumerate(rows, start=1)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- form --------------------------------------------------------------------------------------


def test_form_writes_the_assignments_xlsform_in_the_chosen_language(
    cycle: Cycle, tmp_path: Path
) -> None:
    plan, org, area = cycle.plan.code, cycle.built.ministry.code, cycle.province.code
    out, _err = _run(
        "form", plan, "2025Q1", org, area, "--language", "fr", "-o", str(tmp_path / "f.xlsx")
    )
    spec = _spec(cycle)
    assert f"framework version {spec.version}" in out and spec.form_id in out
    xform = to_xform((tmp_path / "f.xlsx").read_bytes())  # pyxform, as ODK and Kobo convert it
    assert '<translation lang="French (fr)" default="true()">' in xform
    assert spec.version in xform and "IND_GRID" in xform
    # A folder: the form's own name inside it.
    _run("form", plan, "2025Q1", org, area, "-o", str(tmp_path))
    assert (tmp_path / spec.filename()).is_file()


def test_form_names_the_code_that_names_nothing(cycle: Cycle, tmp_path: Path) -> None:
    plan, org, area = cycle.plan.code, cycle.built.ministry.code, cycle.province.code
    out = str(tmp_path / "f.xlsx")
    cases = {
        ("nope", "2025Q1", org, area): "No plan with code nope",
        (plan, "2031Q4", org, area): f"The plan {plan} has no round 2031Q4.",
        (plan, "2025Q1", "nobody", area): "No organisation with code nobody.",
        (plan, "2025Q1", org, "XX-99"): "No area with code XX-99.",
        (plan, "2025Q1", "police", area): f"police reports nothing for {area} in the plan {plan}.",
        (plan, "2025Q1", "police"): f"police reports nothing in the plan {plan}.",
    }
    for args, message in cases.items():
        assert _refused("form", *args, "-o", out)[0] == message
    # The ministry reports in two provinces: the area must be named.
    several, _err = _refused("form", plan, "2025Q1", org, "-o", out)
    assert several.startswith(f"{org} reports for several areas (") and "name the area" in several
    assert area in several and cycle.built.provinces[1].code in several
    assert not (tmp_path / "f.xlsx").exists()


def test_form_for_an_area_where_the_organisation_reports_nothing_else(
    cycle: Cycle, tmp_path: Path
) -> None:
    plan, area = cycle.plan.code, cycle.province.code
    message, _err = _refused(
        "form", plan, "2025Q1", cycle.built.cso.code, area, "-o", str(tmp_path / "f.xlsx")
    )
    assert message == f"{cycle.built.cso.code} reports nothing for {area} in the plan {plan}."


# --- import ------------------------------------------------------------------------------------


def test_import_lands_as_a_draft_in_the_focal_points_name_and_skips_duplicates(
    cycle: Cycle, tmp_path: Path
) -> None:
    plan = cycle.plan.code
    export = _export(cycle, tmp_path / "export.csv", [("uuid:c-1", "1")])
    out, _err = _run("import", plan, str(export), "--user", "focal")
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.DRAFT
    assert (submission.organisation, submission.area) == (cycle.built.ministry, cycle.province)
    assert SubmissionValue.objects.get(submission=submission).value == 1.0
    assert (
        f"Imported into the draft of {cycle.built.ministry.code}, {cycle.province.code}, 2025Q1 "
        f"(submission {submission.pk}): 1 submissions, 0 skipped as already imported." in out
    )
    batch = FieldBatch.objects.get()
    assert (batch.origin, batch.filename, batch.imported_by) == (
        "upload",
        "export.csv",
        cycle.users["focal"],
    )
    again = _export(cycle, tmp_path / "again.csv", [("uuid:c-1", "1"), ("uuid:c-2", "0")])
    out, _err = _run("import", plan, str(again), "--user", "focal")
    assert "1 submissions, 1 skipped as already imported" in out
    assert SubmissionValue.objects.get(submission=submission).value == 0.0
    assert FieldInstance.objects.count() == 2


def test_import_lists_every_problem_and_stores_nothing(cycle: Cycle, tmp_path: Path) -> None:
    export = _export(
        cycle, tmp_path / "old.csv", [("uuid:o-1", "1"), ("uuid:o-2", "1")], version="0123abcd"
    )
    message, err = _refused("import", cycle.plan.code, str(export), "--user", "focal")
    assert message == "2 problems: nothing was imported."
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("submission uuid:o-1: field wps_framework: the form was made")
    assert "download the XLSForm again" in lines[1]
    assert not Submission.objects.exists() and not FieldBatch.objects.exists()


@pytest.mark.parametrize("user", ["coordinator", "police_focal", "focal_other_area", "viewer"])
def test_only_a_focal_point_of_the_organisation_imports(
    cycle: Cycle, tmp_path: Path, user: str
) -> None:
    export = _export(cycle, tmp_path / "export.csv", [("uuid:c-1", "1")])
    message, _err = _refused("import", cycle.plan.code, str(export), "--user", user)
    assert message == (
        f"Nothing was imported: only a focal point of {cycle.built.ministry.code} in "
        f"{cycle.province.code} imports into its draft."
    )
    assert not Submission.objects.exists() and not FieldBatch.objects.exists()


def test_import_refuses_files_it_cannot_attribute(cycle: Cycle, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    plan = cycle.plan.code
    assert _refused("import", plan, str(tmp_path / "none.csv"), "--user", "focal")[0] == (
        f"No such file: {tmp_path / 'none.csv'}"
    )
    export = _export(cycle, tmp_path / "e.csv", [("uuid:c-1", "1")])
    assert _refused("import", plan, str(export), "--user", "nobody")[0] == "Unknown user nobody"
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps([{"meta/instanceID": "uuid:b", "v__IND_YN": "1"}]))
    message, _err = _refused("import", plan, str(bare), "--user", "focal")
    assert message.startswith("bare.json does not say which form its submissions answer")
    spec = _spec(cycle)
    mixed = tmp_path / "mixed.json"
    mixed.write_text(
        json.dumps(
            [
                {"wps_round": "2025Q1", "wps_assignment": spec.assignment},
                {"wps_round": "2025Q1", "wps_assignment": "police@" + cycle.province.code},
            ]
        )
    )
    message, _err = _refused("import", plan, str(mixed), "--user", "focal")
    assert message.startswith("mixed.json holds the submissions of several forms")
    empty = tmp_path / "empty.json"
    empty.write_text("[]")
    assert _refused("import", plan, str(empty), "--user", "focal")[0] == (
        "empty.json: no submissions to import"
    )
    settings.FIELD_COLLECTION_MAX_BYTES = 100
    big = tmp_path / "big.json"
    big.write_text("[" + " " * 200 + "]")
    assert _refused("import", plan, str(big), "--user", "focal")[0] == (
        "big.json: the file is 202 bytes; the limit is 100 bytes"
    )
    settings.FIELD_COLLECTION_MAX_BYTES = 10_000
    hostile = tmp_path / "bomb.xlsx"
    hostile.write_bytes(b"PK\x03\x04 not really a workbook")
    assert _refused("import", plan, str(hostile), "--user", "focal")[0].startswith("bomb.xlsx: ")
    both = ("import", plan, str(export), "--batch", "1", "--user", "focal")
    assert _refused(*both)[0] == "Name either a FILE of submissions or a --batch, not both."
    assert _refused("import", plan, "--user", "focal")[0].startswith("Name either a FILE")
    assert not Submission.objects.exists() and not FieldBatch.objects.exists()


# --- send and pull -----------------------------------------------------------------------------


def test_send_and_pull_need_a_server_and_the_coordinator(cycle: Cycle, settings) -> None:  # type: ignore[no-untyped-def]
    assignment = (cycle.plan.code, "2025Q1", cycle.built.ministry.code, cycle.province.code)
    settings.FIELD_COLLECTION_ODK = {}
    settings.FIELD_COLLECTION_KOBO = {}
    for action in ("send", "pull"):
        assert _refused(action, *assignment, "--user", "coordinator")[0] == (
            "No collection server is configured on this installation."
        )
        assert _refused(action, *assignment, "--user", "focal")[0] == (
            "focal may not use the collection server: only the plan's coordinator may."
        )
    settings.FIELD_COLLECTION_ODK = ODK
    assert _refused("pull", *assignment, "--user", "coordinator")[0] == (
        "Send the form to the server first."
    )
    assert not FieldForm.objects.exists() and not FieldBatch.objects.exists()


def test_send_pull_then_the_focal_point_imports_the_batch(cycle: Cycle, settings, replay) -> None:  # type: ignore[no-untyped-def]
    settings.FIELD_COLLECTION_ODK = ODK
    spec = _spec(cycle)
    values = {"__VERSION__": spec.version, "__PLAN__": cycle.plan.code, "FORMID": spec.form_id}
    assignment = (cycle.plan.code, "2025Q1", cycle.built.ministry.code, cycle.province.code)
    replay("odk_publish.json", **values)
    out, _err = _run("send", *assignment, "--user", "coordinator", "--language", "fr")
    form = FieldForm.objects.get()
    assert (form.server, form.version, form.sent_by) == (
        "odk",
        spec.version,
        cycle.users["coordinator"],
    )
    assert f"is on ODK Central as {form.reference}" in out
    player = replay("odk_pull.json", **values)
    out, _err = _run("pull", *assignment, "--user", "coordinator")
    batch = FieldBatch.objects.get()
    assert not player.exchanges and batch.is_pending and len(batch.records) == 3
    command = f"wpsmonitor fieldcollection import {cycle.plan.code} --batch {batch.pk} --user USER"
    assert out.startswith(f"3 submissions pulled as batch {batch.pk}.") and command in out
    # The coordinator pulls, never imports; a focal point of the organisation does.
    message, _err = _refused(
        "import", cycle.plan.code, "--batch", str(batch.pk), "--user", "coordinator"
    )
    assert message.startswith("Nothing was imported: only a focal point of")
    out, _err = _run("import", cycle.plan.code, "--batch", str(batch.pk), "--user", "focal")
    assert "3 submissions, 0 skipped" in out
    batch.refresh_from_db()
    assert batch.imported_by == cycle.users["focal"] and batch.submission is not None
    assert batch.submission.status == SubmissionStatus.DRAFT
    again = ("import", cycle.plan.code, "--batch", str(batch.pk), "--user", "focal")
    assert _refused(*again)[0] == "This batch is imported already."
    other = ("import", cycle.plan.code, "--batch", str(batch.pk + 1), "--user", "focal")
    assert _refused(*other)[0] == f"The plan {cycle.plan.code} has no batch {batch.pk + 1}."


# --- the console command -----------------------------------------------------------------------


@pytest.fixture
def console(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """`wpsmonitor ...` run in this process, on the test database: Django's command machinery
    closes every connection when a command ends, which would end the test's transaction."""
    import django.core.management.base as base

    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    def run(environment: dict[str, str], *args: str) -> tuple[int, str, str]:
        for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(key, raising=False)
        for key, value in environment.items():
            monkeypatch.setenv(key, value)
        code = 0
        try:
            cli.main(list(args))
        except SystemExit as exited:
            code = int(exited.code or 0)
        finally:
            translation.deactivate()
        done = capsys.readouterr()
        return code, done.out, done.err

    return run


def test_the_console_command_is_wired_and_exits_1_with_the_message(
    cycle: Cycle, console, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = console({}, "--help")
    assert code == 0 and "wpsmonitor fieldcollection form PLAN ROUND ORG [AREA]" in out
    path = tmp_path / "f.xlsx"
    plan, org, area = cycle.plan.code, cycle.built.ministry.code, cycle.province.code
    code, out, err = console(
        {}, "fieldcollection", "--skip-checks", "form", plan, "2025Q1", org, area, "-o", str(path)
    )
    assert (code, err) == (0, "") and path.is_file() and "Wrote" in out
    code, _out, err = console(
        {}, "fieldcollection", "--skip-checks", "form", plan, "2031Q4", org, area
    )
    assert code == 1 and err.strip() == f"CommandError: The plan {plan} has no round 2031Q4."
    code, _out, err = console(
        {"LANG": "fr_FR.UTF-8"}, "fieldcollection", "--skip-checks", "form", plan, "2031Q4", org
    )
    assert code == 1 and f"Le plan {plan} n’a pas de campagne 2031Q4." in err
    code, _out, err = console({}, "fieldcollection", "nonsense")
    assert code == 2 and "invalid choice: 'nonsense'" in err
