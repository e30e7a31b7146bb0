"""`wpsmonitor manage response_indicators [PLAN...]`: compute the response-time indicators
again (docs/stories.md, "Response times"), for the plans named or every plan that adopted them.
Idempotent: run it as often as wanted (the embedded server's clock does, every few hours)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wpsmonitor.earlywarning.models import ResponseIndicators
from wpsmonitor.earlywarning.services import response_indicators_refresh


class Command(BaseCommand):
    help = _("Compute the early-warning response-time indicators again from the signals.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plans", nargs="*", metavar="PLAN", help=_("plan codes (default: all)"))

    def handle(self, *args: Any, **options: Any) -> None:
        adopted = ResponseIndicators.objects.select_related("plan").order_by("plan__code")
        codes = options["plans"]
        if codes:
            adopted = adopted.filter(plan__code__in=codes)
            missing = sorted(set(codes) - {a.plan.code for a in adopted})
            if missing:
                raise CommandError(
                    _("No response-time indicators in: %(codes)s") % {"codes": ", ".join(missing)}
                )
        for found in adopted:
            changed = response_indicators_refresh(plan=found.plan)
            self.stdout.write(
                _("%(plan)s: %(count)d figures written or deleted")
                % {"plan": found.plan.code, "count": changed}
            )
