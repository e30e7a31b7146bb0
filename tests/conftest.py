"""Test configuration shared by every test.

pytest-django loads the settings before any conftest runs, so environment variables set here
would come too late; the fixture below overrides settings instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test.client import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def _isolated_settings(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Background tasks run in the calling process, and uploads go to a throw-away folder.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = Path(tmp_path_factory.mktemp("media"))
    # Static files by their plain names: the hashed names exist only once collectstatic ran
    # (`wpsmonitor serve` runs it); tests/test_static_files.py checks the real storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Password hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    # LocaleMiddleware leaves the visitor's language active in the thread after a test-client
    # request; without this, a French request in one test turns later tests' output French.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _every_page_carries_the_content_security_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever page a test renders through the test client, it carries the policy
    # (shell/middleware.py): checked here once for the whole suite rather than test by test.
    request = Client.request

    def checked(self: Client, **kwargs: Any) -> Any:
        response = request(self, **kwargs)
        if response.get("Content-Type", "").startswith("text/html"):
            assert (
                response.get("Content-Security-Policy") == django_settings.CONTENT_SECURITY_POLICY
            ), f"{kwargs.get('PATH_INFO')} has no Content-Security-Policy"
        return response

    monkeypatch.setattr(Client, "request", checked)
