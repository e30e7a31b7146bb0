"""The civil-society scorecard page: scores by pillar, category and area over the years, the
chart of their evolution, every scored item, the method, and the tables as CSV or XLSX.

A plan hidden from the visitor answers 404 (accounts.access.plan_access); indicators a
civil-society organisation has not published yet are left out for everyone outside it
(scorecard.select uses PlanAccess.hidden_indicators). The page makes a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.core.names import localized_name
from wpsmonitor.indicators.reading import ReadingFor, reading_about
from wpsmonitor.reporting.models import ActionAssessment
from wpsmonitor.scorecard import scoring as scorecard
from wpsmonitor.scorecard.scoring import (
    ACTION_POINTS,
    MAX_POINTS,
    Item,
    LevelCard,
    Rating,
    Row,
    Score,
    SourceCard,
)
from wpsmonitor.shell import charts, downloads
from wpsmonitor.shell.templatetags.shell import num

ITEMS_ON_PAGE = 400


def score_text(value: float) -> str:
    """A score with at most one decimal, none when it is whole (50, 62.5, 41.7)."""
    rounded = round(value, 1)
    return num(rounded, 0 if rounded == int(rounded) else 1)


def level_chart(card: SourceCard, level: LevelCard, source_name: str) -> SafeString:
    """The score of each category over the years at one level: one line per category of the
    table (four at most, each with its own colour, dash and marker, the same on every chart:
    a category without a score is in the legend as such), the full score as a dashed line."""
    years = list(card.years)
    lines = []
    for row in level.categories:
        values = tuple(row.scores[y].percent for y in years)
        label = row.label
        if all(v is None for v in values):
            label = _("%(category)s (no score)") % {"category": row.label}
        lines.append(charts.ChartSeries(label=label, values=values))
    if all(v is None for line in lines for v in line.values):
        return SafeString("")
    total = level.total.scores
    scored = [(y, percent) for y in years if (percent := total[y].percent) is not None]
    parts = [
        _(
            "Line chart of the civil-society score of %(source)s, %(level)s, by indicator "
            "category, from %(first)s to %(last)s, on a scale of 0 to 100."
        )
        % {
            "source": source_name,
            "level": level.label.lower(),
            "first": years[0],
            "last": years[-1],
        },
        _("One line per category: %(categories)s.")
        % {"categories": ", ".join(line.label for line in lines)},
    ]
    if scored:
        parts.append(
            _("All pillars together: %(scores)s.")
            % {"scores": ", ".join(f"{year} {score_text(value)}" for year, value in scored)}
        )
    parts.append(_("The table below gives every score with its points."))
    return charts.line_chart(
        chart_id=f"scorecard-{level.level}",
        title=_("%(source)s: score by category over the years, %(level)s")
        % {"source": source_name, "level": level.label.lower()},
        description=" ".join(parts),
        categories=years,
        series=lines,
        target_line=charts.TargetLine(label=_("Full score (100)"), value=100),
        y_label=_("score"),
        value_label=score_text,
    )


# --- downloads -----------------------------------------------------------------------------


def _score_cells(score: Score) -> list[downloads.CellValue]:
    return [
        score.points,
        score.maximum,
        None if score.percent is None else round(score.percent, 1),
        score.indicators,
        score.actions,
        score.no_target,
        score.unknown,
    ]


def scores_table(card: SourceCard) -> downloads.Table:
    rows: list[list[downloads.CellValue]] = []

    def add(level: LevelCard, table: str, row: Row, pillar: str, category: str) -> None:
        for year in card.years:
            names: list[downloads.CellValue] = [
                level.level,
                table,
                pillar,
                category,
                row.code or row.key,
                row.label,
                year,
            ]
            rows.append(names + _score_cells(row.scores[year]))

    for level in card.levels:
        for pillar in level.pillars:
            add(level, "pillar", pillar, pillar.code, "")
            for child in pillar.children:
                add(level, "pillar_category", child, pillar.code, child.category)
        for category in level.categories:
            add(level, "category", category, "", category.category)
        for area in level.areas:
            add(level, "area", area, "", "")
        add(level, "total", level.total, "", "")
    return downloads.Table(
        key="scores",
        title=_("Civil-society scores by pillar, category and area"),
        columns=[
            _("Level"),
            _("Table"),
            _("Pillar"),
            _("Category"),
            _("Row"),
            _("Name"),
            _("Year"),
            _("Points"),
            _("Maximum points"),
            _("Score (0-100)"),
            _("Indicators scored"),
            _("Actions scored"),
            _("Indicators without a target"),
            _("Actions assessed unknown"),
        ],
        rows=rows,
    )


def items_table(items: Sequence[Item]) -> downloads.Table:
    return downloads.Table(
        key="items",
        title=_("What was scored"),
        columns=[
            _("Year"),
            _("Level"),
            _("Area"),
            _("Pillar"),
            _("Category"),
            _("Kind"),
            _("Code"),
            _("Title"),
            _("Value"),
            _("Baseline"),
            _("Target"),
            _("Target used"),
            _("Target period"),
            _("Achievement"),
            _("Assessment"),
            _("Assessment period"),
            _("Rating"),
            _("Points"),
            _("Maximum points"),
            _("Not scored because"),
        ],
        rows=[
            [
                item.year,
                item.level,
                item.area.code,
                item.pillar.code if item.pillar else "",
                item.category,
                item.kind,
                item.code,
                item.title,
                item.value,
                item.baseline,
                item.target,
                item.target_basis,
                item.target_period,
                item.achievement,
                item.assessment,
                item.period_code,
                item.rating,
                item.points,
                item.maximum,
                item.not_scored,
            ]
            for item in items
        ],
    )


# --- the page ------------------------------------------------------------------------------


@require_safe
def plan_scorecard(request: HttpRequest, code: str, reading_for: ReadingFor) -> HttpResponse:
    """The scorecard of the detail for the plan's members, of the latest published release for
    everyone else (what `reading_for`, handed down by wpsmonitor/urls.py, decides; as the API's
    scorecard: docs/publishing.md, "Who reads what")."""
    access = plan_access(request.user, code)
    plan = access.plan
    reading = reading_for(access)
    # Only the source shown is scored; the others are listed to choose from.
    found = scorecard.plan_scorecard(access, request.GET.get("source", ""), reading.figures)
    card = found.cards[0] if found.cards else None
    year = request.GET.get("year", "")
    if card is not None and year not in card.years:
        year = card.years[-1]
    of_year = [i for i in card.items if i.year == year] if card else []
    areas = sorted({i.area.pk: i.area for i in of_year}.values(), key=lambda a: a.path)
    area_code = request.GET.get("area", "")
    if area_code not in {a.code for a in areas}:
        area_code = ""
    items = [i for i in of_year if not area_code or i.area.code == area_code]
    # A monitor covering every district of a big country can have thousands of items a year:
    # the page then lists the national ones and lets the reader choose an area (the download
    # holds them all).
    shortened = not area_code and len(items) > ITEMS_ON_PAGE
    shown = [i for i in items if i.level == scorecard.NATIONAL] if shortened else items
    wanted = downloads.requested(request)
    if wanted:
        tables: dict[str, Any] = {}
        if card is not None:
            tables = {
                "scores": lambda: scores_table(card),
                "items": lambda: items_table(items),
            }
        return downloads.respond(
            wanted,
            tables,
            name=[plan.code, "scorecard", card.source.code if card else "", year],
            about=[
                *downloads.about_lines(
                    plan_title=plan.title,
                    page_url=downloads.page_url(request),
                    period=year if wanted.table == "items" else "",
                    source=localized_name(card.source.name) if card else "",
                ),
                reading_about(reading),
            ],
        )
    source_name = localized_name(card.source.name) if card else ""
    context: dict[str, Any] = {
        "plan": plan,
        "scorecard": found,
        "card": card,
        "reading": reading,
        "year": year,
        "items": shown,
        "items_total": len(items),
        "shortened": shortened,
        "areas": areas,
        "area_code": area_code,
        "source_name": source_name,
        "levels": [(level, level_chart(card, level, source_name)) for level in card.levels]
        if card
        else [],
        "ratings": list(Rating),
        "action_points": [
            (ActionAssessment(key).label, points) for key, points in ACTION_POINTS.items()
        ],
        "max_points": MAX_POINTS,
    }
    return render(request, "scorecard/scorecard.html", context)
