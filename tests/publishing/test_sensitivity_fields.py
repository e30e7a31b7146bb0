"""Sensitivity and disclosure thresholds: stored, refused below the floor, carried by the plan
workbook (export, import, round trip, a column left out keeps the field), the API and the admin."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from openpyxl import load_workbook
from tests.exchange.workbooks import PLAN, SHEETS, write_plan_workbook

from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.exchange.export import export_xlsx, plan_sections
from wpsmonitor.exchange.importer import ImportFailed, import_files
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import DISCLOSURE_THRESHOLD_DEFAULT, Plan

pytestmark = pytest.mark.django_db

SENSITIVE_PLAN = {**PLAN, "disclosure_threshold": 10, "structural_zeros_safe": "yes"}


def _indicators(**changes: dict[str, object]) -> list[dict[str, object]]:
    return [{**row, **changes.get(str(row["code"]), {})} for row in SHEETS["Indicators"]]


def _drop(path: Path, sheet: str, *columns: str) -> Path:
    workbook = load_workbook(path)
    ws = workbook[sheet]
    if sheet == "Plan":  # one field per row
        for row in range(ws.max_row, 1, -1):
            if ws.cell(row, 1).value in columns:
                ws.delete_rows(row)
    else:
        for column in columns:
            names = [c.value for c in ws[1]]
            ws.delete_cols(names.index(column) + 1)
    workbook.save(path)
    return path


def _held() -> tuple[object, ...]:
    plan = Plan.objects.get(code="ken-nap-3")
    ind1 = Indicator.objects.get(plan=plan, code="IND1")
    ind2 = Indicator.objects.get(plan=plan, code="IND2")
    return (
        plan.disclosure_threshold,
        plan.structural_zeros_safe,
        ind1.sensitivity,
        ind1.disclosure_threshold,
        ind2.sensitivity,
        ind2.disclosure_threshold,
    )


def test_defaults_public_and_the_plan_s_threshold_of_5(tmp_path: Path) -> None:
    import_files(paths=[write_plan_workbook(tmp_path / "plan.xlsx")])
    assert _held() == (DISCLOSURE_THRESHOLD_DEFAULT, False, "public", None, "public", None)
    assert DISCLOSURE_THRESHOLD_DEFAULT == 5


def test_the_workbook_carries_them_both_ways_and_a_column_left_out_keeps_them(
    tmp_path: Path,
) -> None:
    indicators = _indicators(IND1={"sensitivity": "sensitive", "disclosure_threshold": 11})
    path = write_plan_workbook(
        tmp_path / "plan.xlsx", plan=SENSITIVE_PLAN, sheets={"Indicators": indicators}
    )
    import_files(paths=[path])
    stored = (10, True, "sensitive", 11, "public", None)
    assert _held() == stored

    # Export, import again: nothing changes.
    plan = Plan.objects.get(code="ken-nap-3")
    before = plan_sections(plan)
    assert before["plan"]["disclosure_threshold"] == 10
    assert before["plan"]["structural_zeros_safe"] == "yes"
    export_xlsx(plan, tmp_path / "exported.xlsx")
    import_files(paths=[tmp_path / "exported.xlsx"])
    assert plan_sections(Plan.objects.get(code="ken-nap-3")) == before

    # The columns and plan fields left out: every value is kept.
    fewer = write_plan_workbook(tmp_path / "fewer.xlsx")
    _drop(fewer, "Indicators", "sensitivity", "disclosure_threshold")
    _drop(fewer, "Plan", "disclosure_threshold", "structural_zeros_safe")
    import_files(paths=[fewer])
    assert _held() == stored

    # Blanks: public, the plan's threshold, the default and no safe zeros.
    blank = {**PLAN, "disclosure_threshold": None, "structural_zeros_safe": None}
    import_files(paths=[write_plan_workbook(tmp_path / "blank.xlsx", plan=blank)])
    assert _held() == (5, False, "public", None, "public", None)


def _problems(path: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(ImportFailed) as failed:
        import_files(paths=[path])
    return [(p.where.split(":")[1], p.column, p.message) for p in failed.value.problems]


FLOOR = "A disclosure threshold below 3 protects no one: give 3 or more."


def test_a_threshold_below_3_and_an_unknown_sensitivity_are_refused(tmp_path: Path) -> None:
    plan = {**PLAN, "disclosure_threshold": 1}
    assert _problems(write_plan_workbook(tmp_path / "plan.xlsx", plan=plan)) == [
        ("Plan", "value", FLOOR)
    ]
    assert not Plan.objects.filter(code="ken-nap-3").exists()
    indicators = _indicators(
        IND1={"sensitivity": "secret"}, IND2={"sensitivity": "sensitive", "disclosure_threshold": 2}
    )
    problems = _problems(
        write_plan_workbook(tmp_path / "ind.xlsx", sheets={"Indicators": indicators})
    )
    assert ("Indicators", "disclosure_threshold", FLOOR) in problems
    assert any(c == "sensitivity" and "'secret'" in m for _s, c, m in problems)


def test_the_database_and_the_model_refuse_a_threshold_below_the_floor(tmp_path: Path) -> None:
    import_files(paths=[write_plan_workbook(tmp_path / "plan.xlsx")])
    plan = Plan.objects.get(code="ken-nap-3")
    plan.disclosure_threshold = 2
    with pytest.raises(ValidationError) as refused:
        plan.full_clean()
    assert "protects no one" in str(refused.value)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Plan.objects.filter(pk=plan.pk).update(disclosure_threshold=2)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Indicator.objects.filter(plan=plan, code="IND1").update(disclosure_threshold=1)
    Indicator.objects.filter(plan=plan, code="IND1").update(disclosure_threshold=3)


def test_sensitivity_choices() -> None:
    assert [c.value for c in Sensitivity] == ["public", "sensitive", "restricted"]


def test_the_indicator_service_refuses_an_unknown_sensitivity_or_a_low_threshold(
    tmp_path: Path,
) -> None:
    from wpsmonitor.indicators.services import indicator_create

    import_files(paths=[write_plan_workbook(tmp_path / "plan.xlsx")])
    common = {"plan": "ken-nap-3", "node": "P1.O1", "kind": "number", "time_rule": "sum"}
    with pytest.raises(ValidationError) as refused:
        indicator_create(code="S1", title="Survivors", sensitivity="secret", **common)
    assert "sensitivity" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        indicator_create(
            code="S1", title="Survivors", sensitivity="sensitive", disclosure_threshold=2, **common
        )
    assert refused.value.message_dict["disclosure_threshold"] == [FLOOR]
    made = indicator_create(
        code="S1", title="Survivors", sensitivity="sensitive", disclosure_threshold=10, **common
    )
    assert (made.sensitivity, made.disclosure_threshold) == ("sensitive", 10)


def test_the_api_reads_them(tmp_path: Path, client: Client) -> None:
    indicators = _indicators(IND1={"sensitivity": "sensitive", "disclosure_threshold": 11})
    path = write_plan_workbook(
        tmp_path / "plan.xlsx", plan=SENSITIVE_PLAN, sheets={"Indicators": indicators}
    )
    import_files(paths=[path])
    from django.contrib.auth import get_user_model

    from wpsmonitor.accounts.models import ApiToken

    admin = get_user_model().objects.create_superuser("root", "root@example.org", None)
    _token, raw = ApiToken.issue(user=admin, name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    plan = client.get("/api/v1/plans/ken-nap-3")
    assert plan.status_code == 200, plan.content
    assert (plan.json()["disclosure_threshold"], plan.json()["structural_zeros_safe"]) == (10, True)
    found = client.get("/api/v1/plans/ken-nap-3/indicators").json()["items"]
    by_code = {i["code"]: (i["sensitivity"], i["disclosure_threshold"]) for i in found}
    assert by_code["IND1"] == ("sensitive", 11) and by_code["IND2"] == ("public", None)


def test_the_demo_s_protection_indicators_are_sensitive() -> None:
    from wpsmonitor.demo import content, shadow

    sensitive = {s["code"] for s in content.INDICATORS if s.get("sensitivity") == "sensitive"}
    # Survivors' cases reported, investigated, prosecuted, their rate, care and support.
    assert sensitive == {"PRO-01", "PRO-02", "PRO-03", "PRO-04", "PRO-06", "REL-01"}
    # Defenders threatened (civil society's own indicator).
    assert {"CSO-CFPL-2"} == shadow.SENSITIVE_OWN_INDICATORS


def test_a_threshold_beyond_the_ceiling_is_refused_not_stored(tmp_path: Path) -> None:
    """A 30-digit threshold in a workbook is a clear problem, not a database overflow."""
    plan = {**PLAN, "disclosure_threshold": 10**30}
    [(sheet, column, message)] = _problems(write_plan_workbook(tmp_path / "plan.xlsx", plan=plan))
    assert (sheet, column) == ("Plan", "value")
    assert "above 1000 would hide nearly every figure" in message
    assert not Plan.objects.filter(code="ken-nap-3").exists()
