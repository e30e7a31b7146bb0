from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldCollectionConfig(AppConfig):
    name = "wpsmonitor.fieldcollection"
    label = "fieldcollection"
    verbose_name = _("Field collection")
