"""Server-rendered SVG charts: no JavaScript and no chart library.

`line_chart` draws values by category (periods) as one line per series, with an optional
constant target line or per-category target marks. Everything is in presentation attributes
(stroke, fill, dash patterns), not CSS, so the chart looks the same without the stylesheet and
prints without relying on background colours. The chart is an image with a title and a
description for assistive technology; the page keeps the figures in a table next to it.

These are the primitives every feature's charts are built from (the indicator page's chart is in
portal/charts.py, finance's and donors' in their apps). They know no feature.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape as _html_escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from wpsmonitor.shell.templatetags.shell import num

TEXT = "#1b1b1b"
AXIS = "#4a4a4a"
GRID = "#d0d3d8"  # decoration only: the tick labels carry the values


@dataclass(frozen=True)
class SeriesStyle:
    """Colour, dash pattern and marker: three cues, so no series is told apart by colour alone.

    Colours after Okabe and Ito's colour-blind-safe palette, darkened where needed so that each
    has at least 3:1 contrast on white (WCAG 1.4.11); tests/portal/test_charts.py checks it.
    """

    colour: str
    dash: str  # stroke-dasharray, "" for a solid line
    marker: str  # circle, square, triangle, diamond


STYLES: tuple[SeriesStyle, ...] = (
    SeriesStyle("#0072b2", "", "circle"),  # blue, solid
    SeriesStyle("#c85200", "7 4", "square"),  # vermilion, dashed
    SeriesStyle("#007a5e", "2 3", "triangle"),  # bluish green, dotted
    SeriesStyle("#a2447f", "9 3 2 3", "diamond"),  # reddish purple, dash-dot
)
TARGET_DASH = "10 5"
# The chart is drawn about as wide as it shows on a phone (the page's column is 328 px at a
# 360 px screen), so its text scales little: 14 units there render at about 11.5 px, and at
# 14 px where there is room (it is never drawn wider than WIDTH).
WIDTH = 400
FONT_SIZE = 14
CHAR_WIDTH = 8.5  # a generous average for digits and letters of the FONT_SIZE font
ROW = 20  # a legend row


@dataclass(frozen=True)
class ChartSeries:
    label: str
    values: tuple[float | None, ...]  # one per category; None leaves a gap in the line


@dataclass(frozen=True)
class TargetLine:
    """A constant reference line across the whole plot."""

    label: str
    value: float


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: object) -> str:
    """Text for SVG markup: escaped, and without the control characters XML does not allow
    (a title pasted from a word processor must not make the page ill-formed)."""
    return _html_escape(_XML_INVALID.sub("", str(text)), quote=True)


def nice_step(span: float, count: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about `count` ticks."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / count
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude * (1 + 1e-9):
            return multiple * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def step_decimals(step: float) -> int:
    """Decimals that show every tick of this step exactly (0.25 -> 2, 50 -> 0)."""
    for decimals in range(7):
        scaled = step * 10**decimals
        if abs(scaled - round(scaled)) < 1e-6 * max(1.0, scaled):
            return decimals
    return 6


def axis_ticks(values: Sequence[float], count: int = 5) -> list[float]:
    """Round ticks covering the values and zero (bars and lines of amounts read from zero)."""
    low = min(0.0, *values) if values else 0.0
    high = max(0.0, *values) if values else 1.0
    if high == low:
        high = low + 1.0
    step = nice_step(high - low, count)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def default_tick_label(value: float, decimals: int) -> str:
    return num(value, decimals)


@dataclass(frozen=True)
class _Mirror:
    """Right to left, the chart is drawn in the reader's direction: the value axis on the right,
    the categories (periods) running from right to left, the legend's samples on the right.
    Every x is computed as if left to right and passed through here; the SVG's direction="rtl"
    turns the texts' anchors with it (text-anchor "start" is then a text's right end)."""

    width: float
    on: bool

    def __call__(self, x: float) -> float:
        return self.width - x if self.on else x

    def box(self, x: float, width: float) -> float:
        """The left edge of a box drawn from `x`, `width` wide, left to right (a bar, a node)."""
        return self.width - x - width if self.on else x

    @property
    def direction(self) -> str:
        return "rtl" if self.on else "ltr"


def reading_mirror(width: float) -> _Mirror:
    """The mirror of a chart `width` wide for the active language: the apps' own charts (finance,
    donors) compute left to right and draw through it, as the line chart does."""
    return _Mirror(width, get_language_bidi())


def ltr_isolated(text: str, mirror: _Mirror) -> str:
    """A figure or code kept left to right inside a right-to-left chart."""
    return _ltr(text, mirror)


def _ltr(text: str, mirror: _Mirror) -> str:
    """Figures and period codes read left to right inside a right-to-left chart ("-5" must not
    become "5-"): isolated with LRI ... PDI."""
    return f"\u2066{text}\u2069" if mirror.on else text


@dataclass(frozen=True)
class _Frame:
    left: float
    right: float
    top: float
    bottom: float
    low: float
    high: float
    count: int
    mirror: _Mirror

    def x(self, index: int) -> float:
        # Each category gets an equal slot; the point sits in its middle.
        return self.mirror(self.left + (index + 0.5) * self.slot)

    @property
    def slot(self) -> float:
        return (self.right - self.left) / max(self.count, 1)

    def y(self, value: float) -> float:
        return self.bottom - (value - self.low) / (self.high - self.low) * (self.bottom - self.top)


def _marker(kind: str, x: float, y: float, colour: str, label: str = "") -> str:
    # The tooltip names the point for pointer users; legend samples have none.
    tip = f"<title>{escape(label)}</title>" if label else ""
    if kind == "square":
        return (
            f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">'
            f"{tip}</rect>"
        )
    if kind == "triangle":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}">{tip}</polygon>'
    if kind == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}">{tip}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">{tip}</circle>'


def _point(series: object, category: object, value: object) -> str:
    """The tooltip of one point, e.g. "Women, 2024: 12", with the reader's punctuation."""
    # Translators: the tooltip of a point of a chart: the series, the category and the value,
    # e.g. "Women, 2024: 12".
    return _("%(series)s, %(category)s: %(value)s") % {
        "series": series,
        "category": category,
        "value": value,
    }


