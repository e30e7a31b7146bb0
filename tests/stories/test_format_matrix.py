"""Who reads what of a story, in every format that lets a story out: reader × story state ×
format (the API's list and detail, the CSV and XLSX exports). docs/stories.md, "Who reads
what" and "API and exports".

Distinctive markers are planted in the storyteller's name, the collector's name, the exact day
and the district's name: a coarse reading never carries one of them, in any format; a story
the reader may not read is absent (its title and text too; the API's detail answers 404); and
every read beyond the holder's own is logged with its channel and how much was read.
"""

from __future__ import annotations

import io
from datetime import date

import django_otp
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook
from tests.stories.conftest import StoryWorld

from wpsmonitor.accounts.access import STORY_COARSE, STORY_FULL
from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.stories import services
from wpsmonitor.stories.models import Story, StoryRead

pytestmark = pytest.mark.django_db

F, C, N = STORY_FULL, STORY_COARSE, None
READERS = (
    "monitor",  # the holder's monitor, who collected the stories
    "second",  # a second person of the holder (its organisation administrator)
    "coordinator",
    "focal",  # a focal point of another organisation (the ministry)
    "viewer",
    "outsider",  # signed in, no role on the plan
    "admin",  # the platform's administrator
    "named",  # a person a restricted story names
    "anonymous",
)
HOLDERS = {"monitor", "second"}
# state → the reading each reader gets, in READERS' order (the rule: tests/stories/test_access.py).
MATRIX = {
    "draft": (F, F, N, N, N, N, N, N, N),
    "shared": (F, F, C, C, C, N, N, N, N),
    "open": (F, F, F, F, F, N, N, N, N),
    "approved": (F, F, C, C, C, C, C, C, C),
    "restricted": (F, F, N, N, N, N, N, F, N),
    "withdrawn": (F, F, N, N, N, N, N, N, N),
}
FORMATS = ("api-list", "api-detail", "csv", "xlsx")

NAME = "Naima-STORYTELLER-4417"
COLLECTOR = ("Halima", "COLLECTOR-8820")
DAY = "2025-03-14"
MONTH = "2025-03"
DISTRICT = "Wadi-DISTRICT-5531"
PROVINCE = "Upper-PROVINCE-2210"


def _story_in(sw: StoryWorld, state: str) -> Story:
    sw.plan.status = PlanStatus.IMPLEMENTATION  # a plan the public may read
    sw.plan.save(update_fields=["status"])
    district = sw.world.areas["D11"]
    district.name = DISTRICT
    district.save()
    province = sw.world.areas["P1"]
    province.name = PROVINCE
    province.save()
    monitor = sw.users["monitor"]
    monitor.first_name, monitor.last_name = COLLECTOR
    monitor.save()
    sensitivity = {"open": "open", "restricted": "restricted"}.get(state, "protected")
    story = sw.story(
        sensitivity=sensitivity,
        title=f"TITLE-{state}-6650",
        text=f"TEXT-{state}-6651 how the patrols changed",
        happened_on=date(2025, 3, 14),
    )
    purposes = {
        "draft": ("monitoring", "report", "public"),
        "approved": ("monitoring", "report", "public"),
    }.get(state, ("monitoring",))
    consent = sw.consent(story, *purposes, to_be_named=True)
    services.storyteller_name_set(by=monitor, story=story, name=NAME)
    if state != "draft":
        services.story_share(by=monitor, story=story)
    if state == "approved":
        services.story_approve(by=sw.users["second"], story=story)
    if state == "restricted":
        story.named_readers.add(sw.users["named"])
    if state == "withdrawn":
        services.consent_withdraw(by=monitor, consent=consent)
    return Story.objects.get(pk=story.pk)


