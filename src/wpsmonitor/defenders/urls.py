from django.urls import path

from wpsmonitor.defenders import views

app_name = "defenders"
urlpatterns = [
    path("plans/<slug:code>/defenders/", views.figures, name="figures"),
    path("plans/<slug:code>/defenders/incidents/", views.incidents, name="incidents"),
    path("plans/<slug:code>/defenders/incidents/new/", views.incident_new, name="new"),
    path("plans/<slug:code>/defenders/incidents/<uuid:uid>/", views.incident, name="incident"),
    path("plans/<slug:code>/defenders/incidents/<uuid:uid>/edit/", views.edit, name="edit"),
    path("plans/<slug:code>/defenders/incidents/<uuid:uid>/remove/", views.remove, name="remove"),
]
