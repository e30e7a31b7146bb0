"""The command line speaks the language the environment asks for (LANG, LC_ALL, LANGUAGE),
English when it asks for none of the platform's; the import workbook it writes keeps its sheet
names (stable codes) whatever the language of its instructions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from wpsmonitor.exchange import formats as f

from .helpers import cli_env

SHEETS = [f.INSTRUCTIONS, *(sheet.name for sheet in f.PLAN_SHEETS)]


def _run(home: Path, language: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in cli_env(home).items()
        if key not in {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}
    }
    return subprocess.run(
        [sys.executable, "-m", "wpsmonitor.cli", *args],
        env={**env, **language},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_line_speaks_french_when_lang_is_french(tmp_path: Path) -> None:
    french = {"LANG": "fr_FR.UTF-8"}
    usage = _run(tmp_path, french, "--help")
    assert usage.returncode == 0
    assert "Usage\u00a0: wpsmonitor" in usage.stdout
    assert "écrire le classeur d’import vierge" in usage.stdout
    # A management command's own message, through Django's command machinery.
    refused = _run(tmp_path, french, "template", "-o", str(tmp_path / "missing" / "t.xlsx"))
    assert refused.returncode != 0
    assert "Impossible d’écrire" in refused.stderr
    unknown = _run(tmp_path, french, "nonsense")
    assert unknown.returncode == 2
    assert "commande 'nonsense' inconnue" in unknown.stderr


def test_the_command_line_speaks_english_by_default(tmp_path: Path) -> None:
    for environment in ({"LANG": "C.UTF-8"}, {"LANG": "de_DE.UTF-8"}, {}):
        usage = _run(tmp_path, environment, "--help")
        assert "Usage: wpsmonitor COMMAND" in usage.stdout, environment


def test_the_template_written_in_spanish_keeps_its_sheet_names(tmp_path: Path) -> None:
    path = tmp_path / "plantilla.xlsx"
    done = _run(tmp_path, {"LANG": "es_CO.UTF-8"}, "template", "-o", str(path))
    assert done.returncode == 0, done.stderr
    assert f"{path} escrito" in done.stdout
    workbook = load_workbook(path)
    assert workbook.sheetnames == SHEETS
    instructions = [row for row in workbook[f.INSTRUCTIONS].iter_rows(values_only=True)]
    assert instructions[0][0] == "Libro de importación de WPS Monitor"
    assert instructions[5][:2] == ("Hoja", "Columna")
    # The headers stay the importer's codes.
    assert [c.value for c in workbook["Values"][1]] == f.VALUES.column_names
