"""A selection round in a real browser, at a phone's width: the coordinator opens a province
round with a viewer on its panel; the panel member chooses a story and says why, then decides
(asked first); the monitor who holds the story reads the feedback. Every page is checked with
axe-core (WCAG 2.2 A and AA) and must not scroll sideways at 360 px.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import (  # noqa: F401 (fixtures)
    Site,
    browser,
    browser_cycle,
    needs_chromium,
    page_widths,
    playwright,
    site,
)
from tests.reporting.conftest import Cycle

from wpsmonitor.stories import services
from wpsmonitor.stories.models import SelectionRound

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"width": 360, "height": 780}
REASON = "Women sell at the market again: the change reached a whole village."


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _fits(on: Site, page: Page, name: str) -> None:
    on.screenshot(page, name)
    on.check_accessibility(page, name)
    widths = page_widths(page)
    assert widths["page"] <= widths["viewport"], (name, widths)


def _shared(cycle: Cycle, title: str) -> None:
    monitor = cycle.users["monitor"]
    area = cycle.province.children.first() or cycle.province
    story = services.story_record(
        by=monitor,  # type: ignore[arg-type]
        plan=cycle.plan,
        holder=cycle.built.cso,
        kind="significant_change",
        title=title,
        text=f"{title}: what changed, told in her words.",
        language="en",
        area=area,
        happened_on=date(2025, 3, 14),
        domain="Safety in public places",
    )
    services.consent_record(
        by=monitor,  # type: ignore[arg-type]
        story=story,
        given_by="The storyteller",
        purposes={"monitoring"},
        method="written",
        given_on=date(2025, 3, 14),
    )
    services.story_share(by=monitor, story=story)  # type: ignore[arg-type]


def test_a_round_opened_chosen_decided_and_fed_back(
    site: Site,  # noqa: F811 (the fixture imported above)
    browser_cycle: Cycle,  # noqa: F811
) -> None:
    _shared(browser_cycle, "Back at the market")
    _shared(browser_cycle, "A safer road to school")
    code = browser_cycle.plan.code
    province = browser_cycle.province

    # 1. The coordinator opens a province round with the viewer on its panel.
    coordinator = site.sign_in(
        "coordinator", start=f"/plans/{code}/stories/rounds/new/", viewport=PHONE
    )
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Open a selection round")
    _fits(site, coordinator, "round-form")
    coordinator.get_by_label("Level").select_option("province")
    coordinator.get_by_label("Province (a province round only)").select_option(province.code)
    coordinator.get_by_label("Period").fill("2025")
    coordinator.get_by_label("viewer", exact=True).check()
    coordinator.get_by_label("Panel members without an account").fill("A elder of the market")
    _submit(coordinator, "Open the round")
    expect(coordinator.locator("main")).to_contain_text("The round is open")
    selection_round = SelectionRound.objects.get()

    # 2. The panel member chooses, says why, and decides (a confirmation page first).
    viewer = site.sign_in(
        "viewer", start=f"/plans/{code}/stories/rounds/{selection_round.pk}/", viewport=PHONE
    )
    expect(viewer.locator("main")).to_contain_text("Safety in public places")
    _fits(site, viewer, "round-open")
    viewer.get_by_label("Back at the market", exact=True).check()
    viewer.get_by_label("Rank of “A safer road to school” if not chosen (optional)").fill("2")
    viewer.get_by_label("Why the panel chose it").fill(REASON)
    _submit(viewer, "Record the choice")
    expect(viewer.locator("main")).to_contain_text("The choice and its reason are recorded.")
    _submit(viewer, "Decide the round")
    expect(viewer.get_by_role("heading", level=1)).to_contain_text("Decide this round")
    _fits(site, viewer, "round-decide")
    _submit(viewer, "Decide the round")
    expect(viewer.locator("main")).to_contain_text("The round is decided")

    # 3. The holder reads the feedback: the choice, the reason, the ranking.
    monitor = site.sign_in("monitor", start=f"/plans/{code}/stories/rounds/", viewport=PHONE)
    _fits(site, monitor, "rounds")
    with monitor.expect_navigation():
        monitor.get_by_role("link", name=f"Province round for {province.name}, 2025").click()
    main = monitor.locator("main")
    expect(main).to_contain_text(REASON)
    expect(main.get_by_role("link", name="A safer road to school")).to_be_visible()
    _fits(site, monitor, "round-decided")
    site.assert_accessible()
