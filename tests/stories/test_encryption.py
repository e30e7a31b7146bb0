"""Identifying fields are encrypted at rest (core/encryption.py; docs/security.md,
"Encryption at rest"): the database's own bytes never hold them, the keys rotate, and an
encrypted field cannot be searched."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.test import override_settings
from tests.stories.conftest import MARKER, StoryWorld

from wpsmonitor.core import encryption
from wpsmonitor.stories import services
from wpsmonitor.stories.models import Consent, Story

pytestmark = pytest.mark.django_db

TABLES = ("stories_story", "stories_consent")


def _raw_rows() -> list[tuple[object, ...]]:
    """Every row of the stories' tables as the database returns them, encryption untouched."""
    rows: list[tuple[object, ...]] = []
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            rows += cursor.fetchall()
    return rows


def _stored(sw: StoryWorld) -> Story:
    story = sw.story()
    sw.consent(story, "monitoring", to_be_named=True, method="oral_witnessed", witness=MARKER)
    services.storyteller_name_set(by=sw.users["monitor"], story=story, name=f"Amina {MARKER}")
    return story


def test_identifying_fields_are_unreadable_in_the_database(sw: StoryWorld) -> None:
    story = _stored(sw)
    rows = _raw_rows()
    assert rows and not any(MARKER in str(value) for row in rows for value in row)
    assert sum(str(v).startswith(encryption.PREFIX) for row in rows for v in row) == 4
    again = Story.objects.get(pk=story.pk)
    assert MARKER in again.text and again.storyteller_name == f"Amina {MARKER}"
    consent = Consent.objects.get()
    assert MARKER in consent.given_by and consent.witness == MARKER


def test_keys_rotate_and_every_read_still_works(sw: StoryWorld) -> None:
    from django.conf import settings

    old = settings.ENCRYPTION_KEYS
    story = _stored(sw)
    new = encryption.new_key()
    with override_settings(ENCRYPTION_KEYS=[new, *old]):
        assert Story.objects.get(pk=story.pk).storyteller_name.startswith("Amina")
        done = encryption.rotate()
        assert done["stories.Story.text"] == 1 and done["stories.Consent.witness"] == 1
        assert encryption.rotate()["stories.Story.text"] == 0  # nothing left to rotate
    with override_settings(ENCRYPTION_KEYS=[new]):  # the old key removed
        assert MARKER in Story.objects.get(pk=story.pk).text
        assert Consent.objects.get().witness == MARKER
    # Only the old key: refused, and said clearly.
    with (
        override_settings(ENCRYPTION_KEYS=old),
        pytest.raises(encryption.EncryptionKeyError, match="key missing"),
    ):
        Story.objects.get(pk=story.pk)


def test_an_encrypted_field_cannot_be_searched(sw: StoryWorld) -> None:
    _stored(sw)
    with pytest.raises(FieldError, match="encrypted"):
        Story.objects.filter(text__contains=MARKER).count()
    assert Story.objects.filter(text__isnull=False).count() == 1


@pytest.mark.parametrize("keys", [[], ["not-a-key"]])
def test_a_missing_or_bad_key_is_a_clear_error(keys: list[str]) -> None:
    with override_settings(ENCRYPTION_KEYS=keys), pytest.raises(encryption.EncryptionKeyError):
        encryption.encrypt_text("x")


def test_the_command_rotates_and_checks(sw: StoryWorld) -> None:
    from io import StringIO

    from django.conf import settings
    from django.core.management import CommandError, call_command

    _stored(sw)
    new = encryption.new_key()
    with override_settings(ENCRYPTION_KEYS=[new, *settings.ENCRYPTION_KEYS]):
        with pytest.raises(CommandError, match="older key"):
            call_command("encryption", "check", stdout=StringIO())
        out = StringIO()
        call_command("encryption", "rotate", stdout=out)
        assert "stories.Story.text: 1" in out.getvalue()
        call_command("encryption", "check", stdout=StringIO())  # all under the new key
