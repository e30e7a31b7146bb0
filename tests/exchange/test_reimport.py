"""Re-importing a plan (issue 12): a column left out leaves the field as it is, a blank clears
it, and every demo plan's own exported workbook imports again with no problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from wpsmonitor.demo.builder import DEMO_PLAN_CODES, demo_load
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.exchange.export import export_xlsx, plan_sections
from wpsmonitor.exchange.importer import import_files
from wpsmonitor.indicators.models import DataValue, Indicator, Source
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


def _drop_columns(path: Path, columns: dict[str, list[str]]) -> Path:
    for sheet, names in columns.items():
        for name in names:
            _drop_column(path, sheet, name)
    return path


def _with(sheet: str, code: str, **changes: object) -> list[dict[str, object]]:
    return [{**r, **changes} if r.get("code") == code else dict(r) for r in SHEETS[sheet]]


def test_columns_left_out_of_the_other_sheets_are_kept_and_a_blank_clears(tmp_path) -> None:
    # Organisations, Areas, Sources and Indicators behave as Plan and Framework do (issue 12).
    areas = _with("Areas", "KE-30", is_urban="yes")
    import_files(paths=[write_plan_workbook(tmp_path / "plan.xlsx", sheets={"Areas": areas})])

    def held() -> tuple[object, ...]:
        moga = Organisation.objects.get(code="moga")
        wcso = Organisation.objects.get(code="wcso")
        ind1 = Indicator.objects.get(plan__code="ken-nap-3", code="IND1")
        ind3 = Indicator.objects.get(plan__code="ken-nap-3", code="IND3")
        ind4 = Indicator.objects.get(plan__code="ken-nap-3", code="IND4")
        return (
            moga.country.code if moga.country else None,
            wcso.women_led,
            Area.objects.get(code="KE-30").is_urban,
            Source.objects.get(code="wpn").organisation_id is not None,
            ind1.unit,
            ind1.responsible_organisation_id is not None,
            ind1.scheme.code,
            ind3.scale_labels,
            (ind4.share_of.code if ind4.share_of else None, ind4.share_option_id is not None),
        )

    before = held()
    assert before == (
        "KEN",
        True,
        True,
        True,
        "people",
        True,
        "sex-displacement",
        ["drafted", "tabled", "adopted"],
        ("IND1", True),
    )
    values = DataValue.objects.count()
    fewer = _drop_columns(
        write_plan_workbook(tmp_path / "fewer.xlsx", sheets={"Areas": areas}),
        {
            "Organisations": ["country", "women_led"],
            "Areas": ["is_urban"],
            "Sources": ["organisation"],
            "Indicators": [
                "unit",
                "responsible_organisation",
                "disaggregation",  # IND1 has values: a reset would even be refused
                "scale_labels",
                "share_of",
                "share_option",
            ],
        },
    )
    import_files(paths=[fewer])
    assert held() == before
    assert DataValue.objects.count() == values

    # An explicit blank clears (a required link, such as a share's, is refused instead).
    blanks = {
        "Organisations": _with("Organisations", "moga", country=None, acronym="MoGA"),
        "Areas": _with("Areas", "KE-30", is_urban=None),
        "Sources": _with("Sources", "wpn", organisation=None),
        "Indicators": _with("Indicators", "IND1", unit=None, responsible_organisation=None),
    }
    import_files(paths=[write_plan_workbook(tmp_path / "blank.xlsx", sheets=blanks)])
    after = held()
    assert after[0] is None and after[2] is None and after[3] is False
    assert after[4:6] == ("", False)
    assert after[1] is True and after[6:] == before[6:]


def test_keys_left_out_of_a_json_plan_are_kept(tmp_path) -> None:
    import_files(paths=[write_plan_workbook(tmp_path / "plan.xlsx")])
    plan = Plan.objects.get(code="ken-nap-3")
    sections = plan_sections(plan)
    for row in sections["indicators"]:
        del row["share_of"], row["share_option"], row["disaggregation"], row["unit"]
    for row in sections["organisations"]:
        del row["country"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(sections))
    import_files(paths=[path])
    ind4 = Indicator.objects.get(plan=plan, code="IND4")
    assert ind4.share_of is not None and ind4.share_of.code == "IND1"
    assert Indicator.objects.get(plan=plan, code="IND1").unit == "people"
    assert Organisation.objects.get(code="moga").country is not None


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module (it takes a few seconds)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        demo_load(rebuild=False, spanish=True)  # every demo plan, the Spanish one too
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
