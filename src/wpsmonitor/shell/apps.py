from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _admin_change_bumps(sender: Any, **kwargs: Any) -> None:
    # An edit in the admin goes round the services: any of them may change a public page.
    from wpsmonitor.shell.public_cache import bump_public_generation

    bump_public_generation()


class ShellConfig(AppConfig):
    name = "wpsmonitor.shell"
    label = "shell"
    verbose_name = _("Site shell")

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry

        post_save.connect(_admin_change_bumps, sender=LogEntry, dispatch_uid="public-cache-admin")
