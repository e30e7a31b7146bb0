"""Writes of perception surveys: set-up (with the indicators each question feeds), rounds, and
answers (typed on the form or uploaded), turned into the indicators' figures.

Rights come from accounts.access.PlanAccess: the coordinator sets surveys up and opens rounds;
the organisation running a round (its focal points, in their areas, or its civil-society
monitors) enters the round's answers. Answers of a round and area replace what was there; the
figures derived from them go through the ingest service, with the survey's source, and the
plan's aggregates are rebuilt for the survey's indicators.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.errors import InputProblems, LocatedProblem
from wpsmonitor.core.periods import PeriodCodeError, PeriodType, parse_period
from wpsmonitor.core.services import service
from wpsmonitor.core.vocabulary import Sensitivity, SourceKind
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.cells import canonical_cell_code
from wpsmonitor.indicators.ingest import ResolvedFigure, figures_ingest
from wpsmonitor.indicators.models import (
    AuditAction,
    Cell,
    DataValue,
    DataValueAudit,
    Dimension,
    IndicatorKind,
    Source,
    TimeRule,
)
from wpsmonitor.indicators.services import indicator_create, period_ensure, scheme_ensure
from wpsmonitor.indicators.tasks import request_refresh
from wpsmonitor.perceptions.models import Answer, Question, Round, Survey
from wpsmonitor.perceptions.reading import AnswerRow, read_answer_rows
from wpsmonitor.perceptions.template import QuestionSpec
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.plans.resolving import area_within, node_resolve

FREQUENCIES = (PeriodType.YEAR, PeriodType.QUARTER)
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,19}$")
MAX_QUESTIONS = 20
MAX_OPTIONS = 10


def _access(by: User, plan: Plan) -> PlanAccess:
    return PlanAccess.load(by, plan)


# ---------------------------------------------------------------------------- set-up


def _questions_clean(questions: Sequence[QuestionSpec]) -> list[QuestionSpec]:
    kept = [q for q in questions if q.text.strip()]
    if not kept:
        raise ValidationError({"questions": _("A survey asks at least one question.")})
    if len(kept) > MAX_QUESTIONS:
        raise ValidationError(
            {"questions": _("A survey asks at most %(max)d questions.") % {"max": MAX_QUESTIONS}}
        )
    cleaned = []
    for number, question in enumerate(kept, start=1):
        labels = [label.strip() for label in question.options if label.strip()]
        favourable = sorted(set(question.favourable))
        where = {"number": number}
        if not 2 <= len(labels) <= MAX_OPTIONS:
            raise ValidationError(
                {
                    "questions": _("Question %(number)d needs between 2 and %(max)d options.")
                    % {**where, "max": MAX_OPTIONS}
                }
            )
        if len({label.lower() for label in labels}) != len(labels):
            raise ValidationError(
                {"questions": _("Question %(number)d gives the same option twice.") % where}
            )
        if not favourable or any(not 0 <= i < len(labels) for i in favourable):
            raise ValidationError(
                {
                    "questions": _(
                        "Question %(number)d marks no favourable option (mark them with +)."
                    )
                    % where
                }
            )
        if len(favourable) == len(labels):
            raise ValidationError(
                {"questions": _("Question %(number)d marks every option favourable.") % where}
            )
        cleaned.append(QuestionSpec(question.text.strip(), labels, favourable))
    return cleaned


def _dimensions_clean(plan: Plan, dimension_codes: Sequence[str]) -> list[str]:
    codes = list(dict.fromkeys(c.strip() for c in dimension_codes if c.strip()))
    known = set(
        Dimension.objects.filter(code__in=codes)
        .filter(plan__isnull=True)
        .values_list("code", flat=True)
    ) | set(Dimension.objects.filter(code__in=codes, plan=plan).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationError(
            {
                "dimensions": _("Unknown dimension(s) for this plan: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            }
        )
    return codes


def _areas_clean(plan: Plan, areas: Sequence[Area]) -> list[Area]:
    chosen = list({area.pk: area for area in areas}.values())
    if not chosen:
        raise ValidationError({"areas": _("Choose at least one area.")})
    outside = [a.code for a in chosen if not area_within(a, plan.area)]
    if outside:
        raise ValidationError(
            {
                "areas": _("Outside the plan's area: %(codes)s.")
                % {"codes": ", ".join(sorted(outside))}
            }
        )
    for area in chosen:
        for other in chosen:
            if other.pk != area.pk and area_within(area, other):
                # A figure of an area is the sum of its sub-areas': both would be counted twice.
                raise ValidationError(
                    {
                        "areas": _(
                            "%(area)s lies within %(other)s: choose areas that do not contain "
                            "each other."
                        )
                        % {"area": area.code, "other": other.code}
                    }
                )
    return chosen


@service
def survey_set_up(
    *,
    by: User,
    plan: Plan,
    code: str,
    title: str,
    node: FrameworkNode | str,
    frequency: str,
    areas: Sequence[Area],
    questions: Sequence[QuestionSpec],
    dimensions: Sequence[str] = (),
    note: str = "",
    sensitivity: str = Sensitivity.SENSITIVE,
) -> Survey:
    """Set up a survey and create, through the indicators' services, the percentage indicator
    each question feeds (code SURVEY-Qn), on the framework node chosen, disaggregated by the
    dimensions chosen."""
    if not _access(by, plan).can_set_up_surveys():
        raise PermissionDenied
    code = (code or "").strip().lower()
    if not _CODE.match(code):
        raise ValidationError(
            {"code": _("A survey code is up to 20 lower-case letters, digits and hyphens.")}
        )
    if Survey.objects.filter(plan=plan, code=code).exists():
        raise ValidationError(
            {"code": _("The plan already has a survey %(code)s.") % {"code": code}}
        )
    if not (title or "").strip():
        raise ValidationError({"title": _("A survey needs a title.")})
    if frequency not in FREQUENCIES:
        raise ValidationError({"frequency": _("A survey is run by year or by quarter.")})
    if sensitivity not in Sensitivity.values:
        raise ValidationError({"sensitivity": _("Unknown sensitivity.")})
    node_obj = node_resolve(plan, node)
    dimension_codes = _dimensions_clean(plan, dimensions)
    chosen_areas = _areas_clean(plan, areas)
    specs = _questions_clean(questions)
    scheme = scheme_ensure(dimension_codes=dimension_codes)
    survey = Survey.objects.create(
        plan=plan,
        code=code,
        title=title.strip(),
        note=note.strip(),
        node=node_obj,
        scheme=scheme,
        frequency=frequency,
        created_by=by,
    )
    survey.areas.set(chosen_areas)
    for order, spec in enumerate(specs, start=1):
        favourable = [spec.options[i] for i in spec.favourable]
        # Stored in the plan's language, as the questions are (core/translated.py).
        with translation.override(plan.original_language):
            definition = _(
                "Share of the respondents to the perception survey %(survey)s answering "
                "%(favourable)s to: %(question)s"
            ) % {
                "survey": survey.title,
                "favourable": " / ".join(favourable),
                "question": spec.text,
            }
            verification = _("Perception survey %(survey)s, counts of respondents per answer.") % {
                "survey": survey.title
            }
        indicator = indicator_create(
            plan=plan,
            node=node_obj,
            code=f"{code.upper()}-Q{order}",
            title=spec.text,
            kind=IndicatorKind.PERCENTAGE,
            time_rule=TimeRule.LAST,
            scheme=scheme,
            unit="%",
            frequency=frequency,
            definition=definition,
            means_of_verification=verification,
            sensitivity=sensitivity,
        )
        Question.objects.create(
            survey=survey,
            order=order,
            text=spec.text,
            options=[
                {"code": str(i + 1), "label": label, "favourable": i in spec.favourable}
                for i, label in enumerate(spec.options)
            ],
            indicator=indicator,
        )
    return survey


def _survey_source(survey: Survey, organisation: Organisation) -> Source:
    """The survey's stream of figures as run by this organisation: its own source, never
    merged with the government's official figures or an organisation's reporting. It names no
    organisation on the source itself (reporting finds an organisation's civil-society stream
    by its organisation); the round records who ran it."""
    code = f"survey-{survey.pk}-{organisation.code}"[:64]
    source, _created = Source.objects.get_or_create(
        code=code,
        defaults={
            "kind": SourceKind.CIVIL_SOCIETY
            if organisation.is_civil_society
            else SourceKind.GOVERNMENT,
            "name": f"{survey.title} ({organisation.acronym or organisation.name})"[:255],
        },
    )
    return source


@service
def round_open(*, by: User, survey: Survey, period: str, organisation: Organisation) -> Round:
    """A round of the survey for a period (of the survey's frequency, within the plan), run by
    an organisation."""
    plan = survey.plan
    if not _access(by, plan).can_set_up_surveys():
        raise PermissionDenied
    try:
        parsed = parse_period((period or "").strip())
    except PeriodCodeError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    if parsed.type != survey.frequency:
        raise ValidationError(
            {
                "period": _("This survey is run by %(frequency)s: %(code)s is not one.")
                % {"frequency": survey.frequency, "code": parsed.code}
            }
        )
    if parsed.end < plan.start or parsed.start > plan.end:
        raise ValidationError({"period": _("The period is outside the plan's dates.")})
    period_obj = period_ensure(parsed.code)
    if Round.objects.filter(survey=survey, period=period_obj).exists():
        raise ValidationError({"period": _("The survey already has a round for this period.")})
    return Round.objects.create(
        survey=survey,
        period=period_obj,
        organisation=organisation,
        source=_survey_source(survey, organisation),
    )


# ---------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class Count:
    """A count of respondents, resolved: question, area, cell, option code."""

    question_id: int
    area_id: int
    cell_id: int
    option: str
    count: int


def _answers_replace(round_: Round, by: User, area_ids: set[int], counts: Sequence[Count]) -> None:
    """The round's answers in these areas become `counts`; the figures follow."""
    Answer.objects.filter(round=round_, area_id__in=area_ids).delete()
    Answer.objects.bulk_create(
        Answer(
            round=round_,
            question_id=c.question_id,
            area_id=c.area_id,
            cell_id=c.cell_id,
            option=c.option,
            count=c.count,
            entered_by=by,
        )
        for c in counts
        if c.count
    )
    _figures_store(round_, by, area_ids)


def _batch_name(round_: Round) -> str:
    return f"perception survey round {round_.pk}"


def _figures_store(round_: Round, by: User, area_ids: set[int]) -> None:
    """The round's answers in these areas, as its questions' figures: numerator the
    respondents giving a favourable option, denominator all respondents, per area and cell
    (a cell without respondents has no figure). Figures the answers no longer give are
    deleted, with their audit rows; then the survey's indicators are rebuilt."""
    survey = round_.survey
    questions = {q.pk: q for q in survey.questions.all()}
    favourable = {pk: q.favourable_codes for pk, q in questions.items()}
    totals: dict[tuple[int, int, int], list[int]] = defaultdict(lambda: [0, 0])
    for answer in Answer.objects.filter(round=round_, area_id__in=area_ids):
        ratio = totals[(answer.question_id, answer.area_id, answer.cell_id)]
        ratio[1] += answer.count
        if answer.option in favourable[answer.question_id]:
            ratio[0] += answer.count
    figures = [
        ResolvedFigure(
            indicator_id=questions[qid].indicator_id,
            period_id=round_.period_id,
            area_id=area_id,
            cell_id=cell_id,
            source_id=round_.source_id,
            numerator=float(num),
            denominator=float(den),
        )
        for (qid, area_id, cell_id), (num, den) in sorted(totals.items())
        if den > 0
    ]
    indicator_ids = [q.indicator_id for q in questions.values()]
    kept = {(f.indicator_id, f.area_id, f.cell_id) for f in figures}
    now = timezone.now()
    for value in DataValue.objects.filter(
        indicator_id__in=indicator_ids,
        period_id=round_.period_id,
        area_id__in=area_ids,
        source_id=round_.source_id,
    ):
        if (value.indicator_id, value.area_id, value.cell_id) in kept:
            continue
        DataValueAudit.objects.create(
            indicator_id=value.indicator_id,
            period_id=value.period_id,
            area_id=value.area_id,
            cell_id=value.cell_id,
            source_id=value.source_id,
            action=AuditAction.DELETE,
            old_value=value.value,
            old_numerator=value.numerator,
            old_denominator=value.denominator,
            changed_by=by,
            changed_at=now,
            reason=_batch_name(round_),
        )
        value.delete()
    if figures:
        figures_ingest(
            figures=figures,
            plan=survey.plan.code,
            user=by,
            kind="survey",
            filename=_batch_name(round_),
        )
    request_refresh(survey.plan, indicator_ids)


def _may_enter(by: User, round_: Round, area: Area) -> bool:
    return _access(by, round_.survey.plan).can_enter_survey_answers(round_.organisation_id, area)


@service
def answers_save(
    *,
    by: User,
    round_: Round,
    area: Area,
    counts: Mapping[tuple[int, int, str], int | None],
) -> int:
    """The round's answers in an area, as typed on its form: respondents per (question id,
    cell id, option code); a blank count is none. Replaces the area's answers; returns the
    number of respondents' answers counted."""
    survey = round_.survey
    if not survey.areas.filter(pk=area.pk).exists():
        raise ValidationError(
            _("Area %(code)s is not one of the survey's areas.") % {"code": area.code}
        )
    if not _may_enter(by, round_, area):
        raise PermissionDenied
    questions = {q.pk: q for q in survey.questions.all()}
    cells = set(Cell.objects.filter(scheme_id=survey.scheme_id).values_list("pk", flat=True))
    resolved = []
    for (qid, cell_id, option), count in counts.items():
        question = questions.get(qid)
        if question is None or cell_id not in cells or option not in question.option_codes:
            raise ValidationError(_("The form does not match the survey; open it again."))
        if count is None:
            continue
        if count < 0:
            raise ValidationError(_("A count of respondents cannot be negative."))
        resolved.append(Count(qid, area.pk, cell_id, option, int(count)))
    _answers_replace(round_, by, {area.pk}, resolved)
    return sum(c.count for c in resolved)


class AnswersRefused(InputProblems):
    """An upload of answers refused whole: every problem, located file:sheet:row:column."""


@service
def answers_upload(*, by: User, round_: Round, path: Path, filename: str) -> int:
    """The round's answers from a CSV or XLSX file (columns question, area, cell, option,
    count), all or nothing: any problem refuses the whole file (AnswersRefused, each problem
    located by file, sheet, row and column). The areas the file names have their answers
    replaced by the file's. Returns the number of rows stored."""
    survey = round_.survey
    access = _access(by, survey.plan)
    if not access.can_enter_survey_answers(round_.organisation_id):
        raise PermissionDenied
    rows, problems = read_answer_rows(path, filename)
    counts: list[Count] = []
    if not problems:
        counts, problems = _rows_resolve(round_, access, rows)
    if problems:
        raise AnswersRefused(
            _("The file is refused and nothing is stored. Problems found: %(count)d.")
            % {"count": len(problems)},
            problems,
        )
    _answers_replace(round_, by, {c.area_id for c in counts}, counts)
    return len(counts)


def _rows_resolve(
    round_: Round, access: PlanAccess, rows: Sequence[AnswerRow]
) -> tuple[list[Count], list[LocatedProblem]]:
    survey = round_.survey
    questions = list(survey.questions.all())
    by_number = {str(q.order): q for q in questions}
    by_number.update({q.indicator.code.lower(): q for q in questions})
    areas = {a.code.lower(): a for a in survey.areas.all()}
    cells = {c.code: c.pk for c in Cell.objects.filter(scheme_id=survey.scheme_id)}
    dimension_codes = list(
        survey.scheme.schemedimension_set.order_by("order").values_list(
            "dimension__code", flat=True
        )
    )
    problems: list[LocatedProblem] = []
    counts: list[Count] = []
    seen: dict[tuple[int, int, int, str], str] = {}

    def refuse(row: AnswerRow, column: str, message: str) -> None:
        problems.append(LocatedProblem(row.index, column, f"{row.where(column)}: {message}"))

    for row in rows:
        ok = True
        question = by_number.get(row.question.strip().lower())
        if question is None:
            refuse(row, "question", _("unknown question %(text)r") % {"text": row.question})
            ok = False
        area = areas.get(row.area.strip().lower())
        if area is None:
            refuse(
                row,
                "area",
                _("%(text)r is not one of the survey's areas (%(areas)s)")
                % {"text": row.area, "areas": ", ".join(sorted(a.code for a in areas.values()))},
            )
            ok = False
        elif not access.can_enter_survey_answers(round_.organisation_id, area):
            refuse(
                row,
                "area",
                _("you do not enter answers for %(code)s") % {"code": area.code},
            )
            ok = False
        cell_id = None
        try:
            cell_id = cells.get(canonical_cell_code(dimension_codes, row.cell))
        except ValueError as exc:
            refuse(row, "cell", str(exc))
            ok = False
        else:
            if cell_id is None:
                refuse(row, "cell", _("unknown cell %(text)r") % {"text": row.cell})
                ok = False
        option = None
        if question is not None:
            wanted = row.option.strip().lower()
            option = next(
                (
                    str(o["code"])
                    for o in question.options
                    if wanted in (str(o["code"]).lower(), str(o["label"]).strip().lower())
                ),
                None,
            )
            if option is None:
                refuse(
                    row,
                    "option",
                    _("%(text)r is not an answer to question %(number)d (%(options)s)")
                    % {
                        "text": row.option,
                        "number": question.order,
                        "options": ", ".join(f"{o['code']} {o['label']}" for o in question.options),
                    },
                )
                ok = False
        count = row.count
        if count is None or count < 0:
            refuse(
                row,
                "count",
                _("the count of respondents is a whole number, 0 or more: %(text)r")
                % {"text": row.count_text},
            )
            ok = False
        if not ok or question is None or area is None or cell_id is None or option is None:
            continue
        key = (question.pk, area.pk, cell_id, option)
        if key in seen:
            refuse(
                row,
                "option",
                _("the same answer is counted again (first at %(first)s)") % {"first": seen[key]},
            )
            continue
        seen[key] = row.where("option")
        counts.append(Count(question.pk, area.pk, cell_id, option, int(count or 0)))
    return counts, problems
