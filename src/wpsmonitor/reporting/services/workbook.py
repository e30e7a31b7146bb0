"""The plan workbook: a coordinator edits the framework and loads official figures from it."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.exchange.importer import ImportSummary, ReadFile, import_read, read_files
from wpsmonitor.indicators.models import DataValue, Source, SourceKind
from wpsmonitor.indicators.tasks import request_refresh
from wpsmonitor.plans.models import Plan
from wpsmonitor.reporting.services._rights import require


@service
def plan_workbook_import(
    *, by: User, plan: Plan, path: Path, read: list[ReadFile] | None = None
) -> ImportSummary:
    """A coordinator edits the framework (and loads official figures) from the plan workbook:
    the same importer as `wpsmonitor import`, all or nothing, limited to this plan and to the
    source streams the coordinator may write. Raises ImportFailed or ValidationError; then
    nothing is stored.

    `read` is the workbook as `read_files([path])` read it before this transaction (what the
    page does: the parse is the slow part, and the write lock is held from the transaction's
    start on SQLite); without it the workbook is read here."""
    access = PlanAccess.load(by, plan)
    require(access.can_manage())
    streams = list(
        Source.objects.exclude(kind=SourceKind.GOVERNMENT).values(
            "code", "kind", "name", "organisation_id"
        )
    )
    summary = import_read(files=read if read is not None else read_files([path]), user=by)
    for before in streams:
        after = (
            Source.objects.filter(code=before["code"])
            .values("code", "kind", "name", "organisation_id")
            .first()
        )
        if after != before and not access.admin:
            raise ValidationError(
                _("The workbook changes the source %(code)s, which belongs to its organisation.")
                % {"code": before["code"]}
            )
    other_plans = summary.plan_ids - {plan.pk}
    if other_plans:
        raise ValidationError(
            _("This workbook is for another plan (%(codes)s); upload it on that plan's page.")
            % {
                "codes": ", ".join(
                    Plan.objects.filter(pk__in=other_plans).values_list("code", flat=True)
                )
            }
        )
    written = DataValue.objects.filter(batch_id=summary.batch_id)
    if written.exclude(indicator__plan=plan).exists():
        raise ValidationError(_("The workbook has values of another plan."))
    for source in Source.objects.filter(pk__in=written.values("source_id")):
        if not access.can_write_source(source):
            raise ValidationError(
                _(
                    "The workbook changes values of %(source)s, which only its organisation may change."
                )
                % {"source": source.name}
            )
    request_refresh(plan)
    return summary
