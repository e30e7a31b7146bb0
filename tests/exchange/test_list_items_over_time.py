"""List indicators over time (issue 17, part 3): the same item reported in several years.

A law reported in 2023 and again in 2024 stays one item counted in 2023 (its first year);
the later report adds that year's status. Its type, description and date travel with it, and a
year alone is a valid date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wpsmonitor.exchange.export import plan_sections
from wpsmonitor.exchange.importer import import_files
from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.models import AggregateValue, DatePrecision, ListItem
from wpsmonitor.plans.models import Plan

from .helpers import db_state, refused
from .workbooks import SHEETS, write_plan_workbook

pytestmark = pytest.mark.django_db


def _item(period: str, **extra: Any) -> dict[str, Any]:
    return {
        "indicator": "IND5",
        "period": period,
        "area": "KEN",
        "title": "Gender Equality Act",
        **extra,
    }


def _count(period: str) -> float | None:
    row = AggregateValue.objects.filter(
        indicator__code="IND5", period_code=period, area__code="KEN", cell_key=""
    ).first()
    return None if row is None else row.value


def test_an_item_reported_again_keeps_its_first_year_and_counts_once(tmp_path: Path) -> None:
    first = write_plan_workbook(
        tmp_path / "2023.xlsx",
        sheets={
            "ListItems": [
                _item(
                    "2023",
                    type="law",
                    description="Quotas of women in public office",
                    date="2023",
                    status="adopted",
                )
            ]
        },
    )
    import_files(paths=[first])
    later = write_plan_workbook(
        tmp_path / "2024.xlsx",
        sheets={"ListItems": [_item("2024", status="in force")]},
    )
    import_files(paths=[later])

    item = ListItem.objects.get()
    assert item.period.code == "2023"  # not moved to 2024
    assert (item.item_type, item.description) == ("law", "Quotas of women in public office")
    assert (item.date.year, item.date_precision, item.date_shown) == (
        2023,
        DatePrecision.YEAR,
        "2023",
    )
    assert [(r.period.code, r.status) for r in item.reports.order_by("period__start")] == [
        ("2023", "adopted"),
        ("2024", "in force"),
    ]
    rebuild_plan_aggregates(Plan.objects.get(code="ken-nap-3"))
    assert _count("2023") == 1
    assert _count("2024") is None  # counted once, in its first year
    assert _count("ALL") == 1


def test_an_earlier_report_makes_that_year_the_first(tmp_path: Path) -> None:
    import_files(
        paths=[write_plan_workbook(tmp_path / "a.xlsx", sheets={"ListItems": [_item("2024")]})]
    )
    import_files(
        paths=[write_plan_workbook(tmp_path / "b.xlsx", sheets={"ListItems": [_item("2023")]})]
    )
    assert ListItem.objects.get().period.code == "2023"


def test_export_writes_every_report_and_reimports_the_same(tmp_path: Path) -> None:
    rows = [_item("2023", date="2023-05-02", status="adopted"), _item("2025", status="revised")]
    import_files(paths=[write_plan_workbook(tmp_path / "a.xlsx", sheets={"ListItems": rows})])
    exported = plan_sections(Plan.objects.get(code="ken-nap-3"))["list_items"]
    assert [(r["period"], r["status"], r["date"]) for r in exported] == [
        ("2023", "adopted", "2023-05-02"),
        ("2025", "revised", ""),
    ]
    before = db_state()
    again = {**SHEETS, "ListItems": exported}
    import_files(paths=[write_plan_workbook(tmp_path / "b.xlsx", sheets=again)])
    after = db_state()
    assert after["items"] == before["items"] == 1


def test_a_date_that_is_neither_a_day_nor_a_year_is_refused_where_it_stands(
    tmp_path: Path,
) -> None:
    path = write_plan_workbook(
        tmp_path / "bad.xlsx", sheets={"ListItems": [_item("2023", date="May 2023")]}
    )
    assert refused(path) == [
        f"{path.name}:ListItems:2:date: 'May 2023' is not a date (YYYY-MM-DD, or a year alone: "
        "YYYY)"
    ]
    assert not ListItem.objects.exists()
