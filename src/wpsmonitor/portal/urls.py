from django.urls import path

from wpsmonitor.portal import public_oversight, public_views, translation_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_tasks, name="tasks"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<slug:code>/", views.plan_overview, name="plan"),
    path("plans/<slug:code>/areas/", views.plan_areas, name="plan_areas"),
    path(
        "plans/<slug:code>/translations/",
        translation_views.plan_translations,
        name="plan_translations",
    ),
    path(
        "plans/<slug:code>/indicators/<str:indicator_code>/",
        views.indicator_detail,
        name="indicator",
    ),
    path("areas/<str:code>/", views.area_detail, name="area"),
]

# The public homes (portal/public_views.py): read only the plan's latest published release.
urlpatterns += [
    path("countries/<str:area_code>/", public_views.country_public, name="country_public"),
    path("plans/<slug:code>/public/", public_views.plan_public, name="plan_public"),
    path(
        "plans/<slug:code>/public/stories/",
        public_views.plan_public_stories,
        name="plan_public_stories",
    ),
    path(
        "plans/<slug:code>/public/security/",
        public_views.plan_public_security,
        name="plan_public_security",
    ),
    path(
        "plans/<slug:code>/public/peace/",
        public_views.plan_public_peace,
        name="plan_public_peace",
    ),
    path(
        "global-indicators/<slug:vocabulary>/<str:code>/",
        public_views.global_indicator_public,
        name="global_indicator",
    ),
]

# Auditing bodies and parliament for the public (portal/public_oversight.py).
urlpatterns += [
    path(
        "plans/<slug:code>/public/oversight/",
        public_oversight.plan_public_oversight,
        name="plan_public_oversight",
    ),
]
