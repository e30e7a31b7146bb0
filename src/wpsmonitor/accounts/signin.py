"""Signing in: the address a sign-in comes from, for counting failures per address (axes).

Without a proxy it is the connection's own address. Behind the TLS proxy that WPSMONITOR_HTTPS
says is in front, every connection comes from the proxy, so the address is the one the proxy
adds last to X-Forwarded-For: entries to its left are whatever the client sent and could be
forged to escape the count (docs/security.md).
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str | None:
    """The address failed sign-ins are counted against."""
    if settings.HTTPS:
        forwarded: list[str] = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    address: str | None = request.META.get("REMOTE_ADDR")
    return address


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The page shown to a locked-out sign-in, in the site's look (status 429, as axes sends)."""
    cool_off: timedelta | None = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        "accounts/lockout.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
