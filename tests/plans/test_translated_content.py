"""Texts in several languages: writes go to the original language, reads fall back to it with
a note (core/translated.py), and the migration keeps every text typed before it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from wpsmonitor.core.translated import shown
from wpsmonitor.directory.services import area_country_ensure
from wpsmonitor.plans.models import Plan
from wpsmonitor.plans.services import node_create, plan_create, plan_update, translations_set

pytestmark = pytest.mark.django_db


def french_plan() -> Plan:
    area_country_ensure("COD")
    return plan_create(
        code="pan-3", title="Troisième plan d'action national", kind="national", area="COD",
        start=date(2024, 1, 1), end=date(2027, 12, 31), original_language="fr",
    )  # fmt: skip


def test_a_write_goes_to_the_original_language_whatever_the_editor_reads() -> None:
    plan = french_plan()
    with translation.override("es"):  # a Spanish-speaking editor
        plan_update(plan=plan, title="Troisième PAN")
        node = node_create(plan=plan, code="P1", title="Participation des femmes")
    plan.refresh_from_db()
    node.refresh_from_db()
    assert (plan.title_fr, plan.title_es) == ("Troisième PAN", None)
    assert (node.title_fr, node.title_en) == ("Participation des femmes", None)


def test_the_reader_gets_their_language_else_the_original_with_a_note() -> None:
    plan = french_plan()
    translations_set(obj=plan, field="title", texts={"es": "Tercer plan de acción nacional"})
    with translation.override("es"):
        assert shown(plan, "title").text == "Tercer plan de acción nacional"
        assert shown(plan, "title").note() == ""
    with translation.override("en"):
        text = shown(plan, "title")
        assert (text.text, text.language) == ("Troisième plan d'action national", "fr")
        assert text.note() == "Shown in French: no English text yet"
    with translation.override("ar"):
        assert shown(plan, "title").direction == "ltr"
        assert shown(plan, "title").note()


def test_the_original_text_cannot_be_removed() -> None:
    plan = french_plan()
    with pytest.raises(ValidationError):
        translations_set(obj=plan, field="title", texts={"fr": " "})


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_text_in_its_original_language() -> None:
    """Back to before the columns, a plan and a node typed then; forward again: their texts
    are in the English columns (every plan had English as original language then)."""
    executor = MigrationExecutor(connection)
    before = [("plans", "0004_plan_disclosure_control"), ("directory", "0001_initial")]
    after = [("plans", "0005_translated_content"), ("directory", "0002_translated_content")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        Area = old.get_model("directory", "Area")
        AreaLevel = old.get_model("directory", "AreaLevel")
        level = AreaLevel.objects.create(depth=1, code="country", name="Country")
        area = Area.objects.create(code="COD", name="Congo", level=level, path="0001")
        OldPlan = old.get_model("plans", "Plan")
        plan = OldPlan.objects.create(
            code="old", title="An old plan", kind="national", area=area,
            start=date(2020, 1, 1), end=date(2021, 1, 1),
        )  # fmt: skip
        OldOrg = old.get_model("directory", "Organisation")
        OldOrg.objects.create(code="org", name="An old organisation", type="government")
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        moved = new.get_model("plans", "Plan").objects.get(pk=plan.pk)
        assert (moved.title_en, moved.title_fr, moved.original_language) == (
            "An old plan",
            None,
            "en",
        )
        org = new.get_model("directory", "Organisation").objects.get(code="org")
        assert org.name_en == "An old organisation"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
