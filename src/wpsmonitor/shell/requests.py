"""The request of a signed-in user: what a login_required view receives.

Django types `request.user` as a user or an anonymous one; behind `login_required` it is always
a user, and the services that view calls take the acting user typed as such.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class SignedInRequest(HttpRequest):
    user: User
