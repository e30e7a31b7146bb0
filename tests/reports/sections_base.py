"""What the section tests share: the demo loaded once per test class, a report context for
each version and scope, an empty plan, and reading a section's tables by key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.demo import content
from wpsmonitor.demo.builder import demo_load
from wpsmonitor.plans.models import Plan, PlanKind
from wpsmonitor.plans.services import plan_create
from wpsmonitor.reports.context import ReportContext, report_context
from wpsmonitor.reports.document import INTERNAL, PUBLIC, YEAR, Cell, Section, Table, Version


class DemoSectionTests(TestCase):
    admin: User

    @classmethod
    def setUpTestData(cls) -> None:
        demo_load(reports=False)  # the data, not the generated reports
        cls.admin = User.objects.get(username="admin")

    def context(
        self,
        version: Version = INTERNAL,
        *,
        scope: str = YEAR,
        year: int | None = 2025,
        code: str = content.NAP_CODE,
    ) -> ReportContext:
        user = AnonymousUser() if version == PUBLIC else self.admin
        return report_context(plan_access(user, code), scope=scope, year=year, version=version)

    def empty_plan_context(self) -> ReportContext:
        """The internal report of a plan with nothing in it but its title."""
        plan: Plan = plan_create(
            code="empty-plan",
            title="A plan with no data",
            kind=PlanKind.NATIONAL,
            area="COD",
            start=date(2024, 1, 1),
            end=date(2027, 12, 31),
            status=PlanStatus.IMPLEMENTATION,
        )
        return self.context(INTERNAL, code=plan.code)

    @staticmethod
    def table(section: Section, key: str) -> Table:
        found = [t for t in section.tables if t.key == key]
        assert len(found) == 1, f"{key} not in {[t.key for t in section.tables]}"
        return found[0]

    @staticmethod
    def texts(table: Table) -> list[list[str]]:
        return [[c.text for c in row] for row in table.rows]

    @staticmethod
    def column(table: Table, name: str) -> list[Cell]:
        index = table.columns.index(name)
        return [row[index] for row in table.rows]

    @staticmethod
    def queries(build: Callable[[ReportContext], Section], context: ReportContext) -> int:
        """The queries one section makes to build itself (with its tables: counting the
        queries of an empty section would prove nothing)."""
        with CaptureQueriesContext(connection) as captured:
            built = build(context)
        assert built.tables, f"{built.key} built no table"
        return len(captured)
