from django.urls import path

from wpsmonitor.scorecard import views as scorecard_views

app_name = "scorecard"
urlpatterns = [
    path("plans/<slug:code>/scorecard/", scorecard_views.plan_scorecard, name="plan"),
]
