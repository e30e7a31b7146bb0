from django.urls import path

from wpsmonitor.fieldcollection import views

app_name = "fieldcollection"
_ASSIGNMENT = "plans/<slug:code>/field-collection/<str:period>/<str:organisation>/<str:area>/"
urlpatterns = [
    path("plans/<slug:code>/field-collection/", views.collection, name="page"),
    path(_ASSIGNMENT + "form.xlsx", views.form_download, name="form"),
    path(_ASSIGNMENT + "upload/", views.upload, name="upload"),
    path(_ASSIGNMENT + "server/", views.server_action, name="server"),
    path(
        "plans/<slug:code>/field-collection/batches/<int:pk>/import/",
        views.batch_import,
        name="batch_import",
    ),
]
