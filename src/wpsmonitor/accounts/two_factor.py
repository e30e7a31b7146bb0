"""Two-factor sign-in and the idle timeout (docs/security.md).

After the password, an account that must use a second factor (`access.requires_two_factor`), or
that has set one up anyway, enters a code from its authenticator app (TOTP, django-otp's
`otp_totp`) or one of its single-use recovery codes (`otp_static`). One that must and has no
authenticator yet sets one up first. Until then the session is signed in but not verified, and
`TwoFactorMiddleware` lets it reach only the two-factor pages, signing out and the language
switch: every other page (the admin and the API through the session included) sends it to the
step it still has to take.

A session verified with a second factor ends after WPSMONITOR_IDLE_MINUTES without a request.
Requests with `Authorization: Bearer` are the API's token calls: they are not signed in through
a form and pass untouched.
"""

from __future__ import annotations

import base64
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wpsmonitor.accounts.access import Viewer, requires_two_factor

log = logging.getLogger("wpsmonitor.signin")

# Recovery codes made at a time; each works once.
RECOVERY_CODES = 10
# The secret of an authenticator being set up, kept in the session until a code confirms it.
ENROL_KEY_SESSION_KEY = "wpsmonitor_enrol_key"
# When the session was last used (seconds since the epoch), for the idle timeout.
LAST_SEEN_SESSION_KEY = "wpsmonitor_last_seen"
# The time of last use is written at most once a minute: a session write on every request would
# serialise readers on SQLite.
LAST_SEEN_RESOLUTION = 60

# What an unverified session may reach (URL names): the steps themselves, signing in and out,
# the password reset (for someone who signs in as another), the language switch.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor",
        "accounts:two_factor_enrol",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "set_language",
    }
)


def authenticator(user: Viewer) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    if not user.is_authenticated:
        return None
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device


def recovery_codes_left(user: User) -> int:
    count: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return count


def needs_second_factor(user: Viewer) -> bool:
    """Asked for a code after the password: it must (access.py), or it has set one up."""
    return requires_two_factor(user) or (user.is_authenticated and django_otp.user_has_device(user))


def verified_device(request: HttpRequest, user: Viewer) -> Device | None:
    """The device this session was verified with, if it still is (the user's own, confirmed)."""
    persistent_id = request.session.get(django_otp.DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return None
    device: Device | None = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    return device


def is_verified(request: HttpRequest) -> bool:
    """Whether the session's user signed in with a second factor (OTPMiddleware's answer)."""
    check: Callable[[], bool] | None = getattr(request.user, "is_verified", None)
    if check is not None:
        return check()
    return request.user.is_authenticated and verified_device(request, request.user) is not None


def step_url(user: Viewer, next_url: str = "") -> str:
    """Where a signed-in, unverified session goes next: the code, or setting an app up."""
    name = (
        "accounts:two_factor" if django_otp.user_has_device(user) else "accounts:two_factor_enrol"
    )
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def sign_in_verified(request: HttpRequest, device: Device) -> None:
    """The session is now verified with this device: a new session key (the rights rose), and
    the idle clock starts."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[LAST_SEEN_SESSION_KEY] = int(time.time())


@dataclass(frozen=True)
class CodeCheck:
    device: Device | None
    problem: str = ""
    recovery_code: bool = False


def normalised_code(raw: str) -> str:
    """As typed from an app or a printed list: spaces and dashes dropped, any case."""
    return "".join(raw.split()).replace("-", "").lower()


def check_code(user: User, raw: str) -> CodeCheck:
    """Verify a code typed at the second step: six digits against the authenticator app, anything
    else against the recovery codes (used up when accepted). django-otp refuses a code already
    used and, after each wrong one, makes the next attempt wait twice as long."""
    code = normalised_code(raw)
    if not code:
        return CodeCheck(None, _("Enter the code."))
    recovery = not (code.isdigit() and len(code) == 6)
    model: type[Device] = StaticDevice if recovery else TOTPDevice
    for device in model.objects.filter(user=user, confirmed=True):
        allowed, why = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(None, _wait_text(why), recovery)
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return CodeCheck(verified, "", recovery)
    log.warning("second factor refused: user %s", user.pk)
    if recovery:
        return CodeCheck(None, _("That recovery code is wrong or has been used."), True)
    return CodeCheck(
        None, _("That code is wrong or has expired: enter the one your app shows now.")
    )


def _wait_text(why: dict[str, Any] | None) -> str:
    until = (why or {}).get("locked_until")
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
    return ngettext(
        "Too many wrong codes: wait %(seconds)d second, then try again.",
        "Too many wrong codes: wait %(seconds)d seconds, then try again.",
        seconds,
    ) % {"seconds": seconds}


# Setting an authenticator up ---------------------------------------------------------------------


def new_key() -> str:
    """A new secret for an authenticator (hex, as django-otp stores it)."""
    key: str = TOTPDevice().key  # its default: 20 random bytes
    return key


def enrol_code_time(key: str, raw: str) -> int | None:
    """The time step of a code the new app shows for this secret (one step of clock drift either
    side), or None when it does not match."""
    code = normalised_code(raw)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    return int(totp.t()) if totp.verify(int(code), tolerance=1) else None


def secret_text(key: str) -> str:
    """The secret as authenticator apps ask for it: base 32, in groups of four to type."""
    letters = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def otpauth_uri(user: User, key: str) -> str:
    uri: str = TOTPDevice(user=user, key=key).config_url
    return uri


def qr_code_data_uri(text: str) -> str:
    """A QR code of the text, as an SVG image in a data: URI (the policy allows data: images; no
    inline style or script, no request to anyone)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg: bytes = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


# The middleware ----------------------------------------------------------------------------------


class TwoFactorMiddleware:
    """After OTPMiddleware and MessageMiddleware: the gate before the second factor, and the idle
    timeout of sessions verified with one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponse],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            return None  # the API's token calls (accounts/auth.py)
        user = request.user
        if not user.is_authenticated:
            return None
        if is_verified(request):
            return self._idle(request)
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not needs_second_factor(user):
            return None
        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        return HttpResponseRedirect(step_url(user, next_url))

    @staticmethod
    def _idle(request: HttpRequest) -> HttpResponse | None:
        now = time.time()
        limit = float(settings.WPSMONITOR_IDLE_MINUTES) * 60
        last = request.session.get(LAST_SEEN_SESSION_KEY)
        if isinstance(last, int | float) and now - last > limit:
            logout(request)
            minutes = math.ceil(limit / 60)
            messages.info(
                request,
                ngettext(
                    "You were signed out after %(minutes)d minute without activity.",
                    "You were signed out after %(minutes)d minutes without activity.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            login = reverse(settings.LOGIN_URL)
            if request.method in ("GET", "HEAD"):
                login += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(login)
        if not isinstance(last, int | float) or now - last >= LAST_SEEN_RESOLUTION:
            request.session[LAST_SEEN_SESSION_KEY] = int(now)
            # The cookie lives as long as the server would keep the session (and a little more).
            request.session.set_expiry(int(limit) + LAST_SEEN_RESOLUTION)
        return None
