from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wpsmonitor.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from wpsmonitor.core import history

        history.connect()

        from django.contrib import admin

        # The admin's home page shows the background-task worker's state (core/supervision.py).
        admin.site.index_template = "core/admin_index.html"
