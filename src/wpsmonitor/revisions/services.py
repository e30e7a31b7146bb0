"""Writes of plan revisions (docs/revisions.md). Each is one transaction, rights checked here
through accounts/access.py. An approved version is never changed: only a draft is written to.

Version 1 is recorded lazily: when the coordinator prepares the first revision, the framework
as it stands becomes version 1 ("as adopted"), approved on the plan's adoption date.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import TOTAL_CELL, Cell, Indicator, Period, TargetChange
from wpsmonitor.indicators.services import NO_DISAGGREGATION
from wpsmonitor.indicators.tasks import request_refresh
from wpsmonitor.plans.models import PlanVersion, VersionKind, VersionStatus
from wpsmonitor.plans.versions import board_cosigned, content_hash
from wpsmonitor.revisions.selectors import difference, framework_snapshot, previous_version
from wpsmonitor.shell.public_cache import bump_public_generation

if TYPE_CHECKING:
    from wpsmonitor.accountability.models import Review
    from wpsmonitor.accounts.access import PlanAccess

REVISION_KINDS = (VersionKind.MIDTERM, VersionKind.GENERATION, VersionKind.CORRECTION)


def _reviser(access: PlanAccess) -> None:
    if not access.can_revise_framework():
        raise PermissionDenied(_("Only the plan's coordinator revises its framework."))


def _draft(access: PlanAccess, version: PlanVersion) -> None:
    _reviser(access)
    if version.plan_id != access.plan.pk:
        raise PermissionDenied(_("This version belongs to another plan."))
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("An approved version is never changed: prepare a new revision."))


def _signed_in(access: PlanAccess) -> User | None:
    user = access.user
    return user if isinstance(user, User) else None


def _first_version(access: PlanAccess) -> PlanVersion:
    plan = access.plan
    first = PlanVersion.objects.filter(plan=plan).order_by("number").first()
    if first is not None:
        return first
    adopted = plan.adopted_on or plan.start
    return PlanVersion.objects.create(
        plan=plan,
        number=1,
        kind=VersionKind.ADOPTED,
        status=VersionStatus.CURRENT,
        snapshot=framework_snapshot(plan),
        approved_at=timezone.make_aware(datetime.datetime.combine(adopted, datetime.time())),
    )


@service
def revision_prepare(
    *,
    access: PlanAccess,
    kind: str,
    reason: str = "",
    review: Review | None = None,
    board_cosign_required: bool = False,
) -> PlanVersion:
    """Open the draft of the plan's next version; the framework is then edited as usual
    (workbook or site) and the draft compared with the current version until approved."""
    _reviser(access)
    plan = access.plan
    if kind not in REVISION_KINDS:
        raise ValidationError(
            _("Give the kind of revision: %(kinds)s.") % {"kinds": ", ".join(REVISION_KINDS)}
        )
    if review is not None and review.plan_id != plan.pk:
        raise ValidationError(_("The review belongs to another plan."))
    if len(reason) > 5000:
        raise ValidationError(_("Keep the reason under 5,000 characters."))
    _first_version(access)
    if PlanVersion.objects.filter(plan=plan, status=VersionStatus.DRAFT).exists():
        raise ValidationError(
            _("A revision is already being prepared: approve or abandon it first.")
        )
    number = (PlanVersion.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0) + 1
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        kind=kind,
        status=VersionStatus.DRAFT,
        reason=reason.strip(),
        review=review,
        board_cosign_required=board_cosign_required,
        prepared_by=_signed_in(access),
    )


@service
def indicator_drop(*, access: PlanAccess, version: PlanVersion, indicator: Indicator) -> Indicator:
    """Drop an indicator in a draft revision: it leaves the framework's next version but is
    never deleted, so its figures keep their history."""
    _draft(access, version)
    if indicator.plan_id != version.plan_id or indicator.owner_organisation_id is not None:
        raise ValidationError(_("Only the plan's own indicators are dropped by a revision."))
    if indicator.retired_in_id is not None:
        raise ValidationError(_("This indicator has already been dropped."))
    indicator.retired_in = version
    indicator.save(update_fields=["retired_in", "updated_at"])
    bump_public_generation()
    return indicator


@service
def indicator_keep(*, access: PlanAccess, version: PlanVersion, indicator: Indicator) -> Indicator:
    """Undo the drop of an indicator while its revision is a draft."""
    _draft(access, version)
    if indicator.retired_in_id != version.pk:
        raise ValidationError(_("This draft did not drop this indicator."))
    indicator.retired_in = None
    indicator.save(update_fields=["retired_in", "updated_at"])
    bump_public_generation()
    return indicator


@service
def revision_approve(
    *, access: PlanAccess, version: PlanVersion, at: datetime.datetime | None = None
) -> PlanVersion:
    """Approve a draft: the live framework is frozen into it, it becomes current and the
    version before is superseded; each target it changed is recorded with the version and the
    moment, so the periods already over keep the target then in force."""
    _draft(access, version)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("An approved version is never changed: prepare a new revision."))
    at = at or timezone.now()
    before = previous_version(version)
    if version.board_cosign_required and not board_cosigned(version, content_hash(version)):
        if version.board_cosigned_at is not None:
            raise ValidationError(
                _(
                    "The draft changed after the board co-signed it: the board must sign it "
                    "again as it now stands (a government and a civil-society member) before "
                    "you approve it."
                )
            )
        raise ValidationError(
            _(
                "The plan requires the monitoring board's co-signature of this version: a "
                "government and a civil-society member of the board must both sign it before "
                "you approve it."
            )
        )
    snapshot = framework_snapshot(version.plan)
    if before is not None and before.snapshot is not None:
        if before.approved_at is not None and at <= before.approved_at:
            raise ValidationError(_("A version is approved after the one before it."))
        _record_target_changes(version, before.snapshot, snapshot, at)
        PlanVersion.objects.filter(pk=before.pk).update(status=VersionStatus.SUPERSEDED)
    version.snapshot = snapshot
    version.status = VersionStatus.CURRENT
    version.approved_at = at
    version.approved_by = _signed_in(access)
    version.save(update_fields=["snapshot", "status", "approved_at", "approved_by"])
    # The roll-up leaves the dropped indicators out and measures against the new targets from
    # here on: a whole rebuild, since a target change touches every node above it.
    request_refresh(version.plan)
    bump_public_generation()
    return version


def _record_target_changes(
    version: PlanVersion, before: dict[str, Any], after: dict[str, Any], at: datetime.datetime
) -> None:
    changed = difference(before, after).targets_changed
    if not changed:
        return
    indicators = {
        code: (pk, scheme)
        for code, pk, scheme in Indicator.objects.filter(plan=version.plan).values_list(
            "code", "pk", "scheme_id"
        )
    }
    periods = dict(
        Period.objects.filter(code__in={c.period for c in changed}).values_list("code", "pk")
    )
    areas = dict(Area.objects.filter(code__in={c.area for c in changed}).values_list("code", "pk"))
    cells = {
        (scheme, code): pk
        for scheme, code, pk in Cell.objects.filter(
            scheme_id__in={s for _pk, s in indicators.values()}
        ).values_list("scheme_id", "code", "pk")
    }
    # A total target lives on the no-disaggregation scheme's total cell, whatever the scheme.
    total_cell = (
        Cell.objects.filter(scheme__code=NO_DISAGGREGATION, code=TOTAL_CELL)
        .values_list("pk", flat=True)
        .first()
    )
    rows = []
    for c in changed:
        if c.indicator not in indicators:
            continue
        pk, scheme = indicators[c.indicator]
        cell = cells.get((scheme, c.cell)) or (total_cell if c.cell == TOTAL_CELL else None)
        if c.period in periods and c.area in areas and cell is not None:
            rows.append(
                TargetChange(
                    indicator_id=pk,
                    period_id=periods[c.period],
                    area_id=areas[c.area],
                    cell_id=cell,
                    old_value=c.before,
                    new_value=c.after,
                    version=version,
                    changed_at=at,
                )
            )
    TargetChange.objects.bulk_create(rows)


@service
def revision_abandon(*, access: PlanAccess, version: PlanVersion) -> PlanVersion:
    """Abandon a draft: it stays in the list, marked abandoned with who and when (history is
    never rewritten), and never becomes current. The indicators it dropped are back in the
    framework (nothing else depends on a draft's drop: only an approval records target
    changes). Edits made to the live framework while it was open stay: the draft is the live
    framework (docs/revisions.md, "Abandoning a draft")."""
    _draft(access, version)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("An approved version is never changed: prepare a new revision."))
    Indicator.objects.filter(retired_in=version).update(retired_in=None, updated_at=timezone.now())
    version.status = VersionStatus.ABANDONED
    version.abandoned_at = timezone.now()
    version.abandoned_by = _signed_in(access)
    version.save(update_fields=["status", "abandoned_at", "abandoned_by"])
    bump_public_generation()
    return version
