"""Each criterion against hand-checked expectations on small plans.

The full plan (conftest.build_full), worked out by hand:

| criterion         | facts                                                        | points |
|-------------------|--------------------------------------------------------------|--------|
| responsible       | A2 of A1..A5 has none                                        | 4/5    |
| timetable         | A3 has no planned end                                        | 4/5    |
| financing         | budget lines on A1 (two), A2, A4                             | 3/5    |
| indicator_levels  | I1, I2, I4 on outcomes, I3 on action A1                      | 1      |
| public            | in implementation, document link                             | 1      |
| budget            | A1 and A4 allocated (A2's line has none)                     | 1      |
| disarmament       | A2 "small arms"                                              | 1      |
| me                | description, indicators, no round                            | 2/3    |
| civil_society     | design, monitoring, one monitor; no implementation           | 3/4    |
| pillars           | one action or more in each of the four                       | 1      |
| balance           | PAR holds 2 of 5 (40 %)                                      | 1      |
| localisation      | one adopted local plan (the draft is not counted)            | 1      |
| disaggregation    | I1 sex x age, I2 sex only                                    | 1/2    |
| early_warning     | I1 under PRE, titled early-warning                           | 1      |
| baselines_targets | I1 both, I2 no target, I3 no baseline (I4 narrative left out) | 1/3    |
| alignment         | CEDAW declared, SDG through I2's reference                   | 1      |

Total 13.45 of 16. The civil-society organisation's own indicator CSO-1 (by disability, on
action A2, "early warning" in its title) must change none of these.
"""

from __future__ import annotations

from datetime import date

import pytest

from wpsmonitor.finance.selectors import plan_funding_facts
from wpsmonitor.plans.models import PlanKind, PlanStatus
from wpsmonitor.quality import scoring as quality
from wpsmonitor.quality.scoring.vocabulary import DISARMAMENT, EARLY_WARNING, Status, mentions

from .conftest import World, action, branch, build_empty, build_full, national, open_round

FULL = {
    "responsible": (Status.PARTLY, 4 / 5),
    "timetable": (Status.PARTLY, 4 / 5),
    "financing": (Status.PARTLY, 3 / 5),
    "indicator_levels": (Status.MET, 1),
    "public": (Status.MET, 1),
    "budget": (Status.MET, 1),
    "disarmament": (Status.MET, 1),
    "me": (Status.PARTLY, 2 / 3),
    "civil_society": (Status.PARTLY, 3 / 4),
    "pillars": (Status.MET, 1),
    "balance": (Status.MET, 1),
    "localisation": (Status.MET, 1),
    "disaggregation": (Status.PARTLY, 1 / 2),
    "early_warning": (Status.MET, 1),
    "baselines_targets": (Status.PARTLY, 1 / 3),
    "alignment": (Status.MET, 1),
}


def _card(plan):  # type: ignore[no-untyped-def]
    return quality.plan_scorecard(plan)


def test_full_plan_every_criterion(world: World) -> None:
    card = _card(build_full(world))
    assert [c.key for c in card.criteria] == list(FULL)
    got = {c.key: (c.status, pytest.approx(c.fraction)) for c in card.criteria}
    assert got == FULL
    assert card.maximum == 16
    assert card.points == pytest.approx(13.45)
    assert card.percent == pytest.approx(100 * 13.45 / 16)
    assert quality.score_text(card.points) == "13.45"


