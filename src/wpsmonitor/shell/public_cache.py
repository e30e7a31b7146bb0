"""The cache of public pages as anonymous readers get them (docs/publishing.md, "Speed").

What a reader who is not signed in sees of a plan changes only when something public changes:
a release published or withdrawn, the plan's framework or indicators edited, the figures
rebuilt. Each such write calls `bump_public_generation()` (once its transaction commits), which
draws a new **generation**; a page is cached under its path and query, its language, its host
and the generation, so a bump makes every cached page unreachable at once, on every worker,
without listing them. Entries also expire after settings.WPSMONITOR_PUBLIC_CACHE_SECONDS, the
bound on what a write that does not bump (an edit outside the services) leaves stale.

The shell knows no feature: the services that change public things call the bump, and the
views that show them wear `@public_page`.

Never cached: a request from a signed-in user or one carrying a session or messages cookie, a
method other than GET/HEAD, an answer other than 200, a streamed answer, an answer that sets a
cookie, one that used a CSRF token (the token is the visitor's own) or says `private`/`no-store`.
Those answers are marked `Cache-Control: private` so that no proxy keeps them either.

A publication (a new release, nothing withdrawn) lets readers keep reading the previous
generation's pages for a grace period rather than all wait for new pages drawn cold together:
`bump_public_generation(keep_previous=True)` remembers the generation it replaces for
settings.WPSMONITOR_WARM_SECONDS, the time the warming after a publication may take
(portal/warming.py). Meanwhile a page of the new generation that is not drawn yet is answered
with the previous generation's copy ("stale" in `X-Public-Cache`), if there is one, while the
warming draws the new pages (inside `drawing_fresh()`); the warming ends the grace when it is
done (`end_grace`). Every other bump (a withdrawal, an edit, a restriction) forgets the previous
generation at once, so nothing it hid can be served again.

Cached answers carry an ETag (answered 304 when the reader already has it) and
`Cache-Control: public`, with `no-cache` (a proxy keeps the page and asks again each time:
withdrawing a release takes effect at once) unless settings.WPSMONITOR_PROXY_CACHE_SECONDS
lets proxies serve it for that long without asking.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import logging
import secrets
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

log = logging.getLogger(__name__)

GENERATION_KEY = "wpsmonitor:public-generation"
# The generation a publication replaced, whose pages may stand in while new ones are drawn.
PREVIOUS_KEY = "wpsmonitor:public-generation-previous"
# Set by the warming while it draws the new generation's pages: no previous copy for it.
_fresh: contextvars.ContextVar[bool] = contextvars.ContextVar("public_cache_fresh", default=False)
PAGE_KEY_PREFIX = "wpsmonitor:public-page:"
# Set on the request when its answer came from the cache (tests and benchmarks read it).
HIT_HEADER = "X-Public-Cache"

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def _cache() -> BaseCache:
    return caches[getattr(settings, "WPSMONITOR_PUBLIC_CACHE_ALIAS", "default")]


def _new_generation() -> str:
    # Random, not a counter: if the cache loses the key (evicted, flushed, restarted), a new
    # one can never bring back pages stored under an old generation.
    return secrets.token_hex(8)


def public_generation() -> str:
    """The current generation of public content (drawn and stored on first use)."""
    cache = _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = _new_generation()
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY) or generation
    return str(generation)


def _generations() -> tuple[str, str | None]:
    """The current generation and the one a publication replaced (None after any other bump),
    in one round trip to the cache."""
    found = _cache().get_many([GENERATION_KEY, PREVIOUS_KEY])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        return public_generation(), None
    previous = found.get(PREVIOUS_KEY)
    return str(generation), (str(previous) if previous else None)


def _bump(keep_previous: bool) -> None:
    cache = _cache()
    try:
        if keep_previous:
            current = cache.get(GENERATION_KEY)
            if current is not None:
                cache.set(PREVIOUS_KEY, current, timeout=_grace_seconds())
        else:
            # Forgotten before the switch: a reader in between must not find hidden pages.
            cache.delete(PREVIOUS_KEY)
        cache.set(GENERATION_KEY, _new_generation(), timeout=None)
    except Exception:  # a cache that is down holds nothing stale for long (the expiry)
        log.exception("could not renew the public cache's generation")


def bump_public_generation(*, keep_previous: bool = False) -> None:
    """Something anonymous readers see changed: every cached public page is stale.

    `keep_previous`: only for a change that adds to what the public may read and hides
    nothing (a publication): for a grace period, readers get the previous page of one not
    drawn yet (the module's docstring).

    Inside a transaction, the bump happens when it commits (a reader in between would store
    the old figures under the new generation); outside one, at once.
    """
    transaction.on_commit(functools.partial(_bump, keep_previous and _grace_seconds() > 0))


def _grace_seconds() -> int:
    return min(int(getattr(settings, "WPSMONITOR_WARM_SECONDS", 0)), _seconds())


def end_grace() -> None:
    """The new generation's most read pages are drawn: the others are drawn on demand."""
    try:
        _cache().delete(PREVIOUS_KEY)
    except Exception:
        log.exception("could not end the public cache's grace period")


@contextlib.contextmanager
def drawing_fresh() -> Iterator[None]:
    """Pages read inside are drawn for the current generation, never answered with a previous
    copy (the warming after a publication)."""
    token = _fresh.set(True)
    try:
        yield
    finally:
        _fresh.reset(token)


def _seconds() -> int:
    return int(getattr(settings, "WPSMONITOR_PUBLIC_CACHE_SECONDS", 300))


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or _seconds() <= 0:
        return False
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        # A session may hold pending messages or a sign-in half done: the page is its own.
        return False
    if request.COOKIES.get(getattr(settings, "MESSAGE_COOKIE_NAME", "messages")):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _key(request: HttpRequest, generation: str) -> str:
    parts = [
        generation,
        get_language() or "",
        "https" if request.is_secure() else "http",
        request.get_host(),
        request.get_full_path(),
        # Pages say what is late or due "today".
        timezone.localdate().isoformat(),
    ]
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    return PAGE_KEY_PREFIX + digest


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page used the visitor's CSRF token
        return False
    control = response.get("Cache-Control", "").lower()
    if "private" in control or "no-store" in control:
        return False
    content = cast(HttpResponse, response).content
    if b"csrfmiddlewaretoken" in content:
        return False
    return len(content) <= int(getattr(settings, "WPSMONITOR_PUBLIC_CACHE_MAX_BYTES", 5 << 20))


def _public_headers(response: HttpResponseBase, etag: str) -> None:
    response["ETag"] = etag
    proxy_seconds = int(getattr(settings, "WPSMONITOR_PROXY_CACHE_SECONDS", 0))
    if proxy_seconds > 0:
        patch_cache_control(response, public=True, max_age=0, s_maxage=proxy_seconds)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))


