"""API shapes of plans and their results frameworks."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

TRANSLATIONS_DESCRIPTION = (
    "Each text in every language: {field: {language: text or null}}; the text in "
    "original_language is the one the others fall back to (docs/languages.md)"
)


class OrganisationRef(Schema):
    code: str
    name: str
    acronym: str
    type: str
    original_language: str = Field(
        description="The language the organisation's name is written in (its own, not the plan's)"
    )
    translations: dict[str, dict[str, str | None]] = Field(description=TRANSLATIONS_DESCRIPTION)


class AreaRef(Schema):
    code: str
    name: str


class PlanRef(Schema):
    code: str
    title: str
    kind: str
    status: str


class PlanOut(Schema):
    code: str
    title: str
    kind: str
    status: str
    country: str | None  # ISO 3166-1 alpha-3 of the country the plan's area lies in
    area: AreaRef
    generation: int | None
    start: date
    end: date
    adopted_on: date | None
    lead_organisation: OrganisationRef | None
    coordination_mechanism: str
    languages: list[str]
    description: str
    document_url: str
    parent: PlanRef | None
    disclosure_threshold: int = Field(
        description="Smallest count of a sensitive indicator that is published (docs/publishing.md)"
    )
    structural_zeros_safe: bool = Field(
        description="True: the zeros of sensitive indicators are published"
    )
    original_language: str = Field(description="The language the plan's texts are written in")
    translations: dict[str, dict[str, str | None]] = Field(description=TRANSLATIONS_DESCRIPTION)
    created_at: datetime
    updated_at: datetime


class PlanDetailOut(PlanOut):
    children: list[PlanRef]


class PlanPage(Schema):
    count: int
    next: str | None
    items: list[PlanOut]


class LevelOut(Schema):
    depth: int
    code: str
    name: str
    holds_actions: bool


class ActionOut(Schema):
    status: str
    delayed: bool
    percent_complete: int | None
    planned_start: date | None
    planned_end: date | None
    responsible_organisation: OrganisationRef | None
    partner_organisations: list[OrganisationRef]


class NodeOut(Schema):
    code: str
    title: str
    description: str
    level: str
    depth: int
    parent: str | None
    order: int
    pillar_theme: str
    translations: dict[str, dict[str, str | None]] = Field(description=TRANSLATIONS_DESCRIPTION)
    indicators: list[str]
    action: ActionOut | None  # set on nodes of the level that holds actions


class FrameworkOut(Schema):
    plan: str
    levels: list[LevelOut]
    nodes: list[NodeOut]  # depth first, siblings by order then code


# ---------------------------------------------------------------------------- quality scorecard
