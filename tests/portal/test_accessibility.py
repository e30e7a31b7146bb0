"""The dashboard pages pass axe-core's WCAG 2.2 A and AA rules in a real browser, on a wide
and on a 320 px screen. axe itself is a script, so the browser runs script; the pages have none
(test_pages checks that no <script> is served).

Skipped where Debian's Chromium is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import BuiltPlan, add_round, add_values, build_plan

CHROMIUM = Path("/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing"),
    pytest.mark.django_db(transaction=True),
]
PAGES = [
    "/plans/nap-3/?period=2024",
    "/plans/nap-3/indicators/IND-1-1-N/",
    "/plans/nap-3/areas/",
    "/areas/COD/",
    "/areas/COD-P1/",
]


@pytest.fixture
def committed_plan(transactional_db: None) -> BuiltPlan:
    built = build_plan()
    add_values(built)
    add_round(built)
    return built


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


def test_dashboard_pages_meet_wcag_22_aa(
    live_server: Any, browser: Any, committed_plan: BuiltPlan
) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_module.Axe()
    problems = []
    for width in (1280, 320):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        for url in PAGES:
            page.goto(live_server.url + url)
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            for violation in results.response["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{width}px {url}: {violation['id']} {targets}")
            # Reflow (WCAG 1.4.10): nothing makes the page scroll sideways at 320 px.
            if width == 320:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    problems.append(f"{url}: {scroll}px wide at 320px")
        context.close()
    assert not problems, "\n".join(problems)
