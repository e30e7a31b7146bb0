"""Warm the cache of public pages once a release is published (docs/publishing.md, "Warming
after a publication").

A publication makes every cached public page stale at once (`bump_public_generation`); the
first readers then all wait for pages drawn cold together. `release_published` (sent by
publishing's service) enqueues `warm_public_pages` once the publication commits; the task
reads the plan's most read public pages, as an anonymous reader would, in each language of
the site, so that they are in the cache before most readers arrive:

- the pages: the site home, the plan's public home, its dashboard, the country home, the
  plan's areas, the release's page and the plan's area; then the plan's public indicators (the
  first INDICATORS_MAX in framework order) and the plan's area's sub-areas (the first AREAS_MAX
  by code). There is no count of reads to rank them by: this is the order readers mostly
  follow, from the homes down. All of them in the site's default language first (the one a
  reader whose browser asks for none of the others gets), then in each other language.
- through the real stack: Django's test client runs the whole middleware and the view with
  its `@public_page`, so an entry is stored under exactly the key a reader computes: the
  path, the language (LocaleMiddleware chooses it from the reader's Accept-Language, as
  here), the scheme and host of settings.WPSMONITOR_BASE_URL (the address readers use; https
  when the site redirects to it), today and the generation. The client, not a plain WSGI
  call: it keeps the worker's database connection open between pages, as a request would
  not.
- safe: the generation read when the task starts is the one warmed; when it changes (a newer
  publication, an edit), the task stops, since what it draws would be stored under a key no
  reader computes any more (a newer publication enqueued its own task). One task per
  generation at a time (a cache lock); the pages already cached are answered from the cache,
  so running it again costs little and changes nothing.
- bounded: it stops after settings.WPSMONITOR_WARM_SECONDS (0 turns the warming off).
- meanwhile, readers get the previous generation's copy of a page not drawn yet (the grace
  after a publication, shell/public_cache.py); the task draws inside `drawing_fresh()` and
  ends the grace when it has drawn every page, or the grace ends by itself after
  WPSMONITOR_WARM_SECONDS.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http.request import split_domain_port, validate_host
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from wpsmonitor.directory.models import Area
from wpsmonitor.plans.models import Plan
from wpsmonitor.portal.public_selectors import public_indicators
from wpsmonitor.portal.public_views import country_of
from wpsmonitor.publishing.models import Release, ReleaseStatus
from wpsmonitor.shell.public_cache import HIT_HEADER, drawing_fresh, end_grace, public_generation

log = logging.getLogger(__name__)

INDICATORS_MAX = 40
AREAS_MAX = 30
LOCK_PREFIX = "wpsmonitor:public-warm:"


@dataclass
class Warmed:
    """What one run did: pages drawn into the cache, found there already, not cacheable (a
    page that answers anything but a cacheable 200), and why it stopped early, if it did."""

    drawn: int = 0
    cached: int = 0
    other: int = 0
    stopped: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "drawn": self.drawn,
            "cached": self.cached,
            "other": self.other,
            "stopped": self.stopped,
        }


def _seconds() -> float:
    return float(getattr(settings, "WPSMONITOR_WARM_SECONDS", 0))


def _homes(release: Release) -> list[str]:
    """The few pages nearly every reader opens: the homes, the plan, its areas, the release."""
    plan: Plan = release.plan
    code = plan.code
    paths = [
        reverse("portal:home"),
        reverse("portal:plan_public", args=[code]),
        reverse("portal:plan", args=[code]),
    ]
    country = country_of(plan)
    if country is not None:
        paths.append(reverse("portal:country_public", args=[country.code]))
    paths += [
        reverse("portal:plan_areas", args=[code]),
        reverse("publishing:release", args=[code, release.number]),
        reverse("portal:area", args=[plan.area.code]),
    ]
    return paths


def _details(release: Release) -> list[str]:
    """The pages read from the homes: the plan's public indicators, its area's sub-areas."""
    plan: Plan = release.plan
    paths = [
        reverse("portal:indicator", args=[plan.code, indicator.code])
        for indicator in public_indicators(plan)[:INDICATORS_MAX]
    ]
    children = Area.objects.filter(parent=plan.area).order_by("code")[:AREAS_MAX]
    return paths + [reverse("portal:area", args=[area.code]) for area in children]


def _languages() -> list[str]:
    """The site's languages, its default first."""
    codes = [code for code, _name in settings.LANGUAGES]
    return sorted(codes, key=lambda c: c != settings.LANGUAGE_CODE)


