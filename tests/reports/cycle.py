"""A plan with a monitoring board (tests/boards/conftest.py) and a published release, so that
both versions of its standard report can be generated; and the helpers that ask for one and
run its task as the worker would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.boards.conftest import Built, build_board
from tests.reporting.conftest import build_cycle

from wpsmonitor.publishing import services as publishing
from wpsmonitor.reports import services
from wpsmonitor.reports.models import GeneratedReport


@dataclass
class Cycle:
    built: Built

    @property
    def plan(self) -> Any:
        return self.built.plan

    @property
    def users(self) -> dict[str, Any]:
        return self.built.users


def build_report_cycle() -> Cycle:
    # The release first: once the board co-signs, a release waits for a co-signed report.
    plan_cycle = build_cycle()
    coordinator = plan_cycle.users["coordinator"]
    release = publishing.release_prepare(by=coordinator, plan=plan_cycle.plan)
    publishing.release_publish(by=coordinator, release=release, confirm=True)
    return Cycle(build_board(plan_cycle))


def generate(cycle: Cycle, capture: Any, **kwargs: Any) -> GeneratedReport:
    """Ask for a report as the coordinator and run its task (the immediate backend of the
    tests runs it once the request's transaction commits)."""
    fields: dict[str, Any] = {
        "scope": "year",
        "year": cycle.plan.start.year,
        "version": "public",
        "language": "en",
    } | kwargs
    by = fields.pop("by", cycle.users["coordinator"])
    with capture(execute=True):
        report = services.report_request(by=by, plan=cycle.plan, **fields)
    report.refresh_from_db()
    return report
