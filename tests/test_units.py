"""Units are typed data ("texts"), so a figure of 1 cannot be made to agree by the catalogue:
a unit may be written `text|texts` (singular|plural); core/units.py, docs/import-formats.md."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from wpsmonitor.core.units import unit_for, unit_forms, unit_name
from wpsmonitor.indicators.models import counts_whole_things
from wpsmonitor.shell.templatetags.shell import figure_value, value_as

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("unit", "forms"),
    [
        ("text|texts", ("text", "texts")),
        (" text | texts ", ("text", "texts")),
        ("cases", ("cases", "cases")),  # no bar: as written, whatever the figure
        ("", ("", "")),
        ("|texts", ("texts", "texts")),  # a blank half takes the other one
        ("text|", ("text", "text")),
        ("death|deaths per 100,000 live births", ("death", "deaths per 100,000 live births")),
    ],
)
def test_a_unit_is_a_singular_and_a_plural(unit: str, forms: tuple[str, str]) -> None:
    assert unit_forms(unit) == forms


def test_exactly_one_takes_the_singular() -> None:
    assert unit_for("text|texts", 1) == "text"
    assert unit_for("text|texts", -1) == "text"
    assert [unit_for("text|texts", n) for n in (0, 2, 1.5, 0.5)] == ["texts"] * 4
    assert unit_for("text|texts") == unit_name("text|texts") == "texts"


def test_one_text_and_four_texts() -> None:
    texts = SimpleNamespace(kind="number", unit="text|texts")
    with translation.override("en"):
        assert figure_value(SimpleNamespace(value=1.0), texts) == f"1{NBSP}text"
        assert figure_value(SimpleNamespace(value=4), texts) == f"4{NBSP}texts"
        assert figure_value(SimpleNamespace(value=0), texts) == f"0{NBSP}texts"
        assert figure_value(SimpleNamespace(value=1.5), texts) == f"1.50{NBSP}texts"
        assert figure_value(SimpleNamespace(value=-1), texts) == f"-1{NBSP}text"
        assert value_as(texts, 1) == f"1{NBSP}text"
        # A unit written without a bar is shown as written.
        assert figure_value(
            SimpleNamespace(value=1), SimpleNamespace(kind="number", unit="cases")
        ) == (f"1{NBSP}cases")
        # A share keeps its per cent sign, whatever the unit says.
        share = SimpleNamespace(kind="percentage", unit="text|texts")
        assert figure_value(SimpleNamespace(value=1.0), share) == "1.0%"


def test_the_unit_on_its_own_is_the_plural() -> None:
    html = Template("{% load shell %}[{{ u|unit }}]").render(Context({"u": "text|texts"}))
    assert html == "[texts]"


def test_a_pair_of_count_words_counts_whole_things() -> None:
    assert counts_whole_things("number", "person|people")
    assert counts_whole_things("number", "member|members")
    assert not counts_whole_things("number", "text|texts")
    assert not counts_whole_things("number", "death|deaths per 100,000 live births")
