from django.urls import path

from wpsmonitor.quality import views

app_name = "quality"
urlpatterns = [
    # Before portal's plans/<code>/ in the root URLconf: "compare" is a reserved plan code.
    path("plans/compare/", views.compare, name="compare"),
    path("plans/<slug:code>/quality/", views.plan_quality, name="plan"),
    path("plans/<slug:code>/quality/edit/", views.plan_quality_edit, name="edit"),
]
