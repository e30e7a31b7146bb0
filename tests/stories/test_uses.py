"""Where a story was used (stories/uses.py): the report's reading asks for a consent in force on
the day it is built, dates a story by when it happened else when it was collected; a withdrawal
names only the published uses of the purposes it ended; a story removed takes its uses along."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from tests.stories.conftest import StoryWorld
from tests.stories.published import published_story

from wpsmonitor.stories import services, uses
from wpsmonitor.stories.models import Story, StoryUse

pytestmark = pytest.mark.django_db


def _story(sw: StoryWorld, **kwargs: Any) -> tuple[Story, Any]:
    fields: dict[str, Any] = {
        "plan": sw.plan,
        "holder": sw.women,
        "collector": sw.users["monitor"],
        "approver": sw.users["second"],
        "area": sw.world.areas["D11"],
    } | kwargs
    return published_story(**fields)


def test_the_report_reads_consent_on_the_day_it_is_built(sw: StoryWorld) -> None:
    story, consent = _story(sw)
    Story.objects.filter(pk=story.pk).update(happened_on=None, collected_on=date(2024, 6, 1))
    [read] = uses.stories_for_report(sw.plan, 2024, 2024)
    assert read.coarse and read.happened == "" and read.storyteller == {}
    assert read.area == sw.world.areas["P1"] and read.storyteller_name == ""
    assert uses.stories_for_report(sw.plan, 2025, 2025) == []  # collected in 2024
    # A consent that ended yesterday covers no report built today.
    consent.valid_until = timezone.localdate() - timedelta(days=1)
    consent.save(update_fields=["valid_until"])
    assert uses.stories_for_report(sw.plan, 2024, 2024) == []
    assert uses.stories_for_report(sw.plan, 2024, 2024, on=consent.valid_until) != []


def test_a_use_is_recorded_once_and_marked_when_published(sw: StoryWorld) -> None:
    story, _consent = _story(sw)
    for _ in range(2):
        uses.uses_record(story_uids=[str(story.uid)], kind="report", reference="7", title="R")
    [use] = StoryUse.objects.filter(story=story)
    assert use.published_at is None
    assert uses.uses_published(kind="report", reference="7") == 1
    assert uses.uses_published(kind="report", reference="8") == 0
    with pytest.raises(ValueError):
        uses.uses_record(story_uids=[str(story.uid)], kind="poster", reference="1")


def test_withdrawing_one_consent_while_another_covers_the_report_tells_no_one(
    sw: StoryWorld, django_capture_on_commit_callbacks: Any
) -> None:
    story, consent = _story(sw)
    sw.users["coordinator"].email = "coord@example.org"
    sw.users["coordinator"].save()
    sw.consent(story, "report", given_on=date(2024, 5, 1))
    uses.uses_record(story_uids=[str(story.uid)], kind="report", reference="7", published=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = services.consent_withdraw(by=sw.users["monitor"], consent=consent)
    # The public portal's consent ended (no page use recorded), the report's did not.
    assert done.used_in == [] and mail.outbox == []


def test_the_portal_use_is_named_when_the_public_consent_ends(
    sw: StoryWorld, django_capture_on_commit_callbacks: Any
) -> None:
    story, consent = _story(sw)
    sw.users["coordinator"].email = "coord@example.org"
    sw.users["coordinator"].save()
    uses.uses_record(
        story_uids=[str(story.uid)],
        kind="page",
        reference=uses.PORTAL_REFERENCE,
        link="/plans/x/public/stories/",
        published=True,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = services.consent_withdraw(by=sw.users["monitor"], consent=consent)
    assert [u.kind for u in done.used_in] == ["page"]
    [sent] = mail.outbox
    assert sent.to == ["coord@example.org"] and "/plans/x/public/stories/" in sent.body


def test_a_story_removed_takes_its_uses_along(sw: StoryWorld) -> None:
    story, _consent = _story(sw)
    uses.uses_record(story_uids=[str(story.uid)], kind="report", reference="7", published=True)
    services.story_delete_now(by=sw.users["monitor"], story=story)
    assert not StoryUse.objects.exists()


def test_the_reports_stories_are_read_in_queries_that_do_not_grow_with_them(
    sw: StoryWorld,
) -> None:
    """One query for the stories, their consents and named readers, one insert for the reads
    and one for their provinces, however many stories there are (it read a province a story)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _story(sw, title="One", area=sw.world.areas["D11"])
    with CaptureQueriesContext(connection) as one:
        assert len(uses.stories_for_report(sw.plan, 2024, 2024)) == 1
    _story(sw, title="Two", area=sw.world.areas["D12"])
    _story(sw, title="Three", area=sw.world.areas["D21"])
    with CaptureQueriesContext(connection) as three:
        read = uses.stories_for_report(sw.plan, 2024, 2024)
    assert {r.area for r in read} == {sw.world.areas["P1"], sw.world.areas["P2"]}
    assert len(three) == len(one)