def _path(frame: _Frame, values: Sequence[float | None]) -> str:
    """Line segments through the known values; a missing value breaks the line."""
    parts: list[str] = []
    pen_down = False
    for index, value in enumerate(values):
        if value is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{frame.x(index):.1f} {frame.y(value):.1f}")
        pen_down = True
    return " ".join(parts)


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[ChartSeries],
    target_line: TargetLine | None = None,
    target_marks: ChartSeries | None = None,
    y_label: str = "",
    tick_label: Callable[[float, int], str] = default_tick_label,
    value_label: Callable[[float], str] | None = None,
    width: int = WIDTH,
    height: int = 240,
) -> SafeString:
    """An accessible SVG line chart, or "" when there is nothing to draw.

    `target_marks` draws one short dashed mark per category that has a target (targets set
    period by period); `target_line` one line across the plot (a single target for all).
    `value_label` formats the values in the markers' tooltips (the tick format by default).
    `height` is that of the plot and its axes; each legend row adds ROW units above them.
    """
    _check_lengths(categories, [*series, *([target_marks] if target_marks else [])])
    known = [v for s in series for v in s.values if v is not None and math.isfinite(v)]
    if not categories or not known:
        return mark_safe("")
    reference = [target_line.value] if target_line else []
    if target_marks:
        reference += [v for v in target_marks.values if v is not None and math.isfinite(v)]
    ticks = axis_ticks([*known, *reference])
    decimals = step_decimals(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
    label_of = value_label or (lambda v: tick_label(v, max(decimals, 0 if v == int(v) else 2)))

    legend = [(s.label, STYLES[i % len(STYLES)]) for i, s in enumerate(series)]
    target_label = (
        target_line.label if target_line else (target_marks.label if target_marks else None)
    )
    legend_rows = len(legend) + (1 if target_label is not None else 0)
    # The legend sits above the plot and adds to the height, so the plot keeps its size.
    height += ROW * legend_rows
    mirror = _Mirror(width, get_language_bidi())
    tick_texts = [tick_label(t, decimals) for t in ticks]
    # Room for the longest tick label, and for the axis' name turned upright.
    left = math.ceil(
        12 + CHAR_WIDTH * max(len(t) for t in tick_texts) + (FONT_SIZE + 4 if y_label else 0)
    )
    frame = _Frame(
        left=left,
        right=width - 12,
        top=16 + ROW * legend_rows + 8,
        bottom=height - 36,
        low=ticks[0],
        high=ticks[-1],
        count=len(categories),
        mirror=mirror,
    )
    return mark_safe(
        "".join(
            [
                _svg_open(chart_id, title, description, width, height, mirror),
                _legend(8, width, legend, target_label, mirror),
                _value_axis(frame, ticks, tick_texts, y_label),
                _category_axis(frame, categories),
                # Targets under the lines, so the values stay on top.
                _target_line(frame, target_line) if target_line else "",
                _target_marks(frame, categories, target_marks, label_of) if target_marks else "",
                *(
                    _series_line(frame, categories, line, number, label_of)
                    for number, line in enumerate(series)
                ),
                "</svg>",
            ]
        )
    )


def _check_lengths(categories: Sequence[str], lines: Sequence[ChartSeries]) -> None:
    """Every line has one value per category: anything else is the caller's mistake."""
    for line in lines:
        if len(line.values) != len(categories):
            raise ValueError(
                f"{line.label!r}: {len(line.values)} values, {len(categories)} categories"
            )


def _svg_open(
    chart_id: str, title: str, description: str, width: int, height: int, mirror: _Mirror
) -> str:
    """The opening tag, named by its title and description for assistive technology."""
    cid = escape(chart_id)
    direction = "rtl" if mirror.on else "ltr"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" '
        f'role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f"font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\" "
        f'font-size="{FONT_SIZE}" fill="{TEXT}" direction="{direction}">'
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(description)}</desc>'
    )


