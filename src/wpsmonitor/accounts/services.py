"""Writes for API tokens: issue and revoke. The raw token exists only in the return value."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from wpsmonitor.accounts.models import ApiToken


@transaction.atomic
def token_issue(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """Create a token for a user; return it with the raw secret, which is never stored."""
    return ApiToken.issue(user=user, name=name)


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
    return token
