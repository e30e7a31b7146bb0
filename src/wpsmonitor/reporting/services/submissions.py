"""The authors' side of a submission: start it, save figures into the draft, submit it.

Focal points save figures into their organisation's submission (a draft) and submit it to the
coordinator (see review); civil-society monitors publish theirs instead. Every row typed is
checked by the ingest service (the same checks as every import): valid rows are kept, refused
ones reported beside their cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.ingest import IngestError, ResolvedFigure
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, Source, SourceKind
from wpsmonitor.reporting import notifications
from wpsmonitor.reporting.checks import (
    SaveResult,
    by_key,
    draft_indicator_problems,
    rows_checked,
    submission_figures,
    submission_problems,
)
from wpsmonitor.reporting.entry import EntryRow
from wpsmonitor.reporting.models import (
    EventKind,
    ReportingRound,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    SubmissionValue,
)
from wpsmonitor.reporting.selectors import entry_window_open
from wpsmonitor.reporting.services._fact_table import figures_store, submission_applied
from wpsmonitor.reporting.services._rights import caller_access, require
from wpsmonitor.reporting.services.action_reports import action_reports_save


@service
def source_for(organisation: Organisation, *, civil_society: bool) -> Source:
    """The government stream for focal points; an organisation's own stream for monitors."""
    if not civil_society:
        return Source.objects.get(code=GOVERNMENT_SOURCE)
    source = Source.objects.filter(organisation=organisation).first()
    if source is None:
        source = Source.objects.create(
            code=f"cso-{organisation.code}"[:64],
            kind=SourceKind.CIVIL_SOCIETY,
            name=organisation.name,
            organisation=organisation,
        )
    return source


@service
def submission_start(
    *,
    by: User,
    round_: ReportingRound,
    organisation: Organisation,
    area: Area,
    civil_society: bool = False,
    access: PlanAccess | None = None,
) -> Submission:
    """The submission of an organisation for a round and area, created on first use."""
    access = caller_access(by, round_.plan, access)
    require(access.can_enter_for(organisation.pk, area, civil_society=civil_society))
    if not area.path.startswith(round_.plan.area.path):
        raise ValidationError(_("The area is outside the plan's area."))
    source = source_for(organisation, civil_society=civil_society)
    submission, created = Submission.objects.get_or_create(
        round=round_,
        organisation=organisation,
        area=area,
        source=source,
        defaults={"created_by": by},
    )
    if created:
        SubmissionEvent.objects.create(submission=submission, kind=EventKind.CREATED, actor=by)
    return submission


def _check_window(submission: Submission) -> None:
    if not entry_window_open(submission.round, submission.organisation_id):
        raise ValidationError(
            _("The round %(period)s is closed. Ask the coordinator for a late-entry exception.")
            % {"period": submission.round.period.code}
        )


def _figure(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


@service
def submission_save(
    *,
    by: User,
    submission: Submission,
    rows: Iterable[EntryRow],
    actions: Mapping[int, Mapping[str, Any]] | None = None,
    access: PlanAccess | None = None,
) -> SaveResult:
    """Store the figures of a draft: each valid row is kept, each refused one reported.

    A row with every figure blank removes that cell's figure. Changes are recorded in the
    submission's history (old and new figure, who, when).
    """
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    require(caller_access(by, submission.round.plan, access).can_edit_submission(submission))
    _check_window(submission)
    plan = submission.round.plan
    rows = list(rows)
    filled = [row for row in rows if not row.is_blank]
    problems, warnings = rows_checked(plan, filled)
    keys = [row.key for row in filled]
    result = SaveResult(problems=by_key(keys, problems), warnings=by_key(keys, warnings))
    existing = {
        (v.indicator_id, v.cell_id): v
        for v in SubmissionValue.objects.filter(submission=submission)
    }
    changes: list[dict[str, str]] = []
    for row in rows:
        if row.key in result.problems:
            continue
        old = existing.get(row.key)
        label = row.label
        if row.is_blank:
            if old is not None:
                changes.append({"what": label, "old": _stored_text(old), "new": ""})
                old.delete()
            continue
        new = row.parsed()
        if old is None:
            SubmissionValue.objects.create(
                submission=submission,
                indicator_id=row.indicator_id,
                cell_id=row.cell_id,
                period_id=row.period_id,
                **new,
            )
            changes.append({"what": label, "old": "", "new": _parsed_text(new)})
        elif any(getattr(old, name) != value for name, value in new.items()):
            before = _stored_text(old)
            for name, value in new.items():
                setattr(old, name, value)
            old.save()
            changes.append({"what": label, "old": before, "new": _parsed_text(new)})
    if actions:
        changes.extend(action_reports_save(submission, actions, result.action_problems))
    if changes:
        SubmissionEvent.objects.create(
            submission=submission, kind=EventKind.SAVED, actor=by, changes=changes
        )
        submission.save(update_fields=["updated_at"])
    result.changed = len(changes)
    return result


def _parsed_text(new: Mapping[str, Any]) -> str:
    if new.get("numerator") is not None or new.get("denominator") is not None:
        text = f"{_figure(new.get('numerator'))}/{_figure(new.get('denominator'))}"
    else:
        text = new.get("text_value") or _figure(new.get("value"))
    comment = new.get("comment")
    return f"{text} ({comment})" if comment else text


def _stored_text(value: SubmissionValue) -> str:
    return _parsed_text(
        {
            "value": value.value,
            "numerator": value.numerator,
            "denominator": value.denominator,
            "text_value": value.text_value,
            "comment": value.comment,
        }
    )


@service
def submission_submit(
    *, by: User, submission: Submission, note: str = "", access: PlanAccess | None = None
) -> SaveResult:
    """Send a draft to the coordinator; civil-society submissions are published instead."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    require(caller_access(by, submission.round.plan, access).can_edit_submission(submission))
    _check_window(submission)
    figures = submission_figures(submission)
    check = submission_problems(submission, figures)
    draft_indicator_problems(submission, check)
    if not check.ok:
        return check
    if not figures and not submission.actions.exists():
        raise ValidationError(_("There is nothing to submit yet: enter at least one figure."))
    now = timezone.now()
    if submission.source.kind != SourceKind.GOVERNMENT:
        _publish(submission, by, figures)
        submission.status, submission.decided_by, submission.decided_at = (
            SubmissionStatus.PUBLISHED,
            by,
            now,
        )
        submission.submitted_at = now
        submission.save()
        SubmissionEvent.objects.create(
            submission=submission, kind=EventKind.PUBLISHED, actor=by, note=note.strip()
        )
        return check
    submission.status, submission.submitted_at = SubmissionStatus.SUBMITTED, now
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    SubmissionEvent.objects.create(
        submission=submission, kind=EventKind.SUBMITTED, actor=by, note=note.strip()
    )
    transaction.on_commit(lambda: notifications.submitted(submission.pk))
    return check


def _publish(submission: Submission, by: User, figures: list[ResolvedFigure]) -> None:
    """Civil society's figures go out as they are: no reviewer stands between (they were
    checked just before, in the same transaction)."""
    try:
        figures_store(submission, by, figures, where="values[{row}]")
    except IngestError as exc:
        raise ValidationError(str(exc)) from None
    submission_applied(submission, by, figures)
