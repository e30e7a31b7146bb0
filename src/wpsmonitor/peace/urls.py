from django.urls import path

from wpsmonitor.peace import views

app_name = "peace"
urlpatterns = [
    path("plans/<slug:code>/peace/", views.processes, name="processes"),
    path("plans/<slug:code>/peace/new/", views.process_new, name="process_new"),
    path("plans/<slug:code>/peace/<int:pk>/", views.process, name="process"),
    path("plans/<slug:code>/peace/<int:pk>/rounds/new/", views.round_new, name="round_new"),
    path(
        "plans/<slug:code>/peace/<int:pk>/rounds/<int:round_pk>/delegations/new/",
        views.delegation_new,
        name="delegation_new",
    ),
    path(
        "plans/<slug:code>/peace/<int:pk>/consultations/new/",
        views.consultation_new,
        name="consultation_new",
    ),
]
