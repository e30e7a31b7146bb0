"""The signed-in home: what each user can and should do now, plan by plan.

The portal sits above every feature (docs/architecture.md, "Layers"), so it composes the
features' own "what awaits this user" selectors here, and no feature knows the others:

- reporting: sheets to fill in the open rounds with their deadlines (focal points, monitors),
  submissions waiting for review (coordinators), the organisation's draft indicators (monitors);
- boards: reports waiting for the user's signature (current board members), and the overdue
  steering-committee decisions their seat carries out;
- accountability: recommendations to answer (focal points of an addressee), assessments not
  published yet (monitors);
- stories: open selection rounds to choose in (their panel's members with an account) and to
  decide (coordinators); published reports that still print a story whose consent was
  withdrawn, until they are generated again or kept as published (coordinators).

A new feature with work for users adds its selector and one line in `plan_tasks`.
A plan appears when the user holds a role on it or sits on its board; the administrator also
gets every plan, with the way to create one and to give its roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wpsmonitor.accountability import selectors as accountability
from wpsmonitor.accounts.access import PlanAccess, can_create_plans, readable_plans
from wpsmonitor.boards import selectors as boards
from wpsmonitor.plans.models import Plan, PlanVersion
from wpsmonitor.reporting import selectors as reporting
from wpsmonitor.reports.models import GeneratedReport
from wpsmonitor.stories import selectors as stories

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from wpsmonitor.accountability.models import Assessment, Recommendation
    from wpsmonitor.boards.models import BoardMember, Decision, PeriodicReport
    from wpsmonitor.indicators.models import Indicator
    from wpsmonitor.reporting.models import Submission
    from wpsmonitor.reporting.selectors import Owed
    from wpsmonitor.stories.models import WithdrawalNotice
    from wpsmonitor.stories.selectors import RoundTask


@dataclass
class PlanTasks:
    """What awaits the user on one plan, and the plan's pages they may open."""

    plan: Plan
    access: PlanAccess
    seat: BoardMember | None = None
    to_sign: list[PeriodicReport] = field(default_factory=list)
    versions_to_sign: list[PlanVersion] = field(default_factory=list)
    # Decisions of the plan's steering committee that the user's seat carries out, overdue.
    overdue_decisions: list[Decision] = field(default_factory=list)
    to_review: list[Submission] = field(default_factory=list)
    owed: list[Owed] = field(default_factory=list)
    indicator_drafts: list[Indicator] = field(default_factory=list)
    to_answer: list[Recommendation] = field(default_factory=list)
    assessment_drafts: list[Assessment] = field(default_factory=list)
    rounds_to_choose: list[RoundTask] = field(default_factory=list)
    rounds_to_decide: list[RoundTask] = field(default_factory=list)
    withdrawal_notices: list[WithdrawalNotice] = field(default_factory=list)

    @property
    def pending(self) -> list[Owed]:
        """Sheets not yet submitted or published."""
        return [o for o in self.owed if not o.done]

    @property
    def count(self) -> int:
        return (
            len(self.to_sign)
            + len(self.versions_to_sign)
            + len(self.overdue_decisions)
            + len(self.to_review)
            + len(self.pending)
            + len(self.indicator_drafts)
            + len(self.to_answer)
            + len(self.assessment_drafts)
            + len(self.rounds_to_choose)
            + len(self.rounds_to_decide)
            + len(self.withdrawal_notices)
        )


@dataclass
class Home:
    plans: list[PlanTasks]
    # The administrator: every other plan (to give its roles) and plan creation.
    other_plans: list[Plan]
    can_create_plans: bool

    @property
    def count(self) -> int:
        return sum(p.count for p in self.plans)


def _still_published(notices: list[WithdrawalNotice]) -> list[WithdrawalNotice]:
    """The notices whose report is still published: one no longer public waits for no one."""
    if not notices:
        return []
    references = {n.reference for n in notices if n.reference.isdigit()}
    published = {
        str(pk)
        for pk in GeneratedReport.objects.filter(
            pk__in=[int(r) for r in references], published=True
        ).values_list("pk", flat=True)
    }
    return [n for n in notices if n.reference in published]


def home_for(user: User) -> Home:
    """Everything that waits for the user, by plan: their plans first, those with the most to
    do first."""
    todos = {t.plan.pk: t for t in reporting.todo_for(user)}
    seats = {s.board.plan_id: s for s in boards.current_seats(user)}
    to_sign: dict[int, list[PeriodicReport]] = {}
    for report in boards.reports_to_sign(user):
        to_sign.setdefault(report.plan_id, []).append(report)
    versions: dict[int, list[PlanVersion]] = {}
    for version in boards.versions_to_sign(user):
        versions.setdefault(version.plan_id, []).append(version)
    overdue: dict[int, list[Decision]] = {}
    for decision in boards.overdue_decisions(user):
        overdue.setdefault(decision.meeting.board.plan_id, []).append(decision)
    plans: dict[int, Plan] = {t.plan.pk: t.plan for t in todos.values()}
    plans.update({plan_id: seat.board.plan for plan_id, seat in seats.items()})
    result = []
    for plan_id, plan in plans.items():
        todo = todos.get(plan_id)
        access = todo.access if todo else PlanAccess.load(user, plan)
        tasks = PlanTasks(plan=plan, access=access, seat=seats.get(plan_id))
        tasks.to_sign = to_sign.get(plan_id, [])
        tasks.versions_to_sign = versions.get(plan_id, [])
        tasks.overdue_decisions = overdue.get(plan_id, [])
        if todo is not None:
            tasks.to_review, tasks.owed = todo.to_review, todo.owed
        if access.is_member:
            if access.monitor_organisations():
                tasks.indicator_drafts = [
                    i for i in reporting.own_indicators(access) if i.published_at is None
                ]
                tasks.assessment_drafts = accountability.assessment_drafts(access)
            tasks.to_answer = accountability.to_answer(access)
            rounds = stories.round_tasks(access)
            tasks.rounds_to_choose, tasks.rounds_to_decide = rounds.to_choose, rounds.to_decide
            tasks.withdrawal_notices = _still_published(stories.withdrawal_notices(access))
        result.append(tasks)
    result.sort(key=lambda t: (-t.count, t.plan.code))
    admin = can_create_plans(user)
    others: list[Plan] = []
    if admin:
        others = list(
            Plan.objects.filter(readable_plans(user))
            .exclude(pk__in=plans)
            .select_related("area")
            .order_by("code")
        )
    return Home(plans=result, other_plans=others, can_create_plans=admin)
