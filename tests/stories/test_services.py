"""Writes on stories: only the holder acts, and bad input is refused with nothing written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.stories.conftest import StoryWorld

from wpsmonitor.stories import services
from wpsmonitor.stories.models import Consent, Story, StoryDeletion, StoryRead

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["coordinator", "focal", "viewer", "outsider", "admin"])
def test_only_the_organisations_people_record_and_act_on_its_stories(
    sw: StoryWorld, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        sw.story(by=who)
    story = sw.story()
    user = sw.users[who]
    with pytest.raises(PermissionDenied):
        services.consent_record(
            by=user,
            story=story,
            given_by="x",
            purposes={"public"},
            method="written",
            given_on=date(2025, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.story_share(by=user, story=story)
    with pytest.raises(PermissionDenied):
        services.story_delete_now(by=user, story=story)
    assert Story.objects.count() == 1 and not Consent.objects.exists()


def test_a_story_is_shared_only_with_a_consent_in_force(sw: StoryWorld) -> None:
    story = sw.story()
    with pytest.raises(ValidationError, match="consent"):
        services.story_share(by=sw.users["monitor"], story=story)
    expired = sw.consent(story, "monitoring", valid_until=date(2025, 6, 30))
    assert expired.valid_until and expired.valid_until < timezone.localdate()
    with pytest.raises(ValidationError, match="consent"):
        services.story_share(by=sw.users["monitor"], story=story)
    sw.consent(story, "monitoring")
    assert services.story_share(by=sw.users["monitor"], story=story).status == "shared"


def test_publication_needs_a_second_person_and_a_consent_to_publish(sw: StoryWorld) -> None:
    story = sw.story()
    sw.consent(story, "monitoring")
    services.story_share(by=sw.users["monitor"], story=story)
    with pytest.raises(ValidationError, match="second person"):
        services.story_approve(by=sw.users["monitor"], story=story)
    with pytest.raises(ValidationError, match="consent"):
        services.story_approve(by=sw.users["second"], story=story)
    sw.consent(story, "report")
    approved = services.story_approve(by=sw.users["second"], story=story)
    assert approved.status == "approved" and approved.approved_by_name == "second"


def test_a_restricted_story_is_never_published(sw: StoryWorld) -> None:
    story = sw.story(sensitivity="restricted")
    sw.consent(story, "monitoring", "report", "public")
    services.story_share(by=sw.users["monitor"], story=story)
    with pytest.raises(ValidationError, match="restricted"):
        services.story_approve(by=sw.users["second"], story=story)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"purposes": set()}, "Say what the consent is for"),
        ({"purposes": {"advertising"}}, "Say what the consent is for"),
        ({"method": "oral_witnessed"}, "witness"),
        ({"method": "telepathy"}, "not a way of giving consent"),
        ({"given_on": timezone.localdate() + timedelta(days=1)}, "future"),
        ({"valid_until": date(2024, 1, 1)}, "end before"),
        ({"given_by": "  "}, "who gave"),
    ],
)
def test_a_bad_consent_is_refused(sw: StoryWorld, change: dict, message: str) -> None:  # type: ignore[type-arg]
    story = sw.story()
    fields = {
        "by": sw.users["monitor"],
        "story": story,
        "given_by": "her",
        "purposes": {"monitoring"},
        "method": "written",
        "given_on": date(2025, 3, 14),
    }
    fields.update(change)
    with pytest.raises(ValidationError, match=message):
        services.consent_record(**fields)  # type: ignore[arg-type]
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "rumour"}, "not a kind of story"),
        ({"title": ""}, "title"),
        ({"text": " "}, "text"),
        ({"language": "de"}, "not one of the platform's languages"),
        ({"sensitivity": "secret"}, "not a sensitivity"),
        ({"happened_on": timezone.localdate() + timedelta(days=2)}, "future"),
        ({"storyteller": {"age": 30}}, "attributes"),
    ],
)
def test_a_bad_story_is_refused(sw: StoryWorld, change: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationError, match=message):
        sw.story(**change)
    assert not Story.objects.exists()


def test_a_name_is_kept_only_with_a_consent_to_be_named(sw: StoryWorld) -> None:
    story = sw.story()
    sw.consent(story, "monitoring")
    with pytest.raises(ValidationError, match="named"):
        services.storyteller_name_set(by=sw.users["monitor"], story=story, name="Amina K.")
    named = sw.consent(story, "monitoring", to_be_named=True)
    services.storyteller_name_set(by=sw.users["monitor"], story=story, name="Amina K.")
    services.consent_withdraw(by=sw.users["monitor"], consent=named)
    assert Story.objects.get(pk=story.pk).storyteller_name == ""  # the name goes with it


def test_a_consent_is_withdrawn_once(sw: StoryWorld) -> None:
    story = sw.story()
    consent = sw.consent(story, "monitoring")
    services.consent_withdraw(by=sw.users["monitor"], consent=consent)
    with pytest.raises(ValidationError, match="already"):
        services.consent_withdraw(by=sw.users["second"], consent=consent)


def test_remove_now_keeps_only_the_fact(sw: StoryWorld) -> None:
    story = sw.story()
    sw.consent(story, "monitoring")
    services.story_share(by=sw.users["monitor"], story=story)
    from wpsmonitor.accounts.access import PlanAccess
    from wpsmonitor.stories.reading import read_story

    read_story(PlanAccess(sw.users["coordinator"], sw.plan), story, channel="page")
    deletion = services.story_delete_now(by=sw.users["second"], story=story)
    assert not Story.objects.exists() and not Consent.objects.exists()
    assert not StoryRead.objects.exists()
    assert StoryDeletion.objects.get() == deletion and deletion.deleted_by_name == "second"