def test_full_plan_says_why_and_what_is_missing(world: World) -> None:
    card = _card(build_full(world))
    c = card.criterion
    assert c("responsible").why == "1 of 5 actions has no responsible institution."
    assert [(i.kind, i.code) for i in c("responsible").missing] == [("action", "A2")]
    assert c("responsible").link is not None
    assert c("responsible").link.url == "/plans/q-full/quality/#missing-responsible"
    assert [i.code for i in c("timetable").missing] == ["A3"]
    assert [i.code for i in c("financing").missing] == ["A3", "A5"]
    assert c("financing").why == "2 of 5 actions have no funding source."
    assert c("budget").why == "2 of 5 actions have money allocated."
    assert [i.code for i in c("disarmament").found] == ["A2"]
    assert c("me").why == "Missing: a reporting round."
    assert c("civil_society").why == "Missing: a role in the implementation."
    assert c("civil_society").link.url == "/plans/q-full/quality/#profile"  # type: ignore[union-attr]
    assert c("balance").why == "The largest pillar, PAR Pillar PAR, holds 2 of 5 actions (40%)."
    assert [i.code for i in c("localisation").found] == ["q-full-nbo"]
    assert c("disaggregation").why == ("1 of 2 disaggregated indicators go beyond sex (age: 1).")
    assert [i.code for i in c("disaggregation").missing] == ["I2"]
    assert [i.code for i in c("early_warning").found] == ["I1"]
    assert [(i.code, i.note) for i in c("baselines_targets").missing] == [
        ("I2", "no target"),
        ("I3", "no baseline"),
    ]
    assert c("baselines_targets").why == "1 of 3 indicators have both a baseline and a target."
    assert c("alignment").why == "CEDAW: declared by the plan; SDG: 1 indicator refers to it."
    # Met criteria have nothing to point at.
    assert c("pillars").link is None and c("pillars").missing == []


def test_a_round_completes_monitoring_and_evaluation(world: World) -> None:
    plan = build_full(world)
    open_round(plan)
    me = _card(plan).criterion("me")
    assert (me.status, me.fraction) == (Status.MET, 1)
    assert me.why == "Described, with 4 indicators and 1 reporting round."


def test_empty_draft_plan_meets_nothing(world: World) -> None:
    card = _card(build_empty(world))
    assert {c.key: c.status for c in card.criteria} == {k: Status.NOT_MET for k in FULL}
    assert (card.points, card.maximum, card.percent) == (0, 16, 0)
    c = card.criterion
    for key in ("responsible", "timetable", "financing", "balance"):
        assert c(key).why == "The plan has no actions yet."
        assert c(key).missing == []
    assert c("public").why == (
        "Missing: the plan is still a draft; no link to the plan's document."
    )
    assert c("disaggregation").why == "No indicator of the plan is disaggregated."
    assert c("baselines_targets").why == (
        "The plan has no indicator with figures (narratives are left out)."
    )
    assert c("localisation").why == "No local action plan under this plan (drafts are not counted)."
    assert c("alignment").why == "CEDAW: no reference; SDG: no reference."


def test_local_plan_is_not_judged_on_localisation(world: World) -> None:
    build_full(world)
    from wpsmonitor.plans.models import Plan

    card = _card(Plan.objects.get(code="q-full-nbo"))
    localisation = card.criterion("localisation")
    assert localisation.status == Status.NOT_APPLICABLE and not localisation.applies
    # Adopted (half of "public"), and nothing else in it.
    assert card.maximum == 15 and card.points == 0.5


def test_declared_alignment_and_public_halves(world: World) -> None:
    plan = national(world, "q-align", alignment_references=["sdg", "cedaw"])
    card = _card(plan)
    assert card.criterion("alignment").fraction == 1
    public = card.criterion("public")
    assert (public.status, public.fraction) == (Status.PARTLY, 0.5)
    assert public.why == "Missing: no link to the plan's document."


@pytest.mark.parametrize(
    ("actions_in_par", "actions_in_pro", "met", "why"),
    [
        (2, 2, True, "2 of 4 actions (50%)"),  # exactly half is still balanced
        (3, 1, False, "3 of 4 actions (75%)"),
        (1, 0, False, "1 of 1 actions (100%)"),
    ],
)
def test_balance(
    world: World, actions_in_par: int, actions_in_pro: int, met: bool, why: str
) -> None:
    plan = national(world, "q-bal")
    par = branch(plan, "PAR", "participation")
    pro = branch(plan, "PRO", "protection")
    for i in range(actions_in_par):
        action(plan, par, f"PAR-{i}", "Action")
    for i in range(actions_in_pro):
        action(plan, pro, f"PRO-{i}", "Action")
    balance = _card(plan).criterion("balance")
    assert balance.fraction == (1 if met else 0)
    assert why in balance.why


