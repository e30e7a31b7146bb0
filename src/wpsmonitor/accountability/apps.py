from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "wpsmonitor.accountability"
    label = "accountability"
    verbose_name = _("Recommendations and their follow-up")
