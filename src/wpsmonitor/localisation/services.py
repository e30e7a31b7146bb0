"""Writes of localisation (docs/localisation.md): a local plan made from its national plan by
copy-down, and the local coordinator's decision on a national change offered as a proposal.

The proposals themselves are opened by the services that change a national node or indicator
(plans.services.node_update, indicators.services.indicator_update and target_set, through
plans.proposals), in their own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess, copy_down_maker_access
from wpsmonitor.accounts.models import Role
from wpsmonitor.core.services import service
from wpsmonitor.core.translated import text_set
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.models import TOTAL_CELL, Indicator, IndicatorKind
from wpsmonitor.indicators.services import indicator_create, target_set
from wpsmonitor.plans.models import (
    FrameworkNode,
    LocalisationProposal,
    Plan,
    PlanKind,
    ProposalStatus,
)
from wpsmonitor.plans.proposals import original_text
from wpsmonitor.plans.services import node_create, plan_create
from wpsmonitor.reporting.services import role_grant

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The kinds of plans made by copy-down (a province or district: local; a ministry or an
# institution: institutional).
COPY_DOWN_KINDS = (PlanKind.LOCAL, PlanKind.INSTITUTIONAL)
# Indicators computed from others are not copied: their formulas and shares name indicators of
# the national plan; the local plan derives its own from the indicators it copied.
NOT_COPIED_KINDS = (IndicatorKind.FORMULA, IndicatorKind.SHARE)
# Kinds whose national target is copied as the local plan's (a rate, a stage); a national
# count is the country's and never a province's.
TARGET_COPIED_KINDS = (
    IndicatorKind.PERCENTAGE,
    IndicatorKind.YES_NO,
    IndicatorKind.MILESTONE,
    IndicatorKind.SCALE,
)


@dataclass(frozen=True)
class CopyDown:
    """What a copy-down made."""

    plan: Plan
    nodes: int
    indicators: int
    targets: int


def _closure(national: Plan, nodes: Iterable[FrameworkNode]) -> list[FrameworkNode]:
    """The chosen nodes with their ancestors (a chosen outcome brings its pillar), in tree
    order: a copied node needs its parent in the local plan."""
    chosen = {n.pk for n in nodes}
    every = {n.pk: n for n in FrameworkNode.objects.filter(plan=national).select_related("level")}
    wanted: set[int] = set()
    for pk in chosen:
        node: FrameworkNode | None = every[pk]
        while node is not None and node.pk not in wanted:
            wanted.add(node.pk)
            node = every.get(node.parent_id) if node.parent_id else None
    return sorted((every[pk] for pk in wanted), key=lambda n: (n.level.depth, n.path))


@service
def local_plan_copy_down(
    *,
    by: User,
    national: Plan,
    code: str,
    title: str,
    area: Area,
    nodes: Iterable[FrameworkNode],
    indicators: Iterable[Indicator] = (),
    kind: str = PlanKind.LOCAL,
    start: date | None = None,
    end: date | None = None,
    lead_organisation: Organisation | None = None,
) -> CopyDown:
    """Make a local (or institutional) plan from `national`: the chosen pillars, outcomes,
    outputs and actions (with their ancestors) and the chosen indicators (their nodes too),
    each linked to what it localises (`FrameworkNode.source_node`,
    `Indicator.source_indicator`). The plan takes its languages, framework levels and, unless
    given, its period from the national plan; the maker becomes its first coordinator. All or
    nothing."""
    access = PlanAccess.load(by, national)
    if not access.can_localise():
        raise PermissionDenied(_("Only the national plan's coordinators make local plans from it."))
    if kind not in COPY_DOWN_KINDS:
        raise ValidationError({"kind": _("A copy-down makes a local or institutional plan.")})
    nodes = list(nodes)
    indicators = list(indicators)
    if any(n.plan_id != national.pk for n in nodes) or any(
        i.plan_id != national.pk for i in indicators
    ):
        raise ValidationError(_("Choose pillars, outcomes, actions and indicators of this plan."))
    if not nodes and not indicators:
        raise ValidationError(
            {"nodes": _("Choose at least one pillar, outcome or action to localise.")}
        )
    for indicator in indicators:
        if indicator.kind in NOT_COPIED_KINDS:
            raise ValidationError(
                {
                    "indicators": _(
                        "%(code)s is computed from other indicators: copy those, and define "
                        "it on the local plan."
                    )
                    % {"code": indicator.code}
                }
            )
        if indicator.owner_organisation_id is not None or not access.can_view_indicator(indicator):
            raise ValidationError(
                {"indicators": _("%(code)s is not one of the plan's indicators.")
                 % {"code": indicator.code}}
            )  # fmt: skip
    plan = plan_create(
        code=(code or "").strip(),
        title=title,
        kind=kind,
        parent=national,
        area=area,
        start=start or national.start,
        end=end or national.end,
        lead_organisation=lead_organisation,
        languages=national.languages,
        original_language=national.original_language,
        levels=[
            (lvl.code, lvl.name, lvl.holds_actions) for lvl in national.levels.order_by("depth")
        ],
    )
    copies: dict[int, FrameworkNode] = {}
    for node in _closure(national, [*nodes, *(i.node for i in indicators)]):
        holds = node.level.holds_actions
        copies[node.pk] = node_create(
            plan=plan,
            code=node.code,
            title=original_text(node, "title"),
            parent=copies[node.parent_id] if node.parent_id else None,
            description=node.description,
            order=node.order,
            pillar_theme=node.pillar_theme,
            source_node=node,
            # The local plan names its own responsible organisations; the dates are the
            # national ones, to adapt, when they fall within the local plan's period.
            planned_start=node.planned_start
            if holds and _within(node.planned_start, plan)
            else None,
            planned_end=node.planned_end if holds and _within(node.planned_end, plan) else None,
        )
    targets = 0
    for indicator in sorted(indicators, key=lambda i: (i.order, i.code)):
        local = indicator_create(
            plan=plan,
            node=copies[indicator.node_id],
            code=indicator.code,
            title=original_text(indicator, "title"),
            kind=indicator.kind,
            time_rule=indicator.time_rule,
            scheme=indicator.scheme,
            definition=original_text(indicator, "definition"),
            unit=original_text(indicator, "unit"),
            direction=indicator.direction,
            frequency=indicator.frequency,
            means_of_verification=original_text(indicator, "means_of_verification"),
            references=list(indicator.references.all()),
            factor=indicator.factor,
            scale_labels=indicator.scale_labels,
            expected_min=indicator.expected_min,
            expected_max=indicator.expected_max,
            order=indicator.order,
            sensitivity=indicator.sensitivity,
            disclosure_threshold=indicator.disclosure_threshold,
            source_indicator=indicator,
        )
        if indicator.kind in TARGET_COPIED_KINDS:
            for target in indicator.targets.filter(
                area=national.area, cell__code=TOTAL_CELL
            ).select_related("period"):
                if target.period.end < plan.start or target.period.start > plan.end:
                    continue
                target_set(
                    indicator=local,
                    period=target.period,
                    value=target.value,
                    numerator=target.numerator,
                    denominator=target.denominator,
                    comment=target.comment,
                )
                targets += 1
    if not access.admin:
        role_grant(
            by=by,
            plan=plan,
            user=by,
            role=Role.COORDINATOR,
            reason=_("Made the plan by copy-down from %(plan)s.") % {"plan": national.code},
            access=copy_down_maker_access(access, plan),
        )
    return CopyDown(plan=plan, nodes=len(copies), indicators=len(indicators), targets=targets)


def _within(day: date | None, plan: Plan) -> bool:
    return day is not None and plan.start <= day <= plan.end


def _open_proposal(access: PlanAccess, proposal: LocalisationProposal) -> LocalisationProposal:
    if proposal.plan_id != access.plan.pk or not access.can_decide_proposals():
        raise PermissionDenied(_("Only the local plan's coordinators decide its proposals."))
    locked = LocalisationProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.OPEN:
        raise ValidationError(_("This proposal was already decided."))
    return locked


@service
def proposal_accept(
    *, by: User, proposal: LocalisationProposal, access: PlanAccess | None = None
) -> LocalisationProposal:
    """Apply a national change to the local copy it was offered to (the local plan's
    coordinators), and record who accepted it."""
    access = access or PlanAccess.load(by, proposal.plan)
    proposal = _open_proposal(access, proposal)
    if proposal.node is not None:
        from wpsmonitor.plans.services import node_update

        node_update(node=proposal.node, **{proposal.field: proposal.new_value or ""})
    elif proposal.indicator is not None:
        indicator = proposal.indicator
        if proposal.field == "target":
            if proposal.new_value is None:
                raise ValidationError(_("The national target was removed: nothing to apply."))
            target_set(indicator=indicator, period=proposal.period_code, value=proposal.new_value)
        else:
            text_set(indicator, proposal.field, proposal.new_value or "")
            indicator.save()
    proposal.status = ProposalStatus.ACCEPTED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return proposal


@service
def proposal_decline(
    *, by: User, proposal: LocalisationProposal, access: PlanAccess | None = None
) -> LocalisationProposal:
    """Leave the local copy as it is (the local plan's coordinators); the decision is kept."""
    access = access or PlanAccess.load(by, proposal.plan)
    proposal = _open_proposal(access, proposal)
    proposal.status = ProposalStatus.DECLINED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return proposal
