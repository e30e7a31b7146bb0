"""Plan workbook import: the happy path, and refusals that leave the database as it was."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from wpsmonitor.exchange.importer import import_files
from wpsmonitor.indicators.models import (
    Baseline,
    DataValue,
    Indicator,
    ListItem,
    Target,
)
from wpsmonitor.plans.models import FrameworkNode, Plan

from .helpers import db_state, refused
from .workbooks import PLAN, SHEETS, write_plan_workbook

pytestmark = pytest.mark.django_db


def test_plan_workbook_happy_path(tmp_path: Path) -> None:
    summary = import_files(paths=[write_plan_workbook(tmp_path / "plan.xlsx")])
    assert summary.plans_loaded == ["ken-nap-3"]
    assert (summary.rows, summary.created, summary.updated) == (6, 6, 0)

    plan = Plan.objects.get(code="ken-nap-3")
    assert plan.area.code == "KEN"
    assert (plan.start, plan.end, plan.generation) == (date(2023, 1, 1), date(2026, 12, 31), 3)
    assert plan.lead_organisation.code == "moga"
    assert plan.languages == ["en", "sw"]
    assert list(plan.levels.values_list("code", flat=True)) == [
        "pillar",
        "outcome",
        "output",
        "action",
    ]
    action = FrameworkNode.objects.get(plan=plan, code="A1")
    assert action.parent.code == "P1.O1.1"
    assert action.level.code == "action"
    assert action.status == "ongoing"
    assert action.percent_complete == 40
    assert sorted(action.partner_organisations.values_list("code", flat=True)) == ["police", "wcso"]
    ind1 = Indicator.objects.get(plan=plan, code="IND1")
    assert ind1.scheme.code == "sex-displacement"
    assert ind1.scheme.cells.count() == 4
    share = Indicator.objects.get(plan=plan, code="IND4")
    assert (share.share_of, share.share_option.code) == (ind1, "F")
    assert Indicator.objects.get(plan=plan, code="IND3").scale_labels == [
        "drafted",
        "tabled",
        "adopted",
    ]
    assert Baseline.objects.get(indicator__code="IND2").value == pytest.approx(12.0)
    assert Target.objects.filter(indicator__plan=plan).count() == 2
    assert ListItem.objects.get(indicator__code="IND5").date == date(2023, 5, 2)

    values = {
        (v.indicator.code, v.cell.code, v.source.code): v
        for v in DataValue.objects.select_related("indicator", "cell", "source")
    }
    # The cell may be typed in any order; it is stored canonically (scheme order).
    assert values[("IND1", "sex=M;displacement=host", "gov")].value == 7
    assert values[("IND1", "sex=F;displacement=idp", "wpn")].value == 14
    pct = values[("IND2", "total", "gov")]
    assert (pct.numerator, pct.denominator, pct.value) == (15, 100, pytest.approx(15.0))
    assert values[("IND3", "total", "gov")].value == 1  # "tabled" is step 1
    narrative = values[("IND6", "total", "gov")]
    assert narrative.text_value == "=A 'formula' looking text"
    assert narrative.comment == "@mention"


def test_reimporting_the_same_workbook_changes_nothing(tmp_path: Path) -> None:
    path = write_plan_workbook(tmp_path / "plan.xlsx")
    import_files(paths=[path])
    before = db_state()
    summary = import_files(paths=[path])
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 6)
    after = db_state()
    assert after.pop("batches") == before.pop("batches") + 1
    assert after == before


def test_default_levels_unless_given(tmp_path: Path) -> None:
    levels = [
        {"depth": 1, "code": "pillar", "name": "Pillar"},
        {"depth": 2, "code": "action", "name": "Activity"},
    ]
    framework = [
        {"code": "P1", "level": "pillar", "title": "Participation"},
        {"code": "A1", "parent": "P1", "level": "action", "title": "Train"},
    ]
    path = write_plan_workbook(
        tmp_path / "plan.xlsx",
        sheets={
            "Levels": levels,
            "Framework": framework,
            "Indicators": [],
            "Values": [],
            "Baselines": [],
            "Targets": [],
            "ListItems": [],
        },
    )
    import_files(paths=[path])
    plan = Plan.objects.get(code="ken-nap-3")
    assert list(plan.levels.values_list("code", "holds_actions")) == [
        ("pillar", False),
        ("action", True),
    ]


def test_structure_problems_are_listed_with_their_location(tmp_path: Path) -> None:
    sheets = {
        "Framework": [
            *SHEETS["Framework"],
            {"code": "X1", "parent": "NOPE", "level": "output", "title": "Orphan"},
            {"code": "X2", "level": "stage", "title": "Unknown level"},
        ],
        "Indicators": [
            *SHEETS["Indicators"],
            {
                "code": "BAD1",
                "node": "P1",
                "title": "t",
                "kind": "count",
                "time_rule": "sum",
                "frequency": "year",
            },
            {
                "code": "BAD2",
                "node": "ZZ",
                "title": "t",
                "kind": "number",
                "time_rule": "sum",
                "frequency": "year",
                "disaggregation": "sex;religion",
            },
            {
                "code": "BAD3",
                "node": "P1",
                "title": "t",
                "kind": "number",
                "time_rule": "sum",
                "frequency": "year",
                "references": "sdg:99.99",
            },
        ],
        "Organisations": [
            *SHEETS["Organisations"],
            {"code": "x", "name": "X", "type": "company"},
        ],
    }
    before = db_state()
    problems = refused(write_plan_workbook(tmp_path / "plan.xlsx", sheets=sheets))
    assert problems == [
        "plan.xlsx:Organisations:5:type: 'company' is not one of government, security, "
        "parliament, local_government, civil_society, un, donor, regional, academia",
        "plan.xlsx:Framework:6:parent: unknown node 'NOPE' (parents come before their children)",
        "plan.xlsx:Framework:7:level: unknown level 'stage' (the plan's levels are pillar, "
        "outcome, output, action)",
        "plan.xlsx:Indicators:8:kind: 'count' is not one of number, percentage, yes_no, "
        "milestone, scale, narrative, list, formula, share",
        "plan.xlsx:Indicators:9:node: unknown framework node 'ZZ'",
        "plan.xlsx:Indicators:9:disaggregation: unknown dimension(s) religion",
        "plan.xlsx:Indicators:10:references: unknown global indicator 'sdg:99.99' "
        "(vocabulary:code)",
    ]
    assert db_state() == before


def test_plan_field_problems(tmp_path: Path) -> None:
    plan = {**PLAN, "kind": "federal", "end": "2022-01-01", "area": "Atlantis"}
    before = db_state()
    problems = refused(write_plan_workbook(tmp_path / "p.xlsx", plan=plan))
    assert problems == [
        "p.xlsx:Plan:4:value: 'federal' is not one of national, local, regional, institutional",
        "p.xlsx:Plan:5:value: unknown area 'Atlantis'",
        "p.xlsx:Plan:8:value: the plan ends before it starts",
    ]
    assert db_state() == before


def test_cli_exit_code_is_non_zero_on_problems(tmp_path: Path, capsys) -> None:
    path = write_plan_workbook(tmp_path / "p.xlsx", plan={**PLAN, "kind": "federal"})
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_data", str(path))
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "p.xlsx:Plan:4:value: 'federal' is not one of" in err
    assert "nothing was stored" in err
    assert not Plan.objects.exists()


def test_cli_imports_and_rebuilds(tmp_path: Path, capsys) -> None:
    call_command("import_data", str(write_plan_workbook(tmp_path / "p.xlsx")))
    out = capsys.readouterr().out
    assert "Imported 6 rows: 6 created, 0 updated, 0 unchanged" in out
    assert Plan.objects.filter(code="ken-nap-3").exists()


def test_the_quality_fields_travel_in_the_workbook(tmp_path: Path) -> None:
    plan = {
        **PLAN,
        "me_description": "Quarterly reports reviewed by the steering committee.",
        "civil_society_roles": "monitoring; design",
        "alignment_references": "sdg;cedaw",
    }
    import_files(paths=[write_plan_workbook(tmp_path / "p.xlsx", plan=plan)])
    stored = Plan.objects.get(code=PLAN["code"])
    assert stored.me_description == "Quarterly reports reviewed by the steering committee."
    assert stored.civil_society_roles == ["design", "monitoring"]
    assert stored.alignment_references == ["cedaw", "sdg"]


def test_unknown_quality_codes_and_a_reserved_plan_code_are_located(tmp_path: Path) -> None:
    plan = {**PLAN, "code": "compare", "civil_society_roles": "design;lobbying"}
    before = db_state()
    problems = refused(write_plan_workbook(tmp_path / "p.xlsx", plan=plan))
    rows = {name: number for number, name in enumerate(plan, start=2)}
    assert problems == [
        f"p.xlsx:Plan:{rows['code']}:value: 'compare' is reserved; choose another plan code",
        f"p.xlsx:Plan:{rows['civil_society_roles']}:value: Unknown civil-society stage lobbying; "
        "use design, implementation, monitoring.",
    ]
    assert db_state() == before