def _api_client(user: User | None) -> Client:
    # The matrix is of readers who proved a second factor: a token that reads sensitive items
    # (an ordinary token reads them coarse: tests/stories/test_second_factor_api.py).
    if user is None:
        return Client()
    _token, raw = ApiToken.issue(user=user, name="matrix", reads_sensitive=True)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _session_client(user: User | None) -> Client:
    # Signed in with a second factor, whoever it is (the person a restricted story names has
    # no role, so nothing made them use one: they set one up).
    client = Client()
    if user is not None:
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        session = client.session
        session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def _output(sw: StoryWorld, story: Story, fmt: str, user: User | None) -> tuple[int, str]:
    code = sw.plan.code
    if fmt == "api-list":
        response = _api_client(user).get(f"/api/v1/plans/{code}/stories")
    elif fmt == "api-detail":
        response = _api_client(user).get(f"/api/v1/plans/{code}/stories/{story.uid}")
    else:
        response = _session_client(user).get(f"/plans/{code}/stories/export/?format={fmt}")
    if fmt == "xlsx" and response.status_code == 200:
        return 200, _xlsx_text(response.content)
    return response.status_code, response.content.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("state", list(MATRIX))
def test_each_reader_reads_each_story_as_the_rule_says_in_each_format(
    sw: StoryWorld, state: str, fmt: str
) -> None:
    story = _story_in(sw, state)
    channel = "api" if fmt.startswith("api") else "export"
    for reader, expected in zip(READERS, MATRIX[state], strict=True):
        user = None if reader == "anonymous" else sw.users[reader]
        reads_before = StoryRead.objects.filter(story=story).count()
        status, text = _output(sw, story, fmt, user)
        where = (state, fmt, reader)
        if fmt == "api-detail" and expected is None:
            assert status == 404, where
            assert '"detail"' in text and "TITLE" not in text, where
        else:
            assert status == 200, (where, text[:300])
        if expected is None:
            # Not there at all: neither its title (a draft's either) nor its text.
            assert f"TITLE-{state}" not in text, where
            assert f"TEXT-{state}" not in text, where
        else:
            assert f"TITLE-{state}-6650" in text, where
            assert f"TEXT-{state}-6651" in text, where
        if expected == C:
            for marker in (NAME, COLLECTOR[1], DAY, DISTRICT):
                assert marker not in text, (where, marker)
            assert MONTH in text and PROVINCE in text, where
        if expected == F:
            for marker in (COLLECTOR[1], DAY, DISTRICT):
                assert marker in text, (where, marker)
            # The name goes with the last consent to be named (consent_withdraw erases it).
            assert (NAME in text) == (state != "withdrawn"), where
        if fmt == "api-detail" and reader not in HOLDERS:
            assert '"consents": []' in text or status == 404, where  # the holder's records
        # Every read beyond the holder's own is logged, with its channel and reading.
        new_reads = list(
            StoryRead.objects.filter(story=story)
            .order_by("pk")
            .values_list("channel", "reading", "reader__username")[reads_before:]
        )
        if expected is None or reader in HOLDERS:
            assert new_reads == [], where
        else:
            logged_as = None if reader == "anonymous" else reader
            assert new_reads == [(channel, expected, logged_as)], where


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_story_read_through_another_plan_is_not_there(sw: StoryWorld, fmt: str) -> None:
    # The story's uid under another plan's code: not found, whoever asks (its own holder too).
    from tests.aggregation.conftest import build_world

    story = _story_in(sw, "approved")
    other = build_world(code="nap-other", country="KEN").plan
    other.status = PlanStatus.IMPLEMENTATION
    other.save(update_fields=["status"])
    code = other.code
    client = _api_client(sw.users["monitor"])
    if fmt == "api-list":
        response = client.get(f"/api/v1/plans/{code}/stories")
    elif fmt == "api-detail":
        response = client.get(f"/api/v1/plans/{code}/stories/{story.uid}")
    else:
        response = _session_client(sw.users["coordinator"]).get(
            f"/plans/{code}/stories/export/?format={fmt}"
        )
    text = _xlsx_text(response.content) if fmt == "xlsx" else response.content.decode("utf-8-sig")
    assert response.status_code == (404 if fmt == "api-detail" else 200)
    assert "TITLE-approved" not in text
    assert not StoryRead.objects.exists()
