from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeaceConfig(AppConfig):
    name = "wpsmonitor.peace"
    label = "peace"
    verbose_name = _("Peace processes")
