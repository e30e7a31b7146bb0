"""Create an API token for a user and print the raw token, once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wpsmonitor.accounts.services import token_issue


class Command(BaseCommand):
    help = _("Create an API token for USERNAME and print it once (only its hash is stored).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help=_("What the token is for, e.g. 'ministry-sync'."))

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as exc:
            raise CommandError(_("No user named %(name)r.") % {"name": username}) from exc
        if not user.is_active:
            raise CommandError(_("User %(name)r is inactive.") % {"name": username})
        name = name.strip()
        if not name:
            raise CommandError(_("Give the token a name."))
        token, raw = token_issue(user=user, name=name)
        self.stderr.write(
            _(
                "Token %(id)s (%(prefix)s…) created for %(user)s. Copy it now: it is not shown again."
            )
            % {"id": token.pk, "prefix": token.prefix, "user": username}
        )
        # The raw token alone on stdout, so scripts can capture it.
        self.stdout.write(raw)