def _fitted(label: str, room: float) -> str:
    """A legend label cut to the room it has, with an ellipsis (the full name is in the
    chart's description and the table beside it)."""
    most = max(int(room // CHAR_WIDTH), 4)
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def _legend(
    left: float,
    width: float,
    legend: Sequence[tuple[str, SeriesStyle]],
    target: str | None,
    mirror: _Mirror,
) -> str:
    """A sample of each line (with its marker) and its name, one row each; the target's dash
    last, when there is a target (`target` is its label). Names longer than the chart is wide
    are shortened."""
    room = width - left - 40 - 4
    out = ['<g class="legend">']
    y = 16.0
    for label, style in legend:
        dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
        out.append(
            f'<line x1="{mirror(left)}" y1="{y:.1f}" x2="{mirror(left + 32)}" y2="{y:.1f}" '
            f'stroke="{style.colour}" stroke-width="2.5"{dash}/>'
            + _marker(style.marker, mirror(left + 16), y, style.colour)
            + f'<text x="{mirror(left + 40)}" y="{y + 5:.1f}">'
            f"{escape(_fitted(label, room))}</text>"
        )
        y += ROW
    if target is not None:
        out.append(
            f'<line x1="{mirror(left)}" y1="{y:.1f}" x2="{mirror(left + 32)}" y2="{y:.1f}" '
            f'stroke="{TEXT}" stroke-width="2" stroke-dasharray="{TARGET_DASH}"/>'
            f'<text x="{mirror(left + 40)}" y="{y + 5:.1f}">'
            f"{escape(_fitted(target, room))}</text>"
        )
    out.append("</g>")
    return "".join(out)


def _value_axis(
    frame: _Frame, ticks: Sequence[float], tick_texts: Sequence[str], y_label: str
) -> str:
    """Gridlines and labelled ticks (the zero line darker), and the axis' name turned upright."""
    mirror = frame.mirror
    out = ['<g class="y-axis">']
    for tick, text in zip(ticks, tick_texts, strict=True):
        ty = frame.y(tick)
        stroke = AXIS if tick == 0 else GRID
        out.append(
            f'<line x1="{mirror(frame.left)}" y1="{ty:.1f}" x2="{mirror(frame.right)}" '
            f'y2="{ty:.1f}" stroke="{stroke}" stroke-width="1"/>'
            f'<text x="{mirror(frame.left - 6):.1f}" y="{ty + 5:.1f}" text-anchor="end">'
            f"{escape(_ltr(text, mirror))}</text>"
        )
    if y_label:
        middle = (frame.top + frame.bottom) / 2
        # Turned to read upwards on the left, downwards on the right (towards the plot).
        angle = 90 if mirror.on else -90
        out.append(
            f'<text x="{mirror(FONT_SIZE)}" y="{middle:.1f}" text-anchor="middle" '
            f'transform="rotate({angle} {mirror(FONT_SIZE)} {middle:.1f})">'
            f"{escape(y_label)}</text>"
        )
    out.append("</g>")
    return "".join(out)


def _category_axis(frame: _Frame, categories: Sequence[str]) -> str:
    """Every category gets a tick; labels are thinned so they never overlap (a character's
    width, plus a gap)."""
    longest = max(len(c) for c in categories)
    every = max(
        1,
        math.ceil(len(categories) * (CHAR_WIDTH * longest + 12) / (frame.right - frame.left)),
    )
    mirror = frame.mirror
    out = [
        f'<g class="x-axis"><line x1="{mirror(frame.left)}" y1="{frame.bottom}" '
        f'x2="{mirror(frame.right)}" y2="{frame.bottom}" stroke="{AXIS}" stroke-width="1"/>'
    ]
    for index, category in enumerate(categories):
        x = frame.x(index)
        out.append(
            f'<line x1="{x:.1f}" y1="{frame.bottom}" x2="{x:.1f}" y2="{frame.bottom + 5}" '
            f'stroke="{AXIS}" stroke-width="1"/>'
        )
        if index % every == 0:
            out.append(
                f'<text x="{x:.1f}" y="{frame.bottom + 20}" text-anchor="middle">'
                f"{escape(_ltr(category, mirror))}</text>"
            )
    out.append("</g>")
    return "".join(out)


def _target_line(frame: _Frame, target: TargetLine) -> str:
    ty = frame.y(target.value)
    return (
        f'<g class="target"><line x1="{frame.mirror(frame.left)}" y1="{ty:.1f}" '
        f'x2="{frame.mirror(frame.right)}" y2="{ty:.1f}" stroke="{TEXT}" stroke-width="2" stroke-dasharray="{TARGET_DASH}"/>'
        "</g>"
    )


def _target_marks(
    frame: _Frame,
    categories: Sequence[str],
    marks: ChartSeries,
    label_of: Callable[[float], str],
) -> str:
    """A short dashed mark, with its tooltip, in each category that has a target."""
    half = min(frame.slot * 0.35, 24)
    out = ['<g class="target">']
    for index, value in enumerate(marks.values):
        if value is None:
            continue
        x, ty = frame.x(index), frame.y(value)
        tip = _point(marks.label, categories[index], label_of(value))
        out.append(
            f'<line x1="{x - half:.1f}" y1="{ty:.1f}" x2="{x + half:.1f}" y2="{ty:.1f}" '
            f'stroke="{TEXT}" stroke-width="2" stroke-dasharray="4 2">'
            f"<title>{escape(tip)}</title></line>"
        )
    out.append("</g>")
    return "".join(out)


def _series_line(
    frame: _Frame,
    categories: Sequence[str],
    line: ChartSeries,
    number: int,
    label_of: Callable[[float], str],
) -> str:
    """One series in its style: the line (when two points at least are joined), then a marker
    with its tooltip on every known value."""
    style = STYLES[number % len(STYLES)]
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    out = [f'<g class="series series-{number + 1}">']
    path = _path(frame, line.values)
    if "L" in path:
        out.append(
            f'<path d="{path}" fill="none" stroke="{style.colour}" stroke-width="2.5" '
            f'stroke-linejoin="round"{dash}/>'
        )
    for index, value in enumerate(line.values):
        if value is None:
            continue
        tip = _point(line.label, categories[index], label_of(value))
        out.append(_marker(style.marker, frame.x(index), frame.y(value), style.colour, tip))
    out.append("</g>")
    return "".join(out)
