"""Who is calling the API: bearer tokens (scripts, other systems) or a Django session (browser).

A token authenticates only while it is not revoked and its user is active. Unknown, revoked and
inactive-user tokens are all refused with the same 401, so a caller cannot tell which it was.
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

# last_used_at is informative (spot stale tokens), so a write per minute per token is enough;
# a write on every request would serialise readers on SQLite.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token for a raw secret (user loaded), or None. Records its use, cheaply."""
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
        api_token = token_authenticate(token)
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


def access_for_api(request: HttpRequest, code: str) -> PlanAccess:
    """The API's door to accounts.access.plan_access: the caller's rights on the plan with this
    code, or a 404 in the API's error shape."""
    return plan_access(api_user(request), code)
