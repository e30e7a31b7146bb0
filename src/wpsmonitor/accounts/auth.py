"""Who is calling the API: bearer tokens (scripts, other systems) or a Django session (browser).

A token authenticates only while it is not revoked, not expired and its user is active. Unknown,
revoked and inactive-user tokens are all refused with the same 401, so a caller cannot tell which
it was; an expired token (one that reads sensitive items, past its days) is refused with a 401
that says so and when, since only its holder can send it.

`api_verified` says whether the caller reads sensitive items whole: a token that reads them, or
a browser session verified with a second factor (docs/security.md, "API tokens").
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, User
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.accounts.models import ApiToken, hash_token
from wpsmonitor.accounts.two_factor import is_verified

# last_used_at is informative (spot stale tokens), so a write per minute per token is enough;
# a write on every request would serialise readers on SQLite.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenExpired(Exception):
    def __init__(self, token: ApiToken) -> None:
        super().__init__(token.expires_at)
        self.token = token


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token for a raw secret (user loaded), or None. Records its use, cheaply.
    Raises TokenExpired for a token past its expiry (its use is not recorded)."""
    raw = raw.strip()
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked=False, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.expired(now):
        raise TokenExpired(token)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # Conditional update: concurrent requests do not each write.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the request's `auth` is the token's user."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "")
        if header and not header.lower().startswith("bearer "):
            # A malformed header is an error, not an anonymous request.
            raise AuthenticationError(message=_("Use the header 'Authorization: Bearer <token>'."))
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser:
        try:
            api_token = token_authenticate(token)
        except TokenExpired as expired:
            assert expired.token.expires_at is not None
            raise AuthenticationError(
                message=_(
                    "This token expired on %(day)s: a token that reads sensitive items works "
                    "for a limited time. Issue a new one on your account's API tokens page."
                )
                % {"day": expired.token.expires_at.strftime("%Y-%m-%d %H:%M UTC")}
            ) from expired
        if api_token is None:
            # A token was offered and is not valid: refuse rather than fall back to the session.
            raise AuthenticationError(message=_("Invalid, revoked or expired token."))
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class ActiveSessionAuth(SessionAuth):
    """The logged-in Django user of a browser session (read endpoints only)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> AbstractBaseUser | None:
        user: AbstractBaseUser | None = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


bearer_auth = BearerTokenAuth()
session_auth = ActiveSessionAuth()
READ_AUTH = [bearer_auth, session_auth]
WRITE_AUTH = [bearer_auth]


def api_user(request: HttpRequest) -> User:
    """The caller that READ_AUTH or WRITE_AUTH authenticated (every endpoint requires one)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User), "an endpoint without authentication"
    return user


def api_verified(request: HttpRequest) -> bool:
    """Whether the caller reads sensitive items whole (PlanAccess.story_reading's `verified`):
    with a bearer token, one that reads sensitive items (an expired one never got this far);
    with a browser session, one verified with a second factor; anonymous, never."""
    token: ApiToken | None = getattr(request, "api_token", None)
    if token is not None:
        return token.reads_sensitive
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated and is_verified(request)


def access_for_api(request: HttpRequest, code: str) -> PlanAccess:
    """The API's door to accounts.access.plan_access: the caller's rights on the plan with this
    code, or a 404 in the API's error shape."""
    return plan_access(api_user(request), code)
