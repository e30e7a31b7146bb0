"""The reporting cycle in a real browser, as its people live it.

A focal point signs in, enters disaggregated figures with one mistake, fixes it and submits;
the coordinator returns it with a note; the focal point corrects and resubmits; the
coordinator approves; the public dashboard and indicator page show the new figures; a viewer
sees them; an outsider is refused the submission. Every step is screenshotted, and every
distinct page is checked with axe-core against WCAG 2.0, 2.1 and 2.2, levels A and AA.

Run: pytest -m browser (needs /usr/bin/chromium; CI installs Debian's package).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from tests.browser.conftest import Site, authenticator_for, enter_code, needs_chromium
from tests.reporting.conftest import PASSWORD, Cycle
from tests.reporting.helpers import field

from wpsmonitor.reporting.models import Submission, SubmissionStatus, SubmissionValue

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-3"
RETURN_NOTE = "Men 18-29 look low: please check the camp registers."
PHONE = {"width": 390, "height": 844}


def _submit(page: Page, button: str) -> None:
    """Press a form button and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _start_submission(page: Page) -> int:
    """From the to-do list, start the Ministry of Gender's Province 1 report; its id."""
    row = page.get_by_role("row").filter(has_text="Province 1")
    expect(row).to_contain_text("Ministry of Gender")
    expect(row).to_contain_text("Not started")
    with page.expect_navigation():
        row.get_by_role("button", name="Start").click()
    found = re.search(r"/submissions/(\d+)/edit/$", page.url)
    assert found, f"Start led to {page.url}, not to an entry sheet"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Data entry: National Action Plan nap-3"
    )
    return int(found.group(1))


def _message(page: Page) -> Locator:
    """The messages region (role=status) at the top of the page, after an action."""
    return page.locator('main > .messages[role="status"]')


def _cell(page: Page, name: str) -> Locator:
    return page.locator(f'[name="{name}"]')


def _shown(page: Page, name: str) -> Locator:
    """A figure on the review page, shown as text (the reviewer cannot edit it)."""
    return page.locator(f'.ro[data-cell="{name.split("-", 1)[1]}"]')


