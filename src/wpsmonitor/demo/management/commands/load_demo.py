"""`wpsmonitor demo`: load the demonstration plans and two years of data."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from wpsmonitor.demo.builder import ADMIN_USERNAME, PASSWORD_ENV, demo_load
from wpsmonitor.plans.models import Plan


def _migrations_pending() -> bool:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = _(
        "Load the demonstration plans (a fictitious DR Congo national plan and two local plans) "
        "with two years of data. Does nothing if they are already loaded, unless --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("delete the demonstration plans and build them again"),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("load the demonstration only if the database holds no plan at all"),
        )
        parser.add_argument(
            "--no-rebuild",
            action="store_true",
            help=_("do not rebuild the aggregates afterwards"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The quick start's data folder may be new: the demo needs the schema first.
        if _migrations_pending():
            self.stdout.write(_("Applying database migrations…"))
            call_command("migrate", interactive=False, verbosity=0)
        if options["if_empty"] and Plan.objects.exists():
            self.stdout.write(_("The database already has plans; the demo is not loaded again."))
            return
        summary = demo_load(
            reset=options["reset"],
            rebuild=not options["no_rebuild"],
            spanish=True,
            stories=True,
            moving_in=True,
        )
        if summary is None:
            self.stdout.write(
                _(
                    "The demonstration plans are already loaded; nothing to do (use --reset to rebuild them)."
                )
            )
            return
        write = self.stdout.write
        write(self.style.SUCCESS(_("Demonstration data loaded (fictitious figures).")))
        write(
            _(
                "  %(plans)d plans, %(actions)d actions (%(delayed)d delayed), %(indicators)d "
                "indicators, %(values)d values, %(items)d list items, %(baselines)d baselines, "
                "%(targets)d targets, %(areas)d areas, %(orgs)d organisations, in %(seconds).1f s."
            )
            % {
                "plans": summary.plans,
                "actions": summary.actions,
                "delayed": summary.delayed_actions,
                "indicators": summary.indicators,
                "values": summary.values,
                "items": summary.list_items,
                "baselines": summary.baselines,
                "targets": summary.targets,
                "areas": summary.areas,
                "orgs": summary.organisations,
                "seconds": summary.seconds,
            }
        )
        if summary.aggregates_rebuilt:
            write(_("  Aggregates rebuilt."))
        if summary.releases:
            write(
                _(
                    "  Releases 1 and 2 of the national plan published (the second corrects "
                    "a figure of the first)."
                )
            )
        if summary.reports:
            write(
                _(
                    "  The 2025 annual report generated, co-signed by the board with a dissent "
                    "and published (PDF, DOCX, XLSX); a mid-term report drafted (internal)."
                )
            )
        if summary.stories:
            write(
                _(
                    "  Stories of the national plan with their consents (one withdrawn after the "
                    "2025 report used it: the coordinator's mail is in the mail folder), a "
                    "perception survey in two rounds, early-warning signals and a register of "
                    "threats against defenders, all fictitious."
                )
            )
        if summary.moved_in:
            write(
                _(
                    "  A legacy export (another app's JSON and a ministry's spreadsheet, in "
                    "French) moved into the national plan through the mapping sheet: %(n)d "
                    "records."
                )
                % {"n": summary.moved_in}
            )
        if summary.security_institutions:
            write(
                _(
                    "  The security sector: the armed forces and the police with the indicator "
                    "package and %(figures)d figures over three years; %(desks)d women's desks "
                    "in Nord-Kivu and Sud-Kivu (their cases by quarter, for the plan's members)."
                )
                % {"figures": summary.security_figures, "desks": summary.desks}
            )
        if summary.allegations:
            write(
                _(
                    "  A register of %(n)d allegations of sexual exploitation and abuse, read "
                    "only by the coordinator and the named conduct reader, with a second factor."
                )
                % {"n": summary.allegations}
            )
        if summary.peace_rounds:
            write(
                _(
                    "  A peace process with %(rounds)d negotiation rounds (seats by role and sex) "
                    "and %(consultations)d consultations of civil society."
                )
                % {"rounds": summary.peace_rounds, "consultations": summary.peace_consultations}
            )
        if summary.trained or summary.assessments:
            write(
                _(
                    "  Training with pre- and post-test scores (%(trained)d participants), "
                    "deployments against the UN parity targets, and %(assessments)d "
                    "self-assessments of the institutions."
                )
                % {"trained": summary.trained, "assessments": summary.assessments}
            )
        if summary.provisions or summary.missions:
            write(
                _(
                    "  A peace agreement with %(provisions)d gender provisions linked to the "
                    "plan's actions, and a UN mission with a phased exit by province."
                )
                % {"provisions": summary.provisions}
            )
        for note in summary.notes:
            write(self.style.WARNING("  " + note))
        # Last, where the quick start's reader finds it: how to sign in, and as whom.
        write(self.style.SUCCESS(_("Sign in:")))
        if summary.admin_password:
            write(
                _(
                    "  Superuser %(user)s created with the password %(password)s (shown once; "
                    "set %(env)s to choose it)."
                )
                % {"user": ADMIN_USERNAME, "password": summary.admin_password, "env": PASSWORD_ENV}
            )
        elif summary.admin_created:
            write(
                _("  Superuser %(user)s created with the password from %(env)s.")
                % {"user": ADMIN_USERNAME, "env": PASSWORD_ENV}
            )
        else:
            write(
                _("  Superuser %(user)s already exists; its password is unchanged.")
                % {"user": ADMIN_USERNAME}
            )
        if summary.users:
            write(
                _("  The demo's users, with the same password as %(user)s:")
                % {"user": ADMIN_USERNAME}
            )
            for name, role in summary.users:
                write(f"    {name}: {role}")
        # Two-factor sign-in (docs/security.md): the demo users' shared authenticator key.
        if summary.two_factor_key:
            write(
                _(
                    "  Then a code from an authenticator app: the demo users share the key "
                    "%(key)s (add it to any authenticator app, by hand or as %(uri)s)."
                )
                % {"key": summary.two_factor_key, "uri": summary.two_factor_uri}
            )
        write(
            _(
                "  %(user)s sets up its own authenticator app at its first sign-in (the page "
                "shows a QR code and the key)."
            )
            % {"user": ADMIN_USERNAME}
        )
