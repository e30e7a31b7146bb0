"""Background work of early warning (django-tasks): the response-time indicators computed
again as time passes, since a signal still waiting past the target comes to count against
without any step being taken (docs/stories.md, "Response times")."""

from __future__ import annotations

import threading

from django.db import connection
from django_tasks import task

REFRESH_INTERVAL_SECONDS = 6 * 3600


@task()
def refresh_response_indicators() -> int:
    """Compute every adopted plan's response-time indicators again; the figures written or
    deleted (none when nothing changed: running it often is safe)."""
    from wpsmonitor.earlywarning.models import ResponseIndicators
    from wpsmonitor.earlywarning.services import response_indicators_refresh

    return sum(
        response_indicators_refresh(plan=found.plan)
        for found in ResponseIndicators.objects.select_related("plan")
    )


def start_response_indicators_clock(stop: threading.Event) -> threading.Thread:
    """Enqueue the refresh every few hours until `stop` is set (the embedded server's clock;
    scaled out, run `wpsmonitor manage response_indicators` from cron instead)."""

    def run() -> None:
        while not stop.is_set():
            try:
                refresh_response_indicators.enqueue()
            finally:
                connection.close()
            stop.wait(REFRESH_INTERVAL_SECONDS)

    thread = threading.Thread(target=run, name="response-indicators-clock", daemon=True)
    thread.start()
    return thread
