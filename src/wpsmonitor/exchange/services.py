"""The exchange layer's writes: moving a plan in from another system (docs/moving-in.md)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.exchange.movein.records import RecordFile
from wpsmonitor.exchange.movein.run import MoveInResult, movein_run
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, Source
from wpsmonitor.indicators.tasks import request_refresh
from wpsmonitor.plans.models import Plan


@service
def plan_move_in(
    *,
    by: User,
    plan: Plan,
    files: list[RecordFile],
    mapping_paths: list[Path] | None = None,
    dry_run: bool = False,
) -> MoveInResult:
    """A coordinator moves the plan's figures in from another system's export: records keyed
    by labels, matched to the plan's codes (the mapping sheet's lines and the plan's kept
    mapping first), imported all or nothing by the values import. `files` are read before
    this transaction (exchange.movein.records.read_records). Raises ImportFailed listing every
    problem, or ValidationError for a source the coordinator may not write; then nothing is
    stored. With labels unmatched, nothing is stored and the result holds the mapping sheet."""
    access = PlanAccess.load(by, plan)
    if not access.can_manage():
        raise PermissionDenied
    result = movein_run(
        plan=plan, files=files, mapping_paths=mapping_paths, user=by, dry_run=dry_run
    )
    if result.dry_run or result.batch_id is None:
        return result
    for source in Source.objects.filter(code__in=result.sources or {GOVERNMENT_SOURCE}):
        if not access.can_write_source(source):
            raise ValidationError(
                _("The file has figures of %(source)s, which only its organisation may give.")
                % {"source": source.name}
            )
    request_refresh(plan)
    return result
