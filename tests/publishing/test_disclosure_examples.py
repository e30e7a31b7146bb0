"""Disclosure control on small examples one can check by hand (docs/publishing.md)."""

from __future__ import annotations

import pytest
from django.utils import translation
from tests.publishing.tables import recoverable

from wpsmonitor.publishing.disclosure import (
    Cell,
    Flag,
    Ratio,
    Relation,
    Rule,
    protect,
    ratios_protect,
)
from wpsmonitor.publishing.flags import audit_text, flag_text


def _cells(values: dict[str, int | None], threshold: int = 5) -> list[Cell]:
    return [Cell(k, v, sensitive=True, threshold=threshold) for k, v in values.items()]


def test_a_2x2_table_with_one_small_cell_hides_a_rectangle() -> None:
    # Women 2 | 10, men 8 | 7, with their row, column and grand totals.
    values = {"fa": 2, "fb": 10, "ma": 8, "mb": 7, "f": 12, "m": 15, "a": 10, "b": 17, "t": 27}
    relations = [
        Relation("f", ("fa", "fb")),
        Relation("m", ("ma", "mb")),
        Relation("a", ("fa", "ma")),
        Relation("b", ("fb", "mb")),
        Relation("t", ("f", "m")),
        Relation("t", ("a", "b")),
    ]
    protection = protect(_cells(values), relations)
    assert protection.suppressed["fa"].rule == Rule.SMALL
    assert protection.suppressed["fa"].threshold == 5
    # The smallest complements: 8 in its column, 10 in its row, then 7 closes the rectangle.
    assert set(protection.suppressed) == {"fa", "fb", "ma", "mb"}
    assert {protection.suppressed[c].rule for c in ("fb", "ma", "mb")} == {Rule.COMPLEMENT}
    assert protection.flag("fa") == Flag.PRIMARY and protection.flag("mb") == Flag.SECONDARY
    assert protection.conf_status("fa") == "A"
    assert protection.conf_status("mb") == "D"
    assert protection.conf_status("t") == "F" and protection.flag("t") is None
    assert not protection.problems


def test_a_district_under_its_province() -> None:
    # Province P = districts D1 (3) + D2 (40) + D3 (12): D1 is small; D3 is its complement.
    values = {"P": 55, "D1": 3, "D2": 40, "D3": 12}
    relations = [Relation("P", ("D1", "D2", "D3"), "P = its districts")]
    protection = protect(_cells(values), relations)
    assert set(protection.suppressed) == {"D1", "D3"}
    complement = protection.suppressed["D3"]
    assert complement.rule == Rule.COMPLEMENT
    assert complement.relation == 0 and complement.protects == "D1"
    assert protection.published("P") and protection.published("D2")


def test_the_quarters_of_a_year() -> None:
    values = {"2025": 30, "Q1": 9, "Q2": 0, "Q3": 6, "Q4": 15}
    relations = [Relation("2025", ("Q1", "Q2", "Q3", "Q4"), "year")]
    protection = protect(_cells(values), relations)
    assert protection.suppressed["Q2"].rule == Rule.ZERO
    assert protection.flag("Q2") == Flag.PRIMARY  # a zero is flagged as any small count
    assert protection.suppressed["Q3"].rule == Rule.COMPLEMENT  # the smallest other quarter
    assert set(protection.suppressed) == {"Q2", "Q3"}


def test_structural_zeros_are_published_when_the_plan_says_so() -> None:
    values = {"2025": 30, "Q1": 9, "Q2": 0, "Q3": 6, "Q4": 15}
    relations = [Relation("2025", ("Q1", "Q2", "Q3", "Q4"))]
    assert protect(_cells(values), relations, zeros_safe=True).suppressed == {}


def test_hidden_parts_summing_to_zero_are_not_left_alone() -> None:
    # Two zero quarters, both hidden, under a published year: they sum to 30 - 30 = 0, and
    # counts are not negative, so both read as zero; a positive complement hides them.
    values = {"2025": 30, "Q1": 0, "Q2": 0, "Q3": 10, "Q4": 20}
    relations = [Relation("2025", ("Q1", "Q2", "Q3", "Q4"))]
    cells = _cells(values)
    protection = protect(cells, relations)
    assert protection.suppressed["Q3"].rule == Rule.COMPLEMENT
    assert recoverable(cells, relations, protection) == set()


