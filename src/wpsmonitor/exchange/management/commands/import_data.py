"""wpsmonitor import FILE...: load plan workbooks (XLSX/JSON) and values (CSV/XLSX), all or nothing."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wpsmonitor.exchange.importer import ImportFailed, import_files
from wpsmonitor.plans.models import Plan


class Command(BaseCommand):
    help = _(
        "Import plan workbooks (XLSX or JSON) and indicator values (CSV or XLSX) in one "
        "transaction: every problem is listed as file:sheet:row:column and nothing is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--user", help=_("username recorded as the author of the values"))
        parser.add_argument(
            "--no-rebuild",
            action="store_true",
            help=_("do not rebuild the plans' aggregates after the import"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("Unknown user %(name)s") % {"name": options["user"]})
        paths = [Path(p) for p in options["files"]]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(_("No such file: %(paths)s") % {"paths": ", ".join(missing)})
        started = time.monotonic()

        def progress(rows: int) -> None:
            self.stderr.write(
                _("%(rows)s rows read (%(seconds).1f s)")
                % {"rows": f"{rows:,}", "seconds": time.monotonic() - started}
            )

        try:
            summary = import_files(paths=paths, user=user, progress=progress)
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            if failed.truncated:
                self.stderr.write(
                    _("... stopped after %(n)s problems.") % {"n": len(failed.problems)}
                )
            self.stderr.write(
                _("Import refused: %(n)s problem(s); nothing was stored.")
                % {"n": len(failed.problems)}
            )
            sys.exit(1)
        for warning in summary.warnings:
            self.stderr.write(_("warning: %(w)s") % {"w": warning})
        self.stdout.write(
            _(
                "Imported %(rows)s rows: %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged in %(seconds).1f s (batch %(batch)s)."
            )
            % {
                "rows": f"{summary.rows:,}",
                "created": f"{summary.created:,}",
                "updated": f"{summary.updated:,}",
                "unchanged": f"{summary.unchanged:,}",
                "seconds": time.monotonic() - started,
                "batch": summary.batch_id,
            }
        )
        if summary.plans_loaded:
            self.stdout.write(
                _("Plans loaded: %(codes)s") % {"codes": ", ".join(summary.plans_loaded)}
            )
        if not options["no_rebuild"]:
            self.rebuild(summary.plan_ids)

    def rebuild(self, plan_ids: set[int]) -> None:
        try:
            from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
        except ImportError:
            # TODO: drop this guard once indicators.aggregation is always present.
            self.stderr.write(_("Aggregates not rebuilt: the aggregation module is missing."))
            return
        for plan in Plan.objects.filter(pk__in=plan_ids).order_by("code"):
            self.stderr.write(_("Rebuilding the aggregates of %(plan)s") % {"plan": plan.code})
            rebuild_plan_aggregates(
                plan, progress=lambda message: self.stderr.write(f"  {message}")
            )
