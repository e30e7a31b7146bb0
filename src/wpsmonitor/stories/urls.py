from django.urls import path

from wpsmonitor.stories import downloads

app_name = "stories"
urlpatterns = [
    # ?format=csv|xlsx, with the list's filters (status, kind).
    path("plans/<slug:code>/stories/export/", downloads.export, name="export"),
]
