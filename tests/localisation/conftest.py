"""A national plan and two local plans made from it by copy-down, with figures worked out by
hand.

Plan `nap-lo` (COD, 2024-2026) with provinces P1, P2, P3. Framework: PAR > PAR.1 > PAR.1.1 >
actions PAR.1.1.1, PAR.1.1.2; PRO > PRO.1 > PRO.1.1 > action PRO.1.1.1. Indicators:

| code | kind | on | roll_up | note |
|---|---|---|---|---|
| CNT | number | PAR.1 | yes | national target 2026: 100 (a count: not copied) |
| PCT | percentage | PAR.1.1 | yes | national target 2026: 40 (copied) |
| LVL | number | PRO.1 | no | |
| RES | number, restricted | PRO.1 | yes | |
| FRM | formula {CNT} | PAR.1 | no | never copied |

`lap-p1` (P1): PAR.1.1.1 and PRO.1, indicators CNT, PCT, LVL, RES. `lap-p2` (P2): PAR.1, CNT,
PCT. P3 has no local plan. Figures (2024, government): lap-p1 CNT 10, PCT 3/10, LVL 7, RES 4;
lap-p2 CNT 5, PCT 2/5. Roll-up 2024: CNT 15, PCT 5/15 = 33.3 %.

Users: `coord` (coordinator of nap-lo: makes both, so coordinates both), `viewer` (viewer of
nap-lo and lap-p1), `stranger` (no role).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Area, Organisation, OrganisationType
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.models import Indicator, IndicatorKind, TimeRule
from wpsmonitor.indicators.services import (
    indicator_create,
    reference_data_ensure,
    target_set,
)
from wpsmonitor.localisation.services import local_plan_copy_down
from wpsmonitor.plans.models import FrameworkNode, Plan, PlanKind, PlanStatus
from wpsmonitor.plans.services import node_create, plan_create

PASSWORD = "a long test passphrase"


@dataclass
class Built:
    nap: Plan
    p1_plan: Plan
    p2_plan: Plan
    country: Area
    provinces: dict[str, Area]
    nodes: dict[str, FrameworkNode]
    indicators: dict[str, Indicator]
    users: dict[str, User]
    city: Organisation


def user(name: str, **extra: object) -> User:
    return get_user_model().objects.create_user(  # type: ignore[return-value]
        username=name, email=f"{name}@example.org", password=PASSWORD, **extra
    )


def national(code: str = "nap-lo") -> tuple[Plan, Area, dict[str, Area]]:
    reference_data_ensure()
    country = area_country_ensure("COD")
    provinces = {
        p: area_subdivision_ensure(parent=country, code=f"COD-{p}", name=f"Province {p}")
        for p in ("P1", "P2", "P3")
    }
    plan = plan_create(
        code=code,
        title="National plan",
        kind=PlanKind.NATIONAL,
        area=country,
        start=date(2024, 1, 1),
        end=date(2026, 12, 31),
        status=PlanStatus.IMPLEMENTATION,
        languages=["fr", "en"],
        original_language="fr",
    )
    return plan, country, provinces


def build(*, values: bool = True) -> Built:
    nap, country, provinces = national()
    nodes: dict[str, FrameworkNode] = {}
    for code, title, parent in [
        ("PAR", "Participation", None),
        ("PAR.1", "Les femmes participent", "PAR"),
        ("PAR.1.1", "Institutions ouvertes", "PAR.1"),
        ("PAR.1.1.1", "Former les élues", "PAR.1.1"),
        ("PAR.1.1.2", "Réviser les statuts", "PAR.1.1"),
        ("PRO", "Protection", None),
        ("PRO.1", "Les survivantes sont protégées", "PRO"),
        ("PRO.1.1", "Services ouverts", "PRO.1"),
        ("PRO.1.1.1", "Ouvrir des centres", "PRO.1.1"),
    ]:
        nodes[code] = node_create(
            plan=nap, code=code, title=title, parent=nodes[parent] if parent else None
        )
    ind = {
        "CNT": indicator_create(
            plan=nap, node="PAR.1", code="CNT", title="Élues", kind=IndicatorKind.NUMBER,
            time_rule=TimeRule.LAST, frequency="year", unit="women", roll_up=True,
        ),
        "PCT": indicator_create(
            plan=nap, node="PAR.1.1", code="PCT", title="Part des femmes",
            kind=IndicatorKind.PERCENTAGE, time_rule=TimeRule.LAST, frequency="year",
            roll_up=True,
        ),
        "LVL": indicator_create(
            plan=nap, node="PRO.1", code="LVL", title="Centres", kind=IndicatorKind.NUMBER,
            time_rule=TimeRule.LAST, frequency="year",
        ),
        "RES": indicator_create(
            plan=nap, node="PRO.1", code="RES", title="Cas", kind=IndicatorKind.NUMBER,
            time_rule=TimeRule.LAST, frequency="year", sensitivity="restricted", roll_up=True,
        ),
    }  # fmt: skip
    ind["FRM"] = indicator_create(
        plan=nap,
        node="PAR.1",
        code="FRM",
        title="Dérivé",
        kind=IndicatorKind.FORMULA,
        time_rule=TimeRule.LAST,
        frequency="year",
        numerator_formula="{CNT}",
    )
    target_set(indicator=ind["CNT"], period="2026", value=100)
    target_set(indicator=ind["PCT"], period="2026", value=40)
    users = {name: user(name) for name in ("coord", "viewer", "stranger")}
    PlanRole.objects.create(user=users["coord"], plan=nap, role=Role.COORDINATOR)
    PlanRole.objects.create(user=users["viewer"], plan=nap, role=Role.VIEWER)
    city, _ = Organisation.objects.get_or_create(
        code="city-p1", defaults={"name": "City hall P1", "type": OrganisationType.LOCAL_GOVERNMENT}
    )
    p1 = local_plan_copy_down(
        by=users["coord"],
        national=nap,
        code="lap-p1",
        title="Plan local P1",
        area=provinces["P1"],
        nodes=[nodes["PAR.1.1.1"], nodes["PRO.1"]],
        indicators=[ind["CNT"], ind["PCT"], ind["LVL"], ind["RES"]],
    ).plan
    p2 = local_plan_copy_down(
        by=users["coord"],
        national=nap,
        code="lap-p2",
        title="Plan local P2",
        area=provinces["P2"],
        nodes=[nodes["PAR.1"]],
        indicators=[ind["CNT"], ind["PCT"]],
    ).plan
    PlanRole.objects.create(user=users["viewer"], plan=p1, role=Role.VIEWER)
    if values:
        for plan, rows in (
            (
                p1,
                [
                    {"indicator": "CNT", "period": "2024", "area": "COD-P1", "value": 10},
                    {"indicator": "PCT", "period": "2024", "area": "COD-P1", "numerator": 3,
                     "denominator": 10},
                    {"indicator": "LVL", "period": "2024", "area": "COD-P1", "value": 7},
                    {"indicator": "RES", "period": "2024", "area": "COD-P1", "value": 4},
                ],
            ),
            (
                p2,
                [
                    {"indicator": "CNT", "period": "2024", "area": "COD-P2", "value": 5},
                    {"indicator": "PCT", "period": "2024", "area": "COD-P2", "numerator": 2,
                     "denominator": 5},
                ],
            ),
        ):  # fmt: skip
            values_ingest(rows=rows, plan=plan.code)
            rebuild_plan_aggregates(plan)
    return Built(nap, p1, p2, country, provinces, nodes, ind, users, city)


@pytest.fixture
def built(db: None) -> Built:
    return build()
