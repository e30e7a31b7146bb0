"""Writes of field collection: a form sent, a batch received, a batch imported as a draft.

The import goes through the reporting services (`submission_start`, `submission_save`), as a
focal point typing the same figures into the entry sheet would: the same rights (only the
authors' side writes a draft), the same checks, the same history (one "saved" event an
instance). It is all or nothing: a batch with one problem stores nothing, and names every
problem as "submission <instanceID>: field <name>: message". Instances already imported (by
instanceID) are skipped; a form made from another version of the framework is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.errors import InputProblems, LocatedProblem
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.fieldcollection.models import FieldBatch, FieldForm, FieldInstance
from wpsmonitor.fieldcollection.records import Record, flatten, instance_id, submitted_at
from wpsmonitor.fieldcollection.xlsform import (
    ASSIGNMENT_FIELD,
    ROUND_FIELD,
    VERSION_FIELD,
    FormSpec,
    form_spec,
    is_form_field,
)
from wpsmonitor.reporting import services as reporting
from wpsmonitor.reporting.entry import build_sheet, sheet_actions_typed, sheet_fields
from wpsmonitor.reporting.models import ReportingRound, Submission

# The entry sheet's columns, as the ingest service names them, and the field parts.
_PARTS = {"value": "v", "numerator": "n", "denominator": "d", "text": "t", "comment": "c"}


class FieldImportRefused(InputProblems):
    """A batch refused, nothing stored: each problem names its submission and field."""

    def lines(self) -> list[str]:
        return [p.message for p in self.located()]


def _access(by: User, round_: ReportingRound, access: PlanAccess | None) -> PlanAccess:
    if access is None or access.plan.pk != round_.plan_id or access.user != by:
        return PlanAccess.load(by, round_.plan)
    return access


def _line(instance: str, name: str, message: str) -> str:
    return _("submission %(instance)s: field %(field)s: %(message)s") % {
        "instance": instance,
        "field": name,
        "message": message,
    }


@service
def form_sent(
    *,
    by: User,
    round_: ReportingRound,
    organisation: Organisation,
    area: Area,
    server: str,
    spec: FormSpec,
    reference: str,
    access: PlanAccess | None = None,
) -> FieldForm:
    """Record the form a coordinator put on the collection server (its reference there)."""
    if not _access(by, round_, access).can_use_field_server():
        raise PermissionDenied
    form, _created = FieldForm.objects.update_or_create(
        round=round_,
        organisation=organisation,
        area=area,
        server=server,
        defaults={
            "form_id": spec.form_id,
            "version": spec.version,
            "reference": reference,
            "sent_by": by,
        },
    )
    return form


@service
def batch_receive(
    *,
    by: User,
    form: FieldForm,
    records: Sequence[Record],
    access: PlanAccess | None = None,
) -> FieldBatch:
    """Keep what a pull brought, until a focal point of the organisation imports it."""
    if not _access(by, form.round, access).can_use_field_server():
        raise PermissionDenied
    return FieldBatch.objects.create(
        round=form.round,
        organisation=form.organisation,
        area=form.area,
        origin=form.server,
        records=list(records),
        received_by=by,
    )


@service
def records_import(
    *,
    by: User,
    round_: ReportingRound,
    organisation: Organisation,
    area: Area,
    records: Sequence[Record],
    origin: str,
    filename: str = "",
    access: PlanAccess | None = None,
) -> FieldBatch:
    """Import submissions received now (an uploaded export, a focal point's own pull)."""
    access = _access(by, round_, access)
    if not access.can_enter_for(organisation.pk, area, civil_society=False):
        raise PermissionDenied
    batch = FieldBatch.objects.create(
        round=round_,
        organisation=organisation,
        area=area,
        origin=origin,
        filename=filename[:255],
        records=list(records),
        received_by=by,
    )
    return batch_import(by=by, batch=batch, access=access)


@service
def batch_import(*, by: User, batch: FieldBatch, access: PlanAccess | None = None) -> FieldBatch:
    """Save a batch's submissions into the assignment's draft: all of them, or none."""
    batch = FieldBatch.objects.select_for_update().get(pk=batch.pk)
    round_ = batch.round
    access = _access(by, round_, access)
    if not access.can_enter_for(batch.organisation_id, batch.area, civil_society=False):
        raise PermissionDenied
    if not batch.is_pending:
        raise ValidationError(_("This batch is imported already."))
    spec = form_spec(round_, batch.organisation, batch.area, language="en")
    submission = reporting.submission_start(
        by=by, round_=round_, organisation=batch.organisation, area=batch.area, access=access
    )
    known = set(
        FieldInstance.objects.filter(plan=round_.plan).values_list("instance_id", flat=True)
    )
    problems: list[LocatedProblem] = []
    imported: list[str] = []
    skipped = 0
    flat = [flatten(r) if isinstance(r, dict) else {} for r in batch.records]
    ordered = sorted(enumerate(flat), key=lambda item: submitted_at(item[1]))
    for index, record in ordered:
        found = instance_id(record)
        where = found or _("#%(number)s (no instanceID)") % {"number": index + 1}
        if not found:
            problems.append(
                LocatedProblem(
                    index, "instanceID", _line(where, "instanceID", _("the instance has no ID"))
                )
            )
            continue
        if found in known:
            skipped += 1
            continue
        known.add(found)
        record_problems = _record_checked(spec, record, where)
        if not record_problems:
            record_problems = _record_saved(by, access, submission, spec, record, where)
        problems.extend(LocatedProblem(index, name, text) for name, text in record_problems)
        if not record_problems:
            imported.append(found)
    if problems:
        raise FieldImportRefused(
            ngettext(
                "%(count)d problem: nothing was imported.",
                "%(count)d problems: nothing was imported.",
                len(problems),
            )
            % {"count": len(problems)},
            problems,
        )
    FieldInstance.objects.bulk_create(
        FieldInstance(plan=round_.plan, instance_id=i, batch=batch, submission=submission)
        for i in imported
    )
    batch.imported_by, batch.imported_at = by, timezone.now()
    batch.submission = submission
    batch.imported, batch.skipped = len(imported), skipped
    batch.save()
    return batch


def _record_checked(spec: FormSpec, record: Mapping[str, str], where: str) -> list[tuple[str, str]]:
    """The form's identity: its framework version, round and assignment; unknown fields."""
    version = record.get(VERSION_FIELD, "")
    if version != spec.version:
        return [
            (
                VERSION_FIELD,
                _line(
                    where,
                    VERSION_FIELD,
                    _(
                        "the form was made from another version of the framework "
                        "(%(form)s; now %(now)s): download the XLSForm again and collect with it"
                    )
                    % {"form": version or "-", "now": spec.version},
                ),
            )
        ]
    found = []
    for name, expected in (
        (ROUND_FIELD, spec.round.period.code),
        (ASSIGNMENT_FIELD, spec.assignment),
    ):
        if record.get(name, "") != expected:
            found.append(
                (
                    name,
                    _line(
                        where,
                        name,
                        _("%(given)r is not this form's %(expected)r")
                        % {"given": record.get(name, ""), "expected": expected},
                    ),
                )
            )
    for name in record:
        if is_form_field(name) and name not in spec.fields:
            found.append((name, _line(where, name, _("not a field of this form"))))
    return found


def _record_saved(
    by: User,
    access: PlanAccess,
    submission: Submission,
    spec: FormSpec,
    record: Mapping[str, str],
    where: str,
) -> list[tuple[str, str]]:
    """Save one instance into the draft through the entry sheet; its problems by field. A
    blank field leaves the figure the draft holds (an instance need not repeat another's)."""
    sheet = build_sheet(submission, references=False)
    typed = sheet_fields(sheet)
    by_key: dict[str, str] = {}
    for name, form_field in spec.fields.items():
        if not form_field.key:
            continue
        by_key[form_field.key] = name
        value = (record.get(name) or "").strip()
        if value:
            typed[form_field.key] = value
    sheet = build_sheet(submission, typed=typed, references=False)
    result = reporting.submission_save(
        by=by,
        submission=submission,
        rows=sheet.rows(),
        actions=sheet_actions_typed(sheet),
        access=access,
    )
    found = []
    for (indicator_id, cell_id), problems in result.problems.items():
        for problem in problems:
            part = _PARTS.get(problem.column, "v")
            name = by_key.get(f"{part}-{indicator_id}-{cell_id}") or by_key.get(
                f"v-{indicator_id}-{cell_id}", f"{indicator_id}-{cell_id}"
            )
            found.append((name, _line(where, name, problem.message)))
    for action_id, messages in result.action_problems.items():
        name = by_key.get(f"as-{action_id}", str(action_id))
        found.extend((name, _line(where, name, message)) for message in messages)
    return found
