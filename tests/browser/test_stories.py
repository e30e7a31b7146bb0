"""Stories in a real browser: a monitor records a story, then the storyteller's consent, attaches
a photo (taken with a phone: its location in the EXIF) and shares it; the coordinator reads it
coarse (no collector, the month, the province) and never gets the photo; the consent is
withdrawn and the coordinator no longer reads the story at all. Every page is checked with
axe-core, at a phone's width too.

Run: pytest -m browser (needs /usr/bin/chromium).
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, needs_chromium, page_widths
from tests.reporting.conftest import Cycle

from wpsmonitor.stories.media import content_of
from wpsmonitor.stories.models import Story, StoryMedium

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-3"
TITLE = "Back at the market after the patrols"
TEXT = "She told us the patrols now stop at the market, and women sell there again."
PHONE = {"width": 360, "height": 780}


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _phone_photo() -> bytes:
    image = Image.new("RGB", (32, 24), "teal")
    exif = Image.Exif()
    exif[0x010F] = "PhoneCo"
    exif[0x8825] = {1: "N", 2: (4.0, 21.0, 7.0), 3: "E", 4: (15.0, 18.0, 2.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_story_with_consent_and_a_photo_read_coarse_then_withdrawn(
    site: Site, browser_cycle: Cycle
) -> None:
    district = browser_cycle.built.provinces[0]
    area = district.children.first() or district  # type: ignore[attr-defined]

    # 1. The monitor records the story: a draft, its consent the next step.
    monitor = site.sign_in("monitor", start=f"/plans/{PLAN}/stories/new/", viewport=PHONE)
    expect(monitor.get_by_role("heading", level=1)).to_have_text("Record a story")
    expect(monitor.locator("main")).to_contain_text("it must name no one")
    site.check_accessibility(monitor, "story-form")
    widths = page_widths(monitor)
    assert widths["page"] <= widths["viewport"], widths
    monitor.get_by_label("Kind", exact=True).select_option("testimony")
    monitor.get_by_label("Title", exact=True).fill(TITLE)
    monitor.get_by_label("The story").fill(TEXT)
    monitor.get_by_label("Where it happened").select_option(area.code)
    monitor.get_by_label("When it happened").fill("2025-03-14")
    monitor.get_by_label("Age", exact=True).select_option("18-29")
    site.screenshot(monitor, "story-form")
    _submit(monitor, "Save as a draft")
    expect(monitor.get_by_role("heading", level=1)).to_have_text("Record a consent")
    site.check_accessibility(monitor, "consent-form")
    monitor.get_by_label("Given by").fill("The storyteller herself")
    monitor.get_by_label("The plan's internal monitoring").check()
    monitor.get_by_label("How it was given").select_option("written")
    monitor.get_by_label("Given on").fill("2025-03-14")
    _submit(monitor, "Record the consent")
    expect(monitor.locator("main")).to_contain_text("The consent is recorded.")

    # 2. A photo, then sharing with the plan's members.
    monitor.get_by_label("Attach a file").set_input_files(
        {"name": "amina-at-her-stall.jpg", "mimeType": "image/jpeg", "buffer": _phone_photo()}
    )
    _submit(monitor, "Attach")
    expect(monitor.locator("main")).to_contain_text("The file is attached.")
    expect(monitor.get_by_role("link", name="amina-at-her-stall.jpg")).to_be_visible()
    _submit(monitor, "Share with the plan's members")
    expect(monitor.locator("main")).to_contain_text("shared with the plan's members")
    site.screenshot(monitor, "story-holder")
    site.check_accessibility(monitor, "story-holder")
    monitor.goto(site.url(f"/plans/{PLAN}/stories/"))
    expect(monitor.get_by_role("link", name="Record a story")).to_be_visible()
    expect(monitor.locator("main")).to_contain_text("Shared with the plan")
    site.check_accessibility(monitor, "stories-list-holder")
    monitor.go_back()
    story = Story.objects.get(title=TITLE)
    assert story.status == "shared"
    photo = content_of(StoryMedium.objects.get(story=story))
    assert photo.startswith(b"\xff\xd8") and b"PhoneCo" not in photo

    # 3. The coordinator reads it coarse, without the photo (not marked safe to share).
    coordinator = site.sign_in("coordinator")
    coordinator.goto(site.url(f"/plans/{PLAN}/stories/"))
    expect(coordinator.locator("main")).to_contain_text(TITLE)
    site.check_accessibility(coordinator, "stories-list-coordinator")
    with coordinator.expect_navigation():
        coordinator.get_by_role("link", name=TITLE).click()
    main = coordinator.locator("main")
    expect(main).to_contain_text(
        "Shown without who collected it or who told it, to the month and the province."
    )
    expect(main).to_contain_text(TEXT)
    expect(main).to_contain_text("2025-03")
    expect(main).not_to_contain_text("2025-03-14")
    expect(main).not_to_contain_text("Collected by")
    expect(main).not_to_contain_text("amina")
    expect(main).not_to_contain_text("The storyteller herself")
    expect(main).not_to_contain_text("18 to 29")  # no attribute in a coarse reading
    site.screenshot(coordinator, "story-coordinator-coarse")
    site.check_accessibility(coordinator, "story-coordinator")
    story_url = coordinator.url

    # 4. The monitor withdraws the consent (asked first); the coordinator reads nothing more.
    with monitor.expect_navigation():
        monitor.get_by_role("link", name="Withdraw").click()
    site.check_accessibility(monitor, "withdraw-form")
    monitor.get_by_label("Note", exact=True).fill("She asked us to stop using it.")
    _submit(monitor, "Withdraw the consent")
    expect(monitor.locator("main")).to_contain_text("Withdraw this consent?")
    _submit(monitor, "Withdraw the consent")  # the confirmation page's button
    expect(monitor.locator("main")).to_contain_text("The consent is withdrawn.")
    expect(monitor.locator("main")).to_contain_text("Withdrawn from")
    assert coordinator.goto(story_url).status == 404  # type: ignore[union-attr]
    coordinator.goto(site.url(f"/plans/{PLAN}/stories/"))
    expect(coordinator.locator("main")).not_to_contain_text(TITLE)
    site.assert_accessible()


def test_the_coordinator_chooses_what_stories_record_about_the_storyteller(
    site: Site, browser_cycle: Cycle
) -> None:
    coordinator = site.sign_in(
        "coordinator", start=f"/plans/{PLAN}/stories/settings/", viewport=PHONE
    )
    coordinator.goto(site.url(f"/plans/{PLAN}/stories/"))
    with coordinator.expect_navigation():
        coordinator.get_by_role("link", name="What stories record about the storyteller").click()
    expect(coordinator.get_by_label("Age", exact=True)).to_be_checked()
    expect(coordinator.locator("main")).to_contain_text("whether they survived sexual violence")
    site.check_accessibility(coordinator, "story-settings")
    widths = page_widths(coordinator)
    assert widths["page"] <= widths["viewport"], widths
    for label in ("Age", "Disability", "Displacement"):
        coordinator.get_by_label(label, exact=True).uncheck()
    coordinator.get_by_label("Sex", exact=True).check()
    coordinator.get_by_label("Rural or urban setting", exact=True).check()
    site.screenshot(coordinator, "story-settings")
    _submit(coordinator, "Save the choice")
    expect(coordinator.locator("main")).to_contain_text("attributes the plan records are saved")

    monitor = site.sign_in("monitor", start=f"/plans/{PLAN}/stories/new/", viewport=PHONE)
    fieldset = monitor.get_by_role("group", name="The storyteller (optional; never a name)")
    expect(fieldset.get_by_role("combobox")).to_have_count(2)
    expect(fieldset.get_by_label("Sex", exact=True)).to_be_visible()
    expect(fieldset.get_by_label("Rural or urban setting", exact=True)).to_be_visible()
    site.check_accessibility(monitor, "story-form-chosen-attributes")
