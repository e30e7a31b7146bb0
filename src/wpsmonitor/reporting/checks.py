"""A submission's figures checked as an import would check them, storing nothing.

Figures typed in the entry sheet arrive as text (EntryRow) and are parsed; figures already
stored in a submission are passed as they are (ResolvedFigure): no round trip through text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from wpsmonitor.indicators.ingest import IngestError, Problem, ResolvedFigure, ValueIngest
from wpsmonitor.indicators.ingest.rows import format_number
from wpsmonitor.indicators.models import DataValue, Indicator, IndicatorKind, Period
from wpsmonitor.plans.models import Plan
from wpsmonitor.reporting.entry import EntryRow, previous_period_code
from wpsmonitor.reporting.models import Submission, SubmissionValue

# A submission is checked in full: every problem of every row is shown beside it.
CHECK_CAP = 100_000

# The plausibility check against the previous period (docs/reporting.md, "Plausibility"): a
# count that changes by more than half of the previous period's approved figure, and by at
# least CHANGE_MINIMUM, is flagged like an outlier (a comment is required to submit it).
# 72 → 12 and 4 → 19 are flagged; 72 → 40 (−44 %) and 2 → 6 (+4) are not.
CHANGE_RATIO = 0.5
CHANGE_MINIMUM = 5.0

RowKey = tuple[int, int]  # (indicator id, cell id): one figure of a submission


@dataclass
class SaveResult:
    """What a save did: figures stored, and the problems of those refused (by row key)."""

    changed: int = 0
    problems: dict[RowKey, list[Problem]] = field(default_factory=dict)
    warnings: dict[RowKey, list[Problem]] = field(default_factory=dict)
    action_problems: dict[int, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.action_problems


def figure_key(figure: ResolvedFigure) -> RowKey:
    return (figure.indicator_id, figure.cell_id)


def submission_figures(submission: Submission) -> list[ResolvedFigure]:
    """The figures stored in a submission, as the ingest service takes them (one query)."""
    area_id, source_id = submission.area_id, submission.source_id
    return [
        ResolvedFigure(
            indicator_id=indicator_id,
            period_id=period_id,
            area_id=area_id,
            cell_id=cell_id,
            source_id=source_id,
            value=value,
            numerator=numerator,
            denominator=denominator,
            text=text,
            comment=comment,
        )
        for indicator_id, period_id, cell_id, value, numerator, denominator, text, comment in (
            SubmissionValue.objects.filter(submission=submission).values_list(
                "indicator_id",
                "period_id",
                "cell_id",
                "value",
                "numerator",
                "denominator",
                "text_value",
                "comment",
            )
        )
    ]


def _dry_run(
    plan: Plan, feed: Callable[[ValueIngest, int], None]
) -> tuple[list[Problem], list[Problem]]:
    """Validate what `feed` gives the session exactly as an import would, storing nothing:
    (problems, warnings), located by row index."""

    class _Rollback(Exception):
        pass

    problems: list[Problem] = []
    warnings: list[Problem] = []
    try:
        with transaction.atomic():
            session = ValueIngest(kind="check", default_plan=plan.code, max_errors=CHECK_CAP)
            feed(session, session.place("{row}"))
            try:
                result = session.finish()
                warnings = result.warnings
            except IngestError as exc:
                problems, warnings = exc.problems, session.warnings
            raise _Rollback
    except _Rollback:
        pass
    return problems, warnings


def rows_checked(plan: Plan, rows: list[EntryRow]) -> tuple[list[Problem], list[Problem]]:
    """The problems and warnings of rows typed in the sheet."""
    if not rows:
        return [], []
    return _dry_run(
        plan,
        lambda session, place: session.add_rows(
            ((i, row.as_import_row()) for i, row in enumerate(rows)), place=place
        ),
    )


def figures_checked(
    plan: Plan, figures: list[ResolvedFigure]
) -> tuple[list[Problem], list[Problem]]:
    """The problems and warnings of figures stored in a submission."""
    if not figures:
        return [], []
    return _dry_run(
        plan, lambda session, place: session.add_figures(enumerate(figures), place=place)
    )


def by_key(keys: Sequence[RowKey], found: list[Problem]) -> dict[RowKey, list[Problem]]:
    """Problems located by row index, grouped by the key of their row."""
    keyed: dict[RowKey, list[Problem]] = {}
    for problem in found:
        keyed.setdefault(keys[int(problem.where)], []).append(problem)
    return keyed


def is_large_change(old: float, new: float) -> bool:
    """The rule of CHANGE_RATIO and CHANGE_MINIMUM (from zero, any rise of CHANGE_MINIMUM)."""
    change = abs(new - old)
    return change >= CHANGE_MINIMUM and change > CHANGE_RATIO * abs(old)


def change_warnings(
    submission: Submission, figures: list[ResolvedFigure]
) -> dict[RowKey, list[Problem]]:
    """Counts that changed a lot from the previous period's approved figure of the same
    indicator, cell, area and stream, by row key (three queries, whatever the size)."""
    numbers = [f for f in figures if f.value is not None]
    counts = set(
        Indicator.objects.filter(
            pk__in={f.indicator_id for f in numbers}, kind=IndicatorKind.NUMBER
        ).values_list("pk", flat=True)
    )
    numbers = [f for f in numbers if f.indicator_id in counts]
    if not numbers:
        return {}
    codes = dict(
        Period.objects.filter(pk__in={f.period_id for f in numbers}).values_list("pk", "code")
    )
    before = {pk: previous_period_code(code) for pk, code in codes.items()}
    previous = {
        (indicator_id, code, cell_id): value
        for indicator_id, code, cell_id, value in DataValue.objects.filter(
            indicator_id__in=counts,
            period__code__in=set(before.values()),
            area_id=submission.area_id,
            source_id=submission.source_id,
            value__isnull=False,
        ).values_list("indicator_id", "period__code", "cell_id", "value")
    }
    found: dict[RowKey, list[Problem]] = {}
    for figure in numbers:
        period = before.get(figure.period_id, "")
        old = previous.get((figure.indicator_id, period, figure.cell_id))
        new = figure.value
        if old is None or new is None or not is_large_change(old, new):
            continue
        found.setdefault(figure_key(figure), []).append(
            Problem(
                "",
                "value",
                _("%(old)s in %(period)s, %(new)s now: a change of %(change)s")
                % {
                    "old": format_number(old),
                    "period": period,
                    "new": format_number(new),
                    "change": (
                        f"{(new - old) / abs(old):+.0%}" if old else f"+{format_number(new)}"
                    ),
                },
            )
        )
    return found


def unexplained_outliers(
    figures: list[ResolvedFigure], warnings: dict[RowKey, list[Problem]]
) -> dict[RowKey, list[Problem]]:
    """An outlier is allowed, but only with a word of explanation: a problem for each
    warning of a figure without a comment."""
    found: dict[RowKey, list[Problem]] = {}
    for figure in figures:
        key = figure_key(figure)
        if key in warnings and not figure.comment.strip():
            found.setdefault(key, []).extend(
                Problem(
                    p.where,
                    "comment",
                    _("%(problem)s: explain it in a comment") % {"problem": p.message},
                )
                for p in warnings[key]
            )
    return found


def submission_problems(
    submission: Submission, figures: list[ResolvedFigure] | None = None
) -> SaveResult:
    """Everything that stops the submission from being submitted, per row. `figures`: the
    submission's figures when the caller has them already."""
    if figures is None:
        figures = submission_figures(submission)
    keys = [figure_key(figure) for figure in figures]
    problems, warnings = figures_checked(submission.round.plan, figures)
    result = SaveResult(problems=by_key(keys, problems), warnings=by_key(keys, warnings))
    for key, changes in change_warnings(submission, figures).items():
        result.warnings.setdefault(key, []).extend(changes)
    for key, found in unexplained_outliers(figures, result.warnings).items():
        result.problems.setdefault(key, []).extend(found)
    return result


def draft_indicator_problems(submission: Submission, check: SaveResult) -> None:
    """Figures on the organisation's own indicators that are still drafts stop publication:
    nothing of a draft indicator reaches the public tables."""
    drafts = SubmissionValue.objects.filter(
        submission=submission,
        indicator__owner_organisation__isnull=False,
        indicator__published_at__isnull=True,
    ).values_list("indicator_id", "cell_id", "indicator__code")
    for indicator_id, cell_id, code in drafts:
        check.problems.setdefault((indicator_id, cell_id), []).append(
            Problem(
                code,
                "value",
                _(
                    "%(code)s is your organisation's draft indicator: publish it first "
                    "(Shadow monitoring page), or clear its figures"
                )
                % {"code": code},
            )
        )
