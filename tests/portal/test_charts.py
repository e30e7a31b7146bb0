"""The SVG chart builder: scales, ticks, escaping, accessibility, and the indicator page's chart.

Charts are parsed with xml.etree, so a chart that is not well-formed XML fails here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import translation

from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.services import target_set
from wpsmonitor.shell.charts import (
    STYLES,
    ChartSeries,
    TargetLine,
    axis_ticks,
    line_chart,
    nice_step,
    step_decimals,
)

from .conftest import BuiltPlan, publish_release

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def series_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "series" in (g.get("class") or "").split()]


def markers(group: ET.Element) -> list[ET.Element]:
    return [el for el in group if el.tag != f"{SVG}path"]


def chart(**overrides: object) -> str:
    arguments: dict[str, object] = {
        "chart_id": "c",
        "title": "Women trained",
        "description": "Two quarters",
        "categories": ["2024Q1", "2024Q2", "2024Q3"],
        "series": [ChartSeries("Government", (45.0, 90.0, 30.0))],
    }
    arguments.update(overrides)
    return str(line_chart(**arguments))  # type: ignore[arg-type]


# --- scales ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "step"),
    [(100, 20), (90, 20), (10, 2), (1, 0.2), (0.75, 0.2), (12, 2.5), (2500, 500), (0, 1)],
)
def test_nice_step_is_one_two_two_and_a_half_or_five_times_a_power_of_ten(
    span: float, step: float
) -> None:
    assert nice_step(span) == pytest.approx(step)


def test_ticks_cover_the_values_and_zero() -> None:
    assert axis_ticks([45, 90]) == [0, 20, 40, 60, 80, 100]
    assert axis_ticks([-3.5]) == [-4, -3, -2, -1, 0]
    assert axis_ticks([0.2, 0.55, 0.75]) == [0, 0.2, 0.4, 0.6, 0.8]
    # A flat series of zeros still gets a scale.
    assert axis_ticks([0, 0]) == [0, 0.2, 0.4, 0.6, 0.8, 1]


def test_decimals_follow_the_step() -> None:
    assert [step_decimals(s) for s in (50, 2.5, 0.2, 0.25, 1e-3)] == [0, 1, 1, 2, 3]


# --- the SVG ---------------------------------------------------------------------------------


def test_chart_is_an_accessible_image() -> None:
    root = parse(chart())
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Women trained"
    assert desc is not None and desc.text == "Two quarters"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("viewBox", "").startswith("0 0 400 ")


def test_one_point_per_value_on_one_path() -> None:
    root = parse(chart())
    (group,) = series_groups(root)
    assert len(markers(group)) == 3
    path = group.find(f"{SVG}path")
    assert path is not None
    assert re.findall(r"[ML]", path.get("d", "")) == ["M", "L", "L"]
    # Higher values are drawn higher (smaller y): 90 above 45 above 30.
    ys = [float(m.get("cy", "0")) for m in markers(group)]
    assert ys[1] < ys[0] < ys[2]


def test_a_missing_value_breaks_the_line() -> None:
    root = parse(
        chart(
            categories=["Q1", "Q2", "Q3", "Q4"],
            series=[ChartSeries("Government", (1.0, None, 3.0, 4.0))],
        )
    )
    (group,) = series_groups(root)
    path = group.find(f"{SVG}path")
    assert path is not None
    assert re.findall(r"[ML]", path.get("d", "")) == ["M", "M", "L"]
    assert len(markers(group)) == 3


def test_each_series_differs_by_dash_and_marker_not_only_by_colour() -> None:
    series = [ChartSeries(f"Source {i}", (float(i), float(i + 1))) for i in range(4)]
    root = parse(chart(categories=["Q1", "Q2"], series=series))
    groups = series_groups(root)
    assert len(groups) == 4
    dashes = [g.find(f"{SVG}path").get("stroke-dasharray") for g in groups]  # type: ignore[union-attr]
    # Circle, square, triangle (3 corners), diamond (4 corners).
    shapes = [(m.tag, len(m.get("points", "").split())) for m in (markers(g)[0] for g in groups)]
    assert len(set(dashes)) == 4
    assert len(set(shapes)) == 4


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_series_colours_have_three_to_one_contrast_on_white() -> None:
    for style in STYLES:
        assert 1.05 / (_luminance(style.colour) + 0.05) >= 3, style.colour


def test_hostile_labels_are_escaped_text() -> None:
    hostile = '</text><script>alert("x")</script> & \x07bell'
    root = parse(
        chart(
            title=hostile,
            description=hostile,
            categories=["<b>Q1</b>", "Q2"],
            series=[ChartSeries(hostile, (1.0, 2.0))],
        )
    )
    assert root.find(f".//{SVG}script") is None
    assert root.find(f".//{SVG}b") is None
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == '</text><script>alert("x")</script> & bell'
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<b>Q1</b>" in texts


def test_target_line_across_the_plot_and_in_the_legend() -> None:
    root = parse(chart(target_line=TargetLine("Target (2024): 200 people", 200.0)))
    targets = [g for g in root.iter(f"{SVG}g") if g.get("class") == "target"]
    (line,) = targets[0]
    assert line.get("stroke-dasharray")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Target (2024): 200 people" in texts
    # The scale reaches the target.
    assert "200" in texts


def test_target_marks_only_where_a_period_has_a_target() -> None:
    root = parse(chart(target_marks=ChartSeries("Target", (50.0, None, 60.0))))
    (group,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "target"]
    assert len(group) == 2


def test_tick_labels_are_in_the_active_language() -> None:
    with translation.override("fr"):
        root = parse(chart(series=[ChartSeries("Gouvernement", (1500.0, 2500.0, 0.5))]))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "2\xa0500" in texts  # French groups thousands with a (no-break) space


def test_axis_labels_and_tooltips_use_the_readers_decimal_sign() -> None:
    def axis_and_tips(language: str) -> tuple[list[str | None], list[str | None]]:
        with translation.override(language):
            root = parse(chart(series=[ChartSeries("Gouvernement", (0.25, 1.75, 1.0))]))
        (axis,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "y-axis"]
        tips = [t.text for t in root.iter(f"{SVG}title")][1:]
        return [t.text for t in axis.iter(f"{SVG}text")], tips

    french_axis, french_tips = axis_and_tips("fr")
    assert french_axis == ["0,0", "0,5", "1,0", "1,5", "2,0"]
    assert "Gouvernement, 2024Q1\u00a0: 0,25" in french_tips
    english_axis, _tips = axis_and_tips("en")
    assert english_axis == ["0.0", "0.5", "1.0", "1.5", "2.0"]


def test_nothing_to_draw_gives_nothing() -> None:
    assert chart(series=[ChartSeries("Government", (None, None, None))]) == ""
    assert chart(categories=[], series=[]) == ""


def test_values_and_categories_must_match() -> None:
    with pytest.raises(ValueError):
        chart(series=[ChartSeries("Government", (1.0,))])


# --- the indicator page ----------------------------------------------------------------------


def page_chart(client: Client, url: str, params: dict[str, str] | None = None) -> ET.Element:
    html = client.get(url, params).content.decode()
    # The chart, not a progress bar (also an SVG) drawn before it.
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart"')
    return parse(html[start : html.index("</svg>", start) + len("</svg>")])


@pytest.mark.django_db
def test_indicator_chart_has_one_line_per_source_when_both_reported(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    root = page_chart(client, "/plans/nap-3/indicators/IND-1-1-N/")
    groups = series_groups(root)
    assert len(groups) == 2  # the government and the shadow report
    assert [len(markers(g)) for g in groups] == [2, 2]
    tips = [m.find(f"{SVG}title").text for g in groups for m in markers(g)]  # type: ignore[union-attr]
    assert tips == [
        "Government (official), 2024Q1: 45\xa0people",
        "Government (official), 2024Q2: 90\xa0people",
        "Shadow report, 2024Q1: 10\xa0people",
        "Shadow report, 2024Q2: 10\xa0people",
    ]
    desc = root.find(f"{SVG}desc")
    assert desc is not None and "One line per source: Government (official), Shadow report." in (
        desc.text or ""
    )
    # A flow with a yearly target only: no target drawn against quarterly values.
    assert not [g for g in root.iter(f"{SVG}g") if g.get("class") == "target"]


@pytest.mark.django_db
def test_indicator_chart_of_one_source_draws_a_level_target_as_a_line(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    # IND-1-1-P is a level (LAST): a plan target can be read against every quarter.
    indicator = plan_with_values.indicators[1]
    target_set(indicator=indicator, period="2027", value=40)
    rebuild_plan_aggregates(plan_with_values.plan)
    publish_release(plan_with_values.plan)
    root = page_chart(client, "/plans/nap-3/indicators/IND-1-1-P/")
    assert len(series_groups(root)) == 1
    (target,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "target"]
    assert len(target) == 1
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Target (Whole plan to date): 40.0%" in texts


@pytest.mark.django_db
def test_indicator_chart_marks_quarterly_targets(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    indicator = plan_with_values.indicators[0]
    target_set(indicator=indicator, period="2024Q2", value=100)
    rebuild_plan_aggregates(plan_with_values.plan)
    publish_release(plan_with_values.plan)
    root = page_chart(client, "/plans/nap-3/indicators/IND-1-1-N/", {"source": "gov"})
    (target,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "target"]
    assert len(target) == 1  # 2024Q2 only
    tip = target[0].find(f"{SVG}title")
    assert (
        tip is not None and tip.text == "Target for the period, 2024Q2: 100\xa0people"
    )  # kept on one line


@pytest.mark.django_db
def test_indicator_without_values_has_no_chart(client: Client, small_plan: BuiltPlan) -> None:
    html = client.get("/plans/nap-3/indicators/IND-1-1-N/").content.decode()
    assert 'class="chart"' not in html
    assert "No value has been reported" in html