def _from_entry(entry: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


def public_page(view: View) -> View:
    """Serve the view's answer to anonymous readers from the cache of public pages."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _cacheable_request(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            return response
        cache = _cache()
        try:
            generation, previous = _generations()
            key = _key(request, generation)
            entry = cache.get(key)
            state = "hit"
            if entry is None and previous is not None and not _fresh.get():
                # Right after a publication: the previous copy while the new one is drawn.
                entry = cache.get(_key(request, previous))
                state = "stale"
        except Exception:  # the cache is down: serve the page, uncached
            log.exception("public cache unavailable")
            return view(request, *args, **kwargs)
        if entry is not None:
            return _answer_from(request, entry, state)
        return _draw(request, view, cache, key, *args, **kwargs)

    return cast(View, wrapped)


def _answer_from(request: HttpRequest, entry: dict[str, Any], state: str) -> HttpResponseBase:
    response = _from_entry(entry)
    response[HIT_HEADER] = state
    _public_headers(response, entry["etag"])
    return get_conditional_response(request, etag=entry["etag"], response=response) or response


def _draw(
    request: HttpRequest, view: View, cache: BaseCache, key: str, *args: Any, **kwargs: Any
) -> HttpResponseBase:
    """Draw the page and keep it under `key`, when it may be kept."""
    response = view(request, *args, **kwargs)
    if not _storable(request, response):
        patch_cache_control(response, private=True)
        return response
    page = cast(HttpResponse, response)
    content = page.content
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    entry = {
        "status": response.status_code,
        "headers": [(k, v) for k, v in response.items() if k.lower() != "set-cookie"],
        "content": content,
        "etag": etag,
    }
    try:
        cache.set(key, entry, timeout=_seconds())
    except Exception:
        log.exception("could not store a public page")
    response[HIT_HEADER] = "miss"
    _public_headers(response, etag)
    return get_conditional_response(request, etag=etag, response=page) or page
