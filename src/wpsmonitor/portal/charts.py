"""The indicator page's chart, built from the figures the page already read (no query of its
own), with the shell's SVG line chart."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wpsmonitor.core.names import localized_name
from wpsmonitor.core.units import unit_name
from wpsmonitor.indicators.models import Indicator, TimeRule
from wpsmonitor.indicators.selectors import Figure, SeriesPoint
from wpsmonitor.portal.selectors import SourceComparison
from wpsmonitor.publishing.flags import text_of_flag
from wpsmonitor.shell.charts import ChartSeries, TargetLine, line_chart
from wpsmonitor.shell.templatetags.shell import value_as


def indicator_chart(
    *,
    indicator: Indicator,
    series: Sequence[SeriesPoint],
    comparison: SourceComparison | None,
    source_name: str,
    headline: Figure,
    headline_period: str,
    area_name: str,
) -> SafeString:
    """The indicator's values over time: one line per source when the government and civil
    society both reported (the page's comparison), otherwise the chosen source's line.

    Targets: per-period marks when targets were set for the periods plotted. Otherwise, for a
    level (a figure not added up over time), the chosen period's target as a line: a level in
    any quarter can be read against it. A flow (summed over time) never gets a line drawn from a
    longer period's target: 45 people in a quarter are not 22% of a yearly 200.
    """
    categories, lines = _lines(series, comparison, source_name)
    target_marks, target_line = _targets(indicator, series, categories, headline, headline_period)

    def value_label(value: float) -> str:
        return value_as(indicator, value)

    if not any(v is not None for line in lines for v in line.values):
        return mark_safe("")
    description = _description(
        indicator, area_name, categories, lines, target_line, target_marks, value_label
    )
    hidden = _hidden(series, comparison)
    if hidden:
        description += " " + _("Gaps in the line are figures hidden in the release: %(gaps)s.") % {
            "gaps": "; ".join(hidden)
        }
    unit = "%" if indicator.kind in ("percentage", "share") else unit_name(indicator.unit)
    return line_chart(
        chart_id="series-chart",
        title=_("%(code)s %(title)s: values over time")
        % {"code": indicator.code, "title": indicator.title},
        description=description,
        categories=categories,
        series=lines,
        target_line=target_line,
        target_marks=target_marks,
        y_label=unit or "",
        value_label=value_label,
    )


def _hidden(series: Sequence[SeriesPoint], comparison: SourceComparison | None) -> list[str]:
    """The figures suppressed in the release, each as "period: flag text" (with its source when
    several are drawn). They are gaps in the line (their value is None), never zeros."""
    if comparison is not None:
        return [
            f"{source.code}, {code}: {text_of_flag(figure.flag, figure.threshold)}"
            for code, found in comparison.figure_rows
            if code != "ALL"
            for source, figure in zip(comparison.sources, found, strict=True)
            if figure.suppressed
        ]
    return [
        f"{point.period_code}: {text_of_flag(point.figure.flag, point.figure.threshold)}"
        for point in series
        if point.figure.suppressed
    ]


def _lines(
    series: Sequence[SeriesPoint], comparison: SourceComparison | None, source_name: str
) -> tuple[list[str], list[ChartSeries]]:
    """The periods plotted and one line per source of the comparison (its all-periods row
    left out), else the chosen source's line over the series."""
    if comparison is not None:
        rows = [(code, values) for code, values in comparison.rows if code != "ALL"]
        categories = [code for code, _values in rows]
        lines = [
            ChartSeries(
                label=localized_name(source.name) or source.code,
                values=tuple(values[i] for _code, values in rows),
            )
            for i, source in enumerate(comparison.sources)
        ]
        return categories, lines
    categories = [point.period_code for point in series]
    return categories, [
        ChartSeries(label=source_name, values=tuple(p.figure.value for p in series))
    ]


def _targets(
    indicator: Indicator,
    series: Sequence[SeriesPoint],
    categories: Sequence[str],
    headline: Figure,
    headline_period: str,
) -> tuple[ChartSeries | None, TargetLine | None]:
    """Per-period target marks, else the headline target as a line for a level (the rule in
    `indicator_chart`'s docstring); at most one of the two."""
    by_period = {point.period_code: point.figure.target for point in series}
    marks = tuple(by_period.get(code) for code in categories)
    if any(v is not None for v in marks):
        return ChartSeries(label=_("Target for the period"), values=marks), None
    if indicator.time_rule != TimeRule.SUM and headline.target is not None:
        line = TargetLine(
            label=_("Target (%(period)s): %(value)s")
            % {"period": headline_period, "value": value_as(indicator, headline.target)},
            value=headline.target,
        )
        return None, line
    return None, None


def _description(
    indicator: Indicator,
    area_name: str,
    categories: Sequence[str],
    lines: Sequence[ChartSeries],
    target_line: TargetLine | None,
    target_marks: ChartSeries | None,
    value_label: Callable[[float], str],
) -> str:
    """The chart's text for assistive technology: what is drawn, its lowest and highest
    values (with where they are), and how targets are shown."""
    known = [
        (v, categories[i], line.label)
        for line in lines
        for i, v in enumerate(line.values)
        if v is not None
    ]
    low = min(known, key=lambda k: k[0])
    high = max(known, key=lambda k: k[0])

    def where(point: tuple[float, str, str]) -> str:
        return f"{point[2]}, {point[1]}" if len(lines) > 1 else point[1]

    parts = [
        _("Line chart of %(indicator)s in %(area)s, by period, from %(first)s to %(last)s.")
        % {
            "indicator": indicator.title,
            "area": area_name,
            "first": categories[0],
            "last": categories[-1],
        }
    ]
    if len(lines) > 1:
        parts.append(
            _("One line per source: %(sources)s.")
            % {"sources": ", ".join(line.label for line in lines)}
        )
    parts.append(
        _("Lowest value %(low)s (%(low_period)s), highest %(high)s (%(high_period)s).")
        % {
            "low": value_label(low[0]),
            "low_period": where(low),
            "high": value_label(high[0]),
            "high_period": where(high),
        }
    )
    if target_line:
        parts.append(_("A dashed line marks the target.") + f" {target_line.label}.")
    elif target_marks:
        parts.append(_("Dashed marks show the target of each period that has one."))
    parts.append(_("The tables below give every figure."))
    return " ".join(parts)
