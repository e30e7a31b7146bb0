"""Reads of perception surveys for the pages: the plan's surveys, one survey with its
questions, the indicators they feed and its rounds, and a round's answer grid for an area."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Sum
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.errors import NotFound
from wpsmonitor.core.names import localized_name
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import TOTAL_CELL, Cell
from wpsmonitor.perceptions.models import Answer, Question, Round, Survey
from wpsmonitor.plans.models import Plan


def surveys_of(plan: Plan) -> list[Survey]:
    """The plan's surveys, with their counts of questions and rounds. One query."""
    return list(
        Survey.objects.filter(plan=plan)
        .select_related("node")
        .annotate(
            question_count=Count("questions", distinct=True),
            round_count=Count("rounds", distinct=True),
        )
        .order_by("code")
    )


def survey_of(plan: Plan, pk: int) -> Survey:
    found = (
        Survey.objects.filter(plan=plan, pk=pk)
        .select_related("node", "scheme")
        .prefetch_related(
            Prefetch(
                "questions", queryset=Question.objects.select_related("indicator").order_by("order")
            ),
            Prefetch("areas", queryset=Area.objects.order_by("code")),
        )
        .first()
    )
    if found is None:
        raise NotFound(f"No survey {pk}.")
    return found


def round_of(survey: Survey, pk: int) -> Round:
    found = (
        Round.objects.filter(survey=survey, pk=pk)
        .select_related("period", "organisation", "source")
        .first()
    )
    if found is None:
        raise NotFound(f"No round {pk}.")
    return found


@dataclass
class RoundRow:
    round: Round
    # Respondents' answers counted per area of the survey (all questions added up), and the
    # areas this reader may enter answers for.
    answered: list[tuple[Area, int]] = field(default_factory=list)
    entry_areas: list[Area] = field(default_factory=list)


def rounds_of(survey: Survey, access: PlanAccess) -> list[RoundRow]:
    rounds = list(
        survey.rounds.select_related("period", "organisation", "source").order_by("period__start")
    )
    totals: dict[int, dict[str, int]] = defaultdict(dict)
    for round_id, area_code, total in (
        Answer.objects.filter(round__survey=survey)
        .values_list("round_id", "area__code")
        .annotate(total=Sum("count"))
        .values_list("round_id", "area__code", "total")
    ):
        totals[round_id][area_code] = total or 0
    areas = list(survey.areas.all())
    return [
        RoundRow(
            round=round_,
            answered=[(a, totals.get(round_.pk, {}).get(a.code, 0)) for a in areas],
            entry_areas=[
                a for a in areas if access.can_enter_survey_answers(round_.organisation_id, a)
            ],
        )
        for round_ in rounds
    ]


@dataclass
class GridRow:
    cell: Cell
    label: str
    counts: list[tuple[str, int | None]]  # (option code, count) in the options' order


@dataclass
class Grid:
    question: Question
    rows: list[GridRow]


def cell_label(cell: Cell) -> str:
    """The cell's options by name, in the scheme's order ("Female"; "Female, 18-29")."""
    if cell.code == TOTAL_CELL:
        return _("Total")
    order = {pair.split("=", 1)[0]: i for i, pair in enumerate(cell.code.split(";"))}
    options = sorted(cell.options.all(), key=lambda o: order.get(o.dimension.code, 0))
    return ", ".join(localized_name(o.name) for o in options)


def answer_grid(round_: Round, area: Area) -> list[Grid]:
    """Per question, a row per disaggregation cell and a count per option (None: none given)."""
    survey = round_.survey
    cells = list(
        Cell.objects.filter(scheme_id=survey.scheme_id)
        .prefetch_related("options__dimension")
        .order_by("id")
    )
    labels = {cell.pk: cell_label(cell) for cell in cells}
    given = {
        (a.question_id, a.cell_id, a.option): a.count
        for a in Answer.objects.filter(round=round_, area=area)
    }
    return [
        Grid(
            question=question,
            rows=[
                GridRow(
                    cell=cell,
                    label=labels[cell.pk],
                    counts=[
                        (code, given.get((question.pk, cell.pk, code)))
                        for code in question.option_codes
                    ],
                )
                for cell in cells
            ],
        )
        for question in survey.questions.order_by("order")
    ]
