"""Revoke API tokens by id, by prefix, or all tokens of a user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.accounts.services import token_revoke


class Command(BaseCommand):
    help = _(
        "Revoke an API token given its id or its prefix (the first 8 characters shown at "
        "creation), or every token of a user with --user. Without arguments, list tokens."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token", nargs="?", help=_("Token id or prefix (e.g. wps_AbCd)."))
        parser.add_argument("--user", help=_("Revoke every live token of this user."))

    def handle(self, *args: Any, token: str | None, user: str | None, **options: Any) -> None:
        if token and user:
            raise CommandError(_("Give a token or --user, not both."))
        if not token and not user:
            self._list()
            return
        if user:
            User = get_user_model()
            if not User.objects.filter(**{User.USERNAME_FIELD: user}).exists():
                raise CommandError(_("No user named %(name)r.") % {"name": user})
            tokens = list(
                ApiToken.objects.filter(**{f"user__{User.USERNAME_FIELD}": user}, revoked=False)
            )
        else:
            assert token is not None
            if token.isdigit():
                tokens = list(ApiToken.objects.filter(pk=int(token)))
            else:
                tokens = list(ApiToken.objects.filter(prefix=token))
            if not tokens:
                raise CommandError(_("No token %(token)r.") % {"token": token})
            if len(tokens) > 1:
                raise CommandError(
                    _("Prefix %(token)r matches several tokens; give the id.") % {"token": token}
                )
        for item in tokens:
            token_revoke(token=item)
            self.stdout.write(
                _("Revoked token %(id)s %(prefix)s… (%(name)s).")
                % {"id": item.pk, "prefix": item.prefix, "name": item.name}
            )
        if not tokens:
            self.stdout.write(_("No live token to revoke."))

    def _list(self) -> None:
        for item in ApiToken.objects.select_related("user").order_by("pk"):
            state = _("revoked") if item.revoked else _("expired") if item.expired() else _("live")
            used = item.last_used_at.isoformat() if item.last_used_at else "-"
            self.stdout.write(
                f"{item.pk}\t{item.prefix}…\t{item.user.get_username()}\t{item.name}\t{state}\t{used}"
            )
