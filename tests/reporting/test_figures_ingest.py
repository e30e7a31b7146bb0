"""The ingest service's typed entry point (figures already resolved to ids, numbers as numbers)
refuses what the text entry point refuses, with the same messages, and stores the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.reporting.conftest import Cycle

from wpsmonitor.directory.services import area_country_ensure
from wpsmonitor.indicators.ingest import (
    IngestError,
    IngestResult,
    ResolvedFigure,
    figures_ingest,
    values_ingest,
)
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, Cell, DataValue, Indicator, Source
from wpsmonitor.indicators.services import period_ensure


def _pair(
    cycle: Cycle,
    indicator: Indicator,
    *,
    cell: str = "total",
    cell_of: Indicator | None = None,
    period: str = "2025Q1",
    area: str | None = None,
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    text: str = "",
    comment: str = "",
) -> tuple[dict[str, Any], ResolvedFigure]:
    """The same figure as a text row (codes) and as a resolved figure (ids). `cell_of`: the
    indicator whose scheme holds the cell, when not the figure's own."""
    row = {
        "indicator": indicator.code,
        "period": period,
        "area": area or cycle.province.code,
        "cell": cell,
        "source": GOVERNMENT_SOURCE,
        "value": "" if value is None else repr(value),
        "numerator": "" if numerator is None else repr(numerator),
        "denominator": "" if denominator is None else repr(denominator),
        "text": text,
        "comment": comment,
    }
    figure = ResolvedFigure(
        indicator_id=indicator.pk,
        period_id=period_ensure(period).pk,
        area_id=area_country_ensure(area).pk if area else cycle.province.pk,
        cell_id=Cell.objects.get(scheme=(cell_of or indicator).scheme, code=cell).pk,
        source_id=Source.objects.get(code=GOVERNMENT_SOURCE).pk,
        value=value,
        numerator=numerator,
        denominator=denominator,
        text=text,
        comment=comment,
    )
    return row, figure


def _answer(call: Callable[[], IngestResult]) -> Any:
    """The problems (as text) of a refused call, or the counts and warnings of a stored one."""
    try:
        result = call()
    except IngestError as exc:
        return [str(problem) for problem in exc.problems]
    return (result.rows, result.created, result.updated, [str(w) for w in result.warnings])


def _from_text(cycle: Cycle, pairs: list[tuple[dict[str, Any], ResolvedFigure]]) -> Any:
    return _answer(
        lambda: values_ingest(
            rows=[row for row, _figure in pairs], plan=cycle.plan.code, where="r[{row}]"
        )
    )


def _from_figures(cycle: Cycle, pairs: list[tuple[dict[str, Any], ResolvedFigure]]) -> Any:
    return _answer(
        lambda: figures_ingest(
            figures=[figure for _row, figure in pairs], plan=cycle.plan.code, where="r[{row}]"
        )
    )


def _stored(cycle: Cycle) -> dict[tuple[int, int], tuple[Any, ...]]:
    return {
        (v.indicator_id, v.cell_id): (
            v.period_id,
            v.value,
            v.numerator,
            v.denominator,
            v.text_value,
            v.comment,
        )
        for v in DataValue.objects.filter(indicator__plan=cycle.plan)
    }


def test_the_same_figures_are_refused_with_the_same_messages(cycle: Cycle) -> None:
    percentage = cycle.built.indicators[1]
    pairs = [
        _pair(cycle, cycle.grid, cell="sex=F;age=18-29", value=-3.0),
        _pair(cycle, percentage, numerator=30.0, denominator=20.0),
        _pair(cycle, cycle.yes_no, value=0.5),
        _pair(cycle, cycle.narrative, value=2.0, text="Roads cut"),
        _pair(cycle, cycle.grid, cell="sex=F;age=0-17", period="2025", value=3.0),
        _pair(cycle, cycle.grid, cell="sex=M;age=0-17", area="KEN", value=3.0),
        _pair(cycle, cycle.yes_no, cell="sex=F;age=18-29", cell_of=cycle.grid, value=1.0),
        _pair(cycle, cycle.narrative, text=""),
        _pair(cycle, cycle.grid, cell="sex=M;age=30-59", value=5.0),  # valid, but twice:
        _pair(cycle, cycle.grid, cell="sex=M;age=30-59", value=6.0),
    ]
    from_text = _from_text(cycle, pairs)
    assert isinstance(from_text, list) and len(from_text) == len(pairs) - 1, from_text
    assert "duplicate of r[8]" in from_text[-1]
    assert _from_figures(cycle, pairs) == from_text
    assert not _stored(cycle)


def test_the_same_figures_are_stored_with_the_same_warnings(cycle: Cycle) -> None:
    percentage = cycle.built.indicators[1]
    pairs = [
        _pair(cycle, cycle.grid, cell="sex=F;age=18-29", value=12.0),
        _pair(cycle, cycle.grid, cell="sex=M;age=18-29", value=900.0, comment="Camps merged"),
        _pair(cycle, percentage, numerator=3.0, denominator=7.0),
        _pair(cycle, cycle.yes_no, value=1.0),
        _pair(cycle, cycle.narrative, text="Roads cut"),
    ]
    from_text = _from_text(cycle, pairs)
    stored_from_text = _stored(cycle)
    DataValue.objects.filter(indicator__plan=cycle.plan).delete()
    assert _from_figures(cycle, pairs) == from_text
    assert _stored(cycle) == stored_from_text
    rows, created, _updated, warnings = from_text
    assert (rows, created, len(warnings)) == (5, 5, 1)  # 900 is outside 0 to 500
