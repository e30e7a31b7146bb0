"""Demo data: finance (filled in by the work on issues 4 and 5)."""

from __future__ import annotations

from typing import Any

from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import Plan


def load(nap: Plan, orgs: dict[str, Organisation], user: Any) -> None:
    """Add this part's demo data to the national plan."""
