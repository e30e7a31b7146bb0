"""The API documentation page works offline: Swagger UI comes from the platform's own files."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LINKED = re.compile(r'(?:src|href)="([^"]+)"')


def test_docs_page_loads_swagger_from_our_own_static_files(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    links = LINKED.findall(html)
    assert any(link.endswith("swagger-ui-bundle.js") for link in links), html
    assert all(link.startswith("/") and not link.startswith("//") for link in links), links
    assert "cdn" not in html.lower()
    # Swagger's public validator (its default) would be called from the page.
    assert '"validatorUrl": null' in html
    for link in links:
        served = client.get(link)
        assert served.status_code == 200, link


def test_every_page_links_to_the_api_documentation(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'href="/api/v1/docs"' in html