def test_a_cell_given_away_one_relation_further_gets_a_complement_there() -> None:
    # x = a + b with all three hidden, and T = a + b + p with T and p published: x = T - p.
    values = {"x": 4, "a": 2, "b": 2, "T": 30, "p": 26}
    relations = [Relation("x", ("a", "b")), Relation("T", ("a", "b", "p"))]
    cells = _cells(values)
    protection = protect(cells, relations)
    assert not protection.problems
    assert recoverable(cells, relations, protection) == set()
    assert {"x", "a", "b"} <= set(protection.suppressed)


def test_public_cells_are_published_whatever_their_value() -> None:
    cells = [Cell("t", 3), Cell("a", 1), Cell("b", 2)]
    assert protect(cells, [Relation("t", ("a", "b"))]).suppressed == {}


def test_the_threshold_is_each_cell_s_own() -> None:
    cells = [Cell("a", 7, True, threshold=10), Cell("b", 7, True, threshold=5)]
    protection = protect(cells, [])
    assert set(protection.suppressed) == {"a"}
    assert protection.suppressed["a"].threshold == 10


def test_a_share_over_a_suppressed_count_is_suppressed() -> None:
    # Women's share of survivors: 3 women (suppressed) out of 40.
    values = {"women": 3, "men": 37, "all": 40}
    protection = protect(_cells(values), [Relation("all", ("women", "men"))])
    ratios = [
        Ratio("share-women", numerator="women", denominator="all"),
        Ratio("share-all", numerator="all", denominator="all"),
    ]
    with_ratios = ratios_protect(ratios, protection)
    derived = with_ratios.suppressed["share-women"]
    assert derived.rule == Rule.DERIVED and derived.protects == "women"
    assert derived.flag == Flag.DERIVED and with_ratios.conf_status("share-women") == "D"
    assert with_ratios.published("share-all")
    assert "share-women" not in protection.suppressed  # the input is left as it was


def test_a_missing_figure_is_never_a_complement_and_a_lone_cell_is_a_problem() -> None:
    # t = a + b where b has no figure: whoever differences reads it as nothing, so a is
    # given away by t, and only t could hide it.
    cells = [Cell("t", 3, False), Cell("a", 3, True), Cell("b", None, True)]
    protection = protect(cells, [Relation("t", ("a", "b"))])
    assert protection.suppressed["t"].rule == Rule.COMPLEMENT
    cells = [Cell("t", None, False), Cell("a", 3, True), Cell("b", None, True)]
    protection = protect(cells, [Relation("t", ("a", "b"), "the only relation")])
    assert [(p.cell, p.relation) for p in protection.problems] == [("a", 0)]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="given twice"):
        protect([Cell("a", 1), Cell("a", 2)], [])
    with pytest.raises(ValueError, match="unknown cell"):
        protect([Cell("a", 1)], [Relation("a", ("b",), "margin")])
    with pytest.raises(ValueError, match="names a cell twice"):
        protect([Cell("a", 1), Cell("b", 1)], [Relation("a", ("b", "b"))])


def test_the_outcome_does_not_depend_on_luck() -> None:
    values = {f"d{i}": v for i, v in enumerate([1, 7, 3, 9, 4, 12, 2, 8])}
    values["p"] = sum(values.values())
    relations = [Relation("p", tuple(k for k in values if k != "p"))]
    first = protect(_cells(values), relations)
    assert all(protect(_cells(values), relations) == first for _ in range(3))


def test_flags_read_in_the_reader_s_language() -> None:
    values = {"t": 27, "a": 2, "b": 25}
    protection = protect(_cells(values), [Relation("t", ("a", "b"), "sex margin")])
    primary, secondary = protection.suppressed["a"], protection.suppressed["b"]
    assert flag_text(primary) == "fewer than 5"
    assert flag_text(secondary) == "hidden to protect a small count"
    assert "sex margin" in audit_text(secondary, protection.relations)
    with translation.override("fr"):
        assert flag_text(primary) == "moins de 5"
