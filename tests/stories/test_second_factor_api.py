"""A story is read whole through the API only with a second factor (docs/security.md, "API
tokens"; docs/stories.md, "A whole reading needs a second factor"): an ordinary token reads it
coarse and is told how to read it whole; a token that reads sensitive items (issued from a
session verified with a second factor, and expiring) reads it whole; an expired one is refused.
The read log records the channel and how much was read."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import django_otp
import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.stories.conftest import StoryWorld

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.stories import services
from wpsmonitor.stories.models import Story, StoryRead

pytestmark = pytest.mark.django_db

NAME = "Naima-STORYTELLER-4417"


def _shared(sw: StoryWorld, **kwargs: Any) -> Story:
    """A protected story shared for the plan's monitoring, its storyteller to be named."""
    sw.plan.status = PlanStatus.IMPLEMENTATION
    sw.plan.save(update_fields=["status"])
    story = sw.story(**kwargs)
    sw.consent(story, "monitoring", to_be_named=True)
    services.storyteller_name_set(by=sw.users["monitor"], story=story, name=NAME)
    services.story_share(by=sw.users["monitor"], story=story)
    return story


def _token_client(user: User, *, reads_sensitive: bool) -> Client:
    _token, raw = ApiToken.issue(user=user, name="script", reads_sensitive=reads_sensitive)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _urls(sw: StoryWorld, story: Story) -> tuple[str, str]:
    base = f"/api/v1/plans/{sw.plan.code}/stories"
    return base, f"{base}/{story.uid}"


def _assert_coarse(answer: dict[str, Any]) -> None:
    assert answer["reading"] == "coarse", answer
    assert answer["storyteller_name"] == "" and answer["collected_by"] == ""
    assert answer["happened"] == "2025-03" and answer["area"] == "SEN-P1"
    story = {k: v for k, v in answer.items() if k != "consents"}  # the holder's records
    assert "2025-03-14" not in str(story) and NAME not in str(answer)
    assert "District 11" not in str(answer)
    assert "second factor" in answer["hint"]


def _assert_whole(answer: dict[str, Any]) -> None:
    assert answer["reading"] == "full", answer
    assert answer["storyteller_name"] == NAME and answer["collected_by"] == "monitor"
    assert answer["happened"] == "2025-03-14" and answer["area"] == "SEN-D11"
    assert answer["hint"] == ""


@pytest.mark.parametrize("reader", ["named", "monitor"])
def test_an_ordinary_token_reads_a_sensitive_story_coarse(sw: StoryWorld, reader: str) -> None:
    # Someone a restricted story names reads it whole on a verified page; its holder's own
    # monitor likewise. With an ordinary token, both read it coarse, told why.
    story = _shared(sw, sensitivity="restricted")
    story.named_readers.add(sw.users["named"])
    client = _token_client(sw.users[reader], reads_sensitive=False)
    listed, detail = _urls(sw, story)
    _assert_coarse(client.get(detail).json())
    (item,) = client.get(listed).json()["items"]
    _assert_coarse(item)
    if reader == "named":  # the holder's own reads are not logged
        log = list(StoryRead.objects.values_list("channel", "reading", "reader__username"))
        assert log == [("api", "coarse", "named")] * 2


@pytest.mark.parametrize("reader", ["named", "monitor"])
def test_a_token_that_reads_sensitive_items_reads_it_whole(sw: StoryWorld, reader: str) -> None:
    story = _shared(sw, sensitivity="restricted")
    story.named_readers.add(sw.users["named"])
    client = _token_client(sw.users[reader], reads_sensitive=True)
    listed, detail = _urls(sw, story)
    _assert_whole(client.get(detail).json())
    (item,) = client.get(listed).json()["items"]
    _assert_whole(item)
    if reader == "named":
        log = list(StoryRead.objects.values_list("channel", "reading", "reader__username"))
        assert log == [("api", "full", "named")] * 2


def test_a_token_reads_no_more_than_its_user_may(sw: StoryWorld) -> None:
    # The coordinator reads a protected shared story coarse with any token, and no hint: a
    # second factor would not change it.
    story = _shared(sw)
    _listed, detail = _urls(sw, story)
    answer = _token_client(sw.users["coordinator"], reads_sensitive=True).get(detail).json()
    assert answer["reading"] == "coarse" and answer["hint"] == ""
    assert NAME not in str(answer)


def test_an_open_approved_story_is_read_whole_by_an_ordinary_token(sw: StoryWorld) -> None:
    story = _shared(sw, sensitivity="open")
    sw.consent(story, "public", given_on=date(2025, 3, 14))
    services.story_approve(by=sw.users["second"], story=story)
    _listed, detail = _urls(sw, story)
    answer = _token_client(sw.users["viewer"], reads_sensitive=False).get(detail).json()
    assert answer["reading"] == "full" and answer["hint"] == ""


def test_a_browser_session_reads_whole_only_once_verified(sw: StoryWorld) -> None:
    # The named person has no role: their password alone signs them in, unverified.
    story = _shared(sw, sensitivity="restricted")
    story.named_readers.add(sw.users["named"])
    _listed, detail = _urls(sw, story)
    client = Client()
    client.force_login(sw.users["named"])
    _assert_coarse(client.get(detail).json())
    device = TOTPDevice.objects.create(user=sw.users["named"], name="phone", confirmed=True)
    session = client.session
    session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    _assert_whole(client.get(detail).json())


def test_an_expired_token_is_refused_with_a_clear_message(sw: StoryWorld) -> None:
    story = _shared(sw, sensitivity="restricted")
    story.named_readers.add(sw.users["named"])
    token, raw = ApiToken.issue(user=sw.users["named"], name="script", reads_sensitive=True)
    token.expires_at = timezone.now() - timedelta(minutes=1)
    token.save(update_fields=["expires_at"])
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    for url in _urls(sw, story):
        response = client.get(url)
        assert response.status_code == 401
        detail = response.json()["detail"]
        assert "This token expired on" in detail and token.expires_at.strftime("%Y-%m-%d") in detail
        assert "API tokens page" in detail
        assert response["WWW-Authenticate"].startswith("Bearer")
    token.refresh_from_db()
    assert token.last_used_at is None  # its use is not recorded
    assert not StoryRead.objects.exists()
    # A revoked one (expired or not) gets the same answer as an unknown token.
    token.revoked = True
    token.save(update_fields=["revoked"])
    answer = client.get(_urls(sw, story)[1]).json()
    assert answer["detail"] == "Invalid, revoked or expired token."


def test_a_sensitive_token_expires_after_the_days_set(sw: StoryWorld, settings: Any) -> None:
    settings.WPSMONITOR_SENSITIVE_TOKEN_DAYS = 7
    before = timezone.now()
    token, _raw = ApiToken.issue(user=sw.users["named"], name="s", reads_sensitive=True)
    assert token.expires_at is not None
    assert before + timedelta(days=7) <= token.expires_at <= timezone.now() + timedelta(days=7)
    ordinary, _raw = ApiToken.issue(user=sw.users["named"], name="o")
    assert ordinary.expires_at is None and not ordinary.reads_sensitive
    # The database holds the rule too: a token that reads sensitive items expires.
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
