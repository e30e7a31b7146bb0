"""A plan version's framework and its content hash (docs/revisions.md, "The board's
co-signature"). Here, in plans, because two features side by side read it: revisions freezes
the snapshot and approves, boards binds the board's signatures to the content hash. Like
LocalisationProposal, it reaches the indicator tables by app label (plans sits below
indicators).

A snapshot is plain JSON, the same shape for a frozen version and for the live framework:
{"nodes": [{"code", "title", "parent"}], "indicators": [{"code", "title", "definition",
"node", "targets": {"<period>|<area>|<cell>": value}}]}. The plan's own indicators only (an
organisation's own indicators are its, not the plan's), without those dropped by an approved
or drafted revision.

A version's **content** is what the board signs: its kind, its reason, the review it answers
and its framework (for a draft: the live framework as approving would freeze it now). The
content hash is the SHA-256 of that content as canonical JSON: any edit of the framework (a
node reworded, an indicator dropped, a target changed) or of the reason changes it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.apps import apps

from wpsmonitor.plans.models import FrameworkNode, Plan, PlanVersion


def target_key(period: str, area: str, cell: str) -> str:
    return f"{period}|{area}|{cell}"


def _reference_value(row: dict[str, Any], factor: float) -> float | None:
    # indicators.targets_in_force.reference_value, which plans may not import.
    if row["value"] is not None:
        return float(row["value"])
    if row["numerator"] is not None and row["denominator"]:
        return float(row["numerator"] / row["denominator"] * factor)
    return None


def framework_snapshot(plan: Plan) -> dict[str, Any]:
    """The plan's live framework as a snapshot (the module's docstring gives its shape)."""
    indicator_model = apps.get_model("indicators", "Indicator")
    target_model = apps.get_model("indicators", "Target")
    nodes = [
        {"code": n["code"], "title": n["title"], "parent": n["parent__code"] or ""}
        for n in FrameworkNode.objects.filter(plan=plan)
        .order_by("path")
        .values("code", "title", "parent__code")
    ]
    indicators = list(
        indicator_model.objects.filter(
            plan=plan, owner_organisation__isnull=True, retired_in__isnull=True
        )
        .order_by("order", "code")
        .values("pk", "code", "title", "definition", "node__code", "factor")
    )
    targets: dict[int, dict[str, float]] = {i["pk"]: {} for i in indicators}
    for row in (
        target_model.objects.filter(indicator_id__in=targets)
        .order_by("period__start", "period__code")
        .values(
            "indicator_id", "period__code", "area__code", "cell__code", "value", "numerator",
            "denominator", "indicator__factor",
        )
    ):  # fmt: skip
        value = _reference_value(row, row["indicator__factor"])
        if value is not None:
            key = target_key(row["period__code"], row["area__code"], row["cell__code"])
            targets[row["indicator_id"]][key] = value
    return {
        "nodes": nodes,
        "indicators": [
            {
                "code": i["code"],
                "title": i["title"],
                "definition": i["definition"],
                "node": i["node__code"],
                "targets": targets[i["pk"]],
            }
            for i in indicators
        ],
    }


def version_framework(version: PlanVersion) -> dict[str, Any]:
    """A version's framework: frozen once approved, the live framework while a draft."""
    if version.snapshot is not None:
        frozen: dict[str, Any] = version.snapshot
        return frozen
    return framework_snapshot(version.plan)


def content_hash(version: PlanVersion) -> str:
    """The SHA-256 of the version's content (the module's docstring says what it holds)."""
    content = {
        "kind": version.kind,
        "reason": version.reason,
        "review": version.review_id,
        "framework": version_framework(version),
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def board_cosigned(version: PlanVersion, current_hash: str | None = None) -> bool:
    """The board's co-signature stands on the version's content as it is now."""
    if version.board_cosigned_at is None or not version.board_cosigned_hash:
        return False
    return version.board_cosigned_hash == (current_hash or content_hash(version))
