"""Costed, allocated and spent by pillar as server-rendered SVG bars.

Horizontal bars, one group per pillar (long pillar names read on their own line above the
bars). Each stage is told apart by three cues, never colour alone: its colour (Okabe and Ito's
colour-blind-safe palette, as in portal/charts.py), its fill pattern (solid, diagonal hatching,
dots) and its position in the group, which the legend gives; every bar is labelled with its
amount. Patterns are SVG, so the bars print without background colours. The chart is an image
with a title and a description; the page puts the same figures in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wpsmonitor.finance.selectors import Row
from wpsmonitor.shell.charts import (
    AXIS,
    GRID,
    TEXT,
    axis_ticks,
    escape,
    ltr_isolated,
    reading_mirror,
    step_decimals,
)
from wpsmonitor.shell.templatetags.shell import num


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    colour: str
    pattern: str  # solid, hatch, dots


STAGE_STYLES = (
    ("costed", "#0072b2", "solid"),  # blue
    ("allocated", "#c85200", "hatch"),  # vermilion
    ("spent", "#007a5e", "dots"),  # bluish green
)


@dataclass(frozen=True)
class BarGroup:
    label: str
    values: tuple[Decimal, ...]  # one per stage, in STAGE_STYLES order


def _stages() -> list[Stage]:
    labels = {"costed": _("Costed"), "allocated": _("Allocated"), "spent": _("Spent")}
    return [Stage(key, labels[key], colour, pattern) for key, colour, pattern in STAGE_STYLES]


def _defs(chart_id: str, stages: Sequence[Stage]) -> str:
    out = ["<defs>"]
    for stage in stages:
        pid = f"{chart_id}-{stage.key}"
        if stage.pattern == "hatch":
            out.append(
                f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse" '
                f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
                f'<rect width="3" height="6" fill="{stage.colour}"/></pattern>'
            )
        elif stage.pattern == "dots":
            out.append(
                f'<pattern id="{pid}" width="5" height="5" patternUnits="userSpaceOnUse">'
                f'<rect width="5" height="5" fill="#ffffff"/>'
                f'<circle cx="2.5" cy="2.5" r="1.6" fill="{stage.colour}"/></pattern>'
            )
    out.append("</defs>")
    return "".join(out)


def _fill(chart_id: str, stage: Stage) -> str:
    return stage.colour if stage.pattern == "solid" else f"url(#{chart_id}-{stage.key})"


def stage_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    groups: Sequence[BarGroup],
    currency: str,
    width: int = 680,
) -> SafeString:
    """An accessible SVG of grouped horizontal bars, or "" when every amount is zero."""
    stages = _stages()
    values = [float(v) for g in groups for v in g.values]
    if not groups or not any(values):
        return mark_safe("")
    ticks = axis_ticks(values, 4)
    decimals = step_decimals(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
    high = ticks[-1] or 1.0
    # Room on the right for the longest amount label, at about 7 px a character.
    longest = max(
        len(f"{st.label} {num(float(v), 0)}")
        for g in groups
        for st, v in zip(stages, g.values, strict=True)
    )
    left, right = 16.0, float(width) - 12 - 7 * longest
    bar, gap, head, group_gap = 14, 4, 20, 14
    legend_h = 26
    top = 16 + legend_h + 18  # legend, then the tick labels
    group_h = head + len(stages) * (bar + gap) + group_gap
    height = int(top + group_h * len(groups) + 8)

    def x(value: float) -> float:
        return left + max(value, 0.0) / high * (right - left)

    # Right to left (Arabic), the bars grow from the right: every x is computed left to right
    # and drawn through the mirror; the SVG's direction turns the texts' anchors with it.
    mirror = reading_mirror(width)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f"font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\" "
        f'font-size="12" fill="{TEXT}" direction="{mirror.direction}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
        _defs(chart_id, stages),
    ]
    # Legend: a swatch with the stage's pattern and its name, in the order of the bars.
    out.append('<g class="legend">')
    lx = left
    for stage in stages:
        out.append(
            f'<rect x="{mirror.box(lx, 22):.1f}" y="10" width="22" height="14" '
            f'fill="{_fill(chart_id, stage)}" stroke="{stage.colour}" stroke-width="1.5"/>'
            f'<text x="{mirror(lx + 28):.1f}" y="21">{escape(stage.label)}</text>'
        )
        lx += 36 + 8 * len(stage.label) + 16
    unit = _("Amounts in %(currency)s") % {"currency": currency}
    out.append(f'<text x="{mirror(width - 8)}" y="21" text-anchor="end">{escape(unit)}</text>')
    out.append("</g>")
    # Value axis: gridlines across the whole plot, tick labels above it.
    bottom = height - 8
    out.append('<g class="x-axis">')
    for tick in ticks:
        tx = mirror(x(tick))
        out.append(
            f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{bottom}" '
            f'stroke="{AXIS if tick == 0 else GRID}" stroke-width="1"/>'
            f'<text x="{tx:.1f}" y="{top - 8}" text-anchor="middle">'
            f"{escape(ltr_isolated(num(tick, decimals), mirror))}</text>"
        )
    out.append("</g>")
    y = float(top)
    for group in groups:
        out.append('<g class="group">')
        out.append(
            f'<text x="{mirror(left):.1f}" y="{y + 14:.1f}" font-weight="600">'
            f"{escape(group.label)}</text>"
        )
        by = y + head
        for stage, value in zip(stages, group.values, strict=True):
            amount = float(value)
            end = x(amount)
            # Translators: the tooltip of a bar, e.g. "Prevention, Disbursed: 12,000 USD".
            label = _("%(group)s, %(stage)s: %(amount)s %(currency)s") % {
                "group": group.label,
                "stage": stage.label,
                "amount": num(amount, 0),
                "currency": currency,
            }
            out.append(
                f'<rect x="{mirror.box(left, max(end - left, 0)):.1f}" y="{by:.1f}" '
                f'width="{max(end - left, 0):.1f}" '
                f'height="{bar}" fill="{_fill(chart_id, stage)}" stroke="{stage.colour}" '
                f'stroke-width="1.5"><title>{escape(label)}</title></rect>'
                f'<text x="{mirror(end + 6):.1f}" y="{by + bar - 3:.1f}">'
                f"{escape(stage.label)} {escape(ltr_isolated(num(amount, 0), mirror))}</text>"
            )
            by += bar + gap
        out.append("</g>")
        y += group_h
    out.append("</svg>")
    return mark_safe("".join(out))


def pillar_chart(rows: Sequence[Row], currency: str) -> SafeString:
    """The finance page's chart, from the summary's pillar rows (no query of its own)."""
    groups = [
        BarGroup(
            label=row.label,
            values=(row.stages.costed, row.stages.allocated, row.stages.spent),
        )
        for row in rows
    ]
    largest = max(
        ((float(v), g.label) for g in groups for v in g.values),
        default=(0.0, ""),
        key=lambda t: t[0],
    )
    description = " ".join(
        [
            _(
                "Bar chart of the amounts costed, allocated and spent for each pillar, in "
                "%(currency)s: three bars per pillar, costed (solid), allocated (hatched) and "
                "spent (dotted), each labelled with its amount."
            )
            % {"currency": currency},
            _("The largest amount is %(amount)s %(currency)s (%(pillar)s).")
            % {"amount": num(largest[0], 0), "currency": currency, "pillar": largest[1]},
            _("The table beside the chart gives every figure."),
        ]
    )
    return stage_bars(
        chart_id="finance-pillars",
        title=_("Costed, allocated and spent by pillar"),
        description=description,
        groups=groups,
        currency=currency,
    )
