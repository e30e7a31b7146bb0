"""Export -> import into an EMPTY database gives the same plan, values and computed progress.

The empty database is a fresh SQLite data home migrated once per module; the import there
runs through the real CLI in a subprocess. Comparison: the JSON export (plan structure,
baselines, targets, list items, every value) and the rebuilt AggregateValue rows, by codes.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from wpsmonitor.directory.models import Organisation
from wpsmonitor.exchange.export import export_csv, export_json, export_xlsx
from wpsmonitor.exchange.importer import import_files
from wpsmonitor.indicators.models import DataValue, DimensionOption, Indicator
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.plans.services import translations_set

from .helpers import cli as _cli
from .helpers import db_state
from .workbooks import write_plan_workbook

AGGREGATES_SQL = """
SELECT i.code, a.period_code, ar.code, s.code, a.cell_key, a.value, a.numerator, a.denominator,
       a.target, a.baseline, a.achievement, a.value_count
FROM indicators_aggregatevalue a
JOIN indicators_indicator i ON i.id = a.indicator_id
JOIN directory_area ar ON ar.id = a.area_id
JOIN indicators_source s ON s.id = a.source_id
JOIN plans_plan p ON p.id = a.plan_id
WHERE p.code = %s
ORDER BY 1, 2, 3, 4, 5
"""


def _rounded(rows):
    return [tuple(round(x, 9) if isinstance(x, float) else x for x in row) for row in rows]


def _translate(plan: Plan) -> None:
    """Texts in the other languages, through the service the pages use."""
    translations_set(
        obj=plan,
        field="title",
        texts={
            "fr": "Plan d'action national du Kenya III",
            "es": "Plan de Acción Nacional de Kenia III",
            "ar": "خطة العمل الوطنية الثالثة لكينيا",
        },
    )
    pillar = FrameworkNode.objects.get(plan=plan, code="P1")
    translations_set(obj=pillar, field="title", texts={"fr": "Participation des femmes"})
    trained = Indicator.objects.get(plan=plan, code="IND1")
    translations_set(obj=trained, field="definition", texts={"es": "Mujeres formadas en liderazgo"})
    translations_set(obj=trained, field="unit", texts={"fr": "personne|personnes"})
    Organisation.objects.filter(code="moga").update(name_fr="Ministère du Genre")
    Organisation.objects.filter(code="wcso").update(
        original_language="es", name_es="Red de Mujeres por la Paz"
    )
    DimensionOption.objects.filter(dimension__code="displacement", code="idp").update(
        name_ar="النازحون داخليا"
    )


def _json(plan: Plan, path: Path) -> dict:
    with path.open("w", encoding="utf-8") as out:
        export_json(plan, out)
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_export_then_import_into_an_empty_database(fmt, tmp_path, empty_home) -> None:
    import_files(paths=[write_plan_workbook(tmp_path / "plan.xlsx")])
    plan = Plan.objects.get(code="ken-nap-3")
    _translate(plan)
    # Exported in Arabic: the `title` column is still the original (English) text.
    with translation.override("ar"):
        original = _json(plan, tmp_path / "original.json")
        exported = tmp_path / f"export.{fmt}"
        if fmt == "xlsx":
            export_xlsx(plan, exported)
        else:
            exported.write_text(json.dumps(original), encoding="utf-8")
    # Every language's text travels (issue 15, part 2).
    assert original["plan"]["title"] == "Kenya National Action Plan III"
    assert original["plan"]["title_ar"] == "خطة العمل الوطنية الثالثة لكينيا"
    assert original["plan"]["original_language"] == "en"
    pillar = next(row for row in original["framework"] if row["code"] == "P1")
    assert (pillar["title"], pillar["title_fr"], pillar["title_es"]) == (
        "Participation",
        "Participation des femmes",
        "",
    )
    trained = next(row for row in original["indicators"] if row["code"] == "IND1")
    assert trained["definition_es"] == "Mujeres formadas en liderazgo"
    assert trained["unit_fr"] == "personne|personnes"
    orgs = {row["code"]: row for row in original["organisations"]}
    assert (orgs["moga"]["name"], orgs["moga"]["name_fr"]) == (
        "Ministry of Gender",
        "Ministère du Genre",
    )
    assert (orgs["wcso"]["original_language"], orgs["wcso"]["name"]) == (
        "es",
        "Red de Mujeres por la Paz",
    )
    assert orgs["wcso"]["name_en"] == "Women's Peace Network"
    idp = next(row for row in original["dimensions"] if row["option"] == "idp")
    assert (idp["option_name"], idp["option_name_ar"]) == (
        "Internally displaced",
        "النازحون داخليا",
    )

    home = tmp_path / "home"
    shutil.copytree(empty_home, home)
    _cli(home, "import", str(exported))
    again = tmp_path / "again.json"
    _cli(home, "export", "ken-nap-3", "--format", "json", "-o", str(again))
    assert json.loads(again.read_text(encoding="utf-8")) == original
    assert len(original["values"]) == 6
    assert original["values"][-1]["text"] == "=A 'formula' looking text"

    try:
        from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
    except ImportError:
        pytest.skip("indicators.aggregation is not there yet")
    rebuild_plan_aggregates(plan)
    with connection.cursor() as cursor:
        cursor.execute(AGGREGATES_SQL, ["ken-nap-3"])
        here = _rounded(cursor.fetchall())
    con = sqlite3.connect(home / "wpsmonitor.sqlite3")
    there = _rounded(con.execute(AGGREGATES_SQL.replace("%s", "?"), ["ken-nap-3"]).fetchall())
    con.close()
    assert here, "the aggregates should not be empty"
    assert there == here


@pytest.mark.django_db
def test_csv_export_reimports_to_the_same_values(tmp_path) -> None:
    import_files(paths=[write_plan_workbook(tmp_path / "plan.xlsx")])
    plan = Plan.objects.get(code="ken-nap-3")
    path = tmp_path / "values.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        export_csv(plan, out)
    text = path.read_text(encoding="utf-8")
    # Neutralised for spreadsheets, restored on import.
    assert ",'=A 'formula' looking text,'@mention\n" in text
    before = db_state()
    DataValue.objects.all().delete()
    summary = import_files(paths=[path])
    assert summary.created == 6
    after = db_state()
    assert after["values"] == before["values"]
