from django.urls import URLPattern

app_name = "iati"
urlpatterns: list[URLPattern] = []
