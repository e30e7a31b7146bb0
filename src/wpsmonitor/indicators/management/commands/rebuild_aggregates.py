"""wpsmonitor rebuild [PLAN...]: rebuild the derived aggregates of some or all plans."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.plans.models import Plan


class Command(BaseCommand):
    help = _("Rebuild the aggregates (indicator figures and framework progress) of plans.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plans", nargs="*", metavar="PLAN", help=_("plan codes (default: all)"))

    def handle(self, *args: Any, **options: Any) -> None:
        codes: list[str] = options["plans"]
        plans = list(Plan.objects.order_by("code"))
        if codes:
            known = {p.code for p in plans}
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise CommandError(_("Unknown plan(s): %(codes)s") % {"codes": ", ".join(unknown)})
            plans = [p for p in plans if p.code in codes]
        clock = time.perf_counter()
        total = 0
        for plan in plans:
            self.stdout.write(_("Rebuilding %(plan)s") % {"plan": plan.code})
            total += rebuild_plan_aggregates(
                plan, progress=lambda message: self.stdout.write(f"  {message}")
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(plans)d plan(s), %(rows)d rows in %(seconds).1f s")
                % {"plans": len(plans), "rows": total, "seconds": time.perf_counter() - clock}
            )
        )
