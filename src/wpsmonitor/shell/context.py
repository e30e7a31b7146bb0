"""What every page's frame needs: the home link and the signed-in user's own links.

The shell knows no feature: which page is home and which links a signed-in user sees come from
configuration (settings.WPSMONITOR_HOME_URL and WPSMONITOR_MEMBER_LINKS, URL names).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


def navigation(request: HttpRequest) -> dict[str, object]:
    links = [
        (reverse(name), _(label))
        for name, label in getattr(settings, "WPSMONITOR_MEMBER_LINKS", [])
    ]
    return {
        "shell_home_url": reverse(getattr(settings, "WPSMONITOR_HOME_URL", "portal:home")),
        "shell_member_links": links,
    }
