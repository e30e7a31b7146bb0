"""The PeaceWomen/WILPF flags: an allocated budget, disarmament and small arms actions, a
described monitoring and evaluation process, a defined role for civil society."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wpsmonitor.plans.models import CivilSocietyStage
from wpsmonitor.quality.scoring.card import Context, Criterion, Link, action_item, semicolons
from wpsmonitor.quality.scoring.vocabulary import DISARMAMENT, mentions


def _budget(ctx: Context) -> Criterion:
    allocated = len(ctx.facts.allocated)
    total = len(ctx.actions)
    if allocated:
        why = ngettext(
            "%(n)d of %(total)d actions has money allocated.",
            "%(n)d of %(total)d actions have money allocated.",
            allocated,
        ) % {"n": allocated, "total": total}
    else:
        why = _("No action has money allocated in a budget line.")
    return Criterion(
        key="budget",
        group="wilpf",
        title=_("An allocated budget"),
        rule=_("Met when at least one action has a budget line with an allocated amount above 0."),
        fraction=1.0 if allocated else 0.0,
        why=why,
        link=None if allocated else Link(reverse("finance:summary", args=[ctx.plan.code]),
                                         _("The plan's finances")),
    )  # fmt: skip


def _disarmament(ctx: Context) -> Criterion:
    found = [a for a in ctx.actions if mentions(DISARMAMENT, a.title, a.description)]
    why = (
        ngettext(
            "%(n)d action on disarmament or small arms.",
            "%(n)d actions on disarmament or small arms.",
            len(found),
        )
        % {"n": len(found)}
        if found
        else _("No action title or description mentions disarmament, small arms or weapons.")
    )
    return Criterion(
        key="disarmament",
        group="wilpf",
        title=_("Disarmament and small arms actions"),
        rule=_(
            "Met when an action's title or description names disarmament, small arms, weapons "
            "or demobilisation (word list in several languages, in the method below)."
        ),
        fraction=1.0 if found else 0.0,
        why=why,
        found=[action_item(a) for a in found],
        found_label=_("Actions on disarmament and small arms"),
        link=None if found else Link(f"{ctx.quality_url}#method", _("The words looked for")),
    )


def _me(ctx: Context) -> Criterion:
    plan, facts = ctx.plan, ctx.facts
    parts = {
        _("a description of monitoring and evaluation"): bool(plan.me_description.strip()),
        _("indicators"): bool(facts.indicators),
        _("a reporting round"): facts.rounds > 0,
    }
    lacking = [label for label, ok in parts.items() if not ok]
    why = (
        _("Described, with %(indicators)s and %(rounds)s.")
        % {
            "indicators": ngettext("%(n)d indicator", "%(n)d indicators", len(facts.indicators))
            % {"n": len(facts.indicators)},
            "rounds": ngettext("%(n)d reporting round", "%(n)d reporting rounds", facts.rounds)
            % {"n": facts.rounds},
        }
        if not lacking
        else _("Missing: %(what)s.") % {"what": semicolons(lacking)}
    )
    return Criterion(
        key="me",
        group="wilpf",
        title=_("A described monitoring and evaluation process"),
        rule=_(
            "A third of a point each for a description of monitoring and evaluation on the "
            "plan, indicators, and at least one reporting round opened."
        ),
        fraction=sum(parts.values()) / 3,
        why=why,
        link=ctx.profile_link() if lacking else None,
    )


def _civil_society(ctx: Context) -> Criterion:
    roles = set(ctx.plan.civil_society_roles or [])
    parts = {
        _("a role in the design"): CivilSocietyStage.DESIGN in roles,
        _("a role in the implementation"): CivilSocietyStage.IMPLEMENTATION in roles,
        _("a role in the monitoring"): CivilSocietyStage.MONITORING in roles,
        _("civil-society monitors on the platform"): ctx.facts.monitors > 0,
    }
    lacking = [label for label, ok in parts.items() if not ok]
    why = (
        _("A role in design, implementation and monitoring, with %(n)s.")
        % {
            "n": ngettext("%(n)d civil-society monitor", "%(n)d civil-society monitors",
                          ctx.facts.monitors) % {"n": ctx.facts.monitors}
        }
        if not lacking
        else _("Missing: %(what)s.") % {"what": semicolons(lacking)}
    )  # fmt: skip
    return Criterion(
        key="civil_society",
        group="wilpf",
        title=_("A defined role for civil society"),
        rule=_(
            "A quarter of a point each for a civil-society role in the design, the "
            "implementation and the monitoring of the plan, and for civil-society monitors "
            "with an account on the plan."
        ),
        fraction=sum(parts.values()) / 4,
        why=why,
        link=ctx.profile_link() if lacking else None,
    )


CRITERIA: list[Callable[[Context], Criterion]] = [
    _budget,
    _disarmament,
    _me,
    _civil_society,
]
