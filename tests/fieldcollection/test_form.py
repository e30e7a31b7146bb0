"""The XLSForm of an assignment: valid for pyxform, in every language, with the indicator's
constraints and the hidden fields that identify it."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from tests.reporting.conftest import Cycle

from wpsmonitor.fieldcollection.xlsform import form_spec, to_xform, write_xlsx
from wpsmonitor.indicators.models import Indicator


def _sheets(data: bytes) -> dict[str, list[dict[str, str]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    out = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        header = [str(h) for h in rows[0]]
        out[sheet.title] = [
            {h: ("" if v is None else str(v)) for h, v in zip(header, row, strict=False)}
            for row in rows[1:]
        ]
    return out


def test_the_form_converts_to_an_xform_in_the_respondents_language(cycle: Cycle) -> None:
    spec = form_spec(cycle.round, cycle.built.ministry, cycle.province, "fr")
    data = write_xlsx(spec)
    xform = to_xform(data)
    assert '<translation lang="French (fr)" default="true()">' in xform
    for language in ("English (en)", "Spanish (es)", "Arabic (ar)"):
        assert f'<translation lang="{language}">' in xform
    sheets = _sheets(data)
    assert set(sheets) == {"survey", "choices", "settings"}
    settings = sheets["settings"][0]
    assert settings["form_id"] == spec.form_id
    assert settings["version"] == spec.version
    assert "wps_assignment" in settings["instance_name"]
    assert settings["default_language"] == "French (fr)"
    survey = {row["name"]: row for row in sheets["survey"] if row["name"]}
    # French labels first, the others as translations.
    assert survey["as__P1_O1_1_A1"]["label::French (fr)"] == "Statut"
    assert survey["as__P1_O1_1_A1"]["label::Arabic (ar)"]
    # The hidden fields: round, assignment and the framework's version.
    assert survey["wps_round"]["calculation"] == "'2025Q1'"
    assert (
        survey["wps_assignment"]["calculation"]
        == f"'{cycle.built.ministry.code}@{cycle.province.code}'"
    )
    assert survey["wps_framework"]["calculation"] == f"'{spec.version}'"
    assert "<wps_framework/>" in xform


def test_constraints_follow_the_indicator(cycle: Cycle) -> None:
    spec = form_spec(cycle.round, cycle.built.ministry, cycle.province, "en")
    survey = {r["name"]: r for r in _sheets(write_xlsx(spec))["survey"] if r["name"]}
    count = survey["v__IND_GRID__sex_F__age_18_29"]
    assert (count["type"], count["constraint"]) == ("integer", ". >= 0")
    comment = survey["c__IND_GRID__sex_F__age_18_29"]
    assert comment["required"] == "yes"
    assert "> 500" in comment["relevant"] and "< 0" in comment["relevant"]
    percentage = next(n for n in survey if n.startswith("n__"))
    denominator = "d__" + percentage[3:]
    assert survey[percentage]["constraint"].endswith(f". <= ${{{denominator}}})")
    assert survey[denominator]["constraint"] == ". > 0"
    assert survey["ap__P1_O1_1_A1"]["constraint"] == ". >= 0 and . <= 100"
    assert survey["v__IND_YN"]["type"] == "select_one yes_no"


def test_the_version_changes_with_the_framework(cycle: Cycle) -> None:
    before = form_spec(cycle.round, cycle.built.ministry, cycle.province, "en").version
    assert form_spec(cycle.round, cycle.built.ministry, cycle.province, "ar").version == before
    Indicator.objects.filter(pk=cycle.grid.pk).update(expected_max=800)
    assert form_spec(cycle.round, cycle.built.ministry, cycle.province, "en").version != before


def test_nothing_due_is_said(cycle: Cycle) -> None:
    with pytest.raises(ValidationError):
        form_spec(cycle.round, cycle.police, cycle.province, "en")
