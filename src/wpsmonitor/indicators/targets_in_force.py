"""The target in force for a period (docs/revisions.md, "Targets in force").

The Target row holds the value in force now. A revision that changed it left a TargetChange
with the value before and the moment it changed; a period that ended before that moment is
measured against the value before, so a revision never moves the yardstick of periods already
over. Of several changes after the period's end, the earliest one's value before is the one
that was in force when the period ended.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import TOTAL_CELL, Cell, Indicator, Period, Target, TargetChange

# Absent: the period's value is the one in the Target row. None: there was no target then.
_NO_OVERRIDE = object()


def overrides(indicator_ids: Iterable[int]) -> dict[tuple[int, str, int, str], float | None]:
    """{(indicator id, period code, area id, cell code): value in force at the period's end}
    for every target a revision changed after its period ended."""
    found: dict[tuple[int, str, int, str], float | None] = {}
    changes = (
        TargetChange.objects.filter(indicator_id__in=list(indicator_ids))
        .order_by("-changed_at", "-pk")
        .values(
            "indicator_id",
            "period__code",
            "period__end",
            "area_id",
            "cell__code",
            "old_value",
            "changed_at",
        )
    )
    for row in changes:
        if row["period__end"] < row["changed_at"].date():
            # Latest first: the earliest change after the period's end writes last.
            key = (row["indicator_id"], row["period__code"], row["area_id"], row["cell__code"])
            found[key] = row["old_value"]
    return found


def target_in_force(
    indicator: Indicator,
    period: Period,
    area: Area | None = None,
    cell: Cell | None = None,
) -> float | None:
    """The target of `indicator` for `period` (its plan's area and the total cell unless given)
    as it stood when the period ended; None when there was none."""
    area_id = area.pk if area is not None else indicator.plan.area_id
    cell_code = cell.code if cell is not None else TOTAL_CELL
    found = overrides([indicator.pk]).get(
        (indicator.pk, period.code, area_id, cell_code), _NO_OVERRIDE
    )
    if found is not _NO_OVERRIDE:
        return found  # type: ignore[return-value]
    row: Any = (
        Target.objects.filter(
            indicator=indicator, period=period, area_id=area_id, cell__code=cell_code
        )
        .values("value", "numerator", "denominator")
        .first()
    )
    if row is None:
        return None
    return reference_value(row, indicator.factor)


def reference_value(row: Mapping[str, Any], factor: float) -> float | None:
    """A target's or baseline's value: its value, or a percentage's numerator / denominator."""
    if row["value"] is not None:
        return float(row["value"])
    if row["numerator"] is not None and row["denominator"]:
        return float(row["numerator"] / row["denominator"] * factor)
    return None
