from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "wpsmonitor.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # A publication warms the cache of public pages (portal/warming.py).
        from wpsmonitor.portal.warming import on_release_published
        from wpsmonitor.publishing.signals import release_published

        release_published.connect(on_release_published, dispatch_uid="portal-warm-public-pages")