def test_pillar_coverage_counts_actions_not_empty_pillars(world: World) -> None:
    plan = national(world, "q-pil")
    par = branch(plan, "PAR", "participation")
    branch(plan, "PRO", "protection")  # a pillar without actions does not cover protection
    coo = branch(plan, "COO", "coordination")  # a plan's own pillar: not one of the four
    action(plan, par, "A1", "Action")
    action(plan, coo, "A2", "Action")
    pillars = _card(plan).criterion("pillars")
    assert (pillars.status, pillars.fraction) == (Status.PARTLY, 0.25)
    assert pillars.why.endswith("No action in: Protection, Prevention, Relief and recovery.")


def test_disaggregation_without_sex_counts_as_beyond(world: World) -> None:
    from wpsmonitor.indicators.models import IndicatorKind, TimeRule
    from wpsmonitor.indicators.services import indicator_create

    plan = national(world, "q-dis")
    output = branch(plan, "PRO", "protection")
    node = output.parent
    for code, scheme in (("D1", ["disability"]), ("D2", None), ("D3", ["sex"])):
        indicator_create(
            plan=plan, node=node, code=code, title="Indicator", kind=IndicatorKind.NUMBER,
            time_rule=TimeRule.SUM, scheme=scheme,
        )  # fmt: skip
    dis = _card(plan).criterion("disaggregation")
    # D2 is not disaggregated at all: left out. D1 goes beyond sex, D3 does not.
    assert (dis.status, dis.fraction) == (Status.PARTLY, 0.5)
    assert [i.code for i in dis.missing] == ["D3"]


def test_adopted_local_plan_only(world: World) -> None:
    from wpsmonitor.plans.services import plan_create

    plan = national(world, "q-loc")
    plan_create(
        code="q-loc-draft", title="Draft local plan", kind=PlanKind.LOCAL, parent=plan,
        area=world.province, start=date(2024, 1, 1), end=date(2025, 12, 31),
        status=PlanStatus.DRAFT,
    )  # fmt: skip
    assert _card(plan).criterion("localisation").status == Status.NOT_MET


@pytest.mark.parametrize(
    "text",
    [
        "Désarmement des ex-combattants",
        "Collecte d'ARMES dans les villages",
        "Control of small arms and light weapons (SALW)",
        "Programa de desarme comunitario",
        "Kukusanya silaha",
        "Demobilisation of child soldiers",
    ],
)
def test_disarmament_words(text: str) -> None:
    assert mentions(DISARMAMENT, text)


@pytest.mark.parametrize(
    "text", ["Prevent harmful practices", "Map risks around mining sites", "Alarm on farms"]
)
def test_not_disarmament(text: str) -> None:
    assert not mentions(DISARMAMENT, text)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Early-warning focal points", True),
        ("Système d'alerte précoce", True),
        ("Sistema de alerta temprana", True),
        ("Early childhood warning signs", False),
    ],
)
def test_early_warning_words(text: str, found: bool) -> None:
    assert mentions(EARLY_WARNING, text) is found


def test_funding_facts_agree_with_finance(world: World) -> None:
    """The bulk reading gives the same counts as finance.selectors.plan_funding_facts."""
    plan = build_full(world)
    facts = quality.load_facts([plan])[plan.pk]
    expected = plan_funding_facts(plan)
    assert (
        (len(facts.actions), len(facts.funded), len(facts.allocated))
        == (
            expected.actions,
            expected.actions_with_funding_source,
            expected.actions_with_allocation,
        )
        == (5, 3, 2)
    )
