from django.urls import path

from wpsmonitor.conduct import views

app_name = "conduct"
urlpatterns = [
    path("plans/<slug:code>/conduct/figures/", views.figures, name="figures"),
    path("plans/<slug:code>/conduct/allegations/", views.register, name="register"),
    path("plans/<slug:code>/conduct/allegations/new/", views.new, name="new"),
    path("plans/<slug:code>/conduct/allegations/<uuid:uid>/", views.allegation, name="allegation"),
    path(
        "plans/<slug:code>/conduct/allegations/<uuid:uid>/<slug:step>/",
        views.step,
        name="step",
    ),
    path("plans/<slug:code>/conduct/readers/", views.readers, name="readers"),
    path("plans/<slug:code>/conduct/readers/<int:pk>/remove/", views.reader_remove, name="remove"),
    path("plans/<slug:code>/conduct/reads/", views.reads, name="reads"),
]
