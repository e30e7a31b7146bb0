"""wpsmonitor catalogues export|import: the global indicator catalogues as metadata packages.

    wpsmonitor catalogues export [--vocabulary V ...] [--output FILE]
    wpsmonitor catalogues import FILE [--dry-run] [--allow-older]

Import is for the server's administrator (whoever runs commands on the server): there is no
page or API endpoint that writes catalogues. See docs/catalogues.md, "Metadata packages".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.indicators.catalogue_packages import (
    ImportReport,
    package_build,
    package_dumps,
    package_import,
    package_read,
)
from wpsmonitor.indicators.catalogues import CatalogueError


def report_lines(report: ImportReport) -> list[str]:
    """What an import changed (or, in a dry run, would change), one vocabulary a line."""
    lines = []
    for change in report.vocabularies:
        lines.append(
            _(
                "%(vocabulary)s (version %(before)s -> %(after)s): %(created)s created, "
                "%(updated)s updated, %(unchanged)s unchanged"
            )
            % {
                "vocabulary": change.vocabulary,
                "before": change.version_before or _("none"),
                "after": change.version,
                "created": len(change.created),
                "updated": len(change.updated),
                "unchanged": change.unchanged,
            }
        )
        if change.created:
            lines.append("  + " + ", ".join(change.created))
        if change.updated:
            lines.append("  ~ " + ", ".join(change.updated))
    if report.links is not None:
        links = report.links
        lines.append(
            _(
                "crosswalk links: %(added)s added, %(updated)s updated, %(removed)s removed, "
                "%(unchanged)s unchanged"
            )
            % {
                "added": len(links.added),
                "updated": len(links.updated),
                "removed": len(links.removed),
                "unchanged": links.unchanged,
            }
        )
        lines += [f"  + {name}" for name in links.added]
        lines += [f"  ~ {name}" for name in links.updated]
        lines += [f"  - {name}" for name in links.removed]
    lines.append(
        _("Dry run: nothing was written.")
        if report.dry_run
        else _("Imported; entries are never deleted.")
    )
    return lines


class Command(BaseCommand):
    help = _(
        "Export the global indicator catalogues as a metadata package (JSON), or import one. "
        "Import is for the server's administrator."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="export|import")
        export = actions.add_parser(
            "export",
            help=_("write the catalogues the database holds as one package"),
            description=_(
                "Write the catalogues the database holds, with the crosswalk links among "
                "them, as one JSON package. The same data gives the same file, but for its "
                "export time."
            ),
        )
        export.add_argument(
            "--vocabulary",
            action="append",
            metavar="V",
            help=_("a vocabulary to export (repeat for several; default: every one)"),
        )
        export.add_argument(
            "-o", "--output", default="-", help=_("file to write (default: - for stdout)")
        )
        imp = actions.add_parser(
            "import",
            help=_("check a package or a catalogue file, then write it in one transaction"),
            description=_(
                "Check a package (or one catalogue file) with the loader's rules, then write "
                "it all or nothing. Entries are never deleted. A version older than the "
                "database's is refused unless --allow-older."
            ),
        )
        imp.add_argument("file", metavar="FILE", help=_("the package or catalogue file"))
        imp.add_argument(
            "--dry-run", action="store_true", help=_("say what would change; write nothing")
        )
        imp.add_argument(
            "--allow-older",
            action="store_true",
            help=_("import a version older than the database's"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options["vocabulary"], options["output"])
        else:
            self._import(Path(options["file"]), options["dry_run"], options["allow_older"])

    def _export(self, vocabularies: list[str] | None, output: str) -> None:
        try:
            text = package_dumps(package_build(vocabularies, exported_at=timezone.now()))
        except CatalogueError as exc:
            raise CommandError(str(exc)) from None
        if output == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s") % {"path": output, "error": exc.strerror}
            ) from None
        self.stderr.write(_("Wrote %(path)s") % {"path": output})

    def _import(self, path: Path, dry_run: bool, allow_older: bool) -> None:
        try:
            report = package_import(package_read(path), dry_run=dry_run, allow_older=allow_older)
        except CatalogueError as exc:
            raise CommandError(_("Nothing was imported: %(error)s") % {"error": exc}) from None
        self.stdout.write("\n".join(report_lines(report)))
