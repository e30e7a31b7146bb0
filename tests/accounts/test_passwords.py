"""Passwords and sessions (issue 12 §2): the password policy, changing a password, resetting it
by mail, and signing out everywhere."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axes.models import AccessFailureLog
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "a long test passphrase"
NEW_PASSWORD = "violet harbour lantern 42"


@pytest.fixture
def amina() -> User:
    return User.objects.create_user("amina", email="amina@example.org", password=PASSWORD)


def _signed_in(name: str = "amina", password: str = PASSWORD, **extra: Any) -> Client:
    client = Client(**extra)
    assert (
        client.post("/accounts/login/", {"username": name, "password": password}).status_code == 302
    )
    assert client.get("/accounts/").status_code == 200
    return client


def test_the_password_policy_asks_for_twelve_characters_and_no_common_password(
    amina: User,
) -> None:
    for weak in ("short pass", "password1234", "123456789012", "amina@example.org"):
        with pytest.raises(ValidationError):
            validate_password(weak, amina)
    validate_password(NEW_PASSWORD, amina)


def test_the_menu_leads_to_the_account_page_with_its_links(amina: User) -> None:
    client = _signed_in()
    home = client.get("/reporting/").content.decode()
    assert 'href="/accounts/"' in home
    page = client.get("/accounts/").content.decode()
    for link in ("/accounts/password/", "/accounts/sign-out-everywhere/"):
        assert link in page
    assert 'href="/accounts/password/reset/"' in Client().get("/accounts/login/").content.decode()


def test_changing_the_password_signs_out_other_sessions_and_keeps_this_one(amina: User) -> None:
    here, elsewhere = _signed_in(), _signed_in()
    weak = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert weak.status_code == 200 and "at least 12 characters" in weak.content.decode()
    changed = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed["Location"] == "/accounts/password/changed/"
    assert here.get("/accounts/").status_code == 200
    assert elsewhere.get("/accounts/").status_code == 302
    amina.refresh_from_db()
    assert amina.check_password(NEW_PASSWORD)


def test_a_wrong_old_password_counts_towards_the_lockout(amina: User) -> None:
    client = _signed_in()
    client.post(
        "/accounts/password/",
        {
            "old_password": "a wrong guess",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert AccessFailureLog.objects.filter(username="amina").count() == 1


def test_a_reset_link_by_mail_uses_the_sites_address_and_works_once(
    amina: User, mailoutbox: list[Any], settings: Any
) -> None:
    settings.WPSMONITOR_BASE_URL = "https://wps.example.org"
    settings.ALLOWED_HOSTS = ["*"]  # even a site that accepts any Host
    # A forged Host header does not make the link point elsewhere.
    Client(HTTP_HOST="evil.example").post(
        "/accounts/password/reset/", {"email": "amina@example.org"}
    )
    sent = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert sent["Location"] == "/accounts/password/reset/sent/"  # the same answer, no mail
    [mail] = mailoutbox
    assert mail.to == ["amina@example.org"] and "new password" in mail.subject
    [link] = re.findall(r"https://wps\.example\.org(/accounts/password/reset/\S+/)", mail.body)
    assert "evil.example" not in mail.body
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    url = form.redirect_chain[-1][0]
    done = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/password/reset/done/"
    amina.refresh_from_db()
    assert amina.check_password(NEW_PASSWORD)
    again = Client().get(link, follow=True).content.decode()
    assert "This link does not work" in again


@pytest.mark.usefixtures("two_factor_flow")
def test_a_reset_password_still_asks_for_the_second_factor(
    amina: User, mailoutbox: list[Any]
) -> None:
    device = TOTPDevice.objects.create(user=amina, name="phone", confirmed=True)
    Client().post("/accounts/password/reset/", {"email": "amina@example.org"})
    [link] = re.findall(r"(/accounts/password/reset/\S+/)", mailoutbox[0].body)
    client = Client()
    url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "_auth_user_id" not in client.session  # not signed in by the reset
    signed_in = client.post("/accounts/login/", {"username": "amina", "password": NEW_PASSWORD})
    assert signed_in["Location"].startswith("/accounts/two-factor/")
    assert (
        client.post("/accounts/two-factor/", {"code": f"{totp(device.bin_key):06d}"})["Location"]
        == "/me/"
    )


def test_sign_out_everywhere_ends_every_other_session(amina: User) -> None:
    here, phone, laptop = _signed_in(), _signed_in(), _signed_in()
    refused = here.post("/accounts/sign-out-everywhere/", {"password": "a wrong guess"})
    assert refused.status_code == 400 and "That is not your password" in refused.content.decode()
    assert AccessFailureLog.objects.filter(username="amina").count() == 1  # counted
    assert phone.get("/accounts/").status_code == 200
    done = here.post("/accounts/sign-out-everywhere/", {"password": PASSWORD}, follow=True)
    assert "signed out everywhere else" in done.content.decode()
    assert here.get("/accounts/").status_code == 200
    for other in (phone, laptop):
        response = other.get("/accounts/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # The password itself is the same.
    assert _signed_in().get("/accounts/").status_code == 200


def test_sign_out_everywhere_is_a_post_behind_sign_in(amina: User) -> None:
    assert (
        Client().post("/accounts/sign-out-everywhere/", {"password": PASSWORD}).status_code == 302
    )
    assert _signed_in().get("/accounts/sign-out-everywhere/").status_code == 405
