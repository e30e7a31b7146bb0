"""The Content-Security-Policy header, on every response.

Every script and stylesheet is a file of our own (no inline script, no `style` attribute, no
event-handler attribute), so the policy allows our own origin only: an injected script element or
`onerror=` would not run even if escaping failed somewhere. The policy is the setting
`CONTENT_SECURITY_POLICY`; a view that needs another sets the header itself and is left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy: str = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = self.policy
        return response
