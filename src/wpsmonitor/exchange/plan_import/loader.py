"""Load a plan file's sections, sheet by sheet, in the order their rows depend on each other."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from wpsmonitor.exchange import formats as f
from wpsmonitor.exchange.plan_import.directory import areas_load, organisations_load
from wpsmonitor.exchange.plan_import.framework import framework_load, levels_load
from wpsmonitor.exchange.plan_import.indicators import (
    dimensions_load,
    indicators_load,
    sources_load,
)
from wpsmonitor.exchange.plan_import.plan import plan_fields_load
from wpsmonitor.exchange.plan_import.reader import PlanReader, Row, Sections, text
from wpsmonitor.exchange.plan_import.references import list_items_load, references_load
from wpsmonitor.indicators.ingest import ValueIngest
from wpsmonitor.indicators.models import Baseline, Target
from wpsmonitor.plans.models import Plan


@dataclass
class LoadedPlan:
    plan: Plan
    # Indicators whose own row is refused: their values are left unchecked (value_rows).
    refused_indicators: frozenset[str]


def load_plan(session: ValueIngest, sections: Sections) -> LoadedPlan | None:
    """Store the plan and everything but its values; None when the Plan sheet is refused."""
    reader = PlanReader(session, sections)
    organisations_load(reader)
    areas_load(reader)
    reader.plan = plan_fields_load(reader)
    if reader.plan is None:
        return None
    levels_load(reader)
    framework_load(reader)
    dimensions_load(reader)
    sources_load(reader)
    indicators_load(reader)
    references_load(reader, "Baselines", Baseline)
    references_load(reader, "Targets", Target)
    list_items_load(reader)
    return LoadedPlan(reader.plan, frozenset(reader.refused_indicators))


def value_rows(
    rows: Iterable[Row], plan_code: str, skip: frozenset[str] = frozenset()
) -> Iterable[tuple[int, list[Any]]]:
    """Values section rows as ingest rows; the workbook's plan fills an empty plan column.

    Rows of an indicator in `skip` (its own row was refused) are left out: that problem is
    reported once, not once per value."""
    for row, data in rows:
        if skip and isinstance(data, dict) and text(data.get("indicator")) in skip:
            continue
        values = [data.get(c) for c in f.VALUES.column_names]
        if text(values[0]) == "":
            values[0] = plan_code
        yield row, values
