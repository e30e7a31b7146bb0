"""The standard report's background work (django-tasks): a report is built off the request
path, its progress shown on the plan's reports page (docs/reports.md, "In the cycle")."""

from __future__ import annotations

from django_tasks import task

from wpsmonitor.reports.generation import generate


@task()
def generate_report(report_id: int) -> str:
    """Build a queued report (every format); its final status."""
    return generate(report_id)
