from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_reference_data(sender: AppConfig, **kwargs: Any) -> None:
    from wpsmonitor.indicators.catalogues import catalogues_load
    from wpsmonitor.indicators.services import reference_data_ensure

    reference_data_ensure()
    # Upsert by (vocabulary, code): cheap when nothing changed, and a new catalogue version
    # shipped with an upgrade reaches the database on the next migrate.
    catalogues_load()


class IndicatorsConfig(AppConfig):
    name = "wpsmonitor.indicators"
    label = "indicators"
    verbose_name = _("Indicators and data")

    def ready(self) -> None:
        # Every database, test databases included, gets the default dimensions, the empty
        # scheme, the government source and the global indicator catalogues.
        post_migrate.connect(_ensure_reference_data, sender=self)
