"""The pages of stories (docs/stories.md, "Pages"): the list, recording a story and its consent,
a story's page per reader, the holder's actions, withdrawal, and the second factor a whole
reading needs."""

from __future__ import annotations

from datetime import date, timedelta

import django_otp
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.stories.conftest import MARKER, StoryWorld

from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.stories import services
from wpsmonitor.stories.models import Consent, Story, StoryRead

pytestmark = pytest.mark.django_db

COARSE = "Shown without who collected it or who told it, to the month and the province."


def _client(sw: StoryWorld, name: str | None) -> Client:
    client = Client()
    if name is not None:
        client.force_login(sw.users[name])
    return client


def _public_plan(sw: StoryWorld) -> None:
    sw.plan.status = PlanStatus.IMPLEMENTATION
    sw.plan.save(update_fields=["status"])


def _shared(sw: StoryWorld, **kwargs: object) -> Story:
    story = sw.story(**kwargs)
    sw.consent(story, "monitoring")
    return services.story_share(by=sw.users["monitor"], story=story)


def _url(sw: StoryWorld, story: Story | None = None, tail: str = "") -> str:
    base = f"/plans/{sw.plan.code}/stories/"
    return base + (f"{story.uid}/" if story else "") + tail


# --- the list ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "listed", "shown"),
    [
        ("monitor", True, "Whole"),
        ("second", True, "Whole"),
        ("coordinator", True, "Without who collected it"),
        ("focal", True, "Without who collected it"),
        ("viewer", True, "Without who collected it"),
        ("outsider", False, ""),
        ("admin", False, ""),
        (None, False, ""),
    ],
)
def test_the_list_shows_each_reader_the_stories_they_may_read(
    sw: StoryWorld, reader: str | None, listed: bool, shown: str
) -> None:
    _public_plan(sw)
    _shared(sw, title="Shared market story")
    sw.story(title="A draft of ours")
    page = _client(sw, reader).get(_url(sw))
    assert page.status_code == 200
    body = page.content.decode()
    assert ("Shared market story" in body) is listed
    if shown:
        assert shown in body
    # A draft is its holder's alone.
    assert ("A draft of ours" in body) is (reader in ("monitor", "second"))
    # Those who hold stories of an organisation record them (a focal point its ministry's).
    assert (f'href="/plans/{sw.plan.code}/stories/new/"' in body) is (
        reader in ("monitor", "second", "focal")
    )
    assert MARKER not in body  # the list never prints a text


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as done:
        assert client.get(url).status_code == 200
    return len(done.captured_queries)


def test_the_list_filters_and_logs_reads_in_a_few_queries(sw: StoryWorld) -> None:
    _shared(sw, title="Story 0", kind="testimony")
    client = _client(sw, "coordinator")
    # The session's first request writes it once; counted from the second (the first's extra
    # queries once hid one query a story: each story's plan).
    _queries(client, _url(sw))
    one = _queries(client, _url(sw))
    StoryRead.objects.all().delete()
    for n in range(1, 4):
        _shared(sw, title=f"Story {n}", kind="observation", area=sw.world.areas[f"D1{n % 2 + 1}"])
    assert _queries(client, _url(sw)) == one  # as many queries for four stories as for one
    assert StoryRead.objects.filter(reader=sw.users["coordinator"], channel="page").count() == 4
    filtered = client.get(_url(sw), {"kind": "testimony"}).content.decode()
    assert "Story 0" in filtered and "Story 1" not in filtered
    drafts = client.get(_url(sw), {"status": "draft"}).content.decode()
    assert "Story 0" not in drafts
    # The holder's own reads are not logged.
    _client(sw, "monitor").get(_url(sw))
    assert not StoryRead.objects.filter(reader=sw.users["monitor"]).exists()


# --- a story's page -----------------------------------------------------------------------------


def test_the_holder_reads_the_whole_story_its_consents_and_its_read_log(sw: StoryWorld) -> None:
    story = _shared(sw)
    _client(sw, "coordinator").get(_url(sw, story))
    body = _client(sw, "second").get(_url(sw, story)).content.decode()
    assert MARKER in body  # the text, and who gave the consent
    assert f"the storyteller {MARKER}" in body
    assert "District 11" in body and "2025-03-14" in body
    assert "monitor" in body  # who collected it
    assert COARSE not in body
    assert "Who read it" in body and "coordinator" in body


@pytest.mark.parametrize("reader", ["coordinator", "focal", "viewer"])
def test_members_read_a_shared_protected_story_coarse(sw: StoryWorld, reader: str) -> None:
    story = _shared(sw)
    page = _client(sw, reader).get(_url(sw, story))
    body = page.content.decode()
    assert page.status_code == 200
    assert COARSE in body
    assert "She told us how the patrols changed." in body
    assert "Province 1" in body and "2025-03" in body
    assert "District 11" not in body and "2025-03-14" not in body
    assert f"the storyteller {MARKER}" not in body  # consents are the holder's
    assert "Who read it" not in body and "Remove the story now" not in body
    assert StoryRead.objects.filter(story=story, reader=sw.users[reader]).count() == 1


