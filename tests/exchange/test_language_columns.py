"""The plan workbook and the JSON plan file carry a column a language (issue 15, part 2).

`title` (and `definition`, `unit`, `means_of_verification`) is the text in the plan's original
language, whatever language the import runs in; `title_fr`, `title_es`... carry the others; an
older file without them imports unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from wpsmonitor.exchange.importer import import_files
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode, Plan

from .helpers import db_state, refused
from .workbooks import write_plan_workbook

pytestmark = pytest.mark.django_db


def _plan_file(path: Path, plan: dict[str, Any] | None = None, **sections: Any) -> Path:
    """A small French plan: one pillar, one indicator."""
    data = {
        "format": "wpsmonitor-plan",
        "version": 1,
        "plan": {
            "code": "cod-pan-2",
            "title": "Plan d'action national II",
            "kind": "national",
            "area": "COD",
            "start": "2024-01-01",
            "end": "2027-12-31",
            "original_language": "fr",
            "title_en": "National Action Plan II",
            **(plan or {}),
        },
        "framework": [
            {
                "code": "P1",
                "level": "pillar",
                "title": "Participation des femmes",
                "title_es": "Participación de las mujeres",
            }
        ],
        "indicators": [
            {
                "code": "I1",
                "node": "P1",
                "title": "Femmes formées",
                "definition": "Femmes formées au leadership",
                "definition_ar": "النساء المدرَّبات على القيادة",
                "kind": "number",
                "unit": "personnes",
                "unit_en": "people",
                "time_rule": "sum",
                "frequency": "year",
            }
        ],
    }
    data.update(sections)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_each_text_goes_to_its_language_whatever_the_import_runs_in(tmp_path) -> None:
    with translation.override("es"):
        import_files(paths=[_plan_file(tmp_path / "plan.json")])
    plan = Plan.objects.get(code="cod-pan-2")
    assert plan.original_language == "fr"
    assert (plan.title_fr, plan.title_en, plan.title_es) == (
        "Plan d'action national II",
        "National Action Plan II",
        None,
    )
    pillar = FrameworkNode.objects.get(plan=plan, code="P1")
    assert (pillar.title_fr, pillar.title_es, pillar.title_en) == (
        "Participation des femmes",
        "Participación de las mujeres",
        None,
    )
    indicator = Indicator.objects.get(plan=plan, code="I1")
    assert indicator.title_fr == "Femmes formées" and not indicator.title_es
    assert indicator.definition_ar == "النساء المدرَّبات على القيادة"
    assert (indicator.unit_fr, indicator.unit_en) == ("personnes", "people")


def test_an_older_file_writes_the_original_language_and_keeps_the_others(tmp_path) -> None:
    import_files(paths=[_plan_file(tmp_path / "plan.json")])
    # A file without language columns, imported in French: `title` is the original (English
    # for a plan that does not say) and the texts in other languages are left as they are.
    older = {
        "format": "wpsmonitor-plan",
        "version": 1,
        "plan": {"code": "cod-pan-2", "title": "Plan d'action national II, révisé"},
        "framework": [{"code": "P1", "level": "pillar", "title": "Participation"}],
        "indicators": [{"code": "I1", "title": "Femmes formées (nombre)"}],
    }
    path = tmp_path / "older.json"
    path.write_text(json.dumps(older, ensure_ascii=False), encoding="utf-8")
    with translation.override("en"):
        import_files(paths=[path])
    plan = Plan.objects.get(code="cod-pan-2")
    assert plan.original_language == "fr"  # left out: kept
    assert (plan.title_fr, plan.title_en) == (
        "Plan d'action national II, révisé",
        "National Action Plan II",
    )
    pillar = FrameworkNode.objects.get(plan=plan, code="P1")
    assert (pillar.title_fr, pillar.title_es) == ("Participation", "Participación de las mujeres")
    indicator = Indicator.objects.get(plan=plan, code="I1")
    assert (indicator.title_fr, indicator.unit_fr, indicator.unit_en) == (
        "Femmes formées (nombre)",
        "personnes",
        "people",
    )
    assert indicator.definition_ar == "النساء المدرَّبات على القيادة"


def test_a_blank_language_column_removes_that_language(tmp_path) -> None:
    import_files(paths=[_plan_file(tmp_path / "plan.json")])
    import_files(paths=[_plan_file(tmp_path / "again.json", plan={"title_en": ""})])
    plan = Plan.objects.get(code="cod-pan-2")
    assert plan.title_fr == "Plan d'action national II" and not plan.title_en


def test_a_workbook_without_language_columns_writes_english_by_default(tmp_path) -> None:
    with translation.override("fr"):
        import_files(paths=[write_plan_workbook(tmp_path / "plan.xlsx")])
    plan = Plan.objects.get(code="ken-nap-3")
    assert plan.original_language == "en"
    assert plan.title_en == "Kenya National Action Plan III" and not plan.title_fr


def test_a_language_column_of_an_unknown_language_is_refused_in_a_workbook(tmp_path) -> None:
    path = write_plan_workbook(tmp_path / "plan.xlsx")
    workbook = load_workbook(path)
    ws = workbook["Framework"]
    column = ws.max_column + 1
    ws.cell(1, column, "title_de")
    ws.cell(2, column, "Beteiligung")
    workbook.save(path)
    before = db_state()
    assert refused(path) == [
        "plan.xlsx:Framework:1:title_de: 'title_de': 'de' is not one of the platform's "
        "languages (en, fr, es, ar)"
    ]
    assert db_state() == before  # all or nothing


def test_unknown_languages_are_refused_in_a_json_file(tmp_path) -> None:
    path = _plan_file(
        tmp_path / "plan.json",
        plan={"original_language": "de", "title_sw": "Mpango"},
        indicators=[
            {
                "code": "I1",
                "node": "P1",
                "title": "Femmes formées",
                "unit_xx": "?",
                "kind": "number",
                "time_rule": "sum",
                "frequency": "year",
            }
        ],
    )
    before = db_state()
    problems = refused(path)
    assert (
        "plan.json:indicators:1:unit_xx: 'unit_xx': 'xx' is not one of the platform's "
        "languages (en, fr, es, ar)"
    ) in problems
    assert (
        "plan.json:plan:1:field: 'title_sw': 'sw' is not one of the platform's languages "
        "(en, fr, es, ar)"
    ) in problems
    assert (
        "plan.json:plan:1:value: 'de' is not one of the platform's languages (en, fr, es, ar)"
    ) in problems
    assert db_state() == before


def test_the_original_languages_column_may_not_contradict_the_text(tmp_path) -> None:
    path = _plan_file(tmp_path / "plan.json", plan={"title_fr": "Un autre titre"})
    assert refused(path) == [
        "plan.json:plan:1:title_fr: title_fr differs from title, the text in the original "
        "language (fr): leave it blank or give the same text"
    ]
    # The same text repeated is fine (the export writes it so).
    import_files(
        paths=[_plan_file(tmp_path / "same.json", plan={"title_fr": "Plan d'action national II"})]
    )
    assert Plan.objects.get(code="cod-pan-2").title_fr == "Plan d'action national II"


def test_an_exported_workbook_whose_title_is_edited_imports_again(tmp_path) -> None:
    """The export leaves the original language's own column empty, so editing `title` is
    enough; the other languages come back as they were."""
    from wpsmonitor.exchange.export import export_xlsx

    import_files(paths=[_plan_file(tmp_path / "plan.json")])
    path = tmp_path / "export.xlsx"
    export_xlsx(Plan.objects.get(code="cod-pan-2"), path)
    workbook = load_workbook(path)
    ws = workbook["Framework"]
    names = [c.value for c in ws[1]]
    assert ws.cell(2, names.index("title_fr") + 1).value in (None, "")
    ws.cell(2, names.index("title") + 1, "Participation politique des femmes")
    workbook.save(path)
    import_files(paths=[path])
    pillar = FrameworkNode.objects.get(plan__code="cod-pan-2", code="P1")
    assert (pillar.title_fr, pillar.title_es) == (
        "Participation politique des femmes",
        "Participación de las mujeres",
    )


# Organisations and dimension options (issue 15, part 2): an organisation's name is written in
# its own original language; a dimension option's in the plan's.

ORGANISATIONS = [
    {
        "code": "mingenre",
        "name": "Ministère du Genre",
        "type": "government",
        "name_en": "Ministry of Gender",
    },
    {
        "code": "foro",
        "name": "Foro de Mujeres",
        "type": "civil_society",
        "original_language": "es",
        "name_fr": "Forum des femmes",
    },
]
DIMENSIONS = [
    {
        "dimension": "deplacement",
        "dimension_name": "Déplacement",
        "option": "pdi",
        "option_name": "Personnes déplacées",
        "option_name_en": "Internally displaced",
    },
    {"dimension": "deplacement", "option": "hote", "option_name": "Communauté d'accueil"},
]


def test_organisations_and_options_names_go_to_their_languages(tmp_path) -> None:
    from wpsmonitor.directory.models import Organisation
    from wpsmonitor.indicators.models import DimensionOption

    path = _plan_file(tmp_path / "plan.json", organisations=ORGANISATIONS, dimensions=DIMENSIONS)
    with translation.override("ar"):
        import_files(paths=[path])
    ministry = Organisation.objects.get(code="mingenre")
    # No original_language: the plan's (French) for a new organisation.
    assert ministry.original_language == "fr"
    assert (ministry.name_fr, ministry.name_en, ministry.name_ar) == (
        "Ministère du Genre",
        "Ministry of Gender",
        None,
    )
    forum = Organisation.objects.get(code="foro")
    assert forum.original_language == "es"
    assert (forum.name_es, forum.name_fr, forum.name_ar) == (
        "Foro de Mujeres",
        "Forum des femmes",
        None,
    )
    idp = DimensionOption.objects.get(dimension__code="deplacement", code="pdi")
    assert (idp.name_fr, idp.name_en, idp.name_ar) == (
        "Personnes déplacées",
        "Internally displaced",
        None,
    )
    host = DimensionOption.objects.get(dimension__code="deplacement", code="hote")
    assert (host.name_fr, host.name_ar) == ("Communauté d'accueil", None)


def test_an_existing_organisation_keeps_its_language_and_its_other_names(tmp_path) -> None:
    from wpsmonitor.directory.models import Organisation
    from wpsmonitor.indicators.models import DimensionOption

    import_files(
        paths=[
            _plan_file(tmp_path / "plan.json", organisations=ORGANISATIONS, dimensions=DIMENSIONS)
        ]
    )
    # An older file: no language columns, no original_language; then a blank original_language
    # with a translation added to an option.
    older = _plan_file(
        tmp_path / "older.json",
        organisations=[
            {"code": "foro", "name": "Foro de Mujeres (Kinshasa)", "type": "civil_society"}
        ],
        dimensions=[
            {"dimension": "deplacement", "option": "hote", "option_name_es": "Comunidad de acogida"}
        ],
    )
    with translation.override("en"):
        import_files(paths=[older])
    forum = Organisation.objects.get(code="foro")
    assert forum.original_language == "es"  # unchanged, though the plan is French
    assert (forum.name_es, forum.name_fr, forum.name_en) == (
        "Foro de Mujeres (Kinshasa)",
        "Forum des femmes",
        None,
    )
    blank = _plan_file(
        tmp_path / "blank.json",
        organisations=[
            {"code": "foro", "name": "Foro", "type": "civil_society", "original_language": ""}
        ],
    )
    import_files(paths=[blank])
    forum.refresh_from_db()
    assert (forum.original_language, forum.name_es, forum.name_fr) == (
        "es",
        "Foro",
        "Forum des femmes",
    )
    host = DimensionOption.objects.get(dimension__code="deplacement", code="hote")
    assert (host.name_fr, host.name_es) == ("Communauté d'accueil", "Comunidad de acogida")


def test_unknown_languages_of_organisations_and_options_are_refused(tmp_path) -> None:
    path = write_plan_workbook(tmp_path / "plan.xlsx")
    workbook = load_workbook(path)
    ws = workbook["Organisations"]
    names = [c.value for c in ws[1]]
    ws.cell(3, names.index("original_language") + 1, "sw")
    column = ws.max_column + 1
    ws.cell(1, column, "name_de")
    ws.cell(2, column, "Ministerium")
    ws = workbook["Dimensions"]
    column = ws.max_column + 1
    ws.cell(1, column, "option_name_xx")
    workbook.save(path)
    before = db_state()
    problems = refused(path)
    assert (
        "plan.xlsx:Organisations:1:name_de: 'name_de': 'de' is not one of the platform's "
        "languages (en, fr, es, ar)"
    ) in problems
    assert (
        "plan.xlsx:Organisations:3:original_language: 'sw' is not one of the platform's "
        "languages (en, fr, es, ar)"
    ) in problems
    assert (
        "plan.xlsx:Dimensions:1:option_name_xx: 'option_name_xx': 'xx' is not one of the "
        "platform's languages (en, fr, es, ar)"
    ) in problems
    assert db_state() == before  # all or nothing


def test_an_organisations_original_language_column_may_not_contradict_its_name(tmp_path) -> None:
    organisations = [{**ORGANISATIONS[1], "name_es": "Otro nombre"}]
    path = _plan_file(tmp_path / "plan.json", organisations=organisations)
    assert refused(path) == [
        "plan.json:organisations:1:name_es: name_es differs from name, the text in the original "
        "language (es): leave it blank or give the same text"
    ]


def test_the_export_carries_organisations_and_options_in_every_language(tmp_path) -> None:
    """The export writes `name` in the organisation's original language whatever language it
    runs in, and the other languages in their columns (the round trip through an empty
    database: test_roundtrip.py)."""
    from wpsmonitor.exchange.export import plan_sections

    import_files(
        paths=[
            _plan_file(
                tmp_path / "plan.json",
                plan={"lead_organisation": "foro"},
                organisations=ORGANISATIONS,
                dimensions=DIMENSIONS,
                indicators=[
                    {
                        "code": "I1",
                        "node": "P1",
                        "title": "Femmes formées",
                        "kind": "number",
                        "time_rule": "sum",
                        "frequency": "year",
                        "disaggregation": "deplacement",
                        "responsible_organisation": "mingenre",
                    }
                ],
            )
        ]
    )
    plan = Plan.objects.get(code="cod-pan-2")
    with translation.override("en"):
        sections = plan_sections(plan)
    orgs = {row["code"]: row for row in sections["organisations"]}
    assert orgs["foro"]["name"] == "Foro de Mujeres"
    assert orgs["foro"]["original_language"] == "es"
    assert (orgs["foro"]["name_fr"], orgs["foro"]["name_es"]) == ("Forum des femmes", "")
    assert (orgs["mingenre"]["name"], orgs["mingenre"]["name_en"]) == (
        "Ministère du Genre",
        "Ministry of Gender",
    )
    options = {row["option"]: row for row in sections["dimensions"]}
    assert options["pdi"]["option_name"] == "Personnes déplacées"
    assert options["pdi"]["option_name_en"] == "Internally displaced"
    assert options["pdi"]["option_name_fr"] == ""  # the original language's: `option_name`
