from django.urls import path

from wpsmonitor.exchange import views

app_name = "exchange"
urlpatterns = [
    path("plans/<slug:code>/moving-in/", views.moving_in, name="moving_in"),
    path("plans/<slug:code>/moving-in/mapping.xlsx", views.mapping_download, name="mapping"),
]
