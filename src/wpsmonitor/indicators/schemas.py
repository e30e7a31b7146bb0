"""API shapes of indicators, values, aggregates and progress."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import ConfigDict, Field

from wpsmonitor.core.api import ErrorItem, Year
from wpsmonitor.plans.schemas import TRANSLATIONS_DESCRIPTION, OrganisationRef


class OptionOut(Schema):
    code: str
    name: str
    translations: dict[str, dict[str, str | None]] = Field(description=TRANSLATIONS_DESCRIPTION)


class DimensionOut(Schema):
    code: str
    name: str
    options: list[OptionOut]


class SchemeOut(Schema):
    code: str
    name: str
    dimensions: list[DimensionOut]
    cells: list[str]  # canonical cell codes, "total" for an indicator that is not disaggregated


class ReferenceValueOut(Schema):
    period: str | None
    area: str
    cell: str
    value: float | None
    numerator: float | None
    denominator: float | None
    comment: str


class DroppedOut(Schema):
    version: int = Field(description="The number of the plan's version that dropped it")
    on: date = Field(description="The day that version was approved")


class DroppedIndicatorOut(DroppedOut):
    code: str
    title: str


class IndicatorOut(Schema):
    code: str
    title: str
    definition: str
    node: str
    kind: str
    unit: str
    direction: str
    time_rule: str
    frequency: str
    means_of_verification: str
    responsible_organisation: OrganisationRef | None
    references: list[str]  # "vocabulary:code", e.g. "sdg:5.5.1"
    factor: float
    scale_labels: list[str]
    numerator_formula: str
    denominator_formula: str
    share_of: str | None
    share_dimension: str | None
    share_option: str | None
    expected_min: float | None
    expected_max: float | None
    order: int
    sensitivity: str = Field(description="public, sensitive or restricted (docs/publishing.md)")
    disclosure_threshold: int | None = Field(
        description="Smallest count published when sensitive; null: the plan's"
    )
    translations: dict[str, dict[str, str | None]] = Field(description=TRANSLATIONS_DESCRIPTION)
    scheme: SchemeOut
    baselines: list[ReferenceValueOut]
    targets: list[ReferenceValueOut]
    dropped_in: DroppedOut | None = Field(
        None,
        description="Dropped by an approved revision of the plan (docs/revisions.md): out of "
        "the framework of the periods that start after that day, its figures kept; null while "
        "in force (a draft's drop included)",
    )


class TargetChangeOut(Schema):
    period: str
    area: str
    cell: str
    before: float | None = Field(description="The target before the change; null: none")
    after: float | None = Field(description="The target after the change; null: removed")
    version: int = Field(description="The number of the plan's version that changed it")
    kind: str = Field(description="That version's kind: adopted, midterm, generation, correction")
    changed_on: date = Field(description="The day that version was approved")


class IndicatorDetailOut(IndicatorOut):
    target_changes: list[TargetChangeOut] = Field(
        description="Targets changed by an approved revision of the plan (docs/revisions.md), "
        "oldest first; a period that ended before a change is measured against the target "
        "before it. Empty for a restricted indicator unless the caller sees the plan's detail."
    )


class IndicatorPage(Schema):
    count: int
    next: str | None
    items: list[IndicatorOut]


class ValueOut(Schema):
    id: int
    indicator: str
    period: str
    area: str
    cell: str
    source: str
    value: float | None
    numerator: float | None
    denominator: float | None
    text: str
    comment: str
    created_at: datetime
    updated_at: datetime


class ValuePage(Schema):
    next: str | None = Field(description="URL of the next page; null on the last page")
    items: list[ValueOut]


# What a bulk-write cell may hold: the ingest service parses it exactly as it parses a CSV cell,
# so yes/no indicators accept "yes" and scale indicators a label.
RawFigure = float | str | bool | None


class ValueIn(Schema):
    """One row of a bulk write; the same columns as a values CSV, without `plan`."""

    model_config = ConfigDict(extra="forbid")

    indicator: str
    period: str | Year = Field(
        description="2025, 2025S1, 2025Q3 or 2025-07, as the indicator's frequency"
    )
    area: str = Field(
        description="Area code (ISO 3166-1 for countries, ISO 3166-2 or national codes)"
    )
    cell: str | None = Field(
        None,
        description='e.g. "sex=F;age=18-29" (any order); empty or "total" if not disaggregated',
    )
    source: str | None = Field(None, description="Source code; the government (gov) when empty")
    value: RawFigure = None
    numerator: RawFigure = None
    denominator: RawFigure = None
    text: str | None = None
    comment: str | None = None


class WriteResultOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    refresh_requested: bool
    warnings: list[ErrorItem]


class FigureOut(Schema):
    """A computed figure. `achievement` is progress from baseline to target, uncapped
    (0 = at baseline, 1 = target reached; below 0 or above 1 are possible)."""

    value: float | None
    numerator: float | None
    denominator: float | None
    baseline: float | None
    target: float | None
    achievement: float | None
    count: int  # raw values behind the figure
    flag: str | None = Field(
        None,
        description="Read from a release: null for a free figure; primary, secondary or derived "
        "for a suppressed one, whose value, numerator, denominator and achievement are null",
    )
    flag_text: str | None = Field(
        None, description='The suppressed figure as shown, e.g. "fewer than 5"; null when free'
    )
    threshold: int | None = Field(
        None, description="A primary suppression's threshold (fewer than this); null otherwise"
    )


class ActionCountsOut(Schema):
    total: int
    not_started: int
    ongoing: int
    completed: int
    cancelled: int
    delayed: int
    completion: float | None  # completed / (total - cancelled)


class IndicatorProgressOut(FigureOut):
    code: str
    title: str
    kind: str
    unit: str


class NodeProgressOut(Schema):
    code: str
    title: str
    level: str
    depth: int  # 1 for pillars, as in the framework endpoint
    parent: str | None
    is_action: bool
    delayed: bool
    indicators_total: int
    indicators_measured: int
    achievement: float | None  # mean of the subtree's capped indicator achievements
    actions: ActionCountsOut
    indicators: list[IndicatorProgressOut]  # attached to this node


class ProgressOut(Schema):
    plan: str
    reading: str = Field(
        "detail",
        description="detail: the plan's figures as the platform holds them (its members); "
        "release: its latest published release, after disclosure control (everyone else)",
    )
    release: int | None = Field(
        None, description="The release read; null for the detail or when none is published"
    )
    period: str
    area: str
    source: str
    rebuilt_at: datetime | None  # when the aggregates were last rebuilt
    refresh_pending: bool  # values changed since; figures will follow shortly
    indicators_total: int
    indicators_measured: int
    achievement: float | None
    actions: ActionCountsOut
    nodes: list[NodeProgressOut]  # depth first, as in the framework endpoint
    dropped: list[DroppedIndicatorOut] = Field(
        default_factory=list,
        description="The plan's indicators an approved revision dropped before the period "
        "started: out of the nodes and their counts, their figures kept",
    )


class SeriesPointOut(FigureOut):
    period: str


class AreaFigureOut(FigureOut):
    area: str
    name: str


class AggregatesOut(Schema):
    plan: str
    reading: str = Field(
        "detail",
        description="detail: the plan's figures as the platform holds them (its members); "
        "release: its latest published release, after disclosure control (everyone else)",
    )
    release: int | None = Field(
        None, description="The release read; null for the detail or when none is published"
    )
    indicator: str
    period: str
    area: str
    source: str
    total: FigureOut
    margins: dict[str, FigureOut]  # "dim=opt" -> figure, for options with data
    cells: dict[str, FigureOut] | None  # with ?cells=true, to members; null from a release
    series: list[SeriesPointOut]  # the total (or ?cell=) over every period, in order
    areas: list[AreaFigureOut]  # the areas just below ?area=, for ?period=


class HistoryItemOut(Schema):
    period: str
    cell: str
    value: float | None
    numerator: float | None
    denominator: float | None
    text: str


class HistoryOut(Schema):
    plan: str
    indicator: str
    area: str
    source: str
    plan_start: date = Field(
        description="The plan's first day: every period of these values ends before it"
    )
    items: list[HistoryItemOut]
