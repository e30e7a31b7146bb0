"""Test configuration shared by every test.

pytest-django loads the settings before any conftest runs, so environment variables set here
would come too late; the fixture below overrides settings instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django_otp
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.signals import user_logged_in
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
    # A cache of each test's own (public pages are cached for anonymous readers): a page
    # cached by one test is never another's answer.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        }
    }


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


def _verify_at_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Imported here: the accounts app's modules need the app registry that pytest-django sets up.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from wpsmonitor.accounts.access import requires_two_factor

    if not requires_two_factor(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    # As the second step does once the code is right (accounts/two_factor.py: sign_in_verified).
    request.session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id


@pytest.fixture
def two_factor_flow() -> None:
    """Ask for this fixture to go through the real second step: without it, a sign-in (the form,
    Client.force_login, Client.login) of an account that must use a second factor comes out
    verified, as if its code had been typed, so that the tests of everything else sign in as
    before. The tests of two-factor sign-in itself (tests/accounts) and the browser tests
    (tests/browser, whose sign-in helper types a TOTP code) ask for it."""


@pytest.fixture(autouse=True)
def _second_factor_given_at_sign_in(request: pytest.FixtureRequest) -> Iterator[None]:
    # Two-factor sign-in stays on in every test (there is no switch to turn it off); only the
    # code step is taken for the tests that are not about it.
    if "two_factor_flow" in request.fixturenames:
        yield
        return
    user_logged_in.connect(_verify_at_sign_in, dispatch_uid="tests-second-factor")
    yield
    user_logged_in.disconnect(dispatch_uid="tests-second-factor")
