"""The mission pages' URLs. The protection page reads the figures `reading_for` decides for
each reader, which publishing (a layer above) owns: wpsmonitor/urls.py includes
`urls(reading_for)`."""

from django.urls import URLPattern, path

from wpsmonitor.indicators.reading import ReadingFor
from wpsmonitor.missions import views

app_name = "missions"


def urls(reading_for: ReadingFor) -> tuple[list[URLPattern], str]:
    """The app's URL patterns and namespace, for `include`."""
    base = "plans/<slug:code>/missions/"
    one = base + "<int:pk>/"
    return [
        path(base, views.missions, name="missions"),
        path(base + "new/", views.mission_new, name="mission_new"),
        path(one, views.mission, name="mission"),
        path(one + "edit/", views.mission_edit, name="mission_edit"),
        path(one + "delete/", views.mission_delete, name="mission_delete"),
        path(
            one + "mandates/<int:resolution_pk>/edit/",
            views.resolution_edit,
            name="resolution_edit",
        ),
        path(
            one + "mandates/<int:resolution_pk>/delete/",
            views.resolution_delete,
            name="resolution_delete",
        ),
        path(one + "transition/phases/<int:phase_pk>/edit/", views.phase_edit, name="phase_edit"),
        path(
            one + "transition/phases/<int:phase_pk>/delete/",
            views.phase_delete,
            name="phase_delete",
        ),
        path(
            one + "benchmarks/<int:benchmark_pk>/edit/",
            views.benchmark_edit,
            name="benchmark_edit",
        ),
        path(
            one + "benchmarks/<int:benchmark_pk>/delete/",
            views.benchmark_delete,
            name="benchmark_delete",
        ),
        path(one + "mandates/new/", views.resolution_new, name="resolution_new"),
        path(
            one + "mandates/<int:resolution_pk>/provisions/new/",
            views.provision_new,
            name="provision_new",
        ),
        path(
            one + "mandates/<int:resolution_pk>/provisions/<int:provision_pk>/edit/",
            views.provision_edit,
            name="provision_edit",
        ),
        path(
            one + "mandates/<int:resolution_pk>/provisions/<int:provision_pk>/delete/",
            views.provision_delete,
            name="provision_delete",
        ),
        path(
            one + "transition/watched/<int:watch_pk>/delete/",
            views.watch_delete,
            name="watch_delete",
        ),
        path(one + "transition/", views.transition, name="transition"),
        path(one + "transition/edit/", views.transition_edit, name="transition_edit"),
        path(one + "transition/phases/new/", views.phase_new, name="phase_new"),
        path(
            one + "transition/phases/<int:phase_pk>/benchmarks/new/",
            views.benchmark_new,
            name="benchmark_new",
        ),
        path(
            one + "transition/phases/<int:phase_pk>/watch/",
            views.watch_new,
            name="watch_new",
        ),
        path(one + "benchmarks/<int:benchmark_pk>/", views.benchmark, name="benchmark"),
        path(
            one + "benchmarks/<int:benchmark_pk>/status/",
            views.benchmark_status,
            name="benchmark_status",
        ),
        path(
            one + "protection/",
            views.protection,
            {"reading_for": reading_for},
            name="protection",
        ),
    ], app_name
