"""Issue 12 §6: the CSS is sent with a hashed name, compressed, and cached for a year.

`wpsmonitor serve` collects the static files with the real storage (settings.STORAGES:
whitenoise's CompressedManifestStaticFilesStorage); here they are collected into a throw-away
folder the same way and fetched through whitenoise in process.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

REAL = django_settings.STORAGES["staticfiles"]


def test_the_site_s_storage_hashes_and_compresses() -> None:
    assert REAL["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.django_db
def test_the_css_has_a_hashed_name_a_compressed_copy_and_a_long_cache(
    settings: Any, tmp_path: Path
) -> None:
    settings.STORAGES = {**settings.STORAGES, "staticfiles": REAL}
    settings.STATIC_ROOT = tmp_path / "static"
    settings.WHITENOISE_USE_FINDERS = False  # only what collectstatic wrote, as served
    # The admin's and the API explorer's files left out: 30 s of compression on a slow machine.
    call_command(
        "collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "ninja"]
    )
    page = Client().get("/").content.decode()
    found = re.search(r'href="(/static/shell/shell\.[0-9a-f]{12}\.css)"', page)
    assert found, "the page links the CSS by its hashed name"
    css = found.group(1)
    name = css.removeprefix("/static/")
    assert (settings.STATIC_ROOT / f"{name}.gz").exists()
    assert (settings.STATIC_ROOT / f"{name}.br").exists()
    answer = Client().get(css, headers={"Accept-Encoding": "gzip, br"})
    assert answer.status_code == 200
    assert answer["Content-Encoding"] == "br"
    assert "max-age=315360000" in answer["Cache-Control"]
    assert "immutable" in answer["Cache-Control"]
    plain = Client().get(css, headers={"Accept-Encoding": "gzip"})
    assert plain["Content-Encoding"] == "gzip"
