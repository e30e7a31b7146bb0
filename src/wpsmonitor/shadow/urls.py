from django.urls import path

from wpsmonitor.shadow import views

app_name = "shadow"
urlpatterns = [
    path("plans/<slug:code>/divergence/", views.plan_divergence, name="divergence"),
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
]
