"""The coordinator's decisions on a government submission: return it, approve it, unlock it.

The reviewer never edits the figures: a submission goes back to its authors with a note.
Approval writes the figures to the fact table (through the ingest service: the same checks as
every import, once) and asks for the aggregates to be rebuilt; an approved submission is
locked until the coordinator unlocks it, with a reason.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.indicators.ingest import IngestError
from wpsmonitor.reporting import notifications
from wpsmonitor.reporting.checks import (
    CHECK_CAP,
    by_key,
    figure_key,
    submission_figures,
    unexplained_outliers,
)
from wpsmonitor.reporting.models import EventKind, Submission, SubmissionEvent, SubmissionStatus
from wpsmonitor.reporting.services._fact_table import figures_store, submission_applied
from wpsmonitor.reporting.services._rights import caller_access, require


def _reviewable(
    by: User, submission: Submission, status: str, access: PlanAccess | None
) -> Submission:
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    require(caller_access(by, submission.round.plan, access).can_review_submission(submission))
    if submission.status != status:
        raise ValidationError(
            _("This submission is %(status)s; it cannot be changed that way.")
            % {"status": submission.get_status_display()}
        )
    return submission


def _decided(
    submission: Submission, by: User, status: str, kind: str, note: str, *, record: bool = True
) -> Submission:
    """A reviewer's decision: the new status, the event in the history, the authors told."""
    submission.status = status
    fields = ["status", "updated_at"]
    if record:
        submission.decided_by, submission.decided_at = by, timezone.now()
        fields += ["decided_by", "decided_at"]
    submission.save(update_fields=fields)
    SubmissionEvent.objects.create(submission=submission, kind=kind, actor=by, note=note.strip())
    transaction.on_commit(lambda: notifications.decided(submission.pk))
    return submission


@service
def submission_return(
    *, by: User, submission: Submission, note: str, access: PlanAccess | None = None
) -> Submission:
    """Send a submission back to its authors with a note; the reviewer never edits it."""
    if not note.strip():
        raise ValidationError(_("Say what needs revising: the note is required."))
    submission = _reviewable(by, submission, SubmissionStatus.SUBMITTED, access)
    return _decided(submission, by, SubmissionStatus.RETURNED, EventKind.RETURNED, note)


@service
def submission_approve(
    *, by: User, submission: Submission, note: str = "", access: PlanAccess | None = None
) -> Submission:
    """Approve: the figures go to the fact table, the submission is locked.

    The submission's stored figures go to the ingest service as they are (ids and numbers)
    and are checked once, on their way in. A figure refused, or an outlier without a comment
    (data changed under the submission, e.g. a scheme gained a dimension), refuses the
    approval: the author must fix it, and nothing is stored.
    """
    submission = _reviewable(by, submission, SubmissionStatus.SUBMITTED, access)
    figures = submission_figures(submission)
    no_longer_valid = _("This submission no longer passes validation; return it.")
    try:
        stored = figures_store(submission, by, figures, where="{row}", max_errors=CHECK_CAP)
    except IngestError:
        raise ValidationError(no_longer_valid) from None
    if stored is not None:
        keys = [figure_key(figure) for figure in figures]
        if unexplained_outliers(figures, by_key(keys, stored.warnings)):
            raise ValidationError(no_longer_valid)  # the transaction rolls the figures back
    submission_applied(submission, by, figures)
    return _decided(submission, by, SubmissionStatus.APPROVED, EventKind.APPROVED, note)


@service
def submission_unlock(
    *, by: User, submission: Submission, reason: str, access: PlanAccess | None = None
) -> Submission:
    """Reopen an approved submission for correction. Its approved figures stay official
    until the corrected submission is approved again."""
    if not reason.strip():
        raise ValidationError(_("Say why the submission is unlocked: the reason is required."))
    submission = _reviewable(by, submission, SubmissionStatus.APPROVED, access)
    # The approval stays on record (decided_by/at); the history holds the unlocking.
    return _decided(
        submission, by, SubmissionStatus.RETURNED, EventKind.UNLOCKED, reason, record=False
    )
