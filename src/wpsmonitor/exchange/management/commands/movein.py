"""wpsmonitor movein PLAN FILE... [--mapping FILE] [--dry-run]: move a plan in from another
system's export (docs/moving-in.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wpsmonitor.exchange.importer import ImportFailed
from wpsmonitor.exchange.movein.records import read_records
from wpsmonitor.exchange.movein.run import movein_run
from wpsmonitor.plans.models import Plan

# The exit status when labels are still unmatched (the mapping sheet is written).
MAPPING_NEEDED = 3


class Command(BaseCommand):
    help = _(
        "Import another system's export (records keyed by labels: CSV, XLSX or JSON) into a "
        "plan, all or nothing; labels it cannot match are written to a mapping sheet to fill."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", metavar="PLAN")
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--mapping",
            action="append",
            default=[],
            metavar="FILE",
            help=_("a filled mapping sheet (may be given more than once)"),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("check everything, store nothing")
        )
        parser.add_argument(
            "--sheet",
            metavar="PATH",
            help=_("where to write the mapping sheet (default: PLAN-mapping.xlsx)"),
        )
        parser.add_argument("--user", help=_("username recorded as the author of the values"))
        parser.add_argument(
            "--no-rebuild",
            action="store_true",
            help=_("do not rebuild the plan's aggregates after the import"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(code=options["plan"]).first()
        if plan is None:
            raise CommandError(_("Unknown plan %(code)s") % {"code": options["plan"]})
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("Unknown user %(name)s") % {"name": options["user"]})
        paths = [Path(p) for p in [*options["files"], *options["mapping"]]]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(_("No such file: %(paths)s") % {"paths": ", ".join(missing)})
        files = read_records([Path(p) for p in options["files"]])
        try:
            result = movein_run(
                plan=plan,
                files=files,
                mapping_paths=[Path(p) for p in options["mapping"]],
                user=user,
                dry_run=options["dry_run"],
            )
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            self.stderr.write(
                _("Import refused: %(n)s problem(s); nothing was stored.")
                % {"n": len(failed.problems)}
            )
            sys.exit(1)
        if result.mapping_sheet is not None:
            out = Path(options["sheet"] or f"{plan.code}-mapping.xlsx")
            out.write_bytes(result.mapping_sheet)
            for item in result.unmatched:
                self.stderr.write(
                    _("%(where)s: %(kind)s %(label)r unmatched (%(count)s records)")
                    % {
                        "where": item.first,
                        "kind": item.kind,
                        "label": item.label,
                        "count": item.count,
                    }
                )
            self.stderr.write(
                _(
                    "%(n)s label(s) unmatched; nothing was stored. Fill the code column of "
                    "%(path)s and run again with --mapping %(path)s."
                )
                % {"n": len(result.unmatched), "path": out}
            )
            sys.exit(MAPPING_NEEDED)
        for warning in result.warnings:
            self.stderr.write(_("warning: %(w)s") % {"w": warning})
        counts = {
            "records": result.records,
            "values": result.values,
            "items": result.list_items,
            "repeated": result.repeated_items,
            "skipped": result.skipped,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "seconds": result.seconds,
        }
        if result.dry_run:
            self.stdout.write(
                _(
                    "Checked %(records)s records: %(values)s values (%(created)s new, "
                    "%(updated)s changed, %(unchanged)s unchanged), %(items)s list items "
                    "(%(repeated)s repeated), %(skipped)s left out; nothing was stored."
                )
                % counts
            )
            return
        self.stdout.write(
            _(
                "Imported %(records)s records in %(seconds).1f s: %(values)s values (%(created)s "
                "created, %(updated)s updated, %(unchanged)s unchanged), %(items)s list items "
                "(%(repeated)s repeated in later periods, kept in the first), %(skipped)s left out."
            )
            % counts
        )
        if result.remembered:
            self.stdout.write(
                _("%(n)s mapped label(s) kept on the plan for the next move-in.")
                % {"n": result.remembered}
            )
        if options["no_rebuild"]:
            return
        from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates

        rebuild_plan_aggregates(plan, progress=lambda message: self.stderr.write(f"  {message}"))
