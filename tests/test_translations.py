"""English and French are complete: every message in the code has a French translation."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

import wpsmonitor

PACKAGE = Path(wpsmonitor.__file__).parent
FRENCH_PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _entries(po_text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry of a .po file, header excluded."""
    entries = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith(("msgid ", "msgid_plural ", "msgstr ", "msgstr[0] ", "msgctxt ")):
                current, _, rest = line.partition(" ")
                fields[current] = rest.strip()[1:-1]
            elif line.startswith('"') and current:
                fields[current] += line.strip()[1:-1]
        if "msgid" in fields and fields["msgid"]:
            entries.append(
                (fields["msgid"], fields.get("msgstr", fields.get("msgstr[0]", "")), fuzzy)
            )
    return entries


def test_every_french_message_is_translated_and_not_fuzzy() -> None:
    entries = _entries(FRENCH_PO.read_text(encoding="utf-8"))
    assert len(entries) > 100
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert missing == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_french_catalogue_covers_every_string_in_the_code(tmp_path: Path) -> None:
    # Extract the strings afresh from a copy of the package and compare with the catalogue.
    copy = tmp_path / "wpsmonitor"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        ["django-admin", "makemessages", "-l", "fr", "--no-obsolete", "--ignore", "migrations/*"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {
        msgid for msgid, _, _ in _entries((copy / "locale/fr/LC_MESSAGES/django.po").read_text())
    }
    translated = {
        msgid for msgid, msgstr, fuzzy in _entries(FRENCH_PO.read_text()) if msgstr and not fuzzy
    }
    assert sorted(fresh - translated) == []


@pytest.mark.django_db
def test_the_home_page_speaks_french(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()
    with translation.override("fr"):
        assert translation.gettext("Indicator") == "Indicateur"
