from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wpsmonitor.reporting.notifications import deadline_reminders


class Command(BaseCommand):
    help = _("E-mail focal points who have not yet submitted, a few days before each deadline.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=3, help=_("days before the deadline"))

    def handle(self, *args: Any, **options: Any) -> None:
        sent = deadline_reminders(days_before=options["days"])
        self.stdout.write(
            ngettext("%(n)s reminder sent", "%(n)s reminders sent", sent) % {"n": sent}
        )