def pages_of(release: Release) -> list[tuple[str, str]]:
    """(path, language) to warm for a published release, the most read first: every page in
    the site's default language (the one a reader whose browser asks for none of the others
    gets), the homes first, then in each other language."""
    paths = list(dict.fromkeys(_homes(release) + _details(release)))
    return [(path, language) for language in _languages() for path in paths]


def _address() -> tuple[str, bool] | None:
    """(host, secure) readers use, from settings.WPSMONITOR_BASE_URL; None when that host is not
    one the site answers (the pages would be refused)."""
    parts = urlsplit(settings.WPSMONITOR_BASE_URL)
    host = parts.netloc
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]  # as Django's HttpRequest.get_host
    if not domain or not validate_host(domain, allowed):
        return None
    secure = parts.scheme == "https" or bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
    return host, secure


def warm(release: Release, *, seconds: float) -> Warmed:
    """Read the release's public pages into the cache for the current generation (see the
    module's docstring); stops when the generation changes or after `seconds`."""
    done = Warmed()
    address = _address()
    if address is None:
        done.stopped = "WPSMONITOR_BASE_URL's host is not in ALLOWED_HOSTS"
        log.warning("public pages not warmed: %s", done.stopped)
        return done
    host, secure = address
    # Imported here: only the task worker needs the test client, not every web worker.
    from django.test import Client

    generation = public_generation()
    cache = caches[getattr(settings, "WPSMONITOR_PUBLIC_CACHE_ALIAS", "default")]
    lock = LOCK_PREFIX + generation
    if not cache.add(lock, 1, timeout=int(seconds) + 60):
        done.stopped = "another task is warming this generation"
        return done
    deadline = time.monotonic() + seconds
    client = Client(raise_request_exception=False, HTTP_HOST=host)
    try:
        # LocaleMiddleware leaves the reader's language active in the thread: the worker's
        # next task must not run in the last language warmed.
        # Drawn afresh: readers meanwhile get the previous generation's copies (the grace
        # after a publication, shell/public_cache.py), which the warming must not store again.
        with translation.override(None), drawing_fresh():
            for path, language in pages_of(release):
                if time.monotonic() >= deadline:
                    done.stopped = f"time is up ({seconds:g} s)"
                    return done
                if public_generation() != generation:
                    done.stopped = "the public pages changed meanwhile"
                    return done
                client.cookies.clear()  # an anonymous reader who never came before
                response = client.get(path, secure=secure, headers={"accept-language": language})
                state = response.get(HIT_HEADER)
                if state == "miss":
                    done.drawn += 1
                elif state == "hit":
                    done.cached += 1
                else:
                    done.other += 1
        # The most read pages are drawn: the rest are drawn on demand, not served old.
        end_grace()
        return done
    finally:
        cache.delete(lock)
        log.info(
            "public pages of %s release %s warmed: %s", release.plan.code, release.number, done
        )


@task()
def warm_public_pages(release_id: int) -> dict[str, Any]:
    """Warm the cache with a published release's public pages (module docstring)."""
    seconds = _seconds()
    release = (
        Release.objects.select_related("plan", "plan__area")
        .filter(pk=release_id, status=ReleaseStatus.PUBLISHED)
        .first()
    )
    if release is None or seconds <= 0:
        return Warmed(stopped="nothing to warm").as_dict()
    return warm(release, seconds=seconds).as_dict()


def on_release_published(sender: Any, release: Release, **kwargs: Any) -> None:
    """Enqueue the warming once the publication commits (the new generation is drawn then)."""
    if _seconds() <= 0 or int(getattr(settings, "WPSMONITOR_PUBLIC_CACHE_SECONDS", 0)) <= 0:
        return
    # Robust: a queue that refuses the task must not turn a committed publication into an error.
    transaction.on_commit(partial(warm_public_pages.enqueue, release.pk), robust=True)
