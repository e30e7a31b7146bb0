"""Plans, framework nodes and indicators return their texts in every language (issue 15,
part 2): `translations`, beside `title`... whose meaning is unchanged."""

from __future__ import annotations

from tests.api.conftest import ApiClient, World

from wpsmonitor.indicators.models import Indicator
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
