"""Layout at a phone's width (360 px) and a laptop's (1366 px), in a real browser.

On the scorecard, an area page, an indicator page with its chart, the early-warning and
defenders' figures and the entry sheet: the page itself never scrolls sideways (a wide table
scrolls in its own box, which a keyboard user can focus and scroll); the scorecard's "Rating"
column is on screen in its box at 1366 px and reached with the arrow keys at 360 px; the entry
grid's columns fit a phone; chart text renders at 10 CSS px or more. axe-core checks every page
at both widths.

Run: pytest tests/browser/test_layout.py (needs /usr/bin/chromium).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.portal.conftest import publish_release
from tests.reporting.conftest import Cycle
from tests.scorecard.conftest import build as build_scorecard_plan

pytestmark = [pytest.mark.browser, needs_chromium]

WIDTHS = (360, 1366)
SCORECARD = "/plans/nap-sc/scorecard/"
PUBLIC_PAGES = {
    "scorecard": SCORECARD,
    "area page": "/areas/COD-P1/",
    "indicator page": "/plans/nap-sc/indicators/PRO-01/",
    # A table per year, a column per province (directory/_counts_table.html).
    "early-warning figures": "/plans/nap-sc/early-warning/figures/",
    "defenders' figures": "/plans/nap-sc/defenders/",
}
# Pages without a chart.
NO_CHART = {"area page", "early-warning figures", "defenders' figures"}
MIN_CHART_TEXT_PX = 10


def _expect_no_sideways_scroll(page: Page, what: str) -> None:
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], f"{what} scrolls sideways: {widths}"
    assert widths["body"] <= widths["viewport"], f"{what}: the body is wider: {widths}"


def _expect_scroll_regions(page: Page, what: str) -> None:
    """Every table sits in a box that scrolls by itself, named, and focusable when it needs
    to scroll (WCAG 2.1.1: a keyboard user can scroll it)."""
    found = page.evaluate(
        """() => [...document.querySelectorAll('main table')].map(t => {
            const box = t.closest('.table-wrap, .table-scroll');
            if (!box) return {bare: t.caption ? t.caption.textContent : t.outerHTML.slice(0, 80)};
            const named = box.getAttribute('aria-label') || (box.getAttribute('aria-labelledby')
                || '').split(' ').map(id => document.getElementById(id)?.textContent || '').join('');
            return {role: box.getAttribute('role'), tab: box.tabIndex, named: named.trim(),
                    scrolls: box.scrollWidth > box.clientWidth,
                    overflow: getComputedStyle(box).overflowX};
        })"""
    )
    assert found, f"{what}: no table"
    for box in found:
        assert "bare" not in box, f"{what}: a table outside a scroll box: {box}"
        assert box["role"] == "region" and box["tab"] == 0 and box["named"], f"{what}: {box}"
        assert box["overflow"] == "auto", f"{what}: {box}"


def _expect_readable_chart_text(page: Page, what: str) -> None:
    heights = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart text')]
            .filter(t => t.textContent.trim() && !t.getAttribute('transform'))
            .map(t => t.getBoundingClientRect().height)"""
    )
    assert heights, f"{what}: no chart text"
    assert min(heights) >= MIN_CHART_TEXT_PX, (
        f"{what}: chart text {min(heights):.1f} px high, under {MIN_CHART_TEXT_PX} px"
    )


def _rating_header_in_view(page: Page) -> bool:
    return page.evaluate(  # type: ignore[no-any-return]
        """() => {
            const table = document.getElementById('items-caption').closest('table');
            const box = table.closest('.table-wrap').getBoundingClientRect();
            const th = [...table.querySelectorAll('thead th')]
                .find(h => h.textContent.trim() === 'Rating').getBoundingClientRect();
            return th.left >= box.left - 1 && th.right <= box.right + 1
                && box.left >= 0 && box.right <= document.documentElement.clientWidth;
        }"""
    )


def _expect_rating_column_reachable(page: Page, width: int) -> None:
    region = page.locator(".table-wrap").filter(has=page.locator("#items-caption"))
    expect(region).to_have_attribute("role", "region")
    if width >= 1366:
        assert _rating_header_in_view(page), "the scorecard's Rating column is cut at 1366 px"
        return
    # On a phone the table scrolls in its box: a keyboard user focuses it and scrolls right.
    region.focus()
    expect(region).to_be_focused()
    for _ in range(60):
        if _rating_header_in_view(page):
            break
        page.keyboard.press("ArrowRight")
    assert _rating_header_in_view(page), "the Rating column cannot be scrolled into view"


def test_pages_fit_a_phone_and_a_laptop(site: Site, browser_cycle: Cycle) -> None:
    # Anonymous readers read the published release (docs/publishing.md, "Who reads what").
    publish_release(build_scorecard_plan().plan)
    publish_release(browser_cycle.plan)
    sheet_url: str | None = None
    for width in WIDTHS:
        context = site.context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for name, path in PUBLIC_PAGES.items():
            page.goto(site.url(path))
            what = f"{name} at {width} px"
            _expect_no_sideways_scroll(page, what)
            _expect_scroll_regions(page, what)
            if name not in NO_CHART:
                _expect_readable_chart_text(page, what)
            if name == "scorecard":
                _expect_rating_column_reachable(page, width)
            site.check_accessibility(page, what)
            site.screenshot(page, f"{width}-{name.replace(' ', '-')}")
        context.close()

        sheet = site.sign_in("focal", viewport={"width": width, "height": 900})
        if sheet_url is None:
            row = sheet.get_by_role("row").filter(has_text="Province 1")
            with sheet.expect_navigation():
                row.get_by_role("button", name="Start").click()
            assert re.search(r"/submissions/\d+/edit/$", sheet.url), sheet.url
            sheet_url = sheet.url
        else:
            sheet.goto(sheet_url)
        what = f"entry sheet at {width} px"
        _expect_no_sideways_scroll(sheet, what)
        _expect_scroll_regions(sheet, what)
        # The grid's row labels and its first column of figure fields are whole on the screen
        # (four age groups do not fit beside them on a phone: the rest scrolls in the box).
        grid = sheet.locator(f'fieldset[data-ind="{browser_cycle.grid.pk}"] .table-scroll')
        cut = grid.evaluate(
            """box => {
                const edge = Math.min(box.getBoundingClientRect().right,
                                      document.documentElement.clientWidth);
                const first = box.querySelector('tbody tr');
                return [...first.children].slice(0, 2)
                    .map(cell => cell.getBoundingClientRect().right - edge)
                    .filter(over => over > 1);
            }"""
        )
        assert not cut, f"{what}: the entry grid's first figure column is cut by {cut} px"
        site.check_accessibility(sheet, what)
        site.screenshot(sheet, f"{width}-entry-sheet")
        sheet.context.close()

    site.assert_accessible()


def test_wide_charts_keep_readable_labels_on_a_phone(site: Site, browser_cycle: Cycle) -> None:
    """The finance chart is drawn 680 units wide: on a phone its figure scrolls sideways in a
    box a keyboard user can focus, instead of shrinking its labels to 6 px."""
    from tests.finance.conftest import build_money

    money = build_money(browser_cycle)
    page = site.sign_in("coordinator", viewport={"width": 360, "height": 900})
    page.goto(site.url(f"/plans/{money.plan.code}/finance/"))
    what = "finance summary at 360 px"
    _expect_no_sideways_scroll(page, what)
    _expect_readable_chart_text(page, what)
    figure = page.locator("figure.chart-wide")
    figure.focus()
    expect(figure).to_be_focused()
    site.check_accessibility(page, what)
    page.context.close()
    site.assert_accessible()
