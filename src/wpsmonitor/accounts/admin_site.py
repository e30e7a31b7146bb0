"""The admin site, behind the second factor (django-otp's OTPAdminSite).

It lets in only a session verified with a second factor, and signs in through the site's own
sign-in page (password, then code: accounts/views.py), throttled like any other sign-in; its own
password-only form is never shown.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class TwoFactorAdminSite(OTPAdminSite):  # type: ignore[misc]
    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        return HttpResponseRedirect(
            reverse("accounts:login") + "?" + urlencode({REDIRECT_FIELD_NAME: target})
        )
