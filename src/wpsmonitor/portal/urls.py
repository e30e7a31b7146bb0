from django.urls import path

from wpsmonitor.portal import shadow_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<slug:code>/", views.plan_overview, name="plan"),
    path("plans/<slug:code>/areas/", views.plan_areas, name="plan_areas"),
    path("plans/<slug:code>/divergence/", views.plan_divergence, name="plan_divergence"),
    path(
        "plans/<slug:code>/indicators/<str:indicator_code>/",
        views.indicator_detail,
        name="indicator",
    ),
    path("plans/<slug:code>/actions/", shadow_views.plan_actions, name="plan_actions"),
    path(
        "plans/<slug:code>/actions/<str:action_code>/",
        shadow_views.action_detail,
        name="action",
    ),
    path(
        "plans/<slug:code>/civil-society-indicators/",
        shadow_views.own_indicators,
        name="own_indicators",
    ),
    path(
        "plans/<slug:code>/civil-society-indicators/new/",
        shadow_views.own_indicator_new,
        name="own_indicator_new",
    ),
    path(
        "plans/<slug:code>/civil-society-indicators/<str:indicator_code>/edit/",
        shadow_views.own_indicator_edit,
        name="own_indicator_edit",
    ),
    path("areas/<str:code>/", views.area_detail, name="area"),
]
