"""A story taken through its whole life to publication: recorded by one person of its holder
with a consent, its storyteller named (a marker planted in the name), shared, approved by a
second person. What the report and the portal tests share (docs/stories.md, "In the report and
on the portal")."""

from __future__ import annotations

from datetime import date
from typing import Any

from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.directory.services import area_subdivision_ensure
from wpsmonitor.stories import services
from wpsmonitor.stories.models import Consent, Story

# Planted where a published story must never show them: the storyteller's name, the district.
NAME_MARKER = "NAMED-QX81"
DISTRICT_MARKER = "DISTRICT-QX82"
# The username of whoever collects the stories: a collector is never named outside the holder.
COLLECTOR = "collector-qx83"


def marked_district(province: Area) -> Area:
    return area_subdivision_ensure(
        parent=province, code=f"{province.code}-QX", name=DISTRICT_MARKER, depth=3
    )


def published_story(
    *,
    plan: Any,
    holder: Organisation,
    collector: Any,
    approver: Any,
    area: Area,
    purposes: tuple[str, ...] = ("monitoring", "report", "public"),
    title: str = "Back to the market",
    happened_on: date = date(2024, 3, 14),
    sensitivity: str = "protected",
    status: str = "approved",
) -> tuple[Story, Consent]:
    """A story with a consent for `purposes` (to be named), brought to `status`."""
    story = services.story_record(
        by=collector,
        plan=plan,
        holder=holder,
        kind="testimony",
        title=title,
        text=f"The patrols changed how we go to {title.lower()}.",
        language="en",
        area=area,
        happened_on=happened_on,
        storyteller={"age": "18-29"},
        sensitivity=sensitivity,
    )
    consent = services.consent_record(
        by=collector,
        story=story,
        given_by="the storyteller",
        purposes=set(purposes),
        method="written",
        given_on=date(2024, 3, 14),
        to_be_named=True,
    )
    services.storyteller_name_set(by=collector, story=story, name=NAME_MARKER)
    if status in ("shared", "approved"):
        services.story_share(by=collector, story=story)
    if status == "approved":
        services.story_approve(by=approver, story=story)
    story.refresh_from_db()
    return story, consent
