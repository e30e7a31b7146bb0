"""Writes for API tokens: issue and revoke. The raw token exists only in the return value."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.core.services import service


@service
def token_issue(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """Create a token for a user; return it with the raw secret, which is never stored."""
    return ApiToken.issue(user=user, name=name)


@service
def token_revoke(*, token: ApiToken) -> ApiToken:
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
    return token
