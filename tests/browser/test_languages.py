"""The interface in Spanish and in Arabic, in a real browser (issue 15, parts 1 and 4).

The reporting cycle in each language, the language chosen as a person chooses it (Spanish: the
browser's Accept-Language; Arabic: the switcher in the header, which the site remembers): the
focal point signs in, opens the sheet, enters figures, submits; the coordinator approves; the
public indicator page shows the figure. Then the public pages in Arabic at a phone's width
(360 px): right to left, nothing scrolls sideways, breadcrumbs point the reader's way, codes and
figures read left to right inside the Arabic text, the charts' axes run from the right. axe-core
checks every page; screenshots go under test-output/screenshots/ for a person to look at.

Expected words come from the catalogues themselves (`translation.override`), and each is
checked to differ from the English: a missing translation fails here as well as in
tests/test_translations.py.

Run: pytest tests/browser/test_languages.py (needs /usr/bin/chromium).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, authenticator_for, fresh_code, needs_chromium, page_widths
from tests.portal.conftest import publish_release
from tests.reporting.conftest import PASSWORD, Cycle
from tests.reporting.helpers import field
from tests.scorecard.conftest import build as build_scorecard_plan

from wpsmonitor.reporting.models import Submission, SubmissionStatus
from wpsmonitor.reports import services as reports
from wpsmonitor.reports.models import ReportScope, ReportVersion

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-3"
PHONE = {"width": 360, "height": 800}


def tr(language: str, message: str, context: str | None = None) -> str:
    """The catalogue's words for `message` in `language`, which must have been translated."""
    with translation.override(language):
        said = translation.pgettext(context, message) if context else translation.gettext(message)
    assert said != message, f"{message!r} has no {language} translation"
    return said


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _expect_language(page: Page, language: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")


def _switch_language(page: Page, language: str) -> None:
    """The header's switcher, as a reader uses it: choose, press the button."""
    page.locator("#lang-select").select_option(language)
    with page.expect_navigation():
        page.locator(".lang-form button").click()
    _expect_language(page, language)


def _sign_in(site: Site, page: Page, username: str, language: str) -> None:
    """The sign-in form and the code of the authenticator app, in `language`."""
    device = authenticator_for(username)
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(language, "Sign in"))
    page.get_by_label(tr(language, "User name")).fill(username)
    page.get_by_label(tr(language, "Password")).fill(PASSWORD)
    _submit(page, tr(language, "Sign in"))
    assert "/accounts/two-factor/" in page.url, f"{username}: no second step ({page.url})"
    page.get_by_label(tr(language, "Code"), exact=True).fill(fresh_code(device))
    _submit(page, tr(language, "Continue"))
    assert "/accounts/" not in page.url, f"{username} could not sign in: {page.url}"


def _open(site: Site, language: str, path: str, **options: Any) -> Page:
    """A new reader (own cookies) at `path`, in `language`: Spanish through the browser's
    Accept-Language, Arabic through the switcher (the site keeps the choice in a cookie)."""
    if language == "ar":
        page = site.context(**options).new_page()
        page.goto(site.url(path))
        _switch_language(page, "ar")
    else:
        page = site.context(locale=language, **options).new_page()
        page.goto(site.url(path))
        _expect_language(page, language)
    return page


