from django.urls import path

from wpsmonitor.iati import views

app_name = "iati"
urlpatterns = [
    path("plans/<slug:code>/iati/import/", views.import_page, name="import"),
    path("plans/<slug:code>/iati/imports/<int:pk>/", views.import_run, name="import_run"),
]

# Donor flows, marker checks and mapping (iati/flow_views.py).
from wpsmonitor.iati import flow_views  # noqa: E402

urlpatterns += [
    path("plans/<slug:code>/donors/", flow_views.donors, name="flows"),
    path("plans/<slug:code>/donors/markers/", flow_views.marker_check, name="markers"),
    path("plans/<slug:code>/donors/activities/", flow_views.activities, name="activities"),
    path("plans/<slug:code>/donors/activities/<int:pk>/", flow_views.activity, name="activity"),
    path(
        "plans/<slug:code>/donors/activities/<int:pk>/mapping/",
        flow_views.activity_map,
        name="activity_map",
    ),
    path(
        "plans/<slug:code>/donors/organisations/",
        flow_views.organisations,
        name="organisations",
    ),
    path(
        "plans/<slug:code>/donors/organisations/<int:pk>/",
        flow_views.organisation_flags,
        name="organisation_flags",
    ),
]
