"""The interface is complete in its four languages: every message in the code has a French, a
Spanish and an Arabic translation, with every plural form the language needs (docs/languages.md).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

import wpsmonitor

PACKAGE = Path(wpsmonitor.__file__).parent
TRANSLATED = ["fr", "es", "ar"]
# How many forms a plural message has in each language (the catalogue's Plural-Forms).
PLURAL_FORMS = {"fr": 2, "es": 3, "ar": 6}


def catalogue(language: str) -> Path:
    return PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"


def _entries(po_text: str) -> list[tuple[str, list[str], bool, bool]]:
    """(msgid, its translations, fuzzy, plural) for each entry of a .po file, header excluded:
    one translation, or one per plural form."""
    entries = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith(("msgid", "msgstr", "msgctxt")):
                current, _, rest = line.partition(" ")
                fields[current] = rest.strip()[1:-1]
            elif line.startswith('"') and current:
                fields[current] += line.strip()[1:-1]
        if fields.get("msgid"):
            forms = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries.append((fields["msgid"], forms, fuzzy, "msgid_plural" in fields))
    return entries


def _complete(language: str, forms: list[str], plural: bool) -> bool:
    wanted = PLURAL_FORMS[language] if plural else 1
    return len(forms) == wanted and all(forms)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_in_every_form_and_not_fuzzy(language: str) -> None:
    entries = _entries(catalogue(language).read_text(encoding="utf-8"))
    assert len(entries) > 100
    missing = [
        msgid
        for msgid, forms, fuzzy, plural in entries
        if fuzzy or not _complete(language, forms, plural)
    ]
    assert missing == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_catalogues_cover_every_string_in_the_code(tmp_path: Path) -> None:
    # Extract the strings afresh from a copy of the package and compare with each catalogue.
    copy = tmp_path / "wpsmonitor"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    languages = [option for language in TRANSLATED for option in ("-l", language)]
    subprocess.run(
        ["django-admin", "makemessages", *languages, "--no-obsolete", "--ignore", "migrations/*"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    for language in TRANSLATED:
        fresh_po = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        fresh = {entry[0] for entry in _entries(fresh_po.read_text())}
        translated = {
            msgid
            for msgid, forms, fuzzy, plural in _entries(catalogue(language).read_text())
            if not fuzzy and _complete(language, forms, plural)
        }
        assert sorted(fresh - translated) == [], language


@pytest.mark.django_db
def test_the_home_page_speaks_french(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()
    with translation.override("fr"):
        assert translation.gettext("Indicator") == "Indicateur"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "direction", "words"),
    [("es", "ltr", "Iniciar sesión"), ("ar", "rtl", "تسجيل الدخول")],
)
def test_the_home_page_speaks_spanish_and_arabic(
    client: Client, language: str, direction: str, words: str
) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}" dir="{direction}"' in html
    assert words in html and "Sign in" not in html
