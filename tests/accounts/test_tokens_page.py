"""Your API tokens (/accounts/tokens/, docs/security.md, "API tokens"): a signed-in user issues
their own tokens, the secret shown once; a token that reads sensitive items whole only from a
session verified with a second factor (the page refuses otherwise, says why and links to the
second step); a user revokes their own tokens and no one else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from tests.aggregation.conftest import build_world

from wpsmonitor.accounts.models import ApiToken, PlanRole, Role, hash_token
from wpsmonitor.accounts.services import token_issue

pytestmark = pytest.mark.django_db

URL = "/accounts/tokens/"


def _user(name: str) -> User:
    return get_user_model().objects.create_user(username=name, password="x")  # type: ignore[no-any-return]


def _coordinator() -> User:
    user = _user("coordinator")
    PlanRole.objects.create(user=user, plan=build_world().plan, role=Role.COORDINATOR)
    return user


def _signed_in(user: User) -> Client:
    # A role on a plan: the sign-in comes out verified (tests/conftest.py); no role: the
    # password alone, unverified.
    client = Client()
    client.force_login(user)
    return client


def test_a_verified_session_issues_a_token_that_reads_sensitive_items() -> None:
    user = _coordinator()
    response = _signed_in(user).post(URL, {"name": "ministry-sync", "reads_sensitive": "on"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=user)
    assert token.name == "ministry-sync" and token.reads_sensitive and token.expires_at
    assert token.expires_at - timezone.now() > timedelta(days=29)
    page = response.content.decode()
    raw = page.split('<code class="hash">wps_', 1)[1].split("</code>", 1)[0]
    assert hash_token("wps_" + raw) == token.key_hash  # shown once, here
    assert "reads sensitive items whole until" in page
    # Listed afterwards without its secret.
    again = _signed_in(user).get(URL).content.decode()
    assert "ministry-sync" in again and raw not in again


def test_an_unverified_session_is_refused_one_and_told_why() -> None:
    user = _user("named")  # no role: signs in with a password alone
    client = _signed_in(user)
    response = client.post(URL, {"name": "reader", "reads_sensitive": "on"})
    assert response.status_code == 403
    page = response.content.decode()
    assert (
        "A token that reads sensitive items whole is issued only from a session signed in with "
        "a second factor." in page
    )
    assert "/accounts/two-factor/set-up/?next=%2Faccounts%2Ftokens%2F" in page
    assert not ApiToken.objects.exists()
    # An ordinary token it may have: it reads sensitive items coarse and does not expire.
    assert client.post(URL, {"name": "reader"}).status_code == 200
    token = ApiToken.objects.get(user=user)
    assert not token.reads_sensitive and token.expires_at is None


def test_the_service_refuses_it_without_a_second_factor() -> None:
    user = _user("named")
    with pytest.raises(PermissionDenied):
        token_issue(user=user, name="x", reads_sensitive=True)
    assert not ApiToken.objects.exists()
    token, _raw = token_issue(user=user, name="x", reads_sensitive=True, second_factor=True)
    assert token.reads_sensitive


def test_a_name_is_required() -> None:
    response = _signed_in(_coordinator()).post(URL, {"name": " "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_own_tokens_and_no_one_elses() -> None:
    user, other = _coordinator(), _user("other")
    mine, _raw = ApiToken.issue(user=user, name="mine")
    theirs, _raw = ApiToken.issue(user=other, name="theirs-7781")
    client = _signed_in(user)
    page = client.get(URL).content.decode()
    assert "mine" in page and "theirs-7781" not in page
    assert client.post(URL, {"token": theirs.pk}).status_code == 404
    assert client.post(URL, {"token": "nonsense"}).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.revoked
    assert client.post(URL, {"token": mine.pk})["Location"] == URL
    mine.refresh_from_db()
    assert mine.revoked


def test_the_page_is_for_signed_in_users() -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().post(URL, {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_the_account_page_links_to_it() -> None:
    assert URL in _signed_in(_user("someone")).get("/accounts/").content.decode()
