from django.urls import path

from wpsmonitor.iati import views

app_name = "iati"
urlpatterns = [
    path("plans/<slug:code>/iati/import/", views.import_page, name="import"),
    path("plans/<slug:code>/iati/imports/<int:pk>/", views.import_run, name="import_run"),
]
