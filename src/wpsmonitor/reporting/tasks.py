"""Background work of the reporting cycle (django-tasks)."""

from __future__ import annotations

import threading

from django.db import connection
from django_tasks import task

REMINDER_INTERVAL_SECONDS = 6 * 3600


@task()
def send_deadline_reminders() -> int:
    """E-mail the reminders due today; each round is reminded once, so running it often is safe."""
    from wpsmonitor.reporting.notifications import deadline_reminders

    return deadline_reminders()


def start_reminder_clock(stop: threading.Event) -> threading.Thread:
    """Enqueue the reminders every few hours until `stop` is set (the embedded server's clock;
    scaled out, run `wpsmonitor manage send_reminders` from cron instead)."""

    def run() -> None:
        while not stop.is_set():
            try:
                send_deadline_reminders.enqueue()
            finally:
                connection.close()
            stop.wait(REMINDER_INTERVAL_SECONDS)

    thread = threading.Thread(target=run, name="reminder-clock", daemon=True)
    thread.start()
    return thread
