from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerceptionsConfig(AppConfig):
    name = "wpsmonitor.perceptions"
    label = "perceptions"
    verbose_name = _("Perceptions of security")
