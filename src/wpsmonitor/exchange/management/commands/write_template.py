"""wpsmonitor template [-o PATH]: write the blank import workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wpsmonitor.exchange.export import write_template


class Command(BaseCommand):
    help = _("Write the blank import workbook (XLSX) with an Instructions sheet.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            default="wpsmonitor-import-template.xlsx",
            help=_("where to write it (default: wpsmonitor-import-template.xlsx here)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        if path.is_dir():
            path = path / "wpsmonitor-import-template.xlsx"
        try:
            write_template(path)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from None
        self.stdout.write(_("Wrote %(path)s") % {"path": path})
