from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from wpsmonitor.shell.templatetags.shell import figure_value, num, pct, progress_bar


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", 1234567, "1,234,567"),
        ("en", 1234.5, "1,234.5"),
        ("en", 0.125, "0.12"),  # two decimals for small numbers
        ("en", 2.0, "2"),  # counts read as counts
        ("en", -0.001, "0"),  # never "-0"
        ("fr", 1234.5, "1\u202f234,5"),
        ("es", 12.25, "12,25"),
    ],
)
def test_numbers_use_the_active_locale(language: str, value: float, expected: str) -> None:
    with translation.override(language):
        result = num(value)
    # French grouping is a (narrow) no-break space depending on Django's locale data.
    assert result.replace("\xa0", "\u202f") == expected


def test_percentages_round_rather_than_truncate() -> None:
    with translation.override("en"):
        assert pct(0.639) == "64%"
        assert pct(0.6349, 1) == "63.5%"
        assert pct(None) == "–"


def test_progress_bar_is_capped_but_the_text_is_not() -> None:
    with translation.override("en"):
        html = progress_bar(1.25)
    assert '<rect width="100" ' in html and "125%" in html
    assert 'aria-hidden="true"' in html
    assert "not measured" in progress_bar(None, "not measured")


def test_figure_value_reads_the_indicator_kind() -> None:
    figure = SimpleNamespace(value=1.0, baseline=0.5, target=None)
    yes_no = SimpleNamespace(kind="yes_no", unit="")
    scale = SimpleNamespace(kind="scale", unit="", scale_labels=["none", "draft", "adopted"])
    percent = SimpleNamespace(kind="percentage", unit="")
    with translation.override("en"):
        assert figure_value(figure, yes_no) == "Yes"
        assert figure_value(figure, yes_no, "baseline") == "50% yes"
        assert figure_value(figure, scale) == "draft"
        assert figure_value(figure, percent) == "1.0%"
        assert figure_value(figure, percent, "target") == "–"
