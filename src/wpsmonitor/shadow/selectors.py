"""Shadow monitoring, side by side: the government's account of each action and indicator beside
each civil-society monitor's, with the gap said in words and each side's evidence.

Actions are compared on one scale of three steps (docs/shadow-monitoring.md):

    government status        civil-society assessment      step
    completed                implemented                   2
    ongoing                  partly implemented            1
    not started, cancelled   not implemented               0
    (none)                   unknown                       —

The gap is the number of steps between the two (2: the ministry says completed, the monitor
finds nothing done); an unknown on either side is no disagreement, only a missing account.

Each side's account is its latest up to the end of the period: the government's is its latest
approved report on the action (or, with none, the status recorded on the plan), a monitor's its
latest published assessment. Nothing is merged; every read here is a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.periods import parse_period
from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.aggregation import ALL_PERIODS
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    Indicator,
    IndicatorKind,
    Source,
)
from wpsmonitor.plans.models import ActionStatus, FrameworkNode, Plan
from wpsmonitor.reporting.models import (
    FINAL_STATUSES,
    ActionAssessment,
    ActionProgress,
    Evidence,
)
from wpsmonitor.reporting.selectors import evidence_is_public
from wpsmonitor.shadow.divergence import POINT_KINDS, STEP_KINDS

GOVERNMENT_STEP: dict[str, int | None] = {
    ActionStatus.COMPLETED: 2,
    ActionStatus.ONGOING: 1,
    ActionStatus.NOT_STARTED: 0,
    ActionStatus.CANCELLED: 0,
    "": None,
}
ASSESSMENT_STEP: dict[str, int | None] = {
    ActionAssessment.IMPLEMENTED: 2,
    ActionAssessment.PARTLY: 1,
    ActionAssessment.NOT_IMPLEMENTED: 0,
    ActionAssessment.UNKNOWN: None,
    "": None,
}
# The civil-society word for each government status, shown beside it ("completed" reads as
# "implemented" on the shared scale).
STEP_LABELS = {
    2: ActionAssessment.IMPLEMENTED.label,
    1: ActionAssessment.PARTLY.label,
    0: ActionAssessment.NOT_IMPLEMENTED.label,
}


def step_gap(government: int | None, civil_society: int | None) -> int | None:
    if government is None or civil_society is None:
        return None
    return abs(government - civil_society)


def gap_words(gap: int | None) -> str:
    """The gap as text, so that it never rests on colour alone."""
    if gap is None:
        return _("Cannot compare: one side has no account")
    if gap == 0:
        return _("Agree")
    if gap == 1:
        return _("Disagree by one step")
    return _("Disagree completely")


@dataclass(frozen=True)
class GovernmentAccount:
    status: str
    percent_complete: int | None
    narrative: str
    period_code: str  # "" when it is the status recorded on the plan, not a report
    report: ActionProgress | None

    @property
    def step(self) -> int | None:
        return GOVERNMENT_STEP.get(self.status)

    @property
    def status_label(self) -> str:
        return str(ActionStatus(self.status).label) if self.status else _("No status")

    @property
    def on_scale(self) -> str:
        return str(STEP_LABELS[self.step]) if self.step is not None else _("Unknown")


@dataclass(frozen=True)
class MonitorAccount:
    report: ActionProgress

    @property
    def step(self) -> int | None:
        return ASSESSMENT_STEP.get(self.report.assessment)

    @property
    def label(self) -> str:
        value = self.report.assessment
        return str(ActionAssessment(value).label) if value else _("Unknown")


@dataclass
class ActionComparison:
    action: FrameworkNode
    government: GovernmentAccount
    monitors: list[tuple[MonitorAccount, int | None]] = field(default_factory=list)

    @property
    def widest(self) -> int | None:
        gaps = [gap for _m, gap in self.monitors if gap is not None]
        return max(gaps) if gaps else None

    @property
    def disagrees(self) -> bool:
        return bool(self.widest)

    @property
    def widest_words(self) -> str:
        return gap_words(self.widest)

    @property
    def monitor_organisations(self) -> list[Organisation]:
        """The monitors' organisations, in the order of `monitors` (their names' note once a
        table: {% translated_note %})."""
        return [m.report.organisation for m, _gap in self.monitors]

    @property
    def organisations_apart(self) -> list[Organisation]:
        """The organisations of the monitors whose account differs from the government's."""
        return [m.report.organisation for m, gap in self.monitors if gap]


def _period_end(period_code: str) -> date | None:
    return None if period_code == ALL_PERIODS else parse_period(period_code).end


def _latest(reports: Iterable[ActionProgress]) -> dict[tuple[int, int], ActionProgress]:
    """The latest report per (action, source): by the end of its period, then when recorded."""
    latest: dict[tuple[int, int], ActionProgress] = {}
    for report in sorted(reports, key=lambda r: (r.period.end, r.period.start, r.recorded_at)):
        latest[(report.action_id, report.source_id)] = report
    return latest


