"""Writes on releases (docs/publishing.md, "The release"). Every function checks the caller's
right (`PlanAccess.can_prepare_release`) itself and is one transaction; refusals raise
PermissionDenied, bad input ValidationError, and nothing is changed in either case.

The life of a release: prepared (a draft, with its disclosure audit; preparing again replaces
the draft) → published (confirmed, once every problem of its audit is resolved; never changed
again) → withdrawn (with a reason; its figures are read by no one, the API answers 410).
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.boards.models import Board, PeriodicReport, ReportStatus
from wpsmonitor.core.services import service
from wpsmonitor.plans.models import Plan
from wpsmonitor.publishing import builder, opendata
from wpsmonitor.publishing.models import DisclosureAuditEntry, Release, ReleaseStatus
from wpsmonitor.publishing.signals import release_published
from wpsmonitor.shell.public_cache import bump_public_generation

REASON_MAX = 2_000
NOTE_MAX = 2_000


def _require(by: User, plan: Plan) -> None:
    if not PlanAccess.load(by, plan).can_prepare_release():
        raise PermissionDenied(_("Only the plan's coordinator may prepare and publish releases."))


@service
def release_prepare(*, by: User, plan: Plan) -> Release:
    """A draft release of the plan's figures after disclosure control, with its audit.

    An existing draft is replaced (same number): only published releases are kept.
    """
    _require(by, plan)
    draft = Release.objects.filter(plan=plan, status=ReleaseStatus.DRAFT).first()
    if draft is not None:
        number = draft.number
        draft.delete()
    else:
        number = (Release.objects.filter(plan=plan).aggregate(m=Max("number"))["m"] or 0) + 1
    previous = (
        Release.objects.filter(plan=plan, status=ReleaseStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )
    release = Release.objects.create(
        plan=plan,
        number=number,
        prepared_by=by,
        prepared_at=timezone.now(),
        previous=previous,
    )
    builder.build(release)
    return release


def _cosigned_report(plan: Plan) -> PeriodicReport | None:
    """The co-signed report a release accompanies when the plan's board must co-sign.

    None when the plan has no such board. ValidationError when it has one and no report was
    co-signed (published) yet.
    """
    board = Board.objects.filter(plan=plan, requires_cosignature=True).first()
    if board is None:
        return None
    report = (
        PeriodicReport.objects.filter(plan=plan, status=ReportStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )
    if report is None:
        raise ValidationError(
            _(
                "The plan's board co-signs what is published: a release accompanies a "
                "co-signed periodic report, and none is published yet."
            )
        )
    return report


@service
def release_publish(*, by: User, release: Release, confirm: bool) -> Release:
    """Publish a draft: confirmed, with no unresolved problem in its disclosure audit."""
    # It adds a release and hides nothing: readers may get the previous pages while the new
    # ones are drawn (shell/public_cache.py), rather than all wait for them together.
    bump_public_generation(keep_previous=True)
    release = Release.objects.select_for_update().select_related("plan").get(pk=release.pk)
    _require(by, release.plan)
    if release.status != ReleaseStatus.DRAFT:
        raise ValidationError(_("Only a draft release can be published; this one is not."))
    if not confirm:
        raise ValidationError(
            {"confirm": _("Publishing cannot be undone: confirm that the release may go public.")}
        )
    open_problems = DisclosureAuditEntry.objects.filter(
        release=release, problem=True, resolved=False
    ).count()
    if open_problems:
        raise ValidationError(
            _(
                "The disclosure audit has %(count)s unresolved problem(s): a suppressed figure "
                "can still be worked out. Resolve each one before publishing."
            )
            % {"count": open_problems}
        )
    release.board_report = _cosigned_report(release.plan)
    release.status = ReleaseStatus.PUBLISHED
    release.published_by = by
    release.published_at = timezone.now()
    release.save(update_fields=["status", "published_by", "published_at", "board_report"])
    release_published.send(sender=Release, release=release)
    return release


@service
def release_withdraw(*, by: User, release: Release, reason: str) -> Release:
    """Withdraw a published release (a harm found after publication): no one reads it again."""
    bump_public_generation()
    release = Release.objects.select_for_update().select_related("plan").get(pk=release.pk)
    _require(by, release.plan)
    reason = (reason or "").strip()
    if release.status != ReleaseStatus.PUBLISHED:
        raise ValidationError(_("Only a published release can be withdrawn."))
    if not reason:
        raise ValidationError({"reason": _("Say why the release is withdrawn.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(max)s characters.") % {"max": REASON_MAX}}
        )
    release.status = ReleaseStatus.WITHDRAWN
    release.withdrawn_by = by
    release.withdrawn_at = timezone.now()
    release.withdrawal_reason = reason
    release.save(update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawal_reason"])
    # Its kept open-data files go too (they are never served once withdrawn, whatever happens).
    transaction.on_commit(partial(opendata.forget, release))
    return release


@service
def audit_resolve(*, by: User, entry: DisclosureAuditEntry, note: str) -> DisclosureAuditEntry:
    """Resolve a problem of a draft's disclosure audit, saying how (a note is required)."""
    entry = DisclosureAuditEntry.objects.select_related("release__plan").get(pk=entry.pk)
    _require(by, entry.release.plan)
    note = (note or "").strip()
    if entry.release.status != ReleaseStatus.DRAFT:
        raise ValidationError(_("A published release is never changed."))
    if not entry.problem:
        raise ValidationError(_("Only a problem of the audit needs resolving."))
    if not note:
        raise ValidationError({"note": _("Say how the problem was resolved.")})
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep the note under %(max)s characters.") % {"max": NOTE_MAX}}
        )
    entry.resolved = True
    entry.resolution_note = note
    entry.resolved_by = by
    entry.resolved_at = timezone.now()
    entry.save(update_fields=["resolved", "resolution_note", "resolved_by", "resolved_at"])
    return entry
