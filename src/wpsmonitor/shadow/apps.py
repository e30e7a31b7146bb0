from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShadowConfig(AppConfig):
    name = "wpsmonitor.shadow"
    label = "shadow"
    verbose_name = _("Shadow monitoring")
