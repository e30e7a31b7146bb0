"""Shadow monitoring's pages. The divergence page reads the figures `reading_for` decides for
each reader, which publishing (a layer above) owns: wpsmonitor/urls.py includes
`urls(reading_for)`, as wpsmonitor/api.py builds `api.figures_router(reading_for)`."""

from django.urls import URLPattern, path

from wpsmonitor.indicators.reading import ReadingFor
from wpsmonitor.shadow import views

app_name = "shadow"


def urls(reading_for: ReadingFor) -> tuple[list[URLPattern], str]:
    """The app's URL patterns and namespace, for `include`."""
    figures = {"reading_for": reading_for}
    return [
        path("plans/<slug:code>/divergence/", views.plan_divergence, figures, name="divergence"),
        path("plans/<slug:code>/actions/", views.plan_actions, name="actions"),
        path("plans/<slug:code>/actions/<str:action_code>/", views.action_detail, name="action"),
        path(
            "plans/<slug:code>/civil-society-indicators/",
            views.own_indicators,
            name="own_indicators",
        ),
        path(
            "plans/<slug:code>/civil-society-indicators/new/",
            views.own_indicator_new,
            name="own_indicator_new",
        ),
        path(
            "plans/<slug:code>/civil-society-indicators/<str:indicator_code>/edit/",
            views.own_indicator_edit,
            name="own_indicator_edit",
        ),
    ], app_name
