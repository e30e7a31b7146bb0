"""The cache of public pages for anonymous readers (shell/public_cache.py): served again without
a query, never for the signed-in, stale as soon as a release is published or withdrawn, per
language, and never holding a cookie or a CSRF token."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from wpsmonitor.plans.services import plan_update
from wpsmonitor.publishing.services import release_prepare, release_publish, release_withdraw
from wpsmonitor.shell import public_cache
from wpsmonitor.shell.public_cache import HIT_HEADER, public_generation, public_page

from .conftest import ReleaseWorld

pytestmark = pytest.mark.django_db


def _get(client: Client, path: str, **headers: str) -> tuple[HttpResponse, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    return response, len(queries)


@pytest.fixture
def pages(rw: ReleaseWorld) -> list[str]:
    code = rw.plan.code
    return [
        "/",
        f"/plans/{code}/",
        f"/plans/{code}/?period=2025Q1",
        f"/plans/{code}/areas/",
        f"/plans/{code}/indicators/PRO-01/",
        f"/plans/{code}/indicators/PA-01/?download=csv&table=series",
        f"/areas/{rw.world.areas['P1'].code}/",
    ]


def test_anonymous_readers_get_the_page_again_without_a_query(
    rw: ReleaseWorld, pages: list[str]
) -> None:
    client = Client()
    for path in pages:
        first, first_queries = _get(client, path)
        assert first.status_code == 200, path
        assert first[HIT_HEADER] == "miss"
        assert first_queries > 0
        again, again_queries = _get(client, path)
        assert again[HIT_HEADER] == "hit", path
        assert again_queries == 0, path
        assert again.content == first.content
        assert again["Content-Type"] == first["Content-Type"]
        assert "public" in again["Cache-Control"]
        assert again["ETag"] == first["ETag"]
    # A download keeps its file name.
    csv = client.get(pages[5])
    assert "attachment" in csv["Content-Disposition"]


def test_a_reader_who_has_the_page_gets_304(rw: ReleaseWorld) -> None:
    client = Client()
    path = f"/plans/{rw.plan.code}/"
    etag = client.get(path)["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_signed_in_readers_are_never_served_from_the_cache(rw: ReleaseWorld) -> None:
    path = f"/plans/{rw.plan.code}/"
    anonymous = Client().get(path)
    assert anonymous[HIT_HEADER] == "miss"
    member = Client()
    member.force_login(rw.coordinator)
    for _ in range(2):
        response, queries = _get(member, path)
        assert response.status_code == 200
        assert HIT_HEADER not in response
        assert queries > 0
        assert "private" in response["Cache-Control"]
        assert "Sign out" in response.content.decode()
    # And what they saw was not stored for the anonymous readers either.
    again = Client().get(path)
    assert again[HIT_HEADER] == "hit"
    assert "Sign out" not in again.content.decode()


def test_publishing_or_withdrawing_a_release_makes_the_next_read_fresh(
    rw: ReleaseWorld, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    path = f"/plans/{rw.plan.code}/"
    client.get(path)
    assert client.get(path)[HIT_HEADER] == "hit"
    before = public_generation()

    with django_capture_on_commit_callbacks(execute=True):
        release = release_prepare(by=rw.coordinator, plan=rw.plan)
    # A draft is not public: nothing changes for the readers.
    assert public_generation() == before
    assert client.get(path)[HIT_HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        release_publish(by=rw.coordinator, release=release, confirm=True)
    published = public_generation()
    assert published != before
    response, queries = _get(client, path)
    assert response[HIT_HEADER] == "miss" and queries > 0
    assert client.get(path)[HIT_HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        release_withdraw(by=rw.coordinator, release=release, reason="a harm found")
    assert public_generation() != published
    assert client.get(path)[HIT_HEADER] == "miss"


def test_a_refused_publication_changes_nothing(
    rw: ReleaseWorld, django_capture_on_commit_callbacks: Any
) -> None:
    release = release_prepare(by=rw.coordinator, plan=rw.plan)
    before = public_generation()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        release_publish(by=rw.coordinator, release=release, confirm=False)
    assert public_generation() == before


def test_editing_the_plan_makes_the_next_read_fresh(
    rw: ReleaseWorld, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    path = f"/plans/{rw.plan.code}/"
    client.get(path)
    with django_capture_on_commit_callbacks(execute=True):
        plan_update(plan=rw.plan, title="A new title for everyone")
    response = client.get(path)
    assert response[HIT_HEADER] == "miss"
    assert "A new title for everyone" in response.content.decode()


def test_each_language_is_cached_apart(rw: ReleaseWorld) -> None:
    path = f"/plans/{rw.plan.code}/areas/"
    english = Client().get(path)
    french = Client().get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert french[HIT_HEADER] == "miss"
    assert 'lang="fr"' in french.content.decode()
    chosen = Client()
    chosen.cookies["django_language"] = "ar"
    arabic = chosen.get(path)
    assert arabic[HIT_HEADER] == "miss"
    assert 'lang="ar"' in arabic.content.decode()
    again = Client().get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert again[HIT_HEADER] == "hit" and again.content == french.content
    assert Client().get(path).content == english.content
    assert "Accept-Language" in again["Vary"] and "Cookie" in again["Vary"]


def test_no_cookie_and_no_csrf_token_in_a_cached_page(rw: ReleaseWorld, pages: list[str]) -> None:
    client = Client()
    for path in pages:
        first = client.get(path)
        assert not first.cookies, path
        again = client.get(path)
        assert again[HIT_HEADER] == "hit"
        assert not again.cookies
        assert b"csrfmiddlewaretoken" not in again.content
    # The language switcher works without a token, and stays on the site.
    strict = Client(enforce_csrf_checks=True)
    switched = strict.post("/i18n/setlang/", {"language": "fr", "next": pages[1]})
    assert switched.status_code == 302 and switched["Location"] == pages[1]
    away = strict.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert away["Location"] == "/"


def test_a_page_using_a_csrf_token_or_setting_a_cookie_is_not_stored() -> None:
    calls = []

    @public_page
    def with_token(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    @public_page
    def with_cookie(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    @public_page
    def not_found(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        return HttpResponse("no", status=404)

    factory = RequestFactory()
    for view in (with_token, with_cookie, not_found):
        calls.clear()
        for _ in range(2):
            request = factory.get("/x/")
            response = view(request)
            assert "private" in response["Cache-Control"]
        assert len(calls) == 2, view.__name__


def test_a_visitor_with_a_message_waiting_gets_the_page_drawn_for_them(rw: ReleaseWorld) -> None:
    path = f"/plans/{rw.plan.code}/"
    Client().get(path)  # cached for everyone
    visitor = Client()
    # A message left for this visitor (as a refused form would): the cache must not hide it.
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.INFO, "Your message is here")
    response = HttpResponse()
    storage.update(response)
    visitor.cookies["messages"] = response.cookies["messages"].value
    page = visitor.get(path)
    assert HIT_HEADER not in page
    assert "Your message is here" in page.content.decode()


@pytest.fixture
def grace(settings: Any) -> None:
    """A grace period after a publication, with no warming to end it (the warming's address is
    not one the site answers: it stops at once)."""
    settings.WPSMONITOR_WARM_SECONDS = 120
    settings.WPSMONITOR_BASE_URL = "http://not-this-site.example"


def test_after_a_publication_readers_get_the_previous_page_until_the_new_one_is_drawn(
    rw: ReleaseWorld, grace: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    path = f"/plans/{rw.plan.code}/"
    other = f"/plans/{rw.plan.code}/areas/"
    before = client.get(path).content
    client.get(other)
    with django_capture_on_commit_callbacks(execute=True):
        release = release_prepare(by=rw.coordinator, plan=rw.plan)
        release_publish(by=rw.coordinator, release=release, confirm=True)
    response, queries = _get(client, path)
    assert response[HIT_HEADER] == "stale" and queries == 0
    assert response.content == before
    # The warming draws the new page; from then on everyone reads it.
    with public_cache.drawing_fresh():
        response, queries = _get(client, path)
    assert response[HIT_HEADER] == "miss" and queries > 0
    assert response.content != before  # it says which release it reads
    assert client.get(path)[HIT_HEADER] == "hit"
    # When the warming is done, the grace ends: the pages it did not draw are drawn on demand.
    assert client.get(other)[HIT_HEADER] == "stale"
    public_cache.end_grace()
    assert client.get(other)[HIT_HEADER] == "miss"


def test_after_a_withdrawal_or_an_edit_no_reader_gets_the_previous_page(
    rw: ReleaseWorld, grace: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    path = f"/plans/{rw.plan.code}/"
    with django_capture_on_commit_callbacks(execute=True):
        release = release_prepare(by=rw.coordinator, plan=rw.plan)
        release_publish(by=rw.coordinator, release=release, confirm=True)
    with public_cache.drawing_fresh():
        client.get(path)  # the page of the published release, cached
    with django_capture_on_commit_callbacks(execute=True):
        release_withdraw(by=rw.coordinator, release=release, reason="a harm found")
    response = client.get(path)
    assert response[HIT_HEADER] == "miss"  # drawn afresh, never the withdrawn release's copy
    # An edit right after a publication forgets the previous generation too.
    with django_capture_on_commit_callbacks(execute=True):
        second = release_prepare(by=rw.coordinator, plan=rw.plan)
        release_publish(by=rw.coordinator, release=second, confirm=True)
        plan_update(plan=rw.plan, title="A new title for everyone")
    response = client.get(path)
    assert response[HIT_HEADER] == "miss"
    assert "A new title for everyone" in response.content.decode()


def test_without_the_warming_a_publication_has_no_grace(
    rw: ReleaseWorld, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WPSMONITOR_WARM_SECONDS = 0
    client = Client()
    path = f"/plans/{rw.plan.code}/"
    client.get(path)
    with django_capture_on_commit_callbacks(execute=True):
        release = release_prepare(by=rw.coordinator, plan=rw.plan)
        release_publish(by=rw.coordinator, release=release, confirm=True)
    assert client.get(path)[HIT_HEADER] == "miss"
