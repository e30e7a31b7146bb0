"""Writes on donor activities made by users: mapping an activity to pillars and actions of the
plan, and marking organisations women-led or grassroots.

Every function checks the caller's rights itself (the plan's coordinators and the
administrator: `PlanAccess.can_manage`); refusals raise PermissionDenied, bad input
ValidationError naming the item at fault, and nothing is changed in either case (each write is
one transaction, checked in full before anything is saved). The ValidationErrors are keyed by
the field "links" (the API lists each message as an error on that field).

The women-led and grassroots flags belong to the organisation, not to a plan: IATI data names
the same organisation in every plan that receives its activities, and what it is does not
depend on the plan. A coordinator may set them for organisations named in their plan's
activities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.iati import selectors
from wpsmonitor.iati.models import Activity, ActivityLink, Organisation

# The field the API names in its errors for every refusal here.
LINKS = "links"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


@dataclass(frozen=True)
class LinkIn:
    node: str  # framework node code
    share: str | Decimal | None = None  # percent of the activity's money; None: not apportioned


def _share(raw: str | Decimal | None, node: str) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(
            _("%(node)s: the share is a percentage such as 40 (got %(raw)s).")
            % {"node": node, "raw": raw}
        ) from None
    if not (Decimal(0) < value <= Decimal(100)):
        raise ValidationError(
            _("%(node)s: the share must be more than 0 and at most 100 percent.") % {"node": node}
        )
    return value.quantize(Decimal("0.01"))


@service
def activity_links_set(
    *, by: User, access: PlanAccess, activity: Activity, links: Sequence[LinkIn]
) -> list[ActivityLink]:
    """Map the activity to these pillars or actions of the plan (replacing its earlier links
    in this plan; an empty list removes them). Shares, when given, add up to at most 100."""
    _require(access.can_manage())
    if not selectors.plan_activities(access.plan).filter(pk=activity.pk).exists():
        raise ValidationError(
            {LINKS: _("This activity is not one of the plan's donor activities.")}
        )
    nodes = {n.code: n for n in selectors.mappable_nodes(access.plan)}
    problems: list[str] = []
    seen: set[str] = set()
    rows: list[ActivityLink] = []
    total = Decimal(0)
    for link in links:
        code = link.node.strip()
        node = nodes.get(code)
        if node is None:
            problems.append(
                _("%(node)s is not a pillar or an action of this plan.") % {"node": code or "-"}
            )
            continue
        if code in seen:
            problems.append(_("%(node)s is given twice.") % {"node": code})
            continue
        seen.add(code)
        try:
            share = _share(link.share, code)
        except ValidationError as exc:
            problems.extend(str(m) for m in exc.messages)
            continue
        total += share or 0
        rows.append(ActivityLink(activity=activity, node=node, share=share, created_by=by))
    if total > 100:
        problems.append(_("The shares add up to %(total)s%%, more than 100%%.") % {"total": total})
    if problems:
        raise ValidationError({LINKS: problems})
    ActivityLink.objects.filter(activity=activity, node__plan=access.plan).delete()
    ActivityLink.objects.bulk_create(rows)
    return list(
        ActivityLink.objects.filter(activity=activity, node__plan=access.plan)
        .select_related("node")
        .order_by("node__path")
    )


@service
def organisation_flags_set(
    *,
    by: User,
    access: PlanAccess,
    organisation: Organisation,
    women_led: bool,
    grassroots: bool,
) -> Organisation:
    """Say whether an organisation named in the plan's activities is women-led, grassroots."""
    _require(access.can_manage())
    if not selectors.plan_organisations(access.plan).filter(pk=organisation.pk).exists():
        # Keyed "links" too: the API has always answered so for this endpoint.
        raise ValidationError(
            {LINKS: _("This organisation is not named in the plan's donor activities.")}
        )
    organisation.women_led = bool(women_led)
    organisation.grassroots = bool(grassroots)
    organisation.save(update_fields=["women_led", "grassroots"])
    return organisation
