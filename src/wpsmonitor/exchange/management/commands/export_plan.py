"""wpsmonitor export PLAN --format xlsx|csv|json [-o PATH]: write a plan and its values."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wpsmonitor.exchange.export import export_csv, export_json, export_xlsx
from wpsmonitor.plans.models import Plan


class Command(BaseCommand):
    help = _(
        "Write a plan and its values: xlsx (the import workbook filled in), json (the whole "
        "plan) or csv (the values). All three can be imported again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", metavar="PLAN", help=_("plan code"))
        parser.add_argument("--format", choices=["xlsx", "csv", "json"], default="xlsx")
        parser.add_argument(
            "-o", "--output", help=_("file to write (default: PLAN.FORMAT here; - for stdout)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(code=options["plan"]).select_related("area").first()
        if plan is None:
            raise CommandError(_("Unknown plan %(code)s") % {"code": options["plan"]})
        fmt = options["format"]
        output = options["output"] or f"{plan.code}.{fmt}"
        started = time.monotonic()

        def progress(rows: int) -> None:
            self.stderr.write(_("%(rows)s values written") % {"rows": f"{rows:,}"})

        if output == "-":
            if fmt == "xlsx":
                raise CommandError(_("XLSX cannot go to stdout; give -o PATH"))
            writer = export_csv if fmt == "csv" else export_json
            writer(plan, sys.stdout, progress)
            return
        path = Path(output)
        try:
            if fmt == "xlsx":
                export_xlsx(plan, path, progress)
            else:
                with path.open("w", encoding="utf-8", newline="") as out:
                    (export_csv if fmt == "csv" else export_json)(plan, out, progress)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from None
        self.stderr.write(
            _("Wrote %(path)s in %(seconds).1f s")
            % {"path": path, "seconds": time.monotonic() - started}
        )
