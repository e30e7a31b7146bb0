"""A submission's figures and action reports in the official tables, on approval (government)
or publication (civil society).

The figures go through the ingest service's typed entry point (figures_ingest): the checks of
every import, once, then the same batch and audit rows as every import; nothing is turned back
into text on the way.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone

from wpsmonitor.indicators.ingest import IngestResult, ResolvedFigure, figures_ingest
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    AuditAction,
    DataValue,
    DataValueAudit,
    Indicator,
)
from wpsmonitor.indicators.tasks import request_refresh
from wpsmonitor.plans.models import ActionStatus
from wpsmonitor.reporting.models import ActionProgress, Submission


def _batch_name(submission: Submission) -> str:
    """The batch (and audit reason) of a submission's figures: how a later approval of the
    same submission finds what an earlier one wrote."""
    return f"submission {submission.pk}"


def figures_store(
    submission: Submission,
    by: User,
    figures: list[ResolvedFigure],
    *,
    where: str,
    max_errors: int | None = None,
) -> IngestResult | None:
    """Store the submission's figures in the fact table, replacing what it wrote before (None
    when it has none). Raises IngestError, storing nothing, if any figure is refused."""
    if not figures:
        return None
    return figures_ingest(
        figures=figures,
        plan=submission.round.plan.code,
        # The author stored the figures; the reviewer only let them through.
        user=submission.created_by or by,
        kind="submission",
        filename=_batch_name(submission),
        where=where,
        max_errors=max_errors,
    )


def submission_applied(submission: Submission, by: User, figures: list[ResolvedFigure]) -> None:
    """What follows the stored figures: the figures this submission no longer has are deleted
    (and audited), its action reports become the actions' progress, and the aggregates of the
    indicators it touched are rebuilt."""
    dropped = _delete_dropped(submission, figures, by)
    _action_progress_record(submission)
    # Only what this submission touched: in seconds on the dashboards, even on a big plan.
    touched = {figure.indicator_id for figure in figures} | dropped
    request_refresh(submission.round.plan, touched)


def _action_progress_record(submission: Submission) -> None:
    for report in submission.actions.select_related("action"):
        ActionProgress.objects.update_or_create(
            action=report.action,
            period=submission.round.period,
            area=submission.area,
            source=submission.source,
            organisation=submission.organisation,
            defaults={
                "submission": submission,
                "status": report.status,
                "percent_complete": report.percent_complete,
                "narrative": report.narrative,
                # Civil society's score, published with its figures (empty for government).
                "assessment": report.assessment,
            },
        )
        # The action's own status follows the latest approved government report on it (the
        # report of the organisation it is assigned to); civil society's stays beside it.
        official = submission.source.code == GOVERNMENT_SOURCE
        if official and report.status:
            node = report.action
            node.status = report.status
            node.percent_complete = (
                100 if report.status == ActionStatus.COMPLETED else report.percent_complete
            )
            node.save(update_fields=["status", "percent_complete", "updated_at"])


def _delete_dropped(submission: Submission, figures: list[ResolvedFigure], by: User) -> set[int]:
    """Delete the values an earlier approval of this submission wrote and it no longer holds;
    returns their indicators."""
    kept = {(figure.indicator_id, figure.period_id, figure.cell_id) for figure in figures}
    indicator_ids = list(
        Indicator.objects.filter(plan=submission.round.plan).values_list("pk", flat=True)
    )
    earlier = DataValue.objects.filter(
        indicator_id__in=indicator_ids,
        area=submission.area,
        source=submission.source,
        batch__kind="submission",
        batch__filename=_batch_name(submission),
    )
    now = timezone.now()
    touched: set[int] = set()
    for value in earlier:
        if (value.indicator_id, value.period_id, value.cell_id) in kept:
            continue
        touched.add(value.indicator_id)
        DataValueAudit.objects.create(
            indicator_id=value.indicator_id,
            period_id=value.period_id,
            area_id=value.area_id,
            cell_id=value.cell_id,
            source_id=value.source_id,
            action=AuditAction.DELETE,
            old_value=value.value,
            old_numerator=value.numerator,
            old_denominator=value.denominator,
            old_text=value.text_value,
            changed_by=by,
            changed_at=now,
            reason=_batch_name(submission),
        )
        value.delete()
    return touched
