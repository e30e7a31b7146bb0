"""Reads of a plan's versions (docs/revisions.md): the snapshot of a framework, the readable
difference between two snapshots, the versions of a plan and the target in force for a period.

A snapshot is plain JSON, the same shape for a frozen version and for the live framework:
{"nodes": [{"code", "title", "parent"}], "indicators": [{"code", "title", "definition",
"node", "targets": {"<period>|<area>|<cell>": value}}]}. The plan's own indicators only (an
organisation's own indicators are its, not the plan's), without those dropped by an approved
or drafted revision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from wpsmonitor.accounts.access import Viewer
from wpsmonitor.core.errors import NotFound
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.indicators.selectors import hidden_indicators_for
from wpsmonitor.indicators.targets_in_force import target_in_force
from wpsmonitor.plans.models import Plan, PlanVersion, VersionStatus
from wpsmonitor.plans.versions import content_hash, framework_snapshot, version_framework

__all__ = [
    "Difference",
    "content_hash",
    "difference",
    "framework_snapshot",
    "target_in_force",
    "version_get",
    "versions_of",
]


@dataclass
class Reworded:
    code: str
    field: str  # title, definition or parent (a node moved), node (an indicator moved)
    before: str
    after: str


@dataclass
class TargetChanged:
    indicator: str
    period: str
    area: str
    cell: str
    before: float | None
    after: float | None


@dataclass
class Difference:
    """What changed from one snapshot to the next, in the order a reader wants it."""

    nodes_added: list[dict[str, str]] = field(default_factory=list)
    nodes_removed: list[dict[str, str]] = field(default_factory=list)
    nodes_changed: list[Reworded] = field(default_factory=list)
    indicators_added: list[dict[str, Any]] = field(default_factory=list)
    indicators_removed: list[dict[str, Any]] = field(default_factory=list)
    indicators_changed: list[Reworded] = field(default_factory=list)
    targets_changed: list[TargetChanged] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.nodes_added,
                self.nodes_removed,
                self.nodes_changed,
                self.indicators_added,
                self.indicators_removed,
                self.indicators_changed,
                self.targets_changed,
            )
        )


def _by_code(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["code"]: item for item in items}


def difference(before: dict[str, Any], after: dict[str, Any]) -> Difference:
    """The readable difference between two snapshots. Objects are matched by code: a code that
    changed reads as one removed and one added (a plan's codes are its stable names)."""
    diff = Difference()
    old_nodes, new_nodes = _by_code(before["nodes"]), _by_code(after["nodes"])
    diff.nodes_added = [n for c, n in new_nodes.items() if c not in old_nodes]
    diff.nodes_removed = [n for c, n in old_nodes.items() if c not in new_nodes]
    for code, new in new_nodes.items():
        old = old_nodes.get(code)
        if old is None:
            continue
        for name in ("title", "parent"):
            if old[name] != new[name]:
                diff.nodes_changed.append(Reworded(code, name, old[name], new[name]))
    old_inds, new_inds = _by_code(before["indicators"]), _by_code(after["indicators"])
    diff.indicators_added = [i for c, i in new_inds.items() if c not in old_inds]
    diff.indicators_removed = [i for c, i in old_inds.items() if c not in new_inds]
    for code, new in new_inds.items():
        old = old_inds.get(code)
        if old is None:
            continue
        for name in ("title", "definition", "node"):
            if old[name] != new[name]:
                diff.indicators_changed.append(Reworded(code, name, old[name], new[name]))
        old_t, new_t = old["targets"], new["targets"]
        for key in sorted(set(old_t) | set(new_t)):
            if old_t.get(key) != new_t.get(key):
                period, area, cell = key.split("|")
                diff.targets_changed.append(
                    TargetChanged(code, period, area, cell, old_t.get(key), new_t.get(key))
                )
    return diff


def difference_for(diff: Difference, hidden_codes: set[str]) -> Difference:
    """The difference without the indicators a reader may not see (restricted ones)."""
    if not hidden_codes:
        return diff
    return Difference(
        nodes_added=diff.nodes_added,
        nodes_removed=diff.nodes_removed,
        nodes_changed=diff.nodes_changed,
        indicators_added=[i for i in diff.indicators_added if i["code"] not in hidden_codes],
        indicators_removed=[i for i in diff.indicators_removed if i["code"] not in hidden_codes],
        indicators_changed=[r for r in diff.indicators_changed if r.code not in hidden_codes],
        targets_changed=[t for t in diff.targets_changed if t.indicator not in hidden_codes],
    )


def hidden_codes(user: Viewer, plan: Plan) -> set[str]:
    """Codes of the plan's indicators `user` may not see (access.py's rule)."""
    return set(
        Indicator.objects.filter(plan=plan)
        .filter(hidden_indicators_for(user, plan))
        .values_list("code", flat=True)
    )


def versions_of(plan: Plan) -> QuerySet[PlanVersion]:
    return PlanVersion.objects.filter(plan=plan).select_related("review", "approved_by")


def version_get(plan: Plan, number: int) -> PlanVersion:
    found = versions_of(plan).filter(number=number).first()
    if found is None:
        raise NotFound()
    return found


def current_version(plan: Plan) -> PlanVersion | None:
    return versions_of(plan).filter(status=VersionStatus.CURRENT).first()


def draft_version(plan: Plan) -> PlanVersion | None:
    return versions_of(plan).filter(status=VersionStatus.DRAFT).first()


def previous_version(version: PlanVersion) -> PlanVersion | None:
    """The approved version before `version` (for a draft: the current one)."""
    return (
        versions_of(version.plan)
        .filter(number__lt=version.number)
        .exclude(status__in=[VersionStatus.DRAFT, VersionStatus.ABANDONED])
        .order_by("-number")
        .first()
    )


def snapshot_of(version: PlanVersion) -> dict[str, Any]:
    """A version's framework: frozen once approved, the live framework while a draft."""
    return version_framework(version)


def version_difference(version: PlanVersion) -> tuple[PlanVersion | None, Difference]:
    """What `version` changed from the version before it (nothing before version 1, nor for an
    abandoned draft: never frozen, its framework was the live one, which has moved on)."""
    before = previous_version(version)
    if before is None or version.status == VersionStatus.ABANDONED:
        return None, Difference()
    return before, difference(snapshot_of(before), snapshot_of(version))


def versions_between(plan: Plan, a: int, b: int) -> Difference:
    """The difference from version `a` to version `b` of the plan."""
    return difference(snapshot_of(version_get(plan, a)), snapshot_of(version_get(plan, b)))


def retired_indicators(plan: Plan) -> QuerySet[Indicator]:
    """The indicators revisions dropped (or a draft drops): kept with their figures."""
    return (
        Indicator.objects.filter(plan=plan)
        .filter(~Q(retired_in=None))
        .select_related("retired_in")
        .order_by("code")
    )
