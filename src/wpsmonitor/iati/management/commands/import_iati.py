"""wpsmonitor import-iati FILE... [--plan CODE] [--country CD] [--filter sectors,gender]:
load IATI activity or organisation files, all or nothing, and print the summary."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wpsmonitor.iati.importer import (
    CRITERIA,
    DEFAULT_CRITERIA,
    ImportRefused,
    Summary,
    WpsFilter,
    import_files,
    plan_country,
)
from wpsmonitor.iati.models import ImportRun
from wpsmonitor.iati.views import summary_lines
from wpsmonitor.plans.models import Plan


def _split(values: list[str] | None) -> list[str]:
    return [part for value in values or [] for part in value.split(",") if part.strip()]


class Command(BaseCommand):
    help = _(
        "Import IATI activity files (versions 1.0x and 2.0x) or organisation files in one "
        "transaction, keeping the activities relevant to Women, Peace and Security."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--plan", help=_("link the activities in the plan's country to this plan (code)")
        )
        parser.add_argument(
            "--country",
            action="append",
            help=_(
                "keep activities in this country (ISO alpha-2, e.g. CD; repeat or separate "
                "with commas); default: the plan's country, or any country without --plan"
            ),
        )
        parser.add_argument(
            "--filter",
            action="append",
            help=_("keep activities matching any of these criteria: %(all)s (default: %(default)s)")
            % {"all": ", ".join(CRITERIA), "default": ",".join(DEFAULT_CRITERIA)},
        )
        parser.add_argument(
            "--sectors",
            help=_("DAC purpose codes for the 'sectors' criterion, comma-separated "),
        )
        parser.add_argument("--user", help=_("username recorded as the author of the import"))

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("Unknown user %(name)s") % {"name": options["user"]})
        plan = None
        if options["plan"]:
            plan = Plan.objects.select_related("area").filter(code=options["plan"]).first()
            if plan is None:
                raise CommandError(_("Unknown plan %(code)s") % {"code": options["plan"]})
        paths = [Path(p) for p in options["files"]]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(_("No such file: %(paths)s") % {"paths": ", ".join(missing)})
        countries = _split(options["country"])
        if not countries and plan is not None:
            countries = [plan_country(plan)]
        try:
            wps_filter = WpsFilter.build(
                countries=countries,
                criteria=_split(options["filter"]) or DEFAULT_CRITERIA,
                sectors=_split([options["sectors"]]) if options["sectors"] else None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        started = time.monotonic()
        last = [0.0]

        def progress(summary: Summary, done: int, total: int) -> None:
            now = time.monotonic()
            if now - last[0] < 1.0 and last[0]:
                return  # at most one line a second
            last[0] = now
            self.stderr.write(
                _("%(n)s activities read, %(kept)s kept (%(pct)s%% of %(mb).1f MB, %(s).1f s)")
                % {
                    "n": f"{summary.activities_read:,}",
                    "kept": f"{summary.kept:,}",
                    "pct": int(100 * done / total) if total else 0,
                    "mb": total / 1e6,
                    "s": now - started,
                }
            )

        try:
            run = import_files(
                paths=paths, wps_filter=wps_filter, plan=plan, user=user, progress=progress
            )
        except ImportRefused as refused:
            self.stderr.write(_("Import refused: %(error)s") % {"error": refused.run.error})
            self.stderr.write(_("Nothing was stored (import run %(id)s).") % {"id": refused.run.pk})
            sys.exit(1)
        self._print(run)

    def _print(self, run: ImportRun) -> None:
        for line in summary_lines(run.summary):
            self.stdout.write(line)
        problems = run.summary.get("problems", [])
        for problem in problems:
            self.stderr.write(_("problem: %(p)s") % {"p": problem})
        total = run.summary.get("problems_total", 0)
        if total > len(problems):
            self.stderr.write(
                _("... and %(n)s more problems (only the first %(k)s are kept).")
                % {"n": total - len(problems), "k": len(problems)}
            )
        self.stdout.write(_("Import run %(id)s done.") % {"id": run.pk})
