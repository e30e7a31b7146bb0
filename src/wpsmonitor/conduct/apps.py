from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "wpsmonitor.conduct"
    label = "conduct"
    verbose_name = _("Sexual exploitation and abuse by personnel")
