"""Filling a submission the way the entry form does: every field posted, as shown, with the
user's changes on top."""

from __future__ import annotations

from typing import Any

from wpsmonitor.indicators.models import Cell, Indicator
from wpsmonitor.reporting import services
from wpsmonitor.reporting.entry import Sheet, build_sheet, sheet_actions_typed
from wpsmonitor.reporting.models import Submission


def field(indicator: Indicator, cell_code: str, part: str = "v") -> str:
    cell = Cell.objects.get(scheme=indicator.scheme, code=cell_code)
    return f"{part}-{indicator.pk}-{cell.pk}"


def form_fields(sheet: Sheet) -> dict[str, str]:
    """What the browser posts for a sheet left as it is."""
    posted: dict[str, str] = {}
    for block in sheet.indicators:
        for cell in block.cells:
            row = cell.row
            for part, text in (
                ("v", row.value),
                ("n", row.numerator),
                ("d", row.denominator),
                ("t", row.text),
                ("c", row.comment),
            ):
                posted[f"{part}-{cell.field_id}"] = text
    for action in sheet.actions:
        posted[f"as-{action.action.pk}"] = action.status
        posted[f"ap-{action.action.pk}"] = action.percent_complete
        posted[f"an-{action.action.pk}"] = action.narrative
    return posted


def save(by: Any, submission: Submission, changes: dict[str, str]) -> services.SaveResult:
    typed = form_fields(build_sheet(submission)) | changes
    sheet = build_sheet(submission, typed=typed)
    return services.submission_save(
        by=by, submission=submission, rows=sheet.rows(), actions=sheet_actions_typed(sheet)
    )