def action_comparisons(
    plan: Plan, period_code: str = ALL_PERIODS, *, action: FrameworkNode | None = None
) -> list[ActionComparison]:
    """Every action civil society assessed, government beside each monitor. Three queries."""
    end = _period_end(period_code)
    nodes = FrameworkNode.objects.filter(plan=plan, level__holds_actions=True).select_related(
        "responsible_organisation"
    )
    if action is not None:
        nodes = nodes.filter(pk=action.pk)
    actions = {n.pk: n for n in nodes}
    reports = ActionProgress.objects.filter(action_id__in=list(actions)).select_related(
        "period", "source", "organisation", "area"
    )
    if end is not None:
        reports = reports.filter(period__end__lte=end)
    government: dict[int, ActionProgress] = {}
    monitors: dict[int, list[ActionProgress]] = {}
    for (action_id, _source_id), report in _latest(reports).items():
        if report.source.code == GOVERNMENT_SOURCE:
            if report.status:
                government[action_id] = report
        elif report.assessment:
            monitors.setdefault(action_id, []).append(report)
    found = []
    for action_id, shadow in monitors.items():
        node = actions[action_id]
        official = government.get(action_id)
        account = (
            GovernmentAccount(
                official.status,
                official.percent_complete,
                official.narrative,
                official.period.code,
                official,
            )
            if official is not None
            else GovernmentAccount(node.status, node.percent_complete, "", "", None)
        )
        comparison = ActionComparison(action=node, government=account)
        for item in sorted(shadow, key=lambda r: r.organisation.name):
            mine = MonitorAccount(item)
            comparison.monitors.append((mine, step_gap(account.step, mine.step)))
        found.append(comparison)
    found.sort(key=lambda c: (-(c.widest or 0), _natural(c.action.code)))
    return found


def action_disagreements(plan: Plan, period_code: str = ALL_PERIODS) -> list[ActionComparison]:
    """The actions where a monitor's assessment and the government's status differ, widest
    gap first (the divergence view's action ranking)."""
    return [c for c in action_comparisons(plan, period_code) if c.disagrees]


def _natural(code: str) -> tuple[tuple[int, int | str], ...]:
    import re

    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", code)
    )


# The action page --------------------------------------------------------------------------------


@dataclass
class ActionPage:
    action: FrameworkNode
    comparison: ActionComparison | None
    government_reports: list[ActionProgress]
    monitor_reports: list[ActionProgress]
    evidence: list[tuple[Evidence, bool]]  # (file, may the viewer download it)


def visible_evidence(access: PlanAccess, items: QuerySet[Evidence]) -> list[tuple[Evidence, bool]]:
    """Files of approved or published submissions, each with whether this viewer may download
    it: a shared one any reader may; the others only those who may see the submission (the
    rule of the evidence view, which checks again on download)."""
    return [
        (item, evidence_is_public(item) or access.can_view_submission(item.submission))
        for item in items.filter(submission__status__in=FINAL_STATUSES).select_related(
            "submission__source",
            "submission__round__plan",
            "submission__round__period",
            "submission__organisation",
            "submission__area",
        )
    ]


def action_page(access: PlanAccess, node: FrameworkNode) -> ActionPage:
    """One action: the government's status and reports, each monitor's assessments and
    narratives, and both sides' evidence. Five queries."""
    comparisons = action_comparisons(access.plan, action=node)
    reports = list(
        ActionProgress.objects.filter(action=node)
        .select_related("period", "source", "organisation", "area")
        .order_by("-period__end", "organisation__name")
    )
    return ActionPage(
        action=node,
        comparison=comparisons[0] if comparisons else None,
        government_reports=[r for r in reports if r.source.code == GOVERNMENT_SOURCE],
        monitor_reports=[r for r in reports if r.source.code != GOVERNMENT_SOURCE and r.assessment],
        evidence=visible_evidence(access, Evidence.objects.filter(action=node)),
    )


# Indicators: each monitor's latest figure beside the government's -------------------------------


@dataclass(frozen=True)
class FigurePair:
    source: Source
    period_code: str
    government: float
    civil_society: float
    gap: float
    in_points: bool

    @property
    def words(self) -> str:
        """The gap as text ("22 points lower than the government's")."""
        if self.gap == 0:
            return _("Same as the government's")
        lower = self.civil_society < self.government
        if self.in_points:
            points = f"{self.gap:.1f}".rstrip("0").rstrip(".")
            if lower:
                return _("%(points)s points lower than the government's") % {"points": points}
            return _("%(points)s points higher than the government's") % {"points": points}
        share = round(self.gap * 100)
        if lower:
            return _("%(share)s%% lower than the government's") % {"share": share}
        return _("%(share)s%% higher than the government's") % {"share": share}


def latest_pairs(indicator: Indicator, comparison: object) -> list[FigurePair]:
    """For each civil-society source of the comparison table, its latest period (not the whole
    plan) with a figure from both sides, and the gap measured as the divergence view does. No
    query: the rows are the indicator page's comparison."""
    sources = getattr(comparison, "sources", None)
    rows = getattr(comparison, "rows", None)
    if not sources or not rows or sources[0].code != GOVERNMENT_SOURCE:
        return []
    scale = 100 if indicator.kind == IndicatorKind.YES_NO else 1
    pairs = []
    for index, source in enumerate(sources[1:], start=1):
        for code, values in reversed(rows):
            if code == ALL_PERIODS:
                continue
            gov, cso = values[0], values[index]
            if gov is None or cso is None:
                continue
            gov, cso = gov * scale, cso * scale
            in_points = indicator.kind in POINT_KINDS
            if in_points:
                gap = abs(gov - cso)
            elif indicator.kind in STEP_KINDS:
                gap = abs(gov - cso) / max(len(indicator.scale_labels) - 1, 1)
            else:
                largest = max(abs(gov), abs(cso))
                gap = abs(gov - cso) / largest if largest else 0.0
            pairs.append(FigurePair(source, code, gov, cso, gap, in_points))
            break
    return pairs


def indicator_evidence(access: PlanAccess, indicator: Indicator) -> list[tuple[Evidence, bool]]:
    """Both sides' files for the indicator (approved government, published civil society)."""
    return visible_evidence(access, Evidence.objects.filter(indicator=indicator))
