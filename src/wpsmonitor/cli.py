"""The `wpsmonitor` console command.

    wpsmonitor serve [--demo] [--host H] [--port P]   run the platform (gunicorn + task worker)
    wpsmonitor demo                                    load the demo plans and data
    wpsmonitor template [-o PATH]                      write the blank import workbook
    wpsmonitor import FILE...                          import a plan workbook or values (CSV/XLSX)
    wpsmonitor movein PLAN FILE... [--mapping FILE]     move in from another system's export
    wpsmonitor import-iati FILE...                     import IATI activity files
    wpsmonitor export PLAN --format xlsx|csv|json      write a plan and its values
    wpsmonitor rebuild [PLAN...]                       rebuild the derived aggregates
    wpsmonitor encryption new-key|rotate|check         the keys of the fields encrypted at rest
    wpsmonitor catalogues export|import ...            export or import indicator catalogues
    wpsmonitor fieldcollection form|send|pull|import   field collection offline (XLSForm)
    wpsmonitor manage ARGS...                          any Django management command

Each subcommand is a Django management command; this file only maps names and starts Django.
It speaks the language the environment asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG: e.g.
LANG=fr_FR.UTF-8 gives French), English when it asks for none of the platform's languages.
"""

from __future__ import annotations

import os
import sys

from django.utils.translation import gettext_lazy as _

# Subcommand → management command.
COMMANDS = {
    "serve": "serve",
    "demo": "load_demo",
    "template": "write_template",
    "import": "import_data",
    "movein": "movein",
    "import-iati": "import_iati",
    "export": "export_plan",
    "rebuild": "rebuild_aggregates",
    "encryption": "encryption",
    "catalogues": "catalogues",
    "fieldcollection": "fieldcollection",
}

# The usage lines: what is typed stays as it is, what it does is translated.
USAGE = (
    ("serve [--demo] [--host H] [--port P]", _("run the platform (gunicorn + task worker)")),
    ("demo", _("load the demo plans and data")),
    ("template [-o PATH]", _("write the blank import workbook")),
    ("import FILE...", _("import a plan workbook or values (CSV/XLSX)")),
    (
        "movein PLAN FILE... [--mapping FILE] [--dry-run]",
        _("move a plan in from another system's export (records keyed by labels)"),
    ),
    ("import-iati FILE...", _("import IATI activity files")),
    ("export PLAN --format xlsx|csv|json", _("write a plan and its values")),
    ("rebuild [PLAN...]", _("rebuild the derived aggregates")),
    ("encryption new-key|rotate|check", _("the keys of the fields encrypted at rest")),
    (
        "catalogues export [--vocabulary V] [-o FILE]",
        _("export the global indicator catalogues (JSON package)"),
    ),
    (
        "catalogues import FILE [--dry-run]",
        _("import a catalogue package (the server's administrator)"),
    ),
    (
        "fieldcollection form PLAN ROUND ORG [AREA]",
        _("write the XLSForm of an assignment (ODK, KoboToolbox)"),
    ),
    (
        "fieldcollection send|pull PLAN ROUND ORG [AREA]",
        _("put the form on the collection server, pull its submissions"),
    ),
    (
        "fieldcollection import PLAN FILE --user U",
        _("import field submissions into the organisation's draft"),
    ),
    ("manage ARGS...", _("any Django management command")),
)


def usage() -> str:
    width = max(len(command) for command, _what in USAGE)
    lines = [str(_("Usage: wpsmonitor COMMAND [ARGS...]")), ""]
    lines += [f"    wpsmonitor {command.ljust(width)}   {what}" for command, what in USAGE]
    lines += ["", str(_("Help on a command: wpsmonitor COMMAND --help"))]
    return "\n".join(lines)


def activate_environment_language() -> None:
    """Start Django and speak the environment's language (the commands keep it: Django's
    management commands run in whatever language is active)."""
    import django
    from django.utils import translation

    try:
        django.setup()
    except Exception:  # a configuration error: the command itself will report it, in English
        translation.deactivate_all()
        return
    from wpsmonitor.core.languages import language_from_environment

    translation.activate(language_from_environment(os.environ))


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wpsmonitor.settings")
    from django.core.management import execute_from_command_line

    activate_environment_language()
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return
    name, rest = argv[0], argv[1:]
    if name == "manage":
        execute_from_command_line(["wpsmonitor manage", *rest])
    elif name in COMMANDS:
        execute_from_command_line(["wpsmonitor", COMMANDS[name], *rest])
    else:
        message = _("wpsmonitor: unknown command %(name)r") % {"name": name}
        print(f"{message}\n\n{usage()}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
