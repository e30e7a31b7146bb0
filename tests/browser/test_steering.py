"""The steering committee's meeting page in a real browser at 360 px: the coordinator records
a decision and a member who carries it out adds a status; the page fits the screen and passes
axe-core, as the coordinator and as the public once published.

Run: pytest -m browser (needs /usr/bin/chromium; CI installs Debian's package).
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from tests.boards.conftest import build_board
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.reporting.conftest import Cycle

from wpsmonitor.boards import services
from wpsmonitor.boards.models import Decision

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"viewport": {"width": 360, "height": 800}}


def _checked(site: Site, page: Page, name: str) -> None:
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], f"{name} scrolls sideways: {widths}"
    site.check_accessibility(page, name)


def test_a_meeting_page_at_360_px(site: Site, browser_cycle: Cycle) -> None:
    built = build_board(browser_cycle)
    coordinator_user = built.users["coordinator"]
    meeting = services.meeting_create(
        by=coordinator_user,
        board=built.board,
        held_on=date(2025, 3, 10),
        place="Kinshasa",
        agenda="1. Training.",
        minutes="The committee met.",
        attendees=[built.seats[s] for s in ("focal", "gov_member", "monitor")],
    )
    path = f"/plans/{built.plan.code}/board/meetings/{meeting.pk}/"

    page = site.sign_in("coordinator", start=path, **PHONE)
    expect(page.locator("#attendance")).to_contain_text(
        "2 government members, 1 civil-society member: below parity"
    )
    page.get_by_label("Decision", exact=True).fill("Train the provincial focal points.")
    page.get_by_label("Carried out by (member)").select_option(label="Police Member (Government)")
    page.get_by_label("Due date").fill("2025-06-30")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text("Overdue")
    _checked(site, page, "meeting-as-coordinator")
    site.screenshot(page, "steering-meeting")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish the meeting").click()

    decision = Decision.objects.get()
    member = site.sign_in("gov_member", start=f"/accounts/login/?next={path}", **PHONE)
    member.get_by_label("New status").select_option("done")
    member.get_by_label("Note").fill("All six provinces trained.")
    with member.expect_navigation():
        member.get_by_role("button", name="Add the update").click()
    expect(member.locator("main")).to_contain_text("All six provinces trained.")
    _checked(site, member, "meeting-as-member")
    decision.refresh_from_db()
    assert decision.status == "done"

    public = site.context(**PHONE).new_page()
    public.goto(site.url(path))
    expect(public.locator("main")).to_contain_text("Train the provincial focal points.")
    _checked(site, public, "meeting-public")
    public.goto(site.url(f"/plans/{built.plan.code}/board/meetings/"))
    _checked(site, public, "meetings-public")
    site.assert_accessible()


def test_the_board_page_sets_the_kind_at_360_px(site: Site, browser_cycle: Cycle) -> None:
    built = build_board(browser_cycle)
    path = f"/plans/{built.plan.code}/board/"
    page = site.sign_in("coordinator", start=f"/accounts/login/?next={path}", **PHONE)
    expect(page.locator("main")).to_contain_text("Monitoring board")
    page.get_by_label("The body is the plan's").select_option(label="Joint task force")
    page.get_by_label("Secretary (records meetings and decisions)").select_option(
        label="CS Member (Civil society)"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    assert page.url.endswith(path)
    expect(page.locator("main")).to_contain_text("Joint task force")
    _checked(site, page, "board-as-coordinator")
    built.board.refresh_from_db()
    assert (built.board.kind, built.board.secretary) == ("task_force", built.seats["cs_member"])
    site.assert_accessible()