@pytest.mark.parametrize("reader", ["coordinator", "viewer", "outsider", "admin", None])
def test_a_story_the_reader_may_not_read_answers_404(sw: StoryWorld, reader: str | None) -> None:
    _public_plan(sw)
    draft = sw.story()
    sw.consent(draft, "monitoring", "public")
    client = _client(sw, reader)
    assert client.get(_url(sw, draft)).status_code == 404
    assert client.post(_url(sw, draft), {"do": "share"}).status_code in (403, 404, 302)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert client.get(_url(sw, draft, "consents/new/")).status_code in (302, 404)


def test_readers_who_do_not_hold_the_story_cannot_act_on_it(sw: StoryWorld) -> None:
    story = _shared(sw)
    client = _client(sw, "coordinator")
    assert client.post(_url(sw, story), {"do": "delete", "confirm": "yes"}).status_code == 403
    assert client.get(_url(sw, story, "consents/new/")).status_code == 403
    consent = story.consents.get()
    withdraw = _url(sw, story, f"consents/{consent.pk}/withdraw/")
    assert client.post(withdraw, {"confirm": "yes"}).status_code == 403
    assert Story.objects.filter(pk=story.pk).exists()
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None


# --- recording ----------------------------------------------------------------------------------


def _story_fields(sw: StoryWorld, **changes: str) -> dict[str, str]:
    fields = {
        "holder": sw.women.code,
        "kind": "testimony",
        "title": "Back at the market",
        "text": "What changed after the patrols.",
        "language": "en",
        "sensitivity": "protected",
        "domain": "Safety",
        "area": sw.world.areas["D11"].code,
        "happened_on": "2025-03-14",
        "age": "18-29",
        "disability": "",
        "displacement": "idp",
    }
    fields.update(changes)
    return fields


def test_a_monitor_records_a_story_then_its_consent_then_shares_it(sw: StoryWorld) -> None:
    client = _client(sw, "monitor")
    form = client.get(_url(sw, tail="new/"))
    assert "must name no one" in form.content.decode()
    answer = client.post(_url(sw, tail="new/"), _story_fields(sw))
    story = Story.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == _url(sw, story, "consents/new/")
    assert story.status == "draft" and story.holder == sw.women
    assert story.storyteller == {"age": "18-29", "displacement": "idp"}
    page = client.get(_url(sw, story)).content.decode()
    assert "cannot be shared until a consent is recorded" in page
    refused = client.post(_url(sw, story), {"do": "share"}, follow=True).content.decode()
    assert "only with a consent recorded" in refused
    consent = client.post(
        _url(sw, story, "consents/new/"),
        {
            "given_by": "Her mother",
            "purposes": ["monitoring", "report"],
            "method": "oral_witnessed",
            "witness": "A neighbour",
            "given_on": "2025-03-14",
            "valid_until": "",
        },
    )
    assert consent.status_code == 302
    recorded = story.consents.get()
    assert recorded.for_monitoring and recorded.for_report and not recorded.for_public
    assert recorded.witness == "A neighbour"
    client.post(_url(sw, story), {"do": "share"})
    story.refresh_from_db()
    assert story.status == "shared"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "needs a title"),
        ({"text": ""}, "needs its text"),
        ({"holder": "min-gender"}, "Choose one of your organisations."),
        ({"area": "nowhere"}, "Choose an area of the plan."),
        ({"age": "ancient"}, "Choose an age band from the list."),
        ({"happened_on": "14/03/2025"}, "YYYY-MM-DD"),
        ({"kind": "rumour"}, "is not a kind of story"),
        ({"language": "xx"}, "is not one of the platform"),
    ],
)
def test_the_story_form_refuses_bad_input(
    sw: StoryWorld, changes: dict[str, str], message: str
) -> None:
    answer = _client(sw, "monitor").post(_url(sw, tail="new/"), _story_fields(sw, **changes))
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not Story.objects.exists()


def test_a_future_story_is_refused(sw: StoryWorld) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    answer = _client(sw, "monitor").post(
        _url(sw, tail="new/"), _story_fields(sw, happened_on=tomorrow)
    )
    assert answer.status_code == 400
    assert "cannot have happened in the future" in answer.content.decode()


@pytest.mark.parametrize("reader", ["coordinator", "focal", "viewer", "outsider"])
def test_only_those_who_hold_stories_record_one(sw: StoryWorld, reader: str) -> None:
    _public_plan(sw)
    client = _client(sw, reader)
    if reader == "focal":
        # A focal point records its own organisation's stories (the ministry's), not others'.
        assert client.get(_url(sw, tail="new/")).status_code == 200
        answer = client.post(_url(sw, tail="new/"), _story_fields(sw))
        assert answer.status_code == 400
    else:
        assert client.get(_url(sw, tail="new/")).status_code == 403
        assert client.post(_url(sw, tail="new/"), _story_fields(sw)).status_code == 403
    assert not Story.objects.exists()
    assert Client().get(_url(sw, tail="new/")).status_code == 302  # sign in first


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"purposes": []}, "Say what the consent is for"),
        ({"purposes": ["gossip"]}, "Choose what the consent is for from the list."),
        ({"method": "oral_witnessed", "witness": ""}, "needs the name of its witness"),
        ({"given_on": "yesterday"}, "YYYY-MM-DD"),
        ({"given_by": ""}, "Say who gave the consent."),
        ({"valid_until": "2025-01-01"}, "cannot end before it is given"),
    ],
)
def test_the_consent_form_refuses_bad_input(
    sw: StoryWorld, fields: dict[str, object], message: str
) -> None:
    story = sw.story()
    posted = {
        "given_by": "Her",
        "purposes": ["monitoring"],
        "method": "written",
        "given_on": "2025-03-14",
    } | fields
    answer = _client(sw, "monitor").post(_url(sw, story, "consents/new/"), posted)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not story.consents.exists()


