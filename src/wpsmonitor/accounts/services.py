"""Writes for accounts: API tokens (the raw token exists only in the return value), a user's own
second factor (authenticator app, recovery codes) and signing out everywhere.

Each acts on `by`'s own account only: nobody sets up, sees or replaces another's second factor
(the administrator only deletes a lost one in the admin, and the account then sets a new one up).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wpsmonitor.accounts.models import ApiToken, UserLanguage
from wpsmonitor.accounts.two_factor import RECOVERY_CODES, enrol_code_time
from wpsmonitor.core.languages import supported_language
from wpsmonitor.core.services import service

# Device names, for the admin's lists (not shown on the site).
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


@service
def token_issue(
    *,
    user: AbstractBaseUser,
    name: str,
    reads_sensitive: bool = False,
    second_factor: bool = False,
) -> tuple[ApiToken, str]:
    """Create a token for a user; return it with the raw secret, which is never stored.

    A token that reads sensitive items whole (`reads_sensitive`) is issued only to a session
    verified with a second factor (`second_factor`: the caller's `two_factor.is_verified`), and
    expires (ApiToken.issue); an ordinary one reads them coarse and does not expire."""
    if reads_sensitive and not second_factor:
        raise PermissionDenied(
            _(
                "A token that reads sensitive items whole is issued only from a session signed "
                "in with a second factor."
            )
        )
    return ApiToken.issue(user=user, name=name, reads_sensitive=reads_sensitive)


@service
def token_revoke(*, token: ApiToken) -> ApiToken:
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
    return token


@service
def two_factor_enrol(*, by: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Set up `by`'s authenticator app with this secret, once a code from the app proves it holds
    it; it replaces any earlier one, and comes with new recovery codes (returned, shown once).
    The code used here cannot be used again to sign in."""
    step = enrol_code_time(key, code)
    if step is None:
        raise ValidationError(
            {"code": _("That code does not match: check the app's clock, then enter the new code.")}
        )
    TOTPDevice.objects.filter(user=by).delete()
    device = TOTPDevice.objects.create(
        user=by, name=AUTHENTICATOR_NAME, key=key, confirmed=True, last_t=step
    )
    return device, recovery_codes_renew(by=by)


@service
def recovery_codes_renew(*, by: User) -> list[str]:
    """New recovery codes for `by` (the old ones stop working); returned once, never shown again."""
    device = StaticDevice.objects.filter(user=by).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=by, name=RECOVERY_NAME, confirmed=True)
    StaticToken.objects.filter(device__user=by).delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@service
def sign_out_everywhere(*, by: User, password: str) -> None:
    """End every session of `by`: the password is hashed anew (same password, new salt), so the
    session check Django makes on every request fails for every session made before, on any
    session store. The caller keeps its own (`update_session_auth_hash`)."""
    if not by.check_password(password):
        raise PermissionDenied(_("That is not your password."))
    by.set_password(password)
    by.save(update_fields=["password"])


@service
def language_set(*, user: AbstractBaseUser, language: str) -> UserLanguage:
    """Store the language the user reads the platform and their mail in."""
    code = supported_language(language)
    if code is None:
        raise ValidationError(
            _("%(code)s is not one of the platform's languages.") % {"code": language}
        )
    row, _created = UserLanguage.objects.update_or_create(
        user_id=user.pk, defaults={"language": code}
    )
    return row
