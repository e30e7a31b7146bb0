"""`wpsmonitor encryption`: the keys of the fields encrypted at rest (docs/security.md,
"Encryption at rest").

    encryption new-key   print a new key (put it first in the key file or the environment)
    encryption rotate    re-encrypt every encrypted field with the first key
    encryption check     count the values the first key alone does not open yet
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wpsmonitor.core import encryption


class Command(BaseCommand):
    help = _("Make, rotate and check the keys of the fields encrypted at rest.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["new-key", "rotate", "check"])

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "new-key":
            self.stdout.write(encryption.new_key())
            return
        try:
            if action == "rotate":
                for field, count in encryption.rotate().items():
                    self.stdout.write(
                        _("%(field)s: %(count)s values re-encrypted")
                        % {"field": field, "count": count}
                    )
                return
            behind = encryption.not_under_current_key()
        except encryption.EncryptionKeyError as error:
            raise CommandError(str(error)) from error
        for field, count in behind.items():
            self.stdout.write(
                _("%(field)s: %(count)s values under an older key")
                % {"field": field, "count": count}
            )
        if any(behind.values()):
            raise CommandError(_("Some values are under an older key: run `encryption rotate`."))
