from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView

from wpsmonitor.accounts.views import set_language_view
from wpsmonitor.api import api
from wpsmonitor.localisation.urls import urls as localisation_urls
from wpsmonitor.missions.urls import urls as missions_urls
from wpsmonitor.publishing.selectors import reading_for
from wpsmonitor.scorecard.urls import urls as scorecard_urls
from wpsmonitor.shadow.urls import urls as shadow_urls

# No language prefix in URLs: the language comes from the visitor's choice (cookie set by the
# switcher) or else from the browser's Accept-Language, so a francophone phone gets French
# pages at the same links everyone shares.


class _Favicon(RedirectView):
    """Browsers and feed readers ask for /favicon.ico whatever the page links: send the icon."""

    permanent = False  # its static name may change (hashed names); the redirect follows it

    def get_redirect_url(self, *args: object, **kwargs: object) -> str:
        return static("shell/favicon.svg")


urlpatterns = [
    path("favicon.ico", _Favicon.as_view()),
    path("api/v1/", api.urls),
    # The language switcher is on every page, anonymous readers' included, and those pages are
    # cached for everyone (shell/public_cache.py): its form carries no CSRF token, which would
    # be one visitor's own. A forged switch changes only the visitor's language (the cookie),
    # and `next` must stay on this site (Django checks it): docs/security.md. A signed-in
    # user's choice is also stored (accounts); the session cookie is SameSite=Lax, so a forged
    # cross-site switch arrives signed out and stores nothing.
    path("i18n/setlang/", csrf_exempt(set_language_view), name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("wpsmonitor.accounts.urls")),
    path("", include("wpsmonitor.reporting.urls")),
    path("", include("wpsmonitor.accountability.urls")),
    path("", include("wpsmonitor.boards.urls")),
    path("", include("wpsmonitor.reports.urls")),
    path("", include("wpsmonitor.publishing.urls")),
    path("", include("wpsmonitor.finance.urls")),
    path("", include("wpsmonitor.earlywarning.urls")),
    path("", include("wpsmonitor.perceptions.urls")),
    path("", include("wpsmonitor.defenders.urls")),
    path("", include("wpsmonitor.security.urls")),
    path("", include("wpsmonitor.conduct.urls")),
    path("", include("wpsmonitor.fieldcollection.urls")),
    path("", include("wpsmonitor.peace.urls")),
    path("", include("wpsmonitor.revisions.urls")),
    path("", include("wpsmonitor.exchange.urls")),
    path("", include("wpsmonitor.iati.urls")),
    path("", include("wpsmonitor.quality.urls")),
    path("", include("wpsmonitor.stories.urls")),
    path("", include("wpsmonitor.oversight.urls")),
    # Pages below publishing that read figures get its decision of who reads what.
    path("", include(scorecard_urls(reading_for))),
    path("", include(localisation_urls(reading_for))),
    path("", include(shadow_urls(reading_for))),
    path("", include(missions_urls(reading_for))),
    path("", include("wpsmonitor.portal.urls")),
]
