"""wpsmonitor manage budget_template [-o PATH] [--plan CODE] [--filled]: write the budget
workbook (blank, or a plan's rates, costs and budget lines)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wpsmonitor.finance import workbook
from wpsmonitor.plans.models import Plan


class Command(BaseCommand):
    help = _(
        "Write the budget workbook: the blank template (with a plan's code, currency and "
        "actions when --plan is given), or with --filled the plan's rates, costs and lines."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", default="budget-template.xlsx", metavar="PATH")
        parser.add_argument("--plan", help=_("plan code"))
        parser.add_argument(
            "--filled", action="store_true", help=_("export the plan's data (needs --plan)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = None
        if options["plan"]:
            plan = Plan.objects.filter(code=options["plan"]).first()
            if plan is None:
                raise CommandError(_("No plan with code %(code)s") % {"code": options["plan"]})
        elif options["filled"]:
            raise CommandError(_("--filled needs --plan"))
        path = Path(options["output"])
        if options["filled"] and plan is not None:
            workbook.export_workbook(plan, path)
        else:
            workbook.write_template(path, plan)
        self.stdout.write(_("Written: %(path)s") % {"path": path})
