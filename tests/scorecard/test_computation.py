"""The scorecard's figures against the hand-worked plan of conftest.py (see its table)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.indicators.models import AggregateValue
from wpsmonitor.scorecard.scoring import (
    LOCAL,
    NATIONAL,
    Category,
    Item,
    NotScored,
    Rating,
    Score,
    SourceCard,
    TargetBasis,
    achievement_of,
    plan_scorecard,
    rating_for,
)

from .conftest import Built, build


def _card(built: Built, user: object = None) -> SourceCard:
    found = plan_scorecard(PlanAccess.load(user or AnonymousUser(), built.plan))
    card = found.card("cso-shadow")
    assert card is not None
    return card


def _pts(score: Score) -> tuple[int, int]:
    return score.points, score.maximum


def _item(card: SourceCard, code: str, year: str) -> Item:
    (item,) = [i for i in card.items if i.code == code and i.year == year]
    return item


def test_bands_of_achievement() -> None:
    # Thirds, with the edges in the band above; below zero is no progress, above 1 is met.
    cases = [(-0.5, 0), (0, 0), (0.01, 1), (0.3, 1), (1 / 3, 2), (0.5, 2), (2 / 3, 3)]
    cases += [(0.99, 3), (1, 4), (1.7, 4)]
    assert [(a, int(rating_for(a))) for a, _r in cases] == cases
    assert rating_for(40 / 120) == Rating.MODERATE  # float noise on the edge stays above it


def test_achievement_respects_direction() -> None:
    up = {"kind": "number", "direction": "increase"}
    assert achievement_of(**up, value=250, target=400, baseline=100) == pytest.approx(0.5)
    assert achievement_of(**up, value=8, target=10, baseline=None) == pytest.approx(0.8)
    down = {"kind": "percentage", "direction": "decrease"}
    assert achievement_of(**down, value=31, target=10, baseline=40) == pytest.approx(0.3)
    assert achievement_of(**down, value=31, target=10, baseline=None) is None  # needs one
    keep = {"kind": "number", "direction": "maintain"}
    assert achievement_of(**keep, value=12, target=10, baseline=None) == 1
    assert achievement_of(**keep, value=5, target=10, baseline=None) == 0.5
    assert achievement_of(kind="yes_no", direction="increase", value=1, target=None, baseline=None)
    assert achievement_of(**up, value=5, target=None, baseline=2) is None


def test_scores_per_level_pillar_and_year(built: Built) -> None:
    card = _card(built)
    assert card.years == ("2024", "2025")  # the plan runs to 2026; nothing published after 2025
    national, local = card.level(NATIONAL), card.level(LOCAL)
    par, pro, rel = national.pillars
    assert [p.code for p in national.pillars] == ["PAR", "PRO", "REL"]
    # National 2024: PAR.A1 implemented (4 of 4; PAR.A2 unknown), PRO-01 2 + PRO-02 0 of 8.
    assert _pts(par.scores["2024"]) == (4, 4) and par.scores["2024"].unknown == 1
    assert _pts(pro.scores["2024"]) == (2, 8)
    assert not rel.scores["2024"].has_items
    assert _pts(national.total.scores["2024"]) == (6, 12)
    assert national.total.scores["2024"].percent == pytest.approx(50)
    # National 2025: OWN-1 3 of 4; PRO-01 1 + PRO-02 1 of 8: 5 of 12.
    assert _pts(par.scores["2025"]) == (3, 4)
    assert _pts(pro.scores["2025"]) == (2, 8)
    assert national.total.scores["2025"].percent == pytest.approx(500 / 12)
    # Local 2024: PAR-01 in P1, 2 of 4.
    lpar, lpro, lrel = local.pillars
    assert _pts(local.total.scores["2024"]) == (2, 4)
    # Local 2025: PAR-01 4; PRO.A1 0 (PRO-03 listed without target); REL-01 4 + REL.A1 2.
    assert _pts(lpar.scores["2025"]) == (4, 4)
    assert _pts(lpro.scores["2025"]) == (0, 4) and lpro.scores["2025"].no_target == 1
    assert lpro.scores["2025"].percent == 0  # scored zero, not "no data"
    assert _pts(lrel.scores["2025"]) == (6, 8)
    assert _pts(local.total.scores["2025"]) == (10, 16)
    assert local.total.scores["2025"].percent == pytest.approx(62.5)


def test_categories_follow_gnwp_references_then_pillar_themes(built: Built) -> None:
    card = _card(built)
    national, local = card.level(NATIONAL), card.level(LOCAL)
    # GNWP's three groupings always show; "other" only where something falls in it.
    assert [r.category for r in national.categories] == [
        Category.PARTICIPATION,
        Category.PREVENTION_PROTECTION,
        Category.PROMOTION,
    ]
    part, prev, promo = national.categories
    assert _pts(part.scores["2024"]) == (4, 4) and _pts(prev.scores["2024"]) == (2, 8)
    assert not promo.scores["2024"].has_items and promo.scores["2024"].percent is None
    assert [r.category for r in local.categories][-1] == Category.OTHER
    assert _pts(local.categories[-1].scores["2025"]) == (6, 8)  # relief and recovery
    assert _item(card, "PAR-01", "2024").category == Category.PARTICIPATION  # gnwp reference
    assert _item(card, "PRO-02", "2024").category == Category.PREVENTION_PROTECTION
    assert _item(card, "REL.A1", "2025").category == Category.OTHER
    # A pillar lists the categories of what was scored in it.
    assert [c.category for c in national.pillars[0].children] == [Category.PARTICIPATION]


def test_local_scores_by_area(built: Built) -> None:
    local = _card(built).level(LOCAL)
    assert [a.code for a in local.areas] == ["COD-P1", "COD-P2"]
    p1, p2 = local.areas
    # P1: PAR-01 2 of 4 in 2024; PAR-01 4 + PRO.A1 0 in 2025. P2: REL-01 4 + REL.A1 2.
    assert _pts(p1.scores["2024"]) == (2, 4) and _pts(p1.scores["2025"]) == (4, 8)
    assert not p2.scores["2024"].has_items and _pts(p2.scores["2025"]) == (6, 8)
    assert p2.scores["2025"].no_target == 1  # PRO-03


def test_targets_used_are_shown_with_their_basis(built: Built) -> None:
    card = _card(built)
    par = _item(card, "PAR-01", "2024")
    # P1 has no target of its own: a share is measured against the national one (2026: 30 %,
    # baseline 10 %), the only target set for it.
    assert (par.level, par.area.code, par.value) == (LOCAL, "COD-P1", pytest.approx(20))
    assert (par.target, par.baseline, par.target_basis, par.target_period) == (
        30,
        10,
        TargetBasis.NATIONAL,
        "2026",
    )
    assert par.achievement == pytest.approx(0.5) and par.points == 2
    pro2 = _item(card, "PRO-02", "2025")
    assert (pro2.target_basis, pro2.target_period) == (TargetBasis.FINAL, "2026")
    assert pro2.achievement == pytest.approx(0.3) and pro2.points == 1
    pro1 = _item(card, "PRO-01", "2025")
    assert (pro1.target, pro1.target_basis, pro1.points) == (700, TargetBasis.YEAR, 1)
    # A count summed over the year, in a province without a target: listed, not scored.
    pro3 = _item(card, "PRO-03", "2025")
    assert (pro3.points, pro3.not_scored, pro3.target) == (None, NotScored.NO_TARGET, None)
    assert _item(card, "REL-01", "2025").target_basis == TargetBasis.YES


def test_a_years_own_target_gives_the_stored_achievement(built: Built) -> None:
    item = _item(_card(built), "PRO-01", "2024")
    stored = AggregateValue.objects.get(
        indicator=built.indicators["PRO-01"],
        source=built.source,
        area=built.country,
        period_code="2024",
        cell_key="",
    )
    assert item.value == 250  # the coalition's figure, not the government's 390
    assert item.achievement == pytest.approx(stored.achievement) == pytest.approx(0.5)


def test_the_national_sum_of_local_figures_is_not_scored_again(built: Built) -> None:
    card = _card(built)
    # PAR-01 has a national aggregate (the roll-up of P1) but is scored in P1 only.
    assert AggregateValue.objects.filter(
        indicator=built.indicators["PAR-01"], source=built.source, area=built.country
    ).exists()
    assert {(i.level, i.area.code) for i in card.items if i.code == "PAR-01"} == {(LOCAL, "COD-P1")}


def test_latest_assessment_of_the_year_counts_and_unknown_is_counted(built: Built) -> None:
    card = _card(built)
    a1 = _item(card, "PAR.A1", "2024")
    assert (a1.assessment, a1.period_code, a1.points) == ("implemented", "2024Q4", 4)
    a2 = _item(card, "PAR.A2", "2024")
    assert (a2.points, a2.not_scored) == (None, NotScored.UNKNOWN)
    assert [i.code for i in card.items if i.kind == "action" and i.year == "2025"] == [
        "PRO.A1",
        "REL.A1",
    ]


def test_unpublished_own_indicator_only_for_its_organisation(built: Built) -> None:
    users = built.users
    for name in ("outsider", "coordinator", "admin", "viewer", "youth_monitor"):
        card = _card(built, users[name])
        assert "OWN-DRAFT" not in {i.code for i in card.items}, name
        assert _pts(card.level(NATIONAL).total.scores["2025"]) == (5, 12), name
    mine = _card(built, users["monitor"])
    draft = _item(mine, "OWN-DRAFT", "2025")
    assert draft.unpublished and draft.points == 4
    assert _pts(mine.level(NATIONAL).pillars[0].scores["2025"]) == (7, 8)
    assert _pts(mine.level(NATIONAL).total.scores["2025"]) == (9, 16)
    # The published own indicator is everyone's.
    assert not _item(mine, "OWN-1", "2025").unpublished


def test_no_civil_society_data_means_no_scorecard(db: None) -> None:
    other = build(code="nap-empty")
    AggregateValue.objects.filter(plan=other.plan).delete()
    from wpsmonitor.reporting.models import ActionProgress

    ActionProgress.objects.filter(action__plan=other.plan).delete()
    found = plan_scorecard(PlanAccess.load(AnonymousUser(), other.plan))
    assert found.cards == ()
    assert found.card("cso-shadow") is None


def test_sources_without_data_get_no_card(built: Built) -> None:
    found = plan_scorecard(PlanAccess.load(AnonymousUser(), built.plan))
    assert [c.source.code for c in found.cards] == ["cso-shadow"]  # not cso-youth, not gov


def test_the_figures_of_some_years_only_score_those_years_as_the_whole_does(built: Built) -> None:
    whole = _card(built)
    found = plan_scorecard(PlanAccess.load(AnonymousUser(), built.plan), years=["2025"])
    card = found.card("cso-shadow")
    assert card is not None
    for level in (NATIONAL, LOCAL):
        assert _pts(card.level(level).total.scores["2025"]) == _pts(
            whole.level(level).total.scores["2025"]
        )
    # 2024 keeps its actions' assessments; its figures were not read.
    assert {i.kind for i in card.items if i.year == "2024"} == {"action"}
    assert {i.kind for i in whole.items if i.year == "2024"} == {"action", "indicator"}
