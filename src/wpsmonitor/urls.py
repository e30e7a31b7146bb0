from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from wpsmonitor.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("wpsmonitor.portal.urls")),
    prefix_default_language=False,
)
