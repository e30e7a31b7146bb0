"""The OECD/SIGMA criteria: the quality of the operational action plan (responsible
institutions, a timetable, financing, indicators at both levels, a public plan)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wpsmonitor.plans.models import PlanStatus
from wpsmonitor.quality.scoring.card import Context, Criterion, Link, count_criterion, semicolons


def _responsible(ctx: Context) -> Criterion:
    return count_criterion(
        ctx,
        key="responsible",
        group="oecd",
        title=_("Every action has a responsible institution"),
        rule=_("Share of the plan's actions with a responsible organisation."),
        ok=lambda a: a.responsible_id is not None,
        lacking=lambda bad, total: (
            ngettext(
                "%(bad)d of %(total)d actions has no responsible institution.",
                "%(bad)d of %(total)d actions have no responsible institution.",
                bad,
            )
            % {"bad": bad, "total": total}
        ),
        all_ok=_("All %(total)d actions have a responsible institution."),
        missing_label=_("Actions without a responsible institution"),
    )


def _timetable(ctx: Context) -> Criterion:
    return count_criterion(
        ctx,
        key="timetable",
        group="oecd",
        title=_("A timetable with deadlines"),
        rule=_("Share of the plan's actions with a planned end date (their deadline)."),
        ok=lambda a: a.planned_end is not None,
        lacking=lambda bad, total: (
            ngettext(
                "%(bad)d of %(total)d actions has no deadline.",
                "%(bad)d of %(total)d actions have no deadline.",
                bad,
            )
            % {"bad": bad, "total": total}
        ),
        all_ok=_("All %(total)d actions have a planned end date."),
        missing_label=_("Actions without a planned end date"),
    )


def _financing(ctx: Context) -> Criterion:
    funded = ctx.facts.funded
    criterion = count_criterion(
        ctx,
        key="financing",
        group="oecd",
        title=_("Financing sources for all actions"),
        rule=_("Share of the plan's actions with at least one budget line (a funding source)."),
        ok=lambda a: a.pk in funded,
        lacking=lambda bad, total: (
            ngettext(
                "%(bad)d of %(total)d actions has no funding source.",
                "%(bad)d of %(total)d actions have no funding source.",
                bad,
            )
            % {"bad": bad, "total": total}
        ),
        all_ok=_("All %(total)d actions have a funding source."),
        missing_label=_("Actions without a funding source"),
    )
    return criterion


def _indicator_levels(ctx: Context) -> Criterion:
    objective = [i for i in ctx.facts.indicators if not _holds(ctx, i.node_id)]
    activity = [i for i in ctx.facts.indicators if _holds(ctx, i.node_id)]
    parts = [bool(objective), bool(activity)]
    why = _(
        "%(objective)s at objective level (pillars, outcomes, outputs), %(activity)s at "
        "activity level (actions)."
    ) % {
        "objective": ngettext("%(n)d indicator", "%(n)d indicators", len(objective))
        % {"n": len(objective)},
        "activity": ngettext("%(n)d indicator", "%(n)d indicators", len(activity))
        % {"n": len(activity)},
    }
    return Criterion(
        key="indicator_levels",
        group="oecd",
        title=_("Indicators at objective and activity level"),
        rule=_(
            "Half a point for indicators on objectives (nodes above the actions), half for "
            "indicators on actions."
        ),
        fraction=sum(parts) / 2,
        why=why,
        link=Link(reverse("portal:plan", args=[ctx.plan.code]), _("The plan's framework"))
        if not all(parts)
        else None,
    )


def _holds(ctx: Context, node_id: int) -> bool:
    node = ctx.by_id.get(node_id)
    return bool(node and node.holds_actions)


def _public(ctx: Context) -> Criterion:
    plan = ctx.plan
    not_draft = plan.status != PlanStatus.DRAFT
    has_document = bool(plan.document_url)
    reasons = []
    if not not_draft:
        reasons.append(_("the plan is still a draft"))
    if not has_document:
        reasons.append(_("no link to the plan's document"))
    why = (
        _("Adopted (not a draft) and its document is online.")
        if not reasons
        else _("Missing: %(what)s.") % {"what": semicolons(reasons)}
    )
    return Criterion(
        key="public",
        group="oecd",
        title=_("The plan is publicly available"),
        rule=_("Half a point for a plan that is not a draft, half for a link to its document."),
        fraction=(not_draft + has_document) / 2,
        why=why,
        link=None if not reasons else Link(reverse("portal:plan", args=[plan.code]), _("The plan")),
    )


CRITERIA: list[Callable[[Context], Criterion]] = [
    _responsible,
    _timetable,
    _financing,
    _indicator_levels,
    _public,
]
