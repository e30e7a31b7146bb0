"""The demo's second factor: the demo users (every one holds a role, so each must sign in with a
code: accounts/access.py) share one authenticator key, made when the demo is built and printed
in its sign-in block, so that whoever tries the demo adds it to an authenticator app once and
signs in as any of them. The administrator is the installation's own account, not a demo one: it
sets up its own app at its first sign-in, as every real account does. An account that has set up
an app of its own keeps it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from wpsmonitor.accounts.two_factor import new_key, otpauth_uri, secret_text

DEMO_DEVICE = "Demo authenticator (shared by the demo users)"


def demo_authenticator_ensure(usernames: list[str]) -> tuple[str, str] | None:
    """Give each of these users without an authenticator the demo's shared one; its key as an
    app asks for it and its setup address (otpauth://), or None when there is no one to give."""
    users = list(get_user_model().objects.filter(username__in=usernames).order_by("username"))
    if not users:
        return None
    shared = TOTPDevice.objects.filter(name=DEMO_DEVICE).values_list("key", flat=True).first()
    key = shared or new_key()
    for user in users:
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name=DEMO_DEVICE, key=key, confirmed=True)
    uri = otpauth_uri(users[0], key).replace(users[0].get_username(), "demo")
    return secret_text(key), uri
