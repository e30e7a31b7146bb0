"""The scorecard page. It scores the figures `reading_for` decides for each reader, which
publishing (beside scorecard, so not importable) owns: wpsmonitor/urls.py includes
`urls(reading_for)`, as wpsmonitor/api.py builds `api.router_for(reading_for)`."""

from django.urls import URLPattern, path

from wpsmonitor.indicators.reading import ReadingFor
from wpsmonitor.scorecard import views as scorecard_views

app_name = "scorecard"


def urls(reading_for: ReadingFor) -> tuple[list[URLPattern], str]:
    """The app's URL patterns and namespace, for `include`."""
    return [
        path(
            "plans/<slug:code>/scorecard/",
            scorecard_views.plan_scorecard,
            {"reading_for": reading_for},
            name="plan",
        ),
    ], app_name
