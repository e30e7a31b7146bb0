"""`wpsmonitor manage task_worker`: the background-task worker of the database task queue.

    task_worker               run tasks (django-tasks-db's worker), surviving a locked database
    task_worker --supervise   run the clocks and keep a `task_worker` running (what `serve` starts)

Either dies with the process that started it when that process said who it is
(core/supervision.py). Scaled out, run `task_worker --supervise` (or django-tasks-db's own
`db_worker`) under the machine's service manager.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.db.utils import OperationalError
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from wpsmonitor.core.supervision import Supervisor, die_with_parent

logger = logging.getLogger("wpsmonitor.tasks")

# Waits after "database is locked" (a long write elsewhere): from 1 s, doubled up to 30 s.
LOCKED_WAIT_FIRST = 1.0
LOCKED_WAIT_MAX = 30.0


class Command(BaseCommand):
    help = _("Run the background-task worker (with --supervise: keep one running).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--supervise",
            action="store_true",
            help=_("run the clocks and restart the worker when it exits"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        die_with_parent()
        if options["supervise"]:
            self.supervise()
        else:
            self.work(options["verbosity"])

    def supervise(self) -> None:
        supervisor = Supervisor([sys.executable, "-m", "wpsmonitor.cli", "manage", "task_worker"])

        def stop(signum: int, frame: object) -> None:
            supervisor.stop.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        # Clocks that enqueue periodic tasks (the deadline reminders) are configuration, so that
        # this kernel command knows no feature. They run here, once per server, not in the
        # gunicorn master: nothing there may hold a database connection across its forks.
        for clock in settings.WPSMONITOR_CLOCKS:
            import_string(clock)(supervisor.stop)
        supervisor.run()

    def work(self, verbosity: int) -> None:
        from django_tasks_db.management.commands.db_worker import Command as DbWorker
        from django_tasks_db.management.commands.db_worker import Worker
        from django_tasks_db.utils import is_locked_database_exception

        DbWorker().configure_logging(verbosity)
        worker = Worker(
            queue_names=["default"],
            interval=1,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        wait = LOCKED_WAIT_FIRST
        last_locked = 0.0
        while True:
            try:
                worker.run()
                return
            except OperationalError as exc:
                # A long write elsewhere (an import) held the database longer than the busy
                # timeout: django-tasks-db's worker would die here; wait and go on instead.
                if not is_locked_database_exception(exc):
                    raise
                if time.monotonic() - last_locked > 2 * LOCKED_WAIT_MAX:
                    wait = LOCKED_WAIT_FIRST  # not one long lock: start the waits again
                last_locked = time.monotonic()
                logger.warning("The database is locked (%s); trying again in %.0f s.", exc, wait)
                connections.close_all()
                time.sleep(wait)
                wait = min(wait * 2, LOCKED_WAIT_MAX)
