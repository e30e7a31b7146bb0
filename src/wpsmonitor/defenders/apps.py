from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefendersConfig(AppConfig):
    name = "wpsmonitor.defenders"
    label = "defenders"
    verbose_name = _("Threats against defenders")
