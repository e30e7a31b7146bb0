"""The quality page (with the coordinator's form) and the cross-plan page pass axe-core's WCAG
2.2 A and AA rules in a real browser, wide and at 320 px (where only the wide tables, in their
own scrolling regions, may be wider than the screen). Skipped where Debian's Chromium is not
installed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, build_full, make_world

CHROMIUM = Path("/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing"),
    pytest.mark.django_db(transaction=True),
]
PAGES = ["/plans/q-full/quality/", "/plans/compare/"]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; let the ORM beside it work.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as running:
        launched = running.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def test_quality_pages_meet_wcag_22_aa(live_server: Any, browser: Any) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    world = make_world()
    build_full(world)
    problems = []
    for width, signed_in in ((1280, False), (320, False), (1280, True)):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        if signed_in:
            page.goto(live_server.url + "/accounts/login/")
            page.get_by_label("User name").fill("coordinator")
            page.get_by_label("Password").fill(PASSWORD)
            with page.expect_navigation():
                page.get_by_role("button", name="Sign in").click()
        for url in PAGES:
            page.goto(live_server.url + url)
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            for violation in results.response["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{width}px {url}: {violation['id']} {targets}")
            if signed_in and url == PAGES[0]:
                assert page.get_by_label("How the plan is monitored and evaluated").count() == 1
            if width == 320:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    problems.append(f"{url}: {scroll}px wide at 320px")
        context.close()
    assert not problems, "\n".join(problems)
