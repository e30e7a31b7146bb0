"""`wpsmonitor serve`: the platform behind gunicorn, with its background-task worker beside it.

On the embedded default (SQLite, database task queue) one command is all an operator needs:
it migrates, collects static files, optionally loads the demo, starts the supervised task worker
(`task_worker --supervise`: the worker, restarted when it exits, and the clocks of
settings.WPSMONITOR_CLOCKS, which enqueue periodic tasks such as the deadline reminders) and
runs gunicorn. Scaled out, the same pieces run separately (`wpsmonitor manage task_worker
--supervise`, or an RQ worker on Redis) and only configuration changes.

No database connection crosses a fork: the master closes its own (migrate opened one) before
gunicorn forks the web workers, and again before every fork (`pre_fork`). A SQLite connection
copied into a fork shares its lock state with the parent without holding its locks: once the
master died, a worker's commit could go to a WAL file another process had just checkpointed
and deleted, and acknowledged writes were lost (issue 12).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication
from gunicorn.config import Config

from wpsmonitor.core.supervision import child_env


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


def close_connections_before_fork(server: Any = None, worker: Any = None) -> None:
    """gunicorn's pre_fork hook (and called before gunicorn starts): the master holds no
    database connection for a web worker to inherit."""
    connections.close_all()


# A Unix socket's path must fit in sun_path (108 bytes on Linux, 104 on macOS).
_SOCKET_PATH_MAX = 100


def gunicorn_options(bind: str, workers: int, threads: int) -> dict[str, Any]:
    """gunicorn's settings for `serve`, everything it writes kept inside the data folder."""
    options: dict[str, Any] = {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": "-" if settings.DEBUG else None,
        "timeout": 120,
        "graceful_timeout": 20,
        # Longer than browsers keep idle connections: with gunicorn's 2 s default,
        # gthread closes a connection just as a client reuses it (errors under load).
        "keepalive": int(os.environ.get("WPSMONITOR_KEEPALIVE", "75")),
        "pre_fork": close_connections_before_fork,
    }
    if "control_socket" in Config().settings:  # gunicorn 25+
        # Its control socket would otherwise land in ~/.gunicorn/, outside the data folder. It
        # goes beside the database, owner-only; off when that path is too long for a socket.
        control = settings.DATA_HOME / "gunicorn.ctl"
        if len(os.fsencode(control)) <= _SOCKET_PATH_MAX:
            options["control_socket"] = str(control)
            options["control_socket_mode"] = 0o600
        else:
            options["control_socket_disable"] = True
    return options


# In the static root: a hash of what the last collection collected (see below).
STATIC_STAMP = ".wpsmonitor-collected"


def static_sources_digest() -> str:
    """A hash of every static file collectstatic would collect (its name, size and change time,
    from every finder), of the package's version and of the storage that collects them."""
    from django.contrib.staticfiles import finders

    import wpsmonitor

    digest = hashlib.sha256()
    digest.update(f"{wpsmonitor.__version__}\0{settings.STORAGES['staticfiles']}\0".encode())
    found: list[str] = []
    for finder in finders.get_finders():
        # collectstatic's own default ignore patterns.
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            found.append(f"{storage.path(path)}\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    digest.update("\n".join(sorted(found)).encode())
    return digest.hexdigest()


def collect_static_if_changed() -> bool:
    """Run collectstatic unless the static root already holds what the sources would give
    (hashing and compressing every file costs 10 s or more of CPU, at every start). True
    when it collected."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    root = Path(settings.STATIC_ROOT)
    stamp = root / STATIC_STAMP
    wanted = static_sources_digest()
    # The hashed names' manifest, which pages need: gone, the files are collected again.
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    try:
        if (manifest is None or (root / manifest).is_file()) and stamp.read_text(
            encoding="ascii"
        ).strip() == wanted:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(wanted + "\n", encoding="ascii")
    return True


def uses_database_task_queue() -> bool:
    backend = settings.TASKS["default"]["BACKEND"]
    return isinstance(backend, str) and backend.startswith("django_tasks_db")


class Command(BaseCommand):
    help = _("Run WPS Monitor with a production WSGI server (gunicorn) and its task worker.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("WPSMONITOR_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("WPSMONITOR_PORT", "8000"))
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WPSMONITOR_WORKERS", "2")),
            help=_("gunicorn worker processes"),
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("WPSMONITOR_THREADS", "4")),
            help=_("threads per worker process"),
        )
        parser.add_argument(
            "--demo", action="store_true", help=_("load the demo data if the database has no plan")
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help=_("do not apply database migrations")
        )
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help=_("do not start the background-task worker (run it separately)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            self.stdout.write(_("Applying database migrations…"))
            call_command("migrate", interactive=False, verbosity=0)
        collect_static_if_changed()
        if options["demo"]:
            call_command("load_demo", if_empty=True)

        close_connections_before_fork()
        worker = None
        if uses_database_task_queue() and not options["no_task_worker"]:
            # Its own process (it dies with this one): it restarts the worker when it exits and
            # runs the clocks (core/supervision.py).
            worker = subprocess.Popen(
                [sys.executable, "-m", "wpsmonitor.cli", "manage", "task_worker", "--supervise"],
                env=child_env(),
            )
        bind = (
            f"[{options['host']}]:{options['port']}"
            if ":" in options["host"]
            else f"{options['host']}:{options['port']}"
        )
        self.stdout.write(
            _("WPS Monitor is running at http://%(bind)s/ (Ctrl+C to stop)") % {"bind": bind}
        )
        try:
            _Gunicorn(gunicorn_options(bind, options["workers"], options["threads"])).run()
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
