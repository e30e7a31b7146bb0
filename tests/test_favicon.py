"""Issue 12 §6: the site has an icon; `/favicon.ico` is not a 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_shell_icon() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("shell/favicon.svg")
    found = finders.find("shell/favicon.svg")
    assert found and Path(str(found)).read_text().startswith("<svg")


@pytest.mark.django_db
def test_every_page_links_the_icon() -> None:
    page = Client().get("/").content.decode()
    assert f'<link rel="icon" href="{static("shell/favicon.svg")}" type="image/svg+xml">' in page
