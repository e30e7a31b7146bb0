"""The public portal's page of stories (portal/public_views.plan_public_stories; docs/stories.md,
"In the report and on the portal"): approved stories with a consent for the public portal in
force, coarse whoever asks; never a draft, a restricted story, one without that consent; a
withdrawal or an approval makes the cached page stale at once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from tests.stories.conftest import StoryWorld, sw  # noqa: F401 (the fixture)
from tests.stories.published import (
    COLLECTOR,
    DISTRICT_MARKER,
    NAME_MARKER,
    marked_district,
    published_story,
)

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.shell.public_cache import HIT_HEADER
from wpsmonitor.stories import services
from wpsmonitor.stories.models import StoryRead, StoryUse

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(sw: StoryWorld) -> StoryWorld:  # noqa: F811
    sw.plan.status = PlanStatus.IMPLEMENTATION
    sw.plan.save(update_fields=["status"])
    sw.users["collector"] = get_user_model().objects.create_user(username=COLLECTOR)
    PlanRole.objects.create(
        user=sw.users["collector"], plan=sw.plan, role=Role.MONITOR, organisation=sw.women
    )
    return sw


def _story(world: StoryWorld, **kwargs):  # type: ignore[no-untyped-def]
    fields = {
        "plan": world.plan,
        "holder": world.women,
        "collector": world.users["collector"],
        "approver": world.users["monitor"],
        "area": marked_district(world.world.areas["P1"]),
    } | kwargs
    return published_story(**fields)


def _page(world: StoryWorld) -> tuple[str, str]:
    response = Client().get(f"/plans/{world.plan.code}/public/stories/")
    assert response.status_code == 200
    return response.content.decode(), response[HIT_HEADER]


def test_an_approved_story_with_public_consent_is_shown_coarse(world: StoryWorld) -> None:
    story, _consent = _story(world)
    page, _hit = _page(world)
    assert "Back to the market" in page and "The patrols changed" in page
    assert "Province 1" in page and "2024-03" in page and "Women&#x27;s Watch" in page
    for hidden in (NAME_MARKER, DISTRICT_MARKER, "2024-03-14", "18-29", COLLECTOR):
        assert hidden not in page, hidden
    # The read is logged, and the portal recorded as a public use of the story.
    assert StoryRead.objects.filter(story=story, channel="page", reading="coarse").exists()
    [use] = StoryUse.objects.filter(story=story)
    assert use.kind == "page" and use.published_at is not None
    # The plan's public page links to it, with the count.
    plan_page = Client().get(f"/plans/{world.plan.code}/public/").content.decode()
    assert "1 story told" in plan_page or "One story told" in plan_page
    assert f"/plans/{world.plan.code}/public/stories/" in plan_page


def test_an_open_story_is_coarse_on_the_portal_too(world: StoryWorld) -> None:
    _story(world, sensitivity="open")
    page, _hit = _page(world)
    assert "Back to the market" in page
    assert NAME_MARKER not in page and DISTRICT_MARKER not in page and "2024-03-14" not in page


@pytest.mark.parametrize("case", ["no public consent", "draft", "shared", "restricted"])
def test_a_story_the_portal_may_not_show_is_left_out(world: StoryWorld, case: str) -> None:
    kwargs: dict[str, object] = {}
    if case == "no public consent":
        kwargs["purposes"] = ("monitoring", "report")
    if case in ("draft", "shared"):
        kwargs["status"] = case
    if case == "restricted":
        kwargs |= {"sensitivity": "restricted", "status": "shared"}
    _story(world, **kwargs)
    _story(world, title="Another story")  # the premise: the page shows stories
    page, _hit = _page(world)
    assert "Another story" in page and "Back to the market" not in page


def test_a_withdrawal_takes_the_story_off_the_cached_page_at_once(
    world: StoryWorld, django_capture_on_commit_callbacks: Any
) -> None:
    story, consent = _story(world)
    page, first = _page(world)
    page_again, again = _page(world)
    assert "Back to the market" in page and (first, again) == ("miss", "hit")
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(by=world.users["collector"], consent=consent)
    page, hit = _page(world)
    assert hit == "miss" and "Back to the market" not in page
    assert "No story of this plan is published." in page


def test_an_approval_shows_the_story_on_the_cached_page_at_once(
    world: StoryWorld, django_capture_on_commit_callbacks: Any
) -> None:
    story, _consent = _story(world, status="shared")
    page, _first = _page(world)
    assert "Back to the market" not in page
    with django_capture_on_commit_callbacks(execute=True):
        services.story_approve(by=world.users["monitor"], story=story)
    page, hit = _page(world)
    assert hit == "miss" and "Back to the market" in page


def test_a_draft_plan_shows_no_story(world: StoryWorld) -> None:
    _story(world, happened_on=date(2025, 1, 2))
    world.plan.status = PlanStatus.DRAFT
    world.plan.save(update_fields=["status"])
    assert Client().get(f"/plans/{world.plan.code}/public/stories/").status_code == 404
