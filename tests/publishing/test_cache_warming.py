"""Warming the cache of public pages after a publication (portal/warming.py): the first reader
of the plan's pages is served from the cache, in each language, at the site's address; the
warming stops when the public pages change meanwhile or its time is up, and runs again
harmlessly."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wpsmonitor.portal.warming import pages_of, warm, warm_public_pages
from wpsmonitor.publishing.models import Release
from wpsmonitor.publishing.services import release_prepare, release_publish, release_withdraw
from wpsmonitor.shell import public_cache
from wpsmonitor.shell.public_cache import GENERATION_KEY, HIT_HEADER

from .conftest import ReleaseWorld

pytestmark = pytest.mark.django_db


def _publish(rw: ReleaseWorld, capture: Any) -> Release:
    release = release_prepare(by=rw.coordinator, plan=rw.plan)
    with capture(execute=True):
        release_publish(by=rw.coordinator, release=release, confirm=True)
    return release


def _read(path: str, language: str = "en", host: str = "testserver") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path, headers={"accept-language": language, "host": host})
    assert response.status_code == 200, path
    return response[HIT_HEADER], len(queries)


@pytest.fixture
def site(settings: Any) -> None:
    # The address readers use; the test client's own host.
    settings.WPSMONITOR_BASE_URL = "http://testserver"
    settings.WPSMONITOR_WARM_SECONDS = 120


def test_after_publishing_the_first_reader_is_served_from_the_cache(
    rw: ReleaseWorld, site: None, django_capture_on_commit_callbacks: Any
) -> None:
    _publish(rw, django_capture_on_commit_callbacks)
    # The warming left the worker in no reader's language (it ended with Arabic pages).
    assert translation.get_language() == "en"
    code = rw.plan.code
    for path in (
        f"/plans/{code}/public/",
        f"/plans/{code}/",
        "/",
        f"/plans/{code}/indicators/PA-01/",
        f"/areas/{rw.world.areas['P1'].code}/",
        f"/plans/{code}/releases/1/",
    ):
        for language in ("en", "fr"):
            assert _read(path, language) == ("hit", 0), (path, language)
    # A browser's own header chooses the same language, hence the same entry.
    assert _read(f"/plans/{code}/public/", "fr-FR,fr;q=0.9,en;q=0.5") == ("hit", 0)
    # Done, the warming ended the grace: no page is answered with the previous generation's.
    assert public_cache._cache().get(public_cache.PREVIOUS_KEY) is None


def test_without_the_warming_the_first_reader_draws_the_page(
    rw: ReleaseWorld, site: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WPSMONITOR_WARM_SECONDS = 0
    _publish(rw, django_capture_on_commit_callbacks)
    state, queries = _read(f"/plans/{rw.plan.code}/public/")
    assert state == "miss" and queries > 0


def test_pages_are_warmed_at_the_sites_address_only(
    rw: ReleaseWorld, site: None, django_capture_on_commit_callbacks: Any
) -> None:
    _publish(rw, django_capture_on_commit_callbacks)
    # A reader reaching the site by another name has a page of their own (the key holds the
    # host): the warming does not pretend otherwise.
    assert _read(f"/plans/{rw.plan.code}/public/", host="localhost")[0] == "miss"


def test_a_base_url_the_site_refuses_warms_nothing(
    rw: ReleaseWorld, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WPSMONITOR_BASE_URL = "https://not-this-site.example"
    release = _publish(rw, django_capture_on_commit_callbacks)
    done = warm(release, seconds=60)
    assert done.drawn == 0 and "ALLOWED_HOSTS" in done.stopped


def test_warming_again_draws_nothing(
    rw: ReleaseWorld, site: None, django_capture_on_commit_callbacks: Any
) -> None:
    release = _publish(rw, django_capture_on_commit_callbacks)
    again = warm(release, seconds=60)
    assert again.drawn == 0 and again.stopped == ""
    assert again.cached == len(pages_of(release))
    assert len({language for _path, language in pages_of(release)}) == 4


def test_a_change_meanwhile_stops_the_warming(
    rw: ReleaseWorld, site: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WPSMONITOR_WARM_SECONDS = 0
    release = _publish(rw, django_capture_on_commit_callbacks)

    def newer_change(**kwargs: Any) -> None:
        # Another write bumps the generation while the first page is drawn.
        cache.set(GENERATION_KEY, "a-newer-generation", timeout=None)

    request_finished.connect(newer_change)
    try:
        done = warm(release, seconds=60)
    finally:
        request_finished.disconnect(newer_change)
    assert done.drawn == 1 and done.stopped == "the public pages changed meanwhile"
    # Nothing was drawn for the newer generation: its readers are not served stale pages.
    assert _read(f"/plans/{rw.plan.code}/")[0] == "miss"


def test_the_warming_stops_when_its_time_is_up(
    rw: ReleaseWorld, site: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WPSMONITOR_WARM_SECONDS = 0
    release = _publish(rw, django_capture_on_commit_callbacks)
    done = warm(release, seconds=0)
    assert done.drawn == 0 and done.stopped.startswith("time is up")
    assert _read(f"/plans/{rw.plan.code}/public/")[0] == "miss"


def test_a_withdrawn_release_is_not_warmed(
    rw: ReleaseWorld, site: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WPSMONITOR_WARM_SECONDS = 0
    release = _publish(rw, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        release_withdraw(by=rw.coordinator, release=release, reason="a harm found")
    settings.WPSMONITOR_WARM_SECONDS = 120
    assert warm_public_pages.call(release.pk)["drawn"] == 0
    assert _read(f"/plans/{rw.plan.code}/public/")[0] == "miss"


def test_pages_read_before_a_publication_are_warmed_with_the_new_release(
    rw: ReleaseWorld, site: None, django_capture_on_commit_callbacks: Any
) -> None:
    path = f"/plans/{rw.plan.code}/public/"
    before = Client().get(path).content  # cached: "no figures published yet"
    _publish(rw, django_capture_on_commit_callbacks)
    response = Client().get(path)
    # The warming drew the new page rather than keeping the previous copy it was offered.
    assert response[HIT_HEADER] == "hit"
    assert response.content != before
