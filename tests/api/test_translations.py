"""Plans, framework nodes and indicators return their texts in every language (issue 15,
part 2): `translations`, beside `title`... whose meaning is unchanged."""

from __future__ import annotations

from tests.api.conftest import ApiClient, World

from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.models import DimensionOption, Indicator
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.plans.services import translations_set


def test_a_plan_its_nodes_and_indicators_return_every_language(
    world: World, reader_api: ApiClient
) -> None:
    plan = Plan.objects.get(code="ken-nap-2")
    translations_set(obj=plan, field="title", texts={"fr": "Plan d'action national du Kenya"})
    pillar = FrameworkNode.objects.get(plan=plan, code="P1")
    translations_set(obj=pillar, field="title", texts={"ar": "المشاركة"})
    indicator = Indicator.objects.get(plan=plan, code="PAR-1")
    translations_set(obj=indicator, field="unit", texts={"es": "personas"})

    body = reader_api.get("/plans/ken-nap-2").json()
    assert body["original_language"] == "en"
    assert body["translations"] == {
        "title": {
            "en": "Kenya National Action Plan 2024-2027",
            "fr": "Plan d'action national du Kenya",
            "es": None,
            "ar": None,
        }
    }
    listed = next(p for p in reader_api.get("/plans").json()["items"] if p["code"] == "ken-nap-2")
    assert listed["translations"] == body["translations"]

    nodes = {n["code"]: n for n in reader_api.get("/plans/ken-nap-2/framework").json()["nodes"]}
    assert nodes["P1"]["translations"]["title"] == {
        "en": "Participation",
        "fr": None,
        "es": None,
        "ar": "المشاركة",
    }
    one = reader_api.get("/plans/ken-nap-2/indicators/PAR-1").json()
    assert one["translations"]["unit"] == {"en": "people", "fr": None, "es": "personas", "ar": None}
    assert one["unit"] == "people"  # the existing field keeps its meaning


def test_organisations_and_dimension_options_return_every_language(
    world: World, reader_api: ApiClient
) -> None:
    Organisation.objects.filter(code="mog").update(
        original_language="en", name_fr="Ministère du Genre"
    )
    DimensionOption.objects.filter(dimension__code="sex", code="F").update(name_es="Mujeres")

    body = reader_api.get("/plans/ken-nap-2").json()
    lead = body["lead_organisation"]
    assert lead["original_language"] == "en"
    assert lead["translations"] == {
        "name": {"en": "Ministry of Gender", "fr": "Ministère du Genre", "es": None, "ar": None}
    }
    assert lead["name"] == "Ministry of Gender"  # the existing field keeps its meaning
    nodes = reader_api.get("/plans/ken-nap-2/framework").json()["nodes"]
    responsible = [n["action"]["responsible_organisation"] for n in nodes if n["action"]]
    assert any(r and r["translations"]["name"]["fr"] == "Ministère du Genre" for r in responsible)

    one = reader_api.get("/plans/ken-nap-2/indicators/PAR-1").json()
    assert one["responsible_organisation"]["translations"]["name"]["fr"] == "Ministère du Genre"
    [sex] = one["scheme"]["dimensions"]
    female = next(o for o in sex["options"] if o["code"] == "F")
    assert female["translations"]["name"]["es"] == "Mujeres"
    assert set(female["translations"]["name"]) == {"en", "fr", "es", "ar"}
