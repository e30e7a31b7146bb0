from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardsConfig(AppConfig):
    name = "wpsmonitor.boards"
    label = "boards"
    verbose_name = _("Monitoring boards and co-signed reports")