@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_reporting_cycle_in_spanish_and_arabic(
    site: Site, browser_cycle: Cycle, language: str
) -> None:
    cycle = browser_cycle
    women = field(cycle.grid, "sex=F;age=18-29")
    men = field(cycle.grid, "sex=M;age=18-29")

    # The focal point asks for their to-do list: the sign-in page comes first, in their language.
    focal = _open(site, language, "/reporting/")
    expect(focal).to_have_url(re.compile(r"/accounts/login/\?next=/reporting/$"))
    site.check_accessibility(focal, f"{language}: sign-in")
    site.screenshot(focal, f"{language}-sign-in")
    _sign_in(site, focal, "focal", language)
    expect(focal).to_have_url(site.url("/reporting/"))
    _expect_language(focal, language)
    expect(focal.get_by_role("heading", level=1)).to_have_text(tr(language, "My reporting"))
    site.check_accessibility(focal, f"{language}: to-do list")
    site.screenshot(focal, f"{language}-to-do")

    # The sheet: figures in, one of them wrong, then submitted.
    row = focal.get_by_role("row").filter(has_text="Province 1")
    with focal.expect_navigation():
        row.get_by_role("button", name=tr(language, "Start", "begin a submission")).click()
    found = re.search(r"/submissions/(\d+)/edit/$", focal.url)
    assert found, f"Start led to {focal.url}"
    pk = int(found.group(1))
    focal.locator(f'[name="{women}"]').fill("12")
    focal.locator(f'[name="{men}"]').fill("doce")
    _submit(focal, tr(language, "Save draft"))
    wrong = focal.locator(f'[name="{men}"]')
    expect(wrong).to_have_attribute("aria-invalid", "true")
    expect(focal.get_by_role("alert")).to_be_visible()
    site.check_accessibility(focal, f"{language}: entry sheet with an error")
    site.screenshot(focal, f"{language}-entry-with-an-error")
    wrong.fill("8")
    _submit(focal, tr(language, "Submit for review"))
    site.check_accessibility(focal, f"{language}: submit confirmation")
    _submit(focal, tr(language, "Submit for review"))
    expect(focal).to_have_url(site.url(f"/submissions/{pk}/"))
    expect(focal.locator("main > .messages")).to_contain_text(
        tr(language, "Submitted for review. Thank you.")
    )
    site.screenshot(focal, f"{language}-submitted")

    # The coordinator, in the same language, reviews and approves.
    coordinator = _open(site, language, f"/submissions/{pk}/")
    _sign_in(site, coordinator, "coordinator", language)
    expect(coordinator).to_have_url(site.url(f"/submissions/{pk}/"))
    expect(coordinator.locator(f'.ro[data-cell="{men.split("-", 1)[1]}"]')).to_have_text("8")
    site.check_accessibility(coordinator, f"{language}: review page")
    site.screenshot(coordinator, f"{language}-review")
    _submit(coordinator, tr(language, "Approve"))
    site.check_accessibility(coordinator, f"{language}: approval confirmation")
    _submit(coordinator, tr(language, "Approve"))
    expect(coordinator.locator("main > .messages")).to_contain_text(
        tr(language, "Approved. The figures will appear within a minute.")
    )
    assert Submission.objects.get(pk=pk).status == SubmissionStatus.APPROVED

    # The indicator page shows the approved total in the reader's language.
    coordinator.goto(site.url(f"/plans/{PLAN}/indicators/IND-GRID/"))
    _expect_language(coordinator, language)
    expect(coordinator.locator("dl.summary")).to_contain_text("20")
    site.check_accessibility(coordinator, f"{language}: indicator page")
    site.screenshot(coordinator, f"{language}-indicator-page")
    site.assert_accessible()


