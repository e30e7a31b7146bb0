"""wpsmonitor manage import_budget FILE: load a budget workbook (rates, costs, budget lines),
all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wpsmonitor.finance import workbook
from wpsmonitor.finance.services import FinanceForbidden, FinanceInputError
from wpsmonitor.plans.models import Plan


class Command(BaseCommand):
    help = _(
        "Import a budget workbook (exchange rates, costs, budget lines) in one transaction: "
        "every problem is listed as file:sheet:row:column and nothing is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--plan", help=_("plan code (default: the workbook's Plan sheet)"))
        parser.add_argument(
            "--user",
            help=_("import as this user, with their rights (default: the administrator's)"),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("check everything, store nothing")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        plan = None
        if options["plan"]:
            plan = Plan.objects.filter(code=options["plan"]).first()
            if plan is None:
                raise CommandError(_("No plan with code %(code)s") % {"code": options["plan"]})
        by: Any = workbook.SHELL
        if options["user"]:
            by = get_user_model().objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(_("Unknown user %(name)s") % {"name": options["user"]})
        label = path.name
        try:
            result = workbook.import_workbook(
                path=path, by=by, plan=plan, dry_run=options["dry_run"]
            )
        except (FinanceInputError, FinanceForbidden) as failed:
            for problem in failed.problems:
                self.stderr.write(f"{label}:{problem}")
            self.stderr.write(
                _("Import refused: %(n)s problem(s); nothing was stored.")
                % {"n": len(failed.problems)}
            )
            sys.exit(1)
        except PermissionDenied:
            self.stderr.write(_("Import refused: this user may not import budgets."))
            sys.exit(1)
        applied = result.applied
        verb = _("Checked (dry run, nothing stored)") if options["dry_run"] else _("Imported")
        self.stdout.write(
            _(
                "%(verb)s into %(plan)s: rates %(rc)s new, %(ru)s replaced; costs %(cc)s new, "
                "%(cu)s changed; budget lines %(lc)s new, %(lu)s changed."
            )
            % {
                "verb": verb,
                "plan": result.plan.code,
                "rc": applied.created["rates"],
                "ru": applied.updated["rates"],
                "cc": applied.created["costs"],
                "cu": applied.updated["costs"],
                "lc": applied.created["lines"],
                "lu": applied.updated["lines"],
            }
        )
