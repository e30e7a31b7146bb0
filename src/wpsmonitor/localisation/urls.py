"""Localisation's pages. The overview reads the figures `reading_for` decides for each reader,
which publishing (beside localisation, so not importable) owns: wpsmonitor/urls.py includes
`urls(reading_for)`, as wpsmonitor/api.py builds `api.router_for(reading_for)`."""

from django.urls import URLPattern, path

from wpsmonitor.indicators.reading import ReadingFor
from wpsmonitor.localisation import views

app_name = "localisation"


def urls(reading_for: ReadingFor) -> tuple[list[URLPattern], str]:
    """The app's URL patterns and namespace, for `include`."""
    return [
        path(
            "plans/<slug:code>/localisation/",
            views.overview,
            {"reading_for": reading_for},
            name="overview",
        ),
        path("plans/<slug:code>/localisation/new/", views.copy_down, name="copy_down"),
        path("plans/<slug:code>/proposals/", views.proposals, name="proposals"),
        path(
            "plans/<slug:code>/proposals/<int:pk>/",
            views.proposal_decide,
            name="proposal_decide",
        ),
    ], app_name
