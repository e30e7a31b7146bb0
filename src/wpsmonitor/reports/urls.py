from django.urls import path

from wpsmonitor.reports import share_views, views

app_name = "reports"
# "standard-reports": the board's periodic reports already live under /plans/<code>/reports/.
urlpatterns = [
    path("plans/<slug:code>/standard-reports/", views.report_list, name="list"),
    path("plans/<slug:code>/standard-reports/request/", views.report_request, name="request"),
    path("plans/<slug:code>/standard-reports/narratives/", views.narratives, name="narratives"),
    path("plans/<slug:code>/standard-reports/template/", views.template, name="template"),
    path("plans/<slug:code>/standard-reports/<int:pk>/", views.report, name="report"),
    path("plans/<slug:code>/standard-reports/<int:pk>/act/", views.report_act, name="act"),
    # Before the downloads' <fmt>, which "share" would match (docs/oversight.md).
    path(
        "plans/<slug:code>/standard-reports/<int:pk>/share/",
        share_views.report_share,
        name="share",
    ),
    path(
        "plans/<slug:code>/standard-reports/<int:pk>/<str:fmt>/",
        views.report_download,
        name="download",
    ),
]
