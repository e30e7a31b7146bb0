"""Filling a submission the way the entry form does: every field posted, as shown, with the
user's changes on top."""

from __future__ import annotations

from typing import Any

from wpsmonitor.indicators.models import Cell, Indicator
from wpsmonitor.reporting import services
from wpsmonitor.reporting.entry import build_sheet, sheet_actions_typed, sheet_fields
from wpsmonitor.reporting.models import Submission


def field(indicator: Indicator, cell_code: str, part: str = "v") -> str:
    cell = Cell.objects.get(scheme=indicator.scheme, code=cell_code)
    return f"{part}-{indicator.pk}-{cell.pk}"


def save(by: Any, submission: Submission, changes: dict[str, str]) -> services.SaveResult:
    typed = sheet_fields(build_sheet(submission)) | changes
    sheet = build_sheet(submission, typed=typed)
    return services.submission_save(
        by=by, submission=submission, rows=sheet.rows(), actions=sheet_actions_typed(sheet)
    )
