"""Reads of the standard report's own data (docs/reports.md)."""

from __future__ import annotations

from dataclasses import dataclass

from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.reports.models import ReportNarrative


@dataclass(frozen=True)
class Narrative:
    text: str
    language: str  # the language it is written in; may differ from the one asked for
    version: int


def narratives_for(
    plan: Plan, *, scope: str, year: int, language: str
) -> dict[int | None, Narrative]:
    """The latest narrative of each part of a report (None: the summary; else a node's pk), in
    `language` where written in it, else in the language written last (marked as such by its
    `language`). One query."""
    found: dict[int | None, Narrative] = {}
    rows = ReportNarrative.objects.filter(plan=plan, scope=scope, year=year).order_by(
        "node_id", "-written_at", "-version"
    )
    for row in rows:
        current = found.get(row.node_id)
        # Rows come newest first: the first one stands, unless a later one (older, but in the
        # language asked for) replaces one in another language.
        if current is None or (current.language != language and row.language == language):
            found[row.node_id] = Narrative(row.text, row.language, row.version)
    return found


def narrative_history(
    plan: Plan, *, scope: str, year: int, node: FrameworkNode | None, language: str
) -> list[ReportNarrative]:
    """Every version of one narrative, newest first."""
    return list(
        ReportNarrative.objects.filter(
            plan=plan, scope=scope, year=year, node=node, language=language
        ).order_by("-version")
    )
