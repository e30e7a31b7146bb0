"""The civil-society scorecard in the JSON API: the same computation as the page
(portal.scorecard), so the same numbers and the same visibility rules. A plan the caller may
not read answers 404; an organisation's unpublished own indicators are left out for everyone
outside it. Method: docs/scorecard.md.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from wpsmonitor.accounts.auth import READ_AUTH, access_for_api
from wpsmonitor.core.api import READ_ERRORS, bad_parameter
from wpsmonitor.indicators.reading import ReadingFor, reading_out
from wpsmonitor.scorecard import scoring as scorecard
from wpsmonitor.scorecard.scoring import Item, LevelCard, Row, Score, SourceCard


class ScorecardIn(Schema):
    source: str = Field("", description="A civil-society source code: only its scorecard")
    year: str = Field("", description="Only this year's items (the scores keep every year)")
    items: bool = Field(True, description="Include the scored items")


class ScoreOut(Schema):
    year: str
    points: int
    maximum: int
    score: float | None = Field(description="points / maximum × 100; null when nothing scored")
    indicators: int = Field(description="Indicators scored")
    actions: int = Field(description="Actions scored")
    no_target: int = Field(description="Indicators listed without a target, not scored")
    unknown: int = Field(description="Actions assessed 'unknown', not scored")


class ScorecardRowOut(Schema):
    key: str
    code: str
    label: str
    category: str
    scores: list[ScoreOut]


class PillarOut(ScorecardRowOut):
    categories: list[ScorecardRowOut] = Field(
        description="The pillar's score per indicator category"
    )


class ScorecardLevelOut(Schema):
    level: str = Field(description="national (the plan's area) or local (the areas below it)")
    total: list[ScoreOut] = Field(description="All pillars together, per year")
    pillars: list[PillarOut]
    categories: list[ScorecardRowOut] = Field(description="Per indicator category, all pillars")
    areas: list[ScorecardRowOut] = Field(
        description="Local level: per area where the source reported"
    )


class ItemOut(Schema):
    year: str
    level: str
    area: str
    pillar: str | None
    category: str
    kind: str = Field(description="indicator or action")
    code: str
    title: str
    value: float | None
    baseline: float | None
    target: float | None
    target_basis: str = Field(description="year, final, national or yes; empty when none")
    target_period: str
    achievement: float | None
    assessment: str
    assessment_period: str
    rating: int | None = Field(description="0 no progress … 4 target met")
    points: int | None = Field(description="null: listed, not scored")
    maximum: int
    not_scored: str = Field(description="no_target or unknown; empty when scored")
    unpublished: bool = Field(description="An own indicator only its organisation sees yet")


class SourceCardOut(Schema):
    source: str
    name: str
    organisation: str | None
    years: list[str]
    levels: list[ScorecardLevelOut]
    items: list[ItemOut]


class ScorecardOut(Schema):
    plan: str
    reading: str = Field(
        "detail", description="detail (the plan's members) or release (everyone else)"
    )
    release: int | None = Field(
        None, description="The release scored; null for the detail or when none is published"
    )
    max_points: int = Field(description="What one scored indicator or action is worth at most")
    ratings: dict[str, int] = Field(description="Indicator rating bands and their points")
    action_points: dict[str, int] = Field(description="Points per action assessment")
    sources: list[SourceCardOut] = Field(
        description="One per civil-society source with published data on the plan"
    )


def _scores(scores: dict[str, Score]) -> list[dict[str, Any]]:
    return [
        {
            "year": year,
            "points": s.points,
            "maximum": s.maximum,
            "score": s.percent,
            "indicators": s.indicators,
            "actions": s.actions,
            "no_target": s.no_target,
            "unknown": s.unknown,
        }
        for year, s in scores.items()
    ]


def _row(row: Row) -> dict[str, Any]:
    return {
        "key": row.key,
        "code": row.code,
        "label": row.label,
        "category": row.category,
        "scores": _scores(row.scores),
    }


def _level(level: LevelCard) -> dict[str, Any]:
    return {
        "level": level.level,
        "total": _scores(level.total.scores),
        "pillars": [_row(p) | {"categories": [_row(c) for c in p.children]} for p in level.pillars],
        "categories": [_row(c) for c in level.categories],
        "areas": [_row(a) for a in level.areas],
    }


def _item(item: Item) -> dict[str, Any]:
    return {
        "year": item.year,
        "level": item.level,
        "area": item.area.code,
        "pillar": item.pillar.code if item.pillar else None,
        "category": item.category,
        "kind": item.kind,
        "code": item.code,
        "title": item.title,
        "value": item.value,
        "baseline": item.baseline,
        "target": item.target,
        "target_basis": item.target_basis,
        "target_period": item.target_period,
        "achievement": item.achievement,
        "assessment": item.assessment,
        "assessment_period": item.period_code,
        "rating": item.rating,
        "points": item.points,
        "maximum": item.maximum,
        "not_scored": item.not_scored,
        "unpublished": item.unpublished,
    }


def _card(card: SourceCard, filters: ScorecardIn) -> dict[str, Any]:
    items = [i for i in card.items if not filters.year or i.year == filters.year]
    return {
        "source": card.source.code,
        "name": card.source.name,
        "organisation": card.source.organisation.code if card.source.organisation else None,
        "years": list(card.years),
        "levels": [_level(level) for level in card.levels],
        "items": [_item(i) for i in items] if filters.items else [],
    }


SCORECARD_DOC = """The plan's members score the figures the platform holds; everyone else scores
those of its latest published release (`reading`, `release`), where a suppressed figure is
neither listed nor scored: its rating against the target would tell a range of it."""


def get_scorecard(
    request: HttpRequest, plan: str, filters: ScorecardIn, reading_for: ReadingFor
) -> dict[str, Any]:
    access = access_for_api(request, plan)
    reading = reading_for(access)
    found = scorecard.plan_scorecard(access, filters.source or None, reading.figures)
    cards = list(found.cards)
    if filters.source:
        card = found.card(filters.source)
        if card is None:
            raise bad_parameter(
                "source",
                _("No civil-society source with code %(code)s has published data on this plan.")
                % {"code": filters.source},
            )
        cards = [card]
    if filters.year and not any(filters.year in c.years for c in cards):
        raise bad_parameter(
            "year", _("No scorecard covers the year %(year)s.") % {"year": filters.year}
        )
    return {
        "plan": access.plan.code,
        **reading_out(reading),
        "max_points": scorecard.MAX_POINTS,
        "ratings": {r.name.lower(): int(r) for r in scorecard.Rating},
        "action_points": {str(k): v for k, v in scorecard.ACTION_POINTS.items()},
        "sources": [_card(c, filters) for c in cards],
    }


def router_for(reading_for: ReadingFor) -> Router:
    """The scorecard's router, reading what `reading_for` decides for each caller (handed over
    by wpsmonitor/api.py: scorecard and publishing are side by side and may not import each
    other)."""
    router = Router(tags=["scorecard"], auth=READ_AUTH)

    @router.get(
        "/plans/{plan}/scorecard",
        response={200: ScorecardOut, **READ_ERRORS},
        summary="The civil-society scorecard: scores per source, level, pillar, indicator "
        "category and year, with every scored item",
        operation_id="scorecard_get",
        description=SCORECARD_DOC,
    )
    def scorecard_get(
        request: HttpRequest, plan: str, filters: Query[ScorecardIn]
    ) -> dict[str, Any]:
        return get_scorecard(request, plan, filters, reading_for)

    return router
