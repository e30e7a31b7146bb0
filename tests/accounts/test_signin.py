"""Signing in: failed sign-ins are throttled per account and per address, and audited (axes).

Issue 12: 100 wrong passwords, then the right one worked. Now the limit (WPSMONITOR_LOGIN_FAILURES,
5 by default) locks the account, and the address, for WPSMONITOR_LOCKOUT_MINUTES.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from wpsmonitor.accounts.models import ApiToken

PASSWORD = "a long test passphrase"
LOGIN = "/accounts/login/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, User]:
    return {
        name: User.objects.create_user(name, password=PASSWORD)
        for name in ("amina", "chantal", "root")
    }


def _sign_in(name: str, password: str, address: str = "10.0.0.1", **extra: Any) -> Any:
    return Client(REMOTE_ADDR=address).post(
        LOGIN, {"username": name, "password": password}, **extra
    )


def _fail(name: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        assert _sign_in(name, "wrong guess", address).status_code in (200, 429)


def test_the_limit_comes_from_the_environment_with_safe_defaults() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_wrong_passwords_then_the_right_one_is_refused_while_locked(
    people: dict[str, User],
) -> None:
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in("amina", "wrong guess").status_code == 200, attempt
    locked = _sign_in("amina", "wrong guess")
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    right = _sign_in("amina", PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in right.client.session
    # From another address too: the account itself is locked.
    assert _sign_in("amina", PASSWORD, address="10.9.9.9").status_code == 429
    assert AccessFailureLog.objects.filter(username="amina", locked_out=True).exists()


def test_the_lockout_page_is_in_the_sites_look_and_translated(people: dict[str, User]) -> None:
    _fail("amina", settings.AXES_FAILURE_LIMIT)
    page = _sign_in("amina", PASSWORD, HTTP_ACCEPT_LANGUAGE="fr")
    text = page.content.decode()
    assert page.status_code == 429
    assert 'class="site-header"' in text  # shell/base.html
    assert "Connexion bloquée" in text and "15 minutes" in text
    translation.deactivate()


def test_a_locked_account_does_not_lock_another_account_from_another_address(
    people: dict[str, User],
) -> None:
    _fail("amina", settings.AXES_FAILURE_LIMIT, address="10.0.0.1")
    assert _sign_in("amina", PASSWORD, address="10.0.0.1").status_code == 429
    signed_in = _sign_in("chantal", PASSWORD, address="10.0.0.2")
    assert signed_in.status_code == 302


def test_one_address_trying_many_accounts_is_locked(people: dict[str, User]) -> None:
    for name in ("amina", "chantal", "root", "nobody", "x"):
        _fail(name, 1, address="10.6.6.6")
    # No account reached the limit, but the address did: even a right password from it waits.
    assert _sign_in("root", PASSWORD, address="10.6.6.6").status_code == 429
    assert _sign_in("root", PASSWORD, address="10.0.0.7").status_code == 302


def test_the_lockout_expires_after_the_cool_off(people: dict[str, User]) -> None:
    _fail("amina", settings.AXES_FAILURE_LIMIT)
    assert _sign_in("amina", PASSWORD).status_code == 429
    # Time passes: the failures are now older than the cool-off.
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
        )
    assert _sign_in("amina", PASSWORD).status_code == 302


def test_the_administrators_reset_unlocks(people: dict[str, User]) -> None:
    from django.core.management import call_command

    _fail("amina", settings.AXES_FAILURE_LIMIT)
    call_command("axes_reset_username", "amina")
    call_command("axes_reset_ip", "10.0.0.1")
    assert _sign_in("amina", PASSWORD).status_code == 302


def test_every_sign_in_and_failure_is_kept(people: dict[str, User]) -> None:
    assert _sign_in("chantal", PASSWORD, address="10.0.0.3").status_code == 302
    assert _sign_in("chantal", "wrong guess", address="10.0.0.4").status_code == 200
    success = AccessLog.objects.get(username="chantal")
    assert success.ip_address == "10.0.0.3"
    failure = AccessFailureLog.objects.get(username="chantal")
    assert failure.ip_address == "10.0.0.4" and not failure.locked_out


def test_behind_the_https_proxy_the_address_is_the_one_the_proxy_added(
    people: dict[str, User], settings: Any
) -> None:
    settings.HTTPS = True
    settings.SECURE_SSL_REDIRECT = False
    # Every request comes from the proxy; a client forges entries on the left, the proxy appends.
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in("nobody", "x", address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 10.0.0.9")
    signed_in = _sign_in("root", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.8")
    assert signed_in.status_code == 302
    locked = _sign_in(
        "root", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 10.0.0.9"
    )
    assert locked.status_code == 429


def test_the_audit_is_read_only_in_the_admin(people: dict[str, User]) -> None:
    root = people["root"]
    root.is_staff = root.is_superuser = True
    root.save()
    assert _sign_in("root", PASSWORD).status_code == 302
    admin = Client()
    admin.force_login(root)
    log = AccessLog.objects.filter(username="root").earliest("attempt_time")
    assert admin.get("/admin/axes/accesslog/").status_code == 200
    assert admin.get(f"/admin/axes/accesslog/{log.pk}/delete/").status_code == 403
    assert admin.get(f"/admin/axes/accessfailurelog/{log.pk}/delete/").status_code in (403, 302)
    assert AccessLog.objects.filter(pk=log.pk).exists()


def test_api_tokens_are_not_counted_as_sign_ins(people: dict[str, User]) -> None:
    _fail("amina", settings.AXES_FAILURE_LIMIT)
    _, raw = ApiToken.issue(user=people["amina"], name="script")
    answer = Client().get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answer.status_code == 200