def _expect_nothing_overflows(page: Page, what: str) -> None:
    """The page never scrolls sideways, and no element sticks out past either edge of the
    screen (in right to left, what overflows goes off the left edge, where scrollWidth does
    not see it) unless it sits in a box that scrolls by itself."""
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], f"{what} scrolls sideways: {widths}"
    assert widths["body"] <= widths["viewport"], f"{what}: the body is wider: {widths}"
    sticking_out = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const clipped = el => {
                for (let up = el.parentElement; up; up = up.parentElement) {
                    const x = getComputedStyle(up).overflowX;
                    if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
                }
                return false;
            };
            return [...document.body.querySelectorAll('*')].filter(el => {
                const r = el.getBoundingClientRect();
                if (!r.width || el.closest('.skip-link')) return false;
                return (r.left < -1 || r.right > width + 1) && !clipped(el);
            }).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                     + ' ' + (el.textContent || '').trim().slice(0, 40));
        }"""
    )
    assert not sticking_out, f"{what}: past the screen's edge: {sticking_out[:5]}"


def test_the_public_pages_in_arabic_at_phone_width(
    site: Site, browser_cycle: Cycle, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    publish_release(build_scorecard_plan().plan)
    publish_release(browser_cycle.plan)
    # A published standard report, in Arabic, for the public list of reports.
    coordinator = browser_cycle.users["coordinator"]
    report = reports.report_request(
        by=coordinator,
        plan=browser_cycle.plan,
        scope=ReportScope.WHOLE_PLAN,
        year=None,
        version=ReportVersion.PUBLIC,
        language="ar",
    )
    report.refresh_from_db()
    reports.report_publish(by=coordinator, report=report)
    pages = {
        "home": "/",
        "plan": "/plans/nap-sc/",
        "plan-public": "/plans/nap-sc/public/",
        "indicator": "/plans/nap-sc/indicators/PRO-01/",
        "plan-areas": "/plans/nap-sc/areas/",
        "area": "/areas/COD-P1/",
        "scorecard": "/plans/nap-sc/scorecard/",
        "standard-reports": f"/plans/{PLAN}/standard-reports/",
    }
    page = _open(site, "ar", "/", viewport=PHONE)
    for name, path in pages.items():
        page.goto(site.url(path))
        _expect_language(page, "ar")
        what = f"{name} in Arabic at 360 px"
        _expect_nothing_overflows(page, what)
        if name == "indicator":
            _expect_read_from_the_right(page)
        if name == "area":
            # "(Province, COD-P1)" with the Arabic comma, not a Latin one.
            expect(page.locator("main h1")).to_contain_text(
                tr("ar", ", ", "list separator").strip() + " "
            )
        if name == "standard-reports":
            expect(page.locator(f'a[href$="/standard-reports/{report.pk}/pdf/"]')).to_be_visible()
        site.check_accessibility(page, what)
        site.screenshot(page, f"ar-360-{name}")
    site.assert_accessible()


def _expect_read_from_the_right(page: Page) -> None:
    """On the indicator page in Arabic: the breadcrumbs' separators point to the left (onwards,
    right to left); the heading's code starts the line, at the right, though the title beside
    it is Latin; the chart runs right to left: value axis on the right, the first period right
    of the last one, the legend's samples on the right."""
    separator = page.evaluate(
        """() => getComputedStyle(document.querySelector('.breadcrumbs li + li'), '::before')
            .content"""
    )
    assert separator == '"‹"', separator
    starts = page.evaluate(
        """() => {
            const h1 = document.querySelector('main h1');
            const code = h1.querySelector('.code').getBoundingClientRect();
            return h1.getBoundingClientRect().right - code.right;
        }"""
    )
    assert starts < 2, f"the indicator's code is {starts:.0f} px from the heading's start"
    chart = page.evaluate(
        """() => {
            const svg = document.querySelector('svg.chart');
            const box = el => el.getBoundingClientRect();
            const axis = box(svg.querySelector('.x-axis line'));
            const ticks = [...svg.querySelectorAll('.y-axis text')].map(t => box(t).left);
            const periods = [...svg.querySelectorAll('.x-axis text')].map(t => box(t).left);
            const sample = box(svg.querySelector('.legend line'));
            const name = box(svg.querySelector('.legend text'));
            return {direction: svg.getAttribute('direction'), axisRight: axis.right,
                    ticksLeft: Math.min(...ticks), periods, sampleLeft: sample.left,
                    nameRight: name.right};
        }"""
    )
    assert chart["direction"] == "rtl", chart
    assert chart["ticksLeft"] >= chart["axisRight"], f"the value axis is not on the right: {chart}"
    assert len(chart["periods"]) >= 2, chart
    assert chart["periods"] == sorted(chart["periods"], reverse=True), (
        f"the periods do not run from right to left: {chart}"
    )
    assert chart["nameRight"] <= chart["sampleLeft"], f"the legend reads left to right: {chart}"
