"""Rate limits of the public intake form, in the project's cache (docs/stories.md, "The
intake form"): so many signals an hour through one link, and from one address. A fixed window
of an hour: a burst at the turn of the hour may pass twice the limit, which is enough to stop a
flood without a CAPTCHA (WCAG 2.2, 3.3.8)."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import caches

WINDOW = 3600


def per_link() -> int:
    return int(getattr(settings, "WPSMONITOR_EARLY_WARNING_PER_LINK", 20))


def per_address() -> int:
    return int(getattr(settings, "WPSMONITOR_EARLY_WARNING_PER_ADDRESS", 10))


def _count(kind: str, value: str) -> int:
    cache = caches["default"]
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    key = f"wpsmonitor:ew-intake:{kind}:{digest}:{int(time.time() // WINDOW)}"
    if cache.add(key, 1, timeout=WINDOW):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=WINDOW)
        return 1


def allowed(link: str, address: str | None) -> bool:
    """Count one sending through the link from the address; False once either is over its
    limit this hour (every sending counts, refused ones included)."""
    by_link = _count("link", link) <= per_link()
    by_address = _count("address", address or "unknown") <= per_address()
    return by_link and by_address
