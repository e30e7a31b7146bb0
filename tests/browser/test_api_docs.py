"""The API documentation page in a real browser: Swagger UI draws the operations from the
platform's own files (the test network reaches no CDN), under the Content-Security-Policy,
and the site's footer leads there.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Request, expect
from tests.browser.conftest import STEP_TIMEOUT_MS, Site, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]

# Swagger UI parses the whole OpenAPI schema and draws every operation in the browser: on a
# machine running both CI suites side by side it once took longer than Playwright's 5 s.
DRAWN_MS = 2 * STEP_TIMEOUT_MS


def test_api_docs_work_offline_under_the_policy(site: Site) -> None:
    page = site.context().new_page()
    hosts: list[str] = []

    def note(request: Request) -> None:
        hosts.append(request.url.split("/")[2])

    page.on("request", note)
    page.goto(site.url("/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Open data: the JSON API and its documentation").click()
    assert page.url.endswith("/api/v1/docs")
    expect(page.get_by_role("heading", name="WPS Monitor API")).to_be_visible(timeout=DRAWN_MS)
    expect(page.locator(".opblock").first).to_be_visible(timeout=DRAWN_MS)
    site.screenshot(page, "api-docs")
    own = site.base_url.split("/")[2]
    assert set(hosts) == {own}, hosts
