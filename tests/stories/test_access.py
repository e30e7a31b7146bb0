"""Who reads a story, and how much of it: the matrix of reader × story state (docs/stories.md,
"Who reads what"). The rule lives in accounts/access.py (PlanAccess.story_reading); stories are
read only through stories/reading.read_story, which builds a coarse reading without the fields
it hides and logs every read beyond the holder's own."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from tests.stories.conftest import StoryWorld

from wpsmonitor.accounts.access import STORY_COARSE, STORY_FULL, PlanAccess
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.stories import services
from wpsmonitor.stories.models import Story, StoryRead
from wpsmonitor.stories.reading import read_story

pytestmark = pytest.mark.django_db

F, C, N = STORY_FULL, STORY_COARSE, None
READERS = (
    "monitor",
    "second",
    "coordinator",
    "focal",
    "viewer",
    "outsider",
    "admin",
    "named",
    "anonymous",
)

# state → expected reading for each reader, in READERS' order.
MATRIX = {
    # The holder's own: no government role, not even the platform's administrator.
    "draft": (F, F, N, N, N, N, N, N, N),
    # Shared with a consent for the plan's monitoring: the plan's members, coarse.
    "shared": (F, F, C, C, C, N, N, N, N),
    # Approved, with a consent for the public portal too: everyone, coarse.
    "approved": (F, F, C, C, C, C, C, C, C),
    # An open story (an organisation's own observation) is read as recorded.
    "open": (F, F, F, F, F, N, N, N, N),
    # Restricted: the holder and the people it names, whatever the consent.
    "restricted": (F, F, N, N, N, N, N, F, N),
    # Every consent withdrawn: the holder alone.
    "withdrawn": (F, F, N, N, N, N, N, N, N),
}


def _in_state(sw: StoryWorld, state: str) -> Story:
    sw.plan.status = PlanStatus.IMPLEMENTATION  # a plan the public may read
    sw.plan.save(update_fields=["status"])
    sensitivity = {"open": "open", "restricted": "restricted"}.get(state, "protected")
    story = sw.story(sensitivity=sensitivity)
    if state == "draft":
        sw.consent(story, "monitoring", "report", "public")
        return story
    purposes = ("monitoring", "report", "public") if state == "approved" else ("monitoring",)
    consent = sw.consent(story, *purposes)
    services.story_share(by=sw.users["monitor"], story=story)
    if state == "approved":
        services.story_approve(by=sw.users["second"], story=story)
    if state == "restricted":
        story.named_readers.add(sw.users["named"])
    if state == "withdrawn":
        services.consent_withdraw(by=sw.users["monitor"], consent=consent)
    return Story.objects.get(pk=story.pk)


@pytest.mark.parametrize("state", list(MATRIX))
def test_who_reads_how_much(sw: StoryWorld, state: str) -> None:
    story = _in_state(sw, state)
    for reader, expected in zip(READERS, MATRIX[state], strict=True):
        user = AnonymousUser() if reader == "anonymous" else sw.users[reader]
        access = PlanAccess(user, sw.plan)
        assert access.story_reading(story) == expected, (state, reader)
        read = read_story(access, story, channel="page", verified=True)
        assert (read.reading if read else None) == expected, (state, reader)
        # Unless the caller proves a second factor, a whole reading is coarse (none of these
        # is open and approved for the public, which anyone reads whole): the safe default.
        unproven = read_story(access, story, channel="page")
        assert (unproven.reading if unproven else None) == (C if expected == F else expected)
        assert unproven is None or unproven.whole_with_second_factor == (expected == F)


def test_a_coarse_reading_holds_nothing_it_hides(sw: StoryWorld) -> None:
    story = _in_state(sw, "shared")
    services.consent_record(
        by=sw.users["monitor"],
        story=story,
        given_by="her",
        purposes={"monitoring"},
        method="written",
        given_on=date(2025, 3, 14),
        to_be_named=True,
    )
    services.storyteller_name_set(by=sw.users["monitor"], story=story, name="Amina K.")
    whole = read_story(
        PlanAccess(sw.users["monitor"], sw.plan), story, channel="page", verified=True
    )
    assert whole is not None and whole.reading == STORY_FULL
    assert whole.area == sw.world.areas["D11"] and whole.happened == "2025-03-14"
    assert whole.storyteller_name == "Amina K." and whole.collected_by == "monitor"
    coarse = read_story(PlanAccess(sw.users["coordinator"], sw.plan), story, channel="page")
    assert coarse is not None and coarse.coarse
    assert coarse.area == sw.world.areas["P1"]  # the district's province
    assert coarse.happened == "2025-03"
    assert coarse.storyteller_name == "" and coarse.collected_by == ""
    assert coarse.text == story.text  # the story itself is what is shared


def test_reads_beyond_the_holder_are_logged(sw: StoryWorld) -> None:
    story = _in_state(sw, "approved")
    read_story(PlanAccess(sw.users["monitor"], sw.plan), story, channel="page")
    read_story(PlanAccess(sw.users["coordinator"], sw.plan), story, channel="api")
    read_story(PlanAccess(AnonymousUser(), sw.plan), story, channel="page")
    read_story(PlanAccess(sw.users["outsider"], sw.plan), _in_state(sw, "draft"), channel="page")
    log = list(
        StoryRead.objects.order_by("pk").values_list("reader__username", "channel", "reading")
    )
    assert log == [("coordinator", "api", STORY_COARSE), (None, "page", STORY_COARSE)]


def test_withdrawing_consent_ends_every_use_from_then_on(sw: StoryWorld) -> None:
    story = _in_state(sw, "approved")
    coordinator = PlanAccess(sw.users["coordinator"], sw.plan)
    public = PlanAccess(AnonymousUser(), sw.plan)
    assert coordinator.story_reading(story) and public.story_reading(story)
    consent = story.consents.get()
    services.consent_withdraw(by=sw.users["monitor"], consent=consent, note="She asked us.")
    story = Story.objects.get(pk=story.pk)
    assert coordinator.story_reading(story) is None and public.story_reading(story) is None
    assert not story.consented_to("report")
    assert PlanAccess(sw.users["second"], sw.plan).story_reading(story) == STORY_FULL
