"""The `wpsmonitor` console command.

    wpsmonitor serve [--demo] [--host H] [--port P]   run the platform (gunicorn + task worker)
    wpsmonitor demo                                    load the demo plans and data
    wpsmonitor template [-o PATH]                      write the blank import workbook
    wpsmonitor import FILE...                          import a plan workbook or values (CSV/XLSX)
    wpsmonitor export PLAN --format xlsx|csv|json      write a plan and its values
    wpsmonitor rebuild [PLAN...]                       rebuild the derived aggregates
    wpsmonitor manage ARGS...                          any Django management command

Each subcommand is a Django management command; this file only maps names and starts Django.
"""

from __future__ import annotations

import os
import sys

# Subcommand → management command.
COMMANDS = {
    "serve": "serve",
    "demo": "load_demo",
    "template": "write_template",
    "import": "import_data",
    "export": "export_plan",
    "rebuild": "rebuild_aggregates",
    "import-iati": "import_iati",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wpsmonitor.settings")
    from django.core.management import execute_from_command_line

    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    name, rest = argv[0], argv[1:]
    if name == "manage":
        execute_from_command_line(["wpsmonitor manage", *rest])
    elif name in COMMANDS:
        execute_from_command_line(["wpsmonitor", COMMANDS[name], *rest])
    else:
        print(f"wpsmonitor: unknown command {name!r}\n{__doc__}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
