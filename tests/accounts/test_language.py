"""Each user's stored language: saved from the switcher and the account page, applied at
sign-in, used for their password-reset mail. An anonymous reader's choice stays a cookie."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from wpsmonitor.accounts.languages import by_language, language_of
from wpsmonitor.accounts.models import UserLanguage
from wpsmonitor.accounts.services import language_set
from wpsmonitor.core.languages import language_from_environment, supported_language

PASSWORD = "a long test passphrase"
COOKIE = settings.LANGUAGE_COOKIE_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina() -> User:
    return User.objects.create_user("amina", email="amina@example.org", password=PASSWORD)


def test_the_stored_language_is_applied_at_sign_in(amina: User) -> None:
    language_set(user=amina, language="fr")
    client = Client()
    client.cookies[COOKIE] = "es"  # the browser last read Spanish, signed out
    response = client.post("/accounts/login/", {"username": "amina", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "fr"
    page = client.get("/accounts/")
    assert '<html lang="fr"' in page.content.decode()
    assert "Votre compte" in page.content.decode()


def test_without_a_stored_language_sign_in_keeps_the_readers_choice(amina: User) -> None:
    client = Client()
    client.cookies[COOKIE] = "es"
    response = client.post("/accounts/login/", {"username": "amina", "password": PASSWORD})
    assert COOKIE not in response.cookies
    assert '<html lang="es"' in client.get("/accounts/").content.decode()


def test_the_switcher_stores_a_signed_in_users_choice(amina: User) -> None:
    client = Client()
    client.force_login(amina)
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/accounts/"})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "ar"
    assert UserLanguage.objects.get(user=amina).language == "ar"


def test_the_switcher_stores_nothing_for_an_anonymous_reader() -> None:
    response = Client().post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.cookies[COOKIE].value == "es"  # remembered in the cookie, as before
    assert not UserLanguage.objects.exists()


def test_the_account_page_sets_the_language(amina: User) -> None:
    client = Client()
    client.force_login(amina)
    page = client.get("/accounts/").content.decode()
    assert 'name="language"' in page and 'action="/accounts/language/"' in page
    response = client.post("/accounts/language/", {"language": "es"})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "es"
    assert language_of(amina) == "es"
    refused = client.post("/accounts/language/", {"language": "xx"})
    assert refused.status_code == 302
    assert language_of(User.objects.get(pk=amina.pk)) == "es"


def test_the_password_reset_mail_is_in_the_accounts_language_not_the_askers(
    amina: User,
) -> None:
    language_set(user=amina, language="es")
    client = Client()
    client.cookies[COOKIE] = "fr"
    client.post("/accounts/password/reset/", {"email": "amina@example.org"})
    (message,) = mail.outbox
    assert message.subject == "WPS Monitor: elija una nueva contraseña"
    assert message.body.startswith("Hola, amina:")


def test_recipients_are_grouped_by_language() -> None:
    groups = by_language(
        [("b@x.org", "fr"), ("a@x.org", None), ("c@x.org", "fr-ca"), ("a@x.org", "es"), ("", "es")]
    )
    assert groups == {"en": ["a@x.org"], "fr": ["b@x.org", "c@x.org"]}


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "es_CO.UTF-8"}, "es"),
        ({"LC_ALL": "ar_EG.UTF-8", "LANG": "fr_FR.UTF-8"}, "ar"),
        ({"LANGUAGE": "de:es", "LANG": "fr_FR.UTF-8"}, "es"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_command_lines_language_comes_from_the_environment(
    environ: dict[str, str], language: str
) -> None:
    assert language_from_environment(environ) == language


def test_supported_language_reads_locale_names() -> None:
    assert supported_language("fr_FR.UTF-8") == "fr"
    assert supported_language("es-419") == "es"
    assert supported_language("zz") is None
    assert supported_language("") is None
