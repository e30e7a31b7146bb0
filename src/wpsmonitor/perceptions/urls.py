from django.urls import path

from wpsmonitor.perceptions import views

app_name = "perceptions"
urlpatterns = [
    path("plans/<slug:code>/surveys/", views.surveys, name="surveys"),
    path("plans/<slug:code>/surveys/new/", views.survey_new, name="survey_new"),
    path("plans/<slug:code>/surveys/<int:pk>/", views.survey, name="survey"),
    path("plans/<slug:code>/surveys/<int:pk>/rounds/", views.round_open, name="round_open"),
    path(
        "plans/<slug:code>/surveys/<int:pk>/rounds/<int:round_pk>/areas/<str:area>/",
        views.answers,
        name="answers",
    ),
    path(
        "plans/<slug:code>/surveys/<int:pk>/rounds/<int:round_pk>/upload/",
        views.upload,
        name="upload",
    ),
]
