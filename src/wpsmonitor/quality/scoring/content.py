"""Coverage, localisation and data: the pillars and their balance, local plans, disaggregation
beyond sex, prevention and early-warning indicators, baselines and targets, alignment with
CEDAW and the SDGs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wpsmonitor.indicators.models import IndicatorKind
from wpsmonitor.plans.models import AlignmentFramework, PlanKind
from wpsmonitor.quality.scoring.card import (
    Context,
    Criterion,
    Item,
    Link,
    commas,
    indicator_item,
    semicolons,
    share_of,
)
from wpsmonitor.quality.scoring.vocabulary import (
    ALIGNMENT_VOCABULARIES,
    BALANCE_MAX_SHARE,
    CORE_PILLARS,
    EARLY_WARNING,
    mentions,
)


def _pillar_counts(ctx: Context) -> Counter[str]:
    """Actions per pillar theme of their top-level node."""
    counts: Counter[str] = Counter()
    for action in ctx.actions:
        top = ctx.top(action.pk)
        counts[top.pillar_theme if top else ""] += 1
    return counts


def _pillars(ctx: Context) -> Criterion:
    counts = _pillar_counts(ctx)
    covered = [label for theme, label in CORE_PILLARS if counts[theme]]
    absent = [str(label) for theme, label in CORE_PILLARS if not counts[theme]]
    why = (
        semicolons(
            ngettext("%(pillar)s: %(n)d action", "%(pillar)s: %(n)d actions", counts[theme])
            % {"pillar": label, "n": counts[theme]}
            for theme, label in CORE_PILLARS
        )
        + "."
    )
    return Criterion(
        key="pillars",
        group="content",
        title=_("The four pillars are covered"),
        rule=_(
            "A quarter of a point for each pillar (participation, protection, prevention, "
            "relief and recovery) with at least one action, read from the pillar theme of the "
            "plan's top-level nodes."
        ),
        fraction=len(covered) / len(CORE_PILLARS),
        why=why if not absent else why + " " + _("No action in: %(p)s.") % {"p": commas(absent)},
        link=Link(reverse("portal:plan", args=[ctx.plan.code]), _("The plan's framework"))
        if absent
        else None,
    )


def _balance(ctx: Context) -> Criterion:
    counts: Counter[int] = Counter(a.top_id for a in ctx.actions)
    total = len(ctx.actions)
    if not total:
        return Criterion(
            key="balance",
            group="content",
            title=_("The pillars are balanced"),
            rule=_balance_rule(),
            fraction=0.0,
            why=_("The plan has no actions yet."),
        )
    top_id, largest = max(counts.items(), key=lambda kv: (kv[1], -kv[0]))
    top = ctx.by_id[top_id]
    share = largest / total
    ok = share <= BALANCE_MAX_SHARE
    why = _("The largest pillar, %(pillar)s, holds %(n)d of %(total)d actions (%(pct)d%%).") % {
        "pillar": f"{top.code} {top.title}",
        "n": largest,
        "total": total,
        "pct": round(100 * share),
    }
    return Criterion(
        key="balance",
        group="content",
        title=_("The pillars are balanced"),
        rule=_balance_rule(),
        fraction=1.0 if ok else 0.0,
        why=why,
    )


def _balance_rule() -> str:
    return _("Met when no top-level node (pillar) holds more than half of the plan's actions.")


def _localisation(ctx: Context) -> Criterion:
    plan = ctx.plan
    applies = plan.kind == PlanKind.NATIONAL
    local = ctx.facts.local_plans
    if not applies:
        why = _("Only national plans are judged on local plans.")
    elif local:
        why = ngettext("%(n)d local plan.", "%(n)d local plans.", len(local)) % {"n": len(local)}
    else:
        why = _("No local action plan under this plan (drafts are not counted).")
    return Criterion(
        key="localisation",
        group="content",
        title=_("Localisation: local plans exist"),
        rule=_(
            "National plans: met when at least one local action plan (a child plan of kind "
            "local, not a draft) sits under the plan."
        ),
        fraction=1.0 if applies and local else 0.0,
        applies=applies,
        why=why,
        found=[Item("plan", code, title.text, title_shown=title) for code, title in local],
        found_label=_("Local plans"),
    )


def _disaggregation(ctx: Context) -> Criterion:
    disaggregated = [i for i in ctx.facts.indicators if i.dimensions]
    beyond = [i for i in disaggregated if set(i.dimensions) - {"sex"}]
    sex_only = [i for i in disaggregated if not set(i.dimensions) - {"sex"}]
    by_dimension: Counter[str] = Counter(d for i in beyond for d in i.dimensions if d != "sex")
    if not disaggregated:
        why = _("No indicator of the plan is disaggregated.")
    else:
        why = ngettext(
            "%(n)d of %(total)d disaggregated indicator goes beyond sex",
            "%(n)d of %(total)d disaggregated indicators go beyond sex",
            len(disaggregated),
        ) % {"n": len(beyond), "total": len(disaggregated)}
        if by_dimension:
            details = commas(
                # Translators: a dimension of disaggregation and how many indicators use it,
                # e.g. "age: 3".
                _("%(dimension)s: %(n)d") % {"dimension": d, "n": n}
                for d, n in sorted(by_dimension.items())
            )
            why += " (" + details + ")"
        why += "."
    return Criterion(
        key="disaggregation",
        group="content",
        title=_("Disaggregation beyond sex"),
        rule=_(
            "Share of the plan's disaggregated indicators that are also broken down by "
            "something other than sex (age, disability, area type, displacement or any other "
            "dimension)."
        ),
        fraction=share_of(len(beyond), len(disaggregated)),
        why=why,
        missing=[indicator_item(i) for i in sex_only],
        missing_label=_("Indicators disaggregated by sex only"),
        link=ctx.missing_link("disaggregation") if sex_only else None,
    )


def _early_warning(ctx: Context) -> Criterion:
    prevention = []
    warning = []
    for ind in ctx.facts.indicators:
        top = ctx.top(ind.node_id)
        if top and top.pillar_theme == "prevention":
            prevention.append(ind)
        if mentions(EARLY_WARNING, ind.title, ind.definition, *ctx.ancestors_titles(ind.node_id)):
            warning.append(ind)
    lacking = []
    if not prevention:
        lacking.append(_("no indicator under a prevention pillar"))
    if not warning:
        lacking.append(_("no early-warning indicator"))
    why = (
        _("%(p)s under prevention, %(w)s on early warning.")
        % {
            "p": ngettext("%(n)d indicator", "%(n)d indicators", len(prevention))
            % {"n": len(prevention)},
            "w": ngettext("%(n)d indicator", "%(n)d indicators", len(warning))
            % {"n": len(warning)},
        }
        if not lacking
        else _("Missing: %(what)s.") % {"what": semicolons(lacking)}
    )
    return Criterion(
        key="early_warning",
        group="content",
        title=_("Prevention and early-warning indicators"),
        rule=_(
            "Half a point for an indicator under a pillar of theme prevention, half for an "
            "indicator on early warning (its title or definition, or the title of a node above "
            "it, names early warning)."
        ),
        fraction=(bool(prevention) + bool(warning)) / 2,
        why=why,
        found=[indicator_item(i) for i in warning],
        found_label=_("Early-warning indicators"),
        link=Link(f"{ctx.quality_url}#method", _("The words looked for")) if lacking else None,
    )


def _baselines_targets(ctx: Context) -> Criterion:
    facts = ctx.facts
    measurable = [i for i in facts.indicators if i.kind != IndicatorKind.NARRATIVE]
    missing = []
    for ind in measurable:
        has_b, has_t = ind.pk in facts.with_baseline, ind.pk in facts.with_target
        if not (has_b and has_t):
            note = (
                _("no baseline and no target")
                if not (has_b or has_t)
                else (_("no baseline") if not has_b else _("no target"))
            )
            missing.append(indicator_item(ind, note))
    if not measurable:
        why = _("The plan has no indicator with figures (narratives are left out).")
    else:
        why = ngettext(
            "%(ok)d of %(total)d indicator has both a baseline and a target.",
            "%(ok)d of %(total)d indicators have both a baseline and a target.",
            len(measurable),
        ) % {"ok": len(measurable) - len(missing), "total": len(measurable)}
    return Criterion(
        key="baselines_targets",
        group="content",
        title=_("Indicators with baselines and targets"),
        rule=_(
            "Share of the plan's indicators (narratives left out) with at least one baseline "
            "and at least one target."
        ),
        fraction=share_of(len(measurable) - len(missing), len(measurable)),
        why=why,
        missing=missing,
        missing_label=_("Indicators without a baseline or a target"),
        link=ctx.missing_link("baselines_targets") if missing else None,
    )


def _alignment(ctx: Context) -> Criterion:
    declared = set(ctx.plan.alignment_references or [])
    vocabularies = (
        set().union(*ctx.facts.vocabularies.values()) if ctx.facts.vocabularies else set()
    )
    parts: dict[str, str] = {}
    for framework in (AlignmentFramework.CEDAW, AlignmentFramework.SDG):
        vocabulary = ALIGNMENT_VOCABULARIES[framework]
        if framework.value in declared:
            parts[framework.value] = _("declared by the plan")
        elif vocabulary in vocabularies:
            n = sum(1 for v in ctx.facts.vocabularies.values() if vocabulary in v)
            parts[framework.value] = ngettext(
                "%(n)d indicator refers to it", "%(n)d indicators refer to it", n
            ) % {"n": n}
        else:
            parts[framework.value] = ""
    names = {AlignmentFramework.CEDAW.value: "CEDAW", AlignmentFramework.SDG.value: "SDG"}
    why = (
        semicolons(
            # Translators: a framework and how the plan refers to it, e.g. "CEDAW: declared by
            # the plan" or "SDG: 2 indicators refer to it".
            _("%(name)s: %(what)s") % {"name": names[k], "what": v}
            if v
            else _("%(name)s: no reference") % {"name": names[k]}
            for k, v in parts.items()
        )
        + "."
    )
    met = sum(1 for v in parts.values() if v)
    return Criterion(
        key="alignment",
        group="content",
        title=_("Alignment with CEDAW and the SDGs"),
        rule=_(
            "Half a point each for CEDAW and for the SDGs, declared by the plan or referred to "
            "by at least one indicator (catalogues cedaw-gr30 and sdg)."
        ),
        fraction=met / 2,
        why=why,
        link=ctx.profile_link() if met < 2 else None,
    )


CRITERIA: list[Callable[[Context], Criterion]] = [
    _pillars,
    _balance,
    _localisation,
    _disaggregation,
    _early_warning,
    _baselines_targets,
    _alignment,
]
