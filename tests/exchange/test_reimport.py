"""Re-importing a plan (issue 12): a column left out leaves the field as it is, a blank clears
it, and every demo plan's own exported workbook imports again with no problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from wpsmonitor.demo.builder import DEMO_PLAN_CODES, demo_load
from wpsmonitor.exchange.export import export_xlsx, plan_sections
from wpsmonitor.exchange.importer import import_files
from wpsmonitor.indicators.models import DataValue
from wpsmonitor.plans.models import FrameworkNode, Plan

from .workbooks import PLAN, SHEETS, write_plan_workbook

pytestmark = pytest.mark.django_db


def _drop_column(path: Path, sheet: str, column: str) -> Path:
    workbook = load_workbook(path)
    ws = workbook[sheet]
    names = [c.value for c in ws[1]]
    ws.delete_cols(names.index(column) + 1)
    workbook.save(path)
    return path


def test_plan_fields_left_out_are_kept_and_a_blank_clears(tmp_path) -> None:
    import_files(paths=[write_plan_workbook(tmp_path / "plan.xlsx")])
    plan = Plan.objects.get(code="ken-nap-3")
    assert (plan.status, plan.lead_organisation.code) == ("implementation", "moga")

    # No status and no lead_organisation row on the Plan sheet: both are kept.
    fewer = {k: v for k, v in PLAN.items() if k not in ("status", "lead_organisation")}
    import_files(paths=[write_plan_workbook(tmp_path / "fewer.xlsx", plan=fewer)])
    plan.refresh_from_db()
    assert (plan.status, plan.lead_organisation.code) == ("implementation", "moga")

    # Only the code: a required field left out is kept too on an existing plan.
    import_files(paths=[write_plan_workbook(tmp_path / "code.xlsx", plan={"code": "ken-nap-3"})])
    plan.refresh_from_db()
    assert (plan.title, plan.status, plan.area.code) == (PLAN["title"], "implementation", "KEN")

    # An explicit blank clears the lead organisation (the value cell is simply empty).
    blank = {**PLAN, "lead_organisation": None}
    import_files(paths=[write_plan_workbook(tmp_path / "blank.xlsx", plan=blank)])
    plan.refresh_from_db()
    assert plan.lead_organisation is None and plan.status == "implementation"


def test_framework_columns_left_out_are_kept_and_a_trailing_blank_clears(tmp_path) -> None:
    path = write_plan_workbook(tmp_path / "plan.xlsx")
    import_files(paths=[path])
    action = FrameworkNode.objects.get(plan__code="ken-nap-3", code="A1")
    assert (action.status, action.responsible_organisation.code) == ("ongoing", "moga")

    # The status and responsible_organisation columns left out: the action keeps both.
    fewer = _drop_column(
        _drop_column(path, "Framework", "status"), "Framework", "responsible_organisation"
    )
    import_files(paths=[fewer])
    action.refresh_from_db()
    assert (action.status, action.responsible_organisation.code) == ("ongoing", "moga")
    assert action.percent_complete == 40

    # percent_complete is the last column: a blank there ends the sheet row early, and is
    # still a blank (cleared), not a column left out.
    framework = [dict(r) for r in SHEETS["Framework"]]
    framework[-1]["percent_complete"] = None
    import_files(
        paths=[write_plan_workbook(tmp_path / "blank.xlsx", sheets={"Framework": framework})]
    )
    action.refresh_from_db()
    assert action.percent_complete is None and action.status == "ongoing"


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module (it takes a few seconds)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        demo_load(rebuild=False)
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.mark.slow
@pytest.mark.parametrize("code", DEMO_PLAN_CODES)
def test_every_demo_plan_round_trips_through_its_own_workbook(code, demo_db, tmp_path) -> None:
    plan = Plan.objects.get(code=code)
    before = plan_sections(plan)
    values = DataValue.objects.filter(indicator__plan=plan).count()
    path = tmp_path / f"{code}.xlsx"
    export_xlsx(plan, path)
    summary = import_files(paths=[path])  # raises ImportFailed listing any problem
    assert summary.plans_loaded == [code]
    plan.refresh_from_db()
    assert plan_sections(plan) == before
    assert DataValue.objects.filter(indicator__plan=plan).count() == values
    assert summary.created == 0
