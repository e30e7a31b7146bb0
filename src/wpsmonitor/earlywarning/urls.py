from django.urls import path

from wpsmonitor.earlywarning import views

app_name = "earlywarning"
urlpatterns = [
    path("plans/<slug:code>/early-warning/", views.signals, name="signals"),
    path("plans/<slug:code>/early-warning/links/", views.links, name="links"),
    path("plans/<slug:code>/early-warning/response-times/", views.times, name="times"),
    path("plans/<slug:code>/early-warning/figures/", views.figures, name="figures"),
    path(
        "plans/<slug:code>/early-warning/response-indicators/",
        views.response_indicators,
        name="indicators",
    ),
    path("plans/<slug:code>/early-warning/<int:pk>/", views.signal, name="signal"),
    path("plans/<slug:code>/early-warning/<int:pk>/step/", views.step, name="step"),
    path("plans/<slug:code>/early-warning/report/<str:key>/", views.intake, name="intake"),
]
