from django.urls import path

from wpsmonitor.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_tasks, name="tasks"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<slug:code>/", views.plan_overview, name="plan"),
    path("plans/<slug:code>/areas/", views.plan_areas, name="plan_areas"),
    path(
        "plans/<slug:code>/indicators/<str:indicator_code>/",
        views.indicator_detail,
        name="indicator",
    ),
    path("areas/<str:code>/", views.area_detail, name="area"),
]