def test_the_whole_reporting_cycle_in_a_browser(site: Site, browser_cycle: Cycle) -> None:
    cycle = browser_cycle
    women = field(cycle.grid, "sex=F;age=18-29")
    men = field(cycle.grid, "sex=M;age=18-29")

    # 1. The focal point asks for their to-do list and is sent to the sign-in page first.
    phone = authenticator_for("focal")
    focal = site.context().new_page()
    focal.goto(site.url("/reporting/"))
    expect(focal).to_have_url(re.compile(r"/accounts/login/\?next=/reporting/$"))
    expect(focal.get_by_role("heading", level=1)).to_have_text("Sign in")
    site.screenshot(focal, "focal-sign-in")
    site.check_accessibility(focal, "sign-in")
    focal.get_by_label("User name").fill("focal")
    focal.get_by_label("Password").fill("not the password")
    _submit(focal, "Sign in")
    expect(focal.get_by_role("alert")).to_contain_text("Please enter a correct")
    site.screenshot(focal, "focal-sign-in-wrong-password")
    site.check_accessibility(focal, "sign-in with an error")
    focal.get_by_label("Password").fill(PASSWORD)
    _submit(focal, "Sign in")
    # Then the code of the authenticator app on the focal point's phone (two-factor sign-in).
    enter_code(focal, phone)
    expect(focal).to_have_url(site.url("/reporting/"))
    expect(focal.get_by_role("heading", level=1)).to_have_text("My reporting")
    site.screenshot(focal, "focal-to-do")
    site.check_accessibility(focal, "to-do list")

    # 2. Start the report, type the figures with one mistake, save the draft.
    pk = _start_submission(focal)
    _expect_focus_never_hidden(focal)
    _cell(focal, women).fill("12")
    _cell(focal, men).fill("douze")
    _submit(focal, "Save draft")
    summary = focal.get_by_role("alert")
    expect(summary).to_contain_text("1 problem to fix")
    expect(summary).to_contain_text("'douze' is not a number")
    wrong = _cell(focal, men)
    expect(wrong).to_have_attribute("aria-invalid", "true")
    expect(wrong).to_have_value("douze")  # what was typed stays, to be corrected
    error_id = wrong.get_attribute("aria-describedby")
    assert error_id, "the wrong cell does not point to its message"
    beside = focal.locator(f'td:has([name="{men}"]) #{error_id}')
    expect(beside).to_have_text("'douze' is not a number")
    expect(_cell(focal, women)).to_have_value("12")
    expect(_cell(focal, women)).not_to_have_attribute("aria-invalid", "true")
    # The summary's link leads to the wrong cell.
    expect(summary.get_by_role("link")).to_have_attribute("href", f"#{men}")
    site.screenshot(focal, "focal-entry-with-an-error")
    site.check_accessibility(focal, "entry sheet with an error")

    # 3. Fix it and submit, with a note to the reviewer.
    _cell(focal, men).fill("5")
    focal.get_by_label("Note to the reviewer (optional)").fill("Q1 figures from the registers")
    _submit(focal, "Submit for review")
    expect(focal.locator("main")).to_contain_text("Nothing yet: the coordinator reviews")
    site.check_accessibility(focal, "submit confirmation")
    _submit(focal, "Submit for review")  # the confirmation page's button
    expect(focal).to_have_url(site.url(f"/submissions/{pk}/"))
    expect(_message(focal)).to_contain_text("Submitted for review. Thank you.")
    expect(focal.locator(".facts .badge")).to_have_text("Submitted for review")
    expect(focal.get_by_role("button", name="Approve")).to_have_count(0)
    site.screenshot(focal, "focal-submitted")

    # 4. The coordinator finds it waiting for review and returns it with a note.
    coordinator = site.sign_in("coordinator")
    waiting = coordinator.get_by_role("link", name="2025Q1 · Ministry of Gender · Province 1")
    expect(waiting).to_be_visible()
    site.screenshot(coordinator, "coordinator-to-do")
    site.check_accessibility(coordinator, "to-do list of a reviewer")
    with coordinator.expect_navigation():
        waiting.click()
    expect(coordinator).to_have_url(site.url(f"/submissions/{pk}/"))
    expect(_shown(coordinator, women)).to_have_text("12")
    expect(_shown(coordinator, men)).to_have_text("5")
    expect(_cell(coordinator, men)).to_have_count(0)  # no input to type into
    expect(coordinator.get_by_role("link", name="Edit the figures")).to_have_count(0)
    expect(coordinator.locator(".history")).to_contain_text("Q1 figures from the registers")
    site.screenshot(coordinator, "coordinator-review")
    site.check_accessibility(coordinator, "review page")
    coordinator.get_by_label("Note to the authors (required to return it)").fill(RETURN_NOTE)
    _submit(coordinator, "Return for revision")
    expect(_message(coordinator)).to_contain_text("Returned to its authors")
    expect(coordinator.locator(".facts .badge")).to_have_text("Returned for revision")
    expect(coordinator.locator(".history")).to_contain_text(RETURN_NOTE)
    site.screenshot(coordinator, "coordinator-returned")

    # 5. The focal point sees it returned, reads the note, corrects and resubmits.
    focal.goto(site.url("/reporting/"))
    row = focal.get_by_role("row").filter(has_text="Province 1")
    expect(row).to_contain_text("Returned")
    with focal.expect_navigation():
        row.get_by_role("link", name="Open").click()
    expect(focal).to_have_url(site.url(f"/submissions/{pk}/edit/"))
    notice = focal.get_by_role("note")
    expect(notice).to_contain_text("Returned for revision")
    expect(notice).to_contain_text(RETURN_NOTE)
    expect(_cell(focal, men)).to_have_value("5")
    site.screenshot(focal, "focal-sees-the-return-note")
    site.check_accessibility(focal, "entry sheet returned for revision")
    _cell(focal, men).fill("8")
    _submit(focal, "Submit for review")
    _submit(focal, "Submit for review")  # confirmed
    expect(_message(focal)).to_contain_text("Submitted for review. Thank you.")
    expect(focal.locator(".facts .badge")).to_have_text("Submitted for review")

    # Nothing is public before approval.
    indicator_url = site.url(f"/plans/{PLAN}/indicators/IND-GRID/")
    coordinator.goto(indicator_url)
    expect(_section(coordinator, "series-title")).to_contain_text("No value has been reported")
    coordinator.goto(site.url(f"/plans/{PLAN}/"))
    _expect_dashboard_figure(coordinator, "–")

    # 6. The coordinator approves.
    coordinator.goto(site.url(f"/submissions/{pk}/"))
    expect(_shown(coordinator, men)).to_have_text("8")
    coordinator.get_by_label("Note to the authors (required to return it)").fill("Thank you")
    _submit(coordinator, "Approve")
    expect(coordinator.locator("main")).to_contain_text("What will become public")
    _submit(coordinator, "Approve")  # the confirmation page's button
    expect(_message(coordinator)).to_contain_text("Approved.")
    expect(coordinator.locator(".facts .badge")).to_have_text("Approved")
    expect(coordinator.get_by_role("button", name="Unlock for correction")).to_be_visible()
    site.screenshot(coordinator, "coordinator-approved")

    # 7. The public dashboard shows the new figure right away (the rebuild ran on commit).
    coordinator.goto(site.url(f"/plans/{PLAN}/"))
    _expect_dashboard_figure(coordinator, "20 people")
    site.screenshot(coordinator, "dashboard-after-approval")

    # 8. A viewer sees the figures on the dashboard and the indicator page, not the submission.
    viewer = site.sign_in("viewer")
    expect(viewer.get_by_text("Nothing is due from you")).to_be_visible()
    viewer.goto(site.url(f"/plans/{PLAN}/"))
    _expect_dashboard_figure(viewer, "20 people")
    site.screenshot(viewer, "viewer-dashboard")
    site.check_accessibility(viewer, "dashboard")
    with viewer.expect_navigation():
        viewer.get_by_role("link", name="IND-GRID Survivors supported").click()
    expect(viewer).to_have_url(indicator_url)
    expect(_section(viewer, "figures-title").locator("dl.summary")).to_contain_text("20 people")
    by_sex = viewer.get_by_role("table", name=re.compile(r"^By Sex"))
    expect(by_sex.get_by_role("row").filter(has_text="Female")).to_contain_text("12 people")
    expect(by_sex.get_by_role("row").filter(has_text="Male").last).to_contain_text("8 people")
    site.screenshot(viewer, "viewer-indicator-page")
    site.check_accessibility(viewer, "indicator page")
    # Viewers read approved figures only, never a submission.
    _expect_refused(site, viewer, [f"/submissions/{pk}/"])

    # 9. An outsider is refused: the submission answers 404 and shows nothing of it.
    outsider = site.sign_in("outsider")
    expect(outsider.get_by_text("You have no role on any plan yet.")).to_be_visible()
    _expect_refused(
        site,
        outsider,
        [f"/submissions/{pk}/edit/", f"/plans/{PLAN}/reporting/", f"/submissions/{pk}/"],
    )
    site.screenshot(outsider, "outsider-refused")

    # The history holds every step, in order: the draft with the mistake saved what was valid.
    submission = Submission.objects.get(pk=pk)
    assert submission.status == SubmissionStatus.APPROVED
    kinds = list(submission.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == [
        "created",
        "saved",  # the draft with the mistake: the valid cell was kept
        "saved",  # fixed, on submitting
        "submitted",
        "returned",
        "saved",
        "submitted",
        "approved",
    ], kinds

    site.assert_accessible()


def _section(page: Page, heading_id: str) -> Locator:
    return page.locator(f'section[aria-labelledby="{heading_id}"]')


def _expect_refused(site: Site, page: Page, paths: list[str]) -> None:
    """Each page answers 404 and shows nothing of the submission."""
    for path in paths:
        answer = page.goto(site.url(path))
        assert answer is not None and answer.status == 404, f"{path}: {answer and answer.status}"
        text = page.locator("body").inner_text()
        for secret in (RETURN_NOTE, "Ministry of Gender", "Province 1", "Survivors", "douze"):
            assert secret not in text, f"{path} shows {secret!r}"


def _expect_dashboard_figure(page: Page, figure: str) -> None:
    """The value column of the IND-GRID row in the dashboard's results framework."""
    row = page.get_by_role("row").filter(
        has=page.get_by_role("link", name="IND-GRID Survivors supported")
    )
    expect(row.get_by_role("cell").first).to_have_text(figure)


def test_the_entry_sheet_saves_and_submits_without_javascript(
    site: Site, browser_cycle: Cycle
) -> None:
    cycle = browser_cycle
    page = site.sign_in("focal", java_script_enabled=False)
    pk = _start_submission(page)
    women = field(cycle.grid, "sex=F;age=18-29")
    total = page.locator(f"output#total-{cycle.grid.pk}")
    _cell(page, women).fill("7")
    expect(total).to_have_text("")  # no script runs: the derived total waits for the server
    _submit(page, "Save draft")
    expect(page).to_have_url(site.url(f"/submissions/{pk}/edit/"))
    expect(_message(page)).to_contain_text("Draft saved.")
    expect(_cell(page, women)).to_have_value("7")
    expect(total).to_have_text("7")
    assert SubmissionValue.objects.get(submission_id=pk).value == 7
    site.screenshot(page, "no-js-draft-saved")

    _cell(page, field(cycle.grid, "sex=M;age=0-17")).fill("two")
    _submit(page, "Submit for review")
    expect(page.get_by_role("alert")).to_contain_text("'two' is not a number")
    assert Submission.objects.get(pk=pk).status == SubmissionStatus.DRAFT
    site.screenshot(page, "no-js-error")
    _cell(page, field(cycle.grid, "sex=M;age=0-17")).fill("2")
    _submit(page, "Submit for review")
    _submit(page, "Submit for review")  # the confirmation page, without JavaScript too
    expect(page).to_have_url(site.url(f"/submissions/{pk}/"))
    expect(_message(page)).to_contain_text("Submitted for review. Thank you.")
    assert Submission.objects.get(pk=pk).status == SubmissionStatus.SUBMITTED
    site.screenshot(page, "no-js-submitted")


def test_the_entry_sheet_is_usable_at_phone_width(site: Site, browser_cycle: Cycle) -> None:
    cycle = browser_cycle
    page = site.sign_in("focal", viewport=PHONE, is_mobile=True, has_touch=True)
    site.screenshot(page, "phone-to-do")
    _expect_no_sideways_scroll(page, "the to-do list")
    _start_submission(page)
    site.screenshot(page, "phone-entry-sheet")
    site.check_accessibility(page, "entry sheet at phone width")

    # The page itself never scrolls sideways; a wide grid scrolls inside its own box.
    _expect_no_sideways_scroll(page, "the entry sheet")
    grid_box = page.locator(f'fieldset[data-ind="{cycle.grid.pk}"] .table-scroll')
    box = grid_box.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    # Tabbing through the sheet, no field ends up hidden under the sticky buttons (2.4.11).
    _expect_focus_never_hidden(page)

    # The last column can be reached and typed into; the buttons fit on the screen.
    far = _cell(page, field(cycle.grid, "sex=M;age=60+"))
    far.tap()
    far.fill("3")
    expect(far).to_be_focused()
    expect(far).to_be_in_viewport()
    _cell(page, field(cycle.grid, "sex=F;age=18-29")).fill("9")
    submit = page.get_by_role("button", name="Submit for review", exact=True)
    submit.scroll_into_view_if_needed()
    submit_box = submit.bounding_box()
    assert submit_box is not None and submit_box["x"] + submit_box["width"] <= PHONE["width"]
    site.screenshot(page, "phone-entry-filled")
    with page.expect_navigation():
        submit.tap()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review", exact=True).tap()
    expect(_message(page)).to_contain_text("Submitted for review. Thank you.")
    site.screenshot(page, "phone-submitted")
    _expect_no_sideways_scroll(page, "the submission page")

    site.assert_accessible()


def _expect_no_sideways_scroll(page: Page, what: str) -> None:
    widths = page.evaluate(
        """() => ({
            viewport: document.documentElement.clientWidth,
            page: document.documentElement.scrollWidth,
            body: document.body.scrollWidth,
        })"""
    )
    assert widths["page"] <= widths["viewport"], f"{what} scrolls sideways: {widths}"
    assert widths["body"] <= widths["viewport"], (
        f"{what}: the body is wider than the screen: {widths}"
    )


def _expect_focus_never_hidden(page: Page, stops: int = 60) -> None:
    """Tab from the top of the page through the entry form: each field that takes the focus
    must show at least partly above the sticky bar of buttons (WCAG 2.4.11, level AA)."""
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator("h1").evaluate("h => { h.tabIndex = -1; h.focus(); }")
    hidden: list[str] = []
    entered = False
    for _ in range(stops):
        page.keyboard.press("Tab")
        found = page.evaluate(
            """() => {
                const el = document.activeElement;
                const form = document.getElementById("entry-form");
                if (!el || !form || !form.contains(el)) return {outside: true};
                const bar = form.querySelector(".form-actions");
                if (bar && bar.contains(el)) return {};
                const stuck = bar && ["sticky", "fixed"].includes(getComputedStyle(bar).position);
                const r = el.getBoundingClientRect();
                const top = Math.max(r.top, 0);
                const limit = stuck ? bar.getBoundingClientRect().top : window.innerHeight;
                const bottom = Math.min(r.bottom, limit, window.innerHeight);
                return bottom <= top ? {hidden: el.name || el.id || el.tagName} : {};
            }"""
        )
        if found.get("outside"):
            if entered:
                break
            continue
        entered = True
        if found.get("hidden"):
            hidden.append(found["hidden"])
    assert entered, "Tab never reached the entry form"
    assert not hidden, f"fields hidden under the sticky buttons when focused: {hidden}"
