"""`{% task_worker_status as worker %}`: the supervisor's status file, for the admin's home page."""

from __future__ import annotations

from typing import Any

from django import template

from wpsmonitor.core.supervision import worker_status

register = template.Library()


@register.simple_tag
def task_worker_status() -> dict[str, Any] | None:
    return worker_status()
