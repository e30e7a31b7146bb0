"""The finance chart is drawn in the reader's direction: in Arabic the bars grow from the right,
the pillars' names and the legend start on the right, and the amounts read left to right
(docs/languages.md, "Right to left"; the indicator chart does the same: shell/charts.py)."""

from __future__ import annotations

import re

from django.test import Client
from tests.finance.conftest import Money


def _chart(money: Money, language: str) -> tuple[str, float]:
    page = Client().get(f"/plans/{money.plan.code}/finance/", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    found = re.search(r'<svg[^>]*id="finance-pillars".*?</svg>', page.content.decode(), re.S)
    assert found is not None
    chart = found.group(0)
    width = re.search(r'viewBox="0 0 (\d+) \d+"', chart)
    assert width is not None
    return chart, float(width.group(1))


def _bars(chart: str) -> list[tuple[float, float]]:
    """Each bar's left and right edges (the legend's swatches left out)."""
    groups = chart[chart.index('<g class="group">') :]
    return [
        (float(x), float(x) + float(w))
        for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height', groups)
        if float(w) > 0
    ]


def test_the_bars_grow_from_the_right_in_arabic(money: Money) -> None:
    english, width = _chart(money, "en")
    assert 'direction="ltr"' in english
    bars = _bars(english)
    assert bars and all(abs(left - 16) < 0.2 for left, _right in bars), bars

    arabic, width = _chart(money, "ar")
    assert 'direction="rtl"' in arabic
    bars = _bars(arabic)
    # Each bar starts at the right-hand edge of the plot and grows towards the left.
    assert bars and all(abs(right - (width - 16)) < 0.2 for _left, right in bars), bars
    # The pillars' names start on the right too (text-anchor "start" is their right end).
    names = re.findall(r'<text x="([\d.]+)" y="[\d.]+" font-weight="600">', arabic)
    assert names and all(abs(float(x) - (width - 16)) < 0.2 for x in names), names
    # The legend's first swatch is on the right; the value axis' ticks run from the right.
    legend = re.search(r'<g class="legend"><rect x="([\d.]+)"', arabic)
    assert legend is not None and float(legend.group(1)) > width / 2
    ticks = [
        float(x) for x in re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle">', arabic)
    ]
    assert len(ticks) >= 2 and ticks == sorted(ticks, reverse=True), ticks
    # Each bar's amount keeps its digits' order: isolated left to right after the stage's name.
    labels = re.findall(r'</rect><text x="[\d.]+" y="[\d.]+">([^<]*)</text>', arabic)
    assert labels and all(label.endswith("\u2069") and "\u2066" in label for label in labels)
