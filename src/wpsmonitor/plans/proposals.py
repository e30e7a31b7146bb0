"""Offering a national change to the local plans that copied the changed object
(docs/localisation.md, "Proposals"). Called inside the services that change a national node
(plans.services.node_update) or indicator (indicators.services.indicator_update, target_set),
in their transaction; the local plan's coordinator decides (localisation.services)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from modeltranslation.translator import NotRegistered, translator

from wpsmonitor.core.translated import column
from wpsmonitor.plans.models import LocalisationProposal, PlanKind, ProposalStatus

# The plans that receive proposals: those made from a national plan.
LOCAL_KINDS = (PlanKind.LOCAL, PlanKind.INSTITUTIONAL)


def original_text(obj: Any, field: str) -> Any:
    """A field as written in the object's original language (a translated text's column), or
    its plain value: what a proposal carries and what accepting one writes."""
    try:
        translated = field in translator.get_options_for_model(type(obj)).all_fields
    except NotRegistered:
        translated = False
    return getattr(obj, column(field, obj.original_language) if translated else field)


def proposals_offer(
    *, copies: Iterable[Any], field: str, old: Any, new: Any, period_code: str = ""
) -> int:
    """One open proposal per local copy (a node or an indicator with `plan`) for `field`: a
    later change of the same field updates the open proposal's new value (its old value stays
    the one the local plan last saw); a change back to that value withdraws it. Returns the
    proposals opened or updated."""
    if old == new:
        return 0
    offered = 0
    for copy in copies:
        if copy.plan.kind not in LOCAL_KINDS:
            continue
        target = {"node": copy} if copy._meta.model_name == "frameworknode" else {"indicator": copy}
        open_one = (
            LocalisationProposal.objects.select_for_update()
            .filter(status=ProposalStatus.OPEN, field=field, period_code=period_code, **target)
            .first()
        )
        if open_one is not None:
            if open_one.old_value == new:
                open_one.delete()  # the national plan came back to what the local plan saw
            else:
                open_one.new_value = new
                open_one.save(update_fields=["new_value", "updated_at"])
                offered += 1
            continue
        LocalisationProposal.objects.create(
            plan=copy.plan,
            field=field,
            period_code=period_code,
            old_value=old,
            new_value=new,
            **target,
        )
        offered += 1
    return offered


def texts_before(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The fields a change may offer, as they read before it (None for an object not yet
    stored: a new object offers nothing)."""
    return {name: original_text(obj, name) for name in fields} if obj.pk else {}


def changes_offer(obj: Any, before: dict[str, Any]) -> int:
    """After a national node or indicator is saved, each field of `before` that changed is
    offered to its local copies (`copies` of a node, `localisations` of an indicator): the
    edit services and the plan workbook's re-import both call it."""
    if not before or obj.plan.kind != PlanKind.NATIONAL:
        return 0
    relation = obj.copies if obj._meta.model_name == "frameworknode" else obj.localisations
    copies = list(relation.select_related("plan"))
    if not copies:
        return 0
    return sum(
        proposals_offer(copies=copies, field=name, old=old, new=original_text(obj, name))
        for name, old in before.items()
    )
