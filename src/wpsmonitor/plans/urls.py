from django.urls import path

from wpsmonitor.plans import views

app_name = "plans"
urlpatterns = [
    # Before portal's plans/<code>/ in the root URLconf: "compare" is a reserved plan code.
    path("plans/compare/", views.compare, name="compare"),
    path("plans/<slug:code>/quality/", views.plan_quality, name="quality"),
    path("plans/<slug:code>/quality/edit/", views.plan_quality_edit, name="quality_edit"),
]