# --- withdrawal, approval, removal --------------------------------------------------------------


def test_a_withdrawn_consent_ends_the_coordinators_reading_at_once(sw: StoryWorld) -> None:
    story = _shared(sw)
    coordinator = _client(sw, "coordinator")
    assert coordinator.get(_url(sw, story)).status_code == 200
    consent = story.consents.get()
    url = _url(sw, story, f"consents/{consent.pk}/withdraw/")
    monitor = _client(sw, "monitor")
    assert monitor.get(url).status_code == 200
    asked = monitor.post(url, {"on": "", "note": "She asked us to."})
    assert "Withdraw this consent?" in asked.content.decode()
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None
    monitor.post(url, {"on": "", "note": "She asked us to.", "confirm": "yes"})
    withdrawn = Consent.objects.get(pk=consent.pk)
    assert withdrawn.withdrawn_on == timezone.localdate()
    assert withdrawn.withdrawal_note == "She asked us to."
    assert coordinator.get(_url(sw, story)).status_code == 404
    assert "Return to the market" not in coordinator.get(_url(sw)).content.decode()
    again = monitor.post(url, {"on": "", "confirm": "yes"})
    assert again.status_code == 400 and "already withdrawn" in again.content.decode()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    second = sw.consent(story, "monitoring")
    later = monitor.post(
        _url(sw, story, f"consents/{second.pk}/withdraw/"), {"on": future, "confirm": "yes"}
    )
    assert later.status_code == 400


def test_a_second_person_approves_after_confirming(sw: StoryWorld) -> None:
    story = sw.story()
    sw.consent(story, "monitoring", "report", "public")
    services.story_share(by=sw.users["monitor"], story=story)
    assert (
        "Approve for publication"
        not in _client(sw, "monitor").get(_url(sw, story)).content.decode()
    )
    second = _client(sw, "second")
    asked = second.post(_url(sw, story), {"do": "approve"})
    assert "Approve the story" in asked.content.decode()
    story.refresh_from_db()
    assert story.status == "shared"
    second.post(_url(sw, story), {"do": "approve", "confirm": "yes"})
    story.refresh_from_db()
    assert story.status == "approved"
    refused = _client(sw, "monitor").post(_url(sw, story), {"do": "nonsense"}, follow=True)
    assert "Unknown operation." in refused.content.decode()


def test_the_holder_removes_a_story_now_after_confirming(sw: StoryWorld) -> None:
    story = _shared(sw)
    monitor = _client(sw, "monitor")
    asked = monitor.post(_url(sw, story), {"do": "delete"})
    assert "This cannot be undone." in asked.content.decode()
    assert Story.objects.filter(pk=story.pk).exists()
    answer = monitor.post(_url(sw, story), {"do": "delete", "confirm": "yes"})
    assert answer["Location"] == _url(sw)
    assert not Story.objects.filter(pk=story.pk).exists()


# --- the second factor ----------------------------------------------------------------------


def test_a_whole_reading_needs_a_session_verified_with_a_second_factor(sw: StoryWorld) -> None:
    # Someone with no role on the plan, named by a restricted story: nothing obliges their
    # account to use a second factor, so they sign in with their password alone.
    _public_plan(sw)
    story = sw.story(sensitivity="restricted")
    sw.consent(story, "monitoring")
    story.named_readers.add(sw.users["named"])
    services.story_share(by=sw.users["monitor"], story=story)
    client = _client(sw, "named")
    body = client.get(_url(sw, story)).content.decode()
    assert COARSE in body and "District 11" not in body
    assert "Sign in with your second factor to read it whole." in body
    assert StoryRead.objects.get(reader=sw.users["named"]).reading == "coarse"
    # Once their session is verified with an authenticator, they read it whole.
    device = TOTPDevice.objects.create(user=sw.users["named"], name="phone", confirmed=True)
    session = client.session
    session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    body = client.get(_url(sw, story)).content.decode()
    assert COARSE not in body and "District 11" in body


def test_an_open_approved_story_is_read_whole_by_anyone(sw: StoryWorld) -> None:
    _public_plan(sw)
    story = sw.story(sensitivity="open")
    sw.consent(story, "monitoring", "public", given_on=date(2025, 3, 14))
    services.story_share(by=sw.users["monitor"], story=story)
    services.story_approve(by=sw.users["second"], story=story)
    body = Client().get(_url(sw, story)).content.decode()
    assert "District 11" in body and COARSE not in body
