"""A small plan whose civil-society scorecard is worked out by hand.

Plan `nap-sc`, 2024-2026, country COD with provinces P1 and P2. Pillars (themes): PAR
(participation), PRO (protection), REL (relief_recovery). Source `cso-shadow` belongs to the
Women's Network; `cso-youth` (Youth for Peace) publishes nothing.

Indicators (yearly), with the civil-society figures (`cso-shadow`) and the item each gives:

| indicator | kind, rule, direction | baseline / targets (COD) | CS figure | achievement, points |
|---|---|---|---|---|
| PAR-01 (gnwp:part-governance) | %, last, up | 10 / 2026: 30 | P1 2024: 5/25 = 20 % | national target: (20-10)/20 = .5 → 2 |
| | | | P1 2025: 6/20 = 30 % | (30-10)/20 = 1 → 4 |
| PRO-01 | count, sum, up | 100 / 2024: 400, 2025: 700 | COD 2024: 250 | 150/300 = .5 → 2 |
| | | | COD 2025: 200 | 100/600 = .167 → 1 |
| PRO-02 | %, last, down | 40 / 2026: 10 | COD 2024: 45 % | -5/-30 → -.167 → 0 |
| | | | COD 2025: 31 % | -9/-30 = .3 → 1 |
| PRO-03 | count, sum, up | – / 2025: 1000 | P2 2025: 120 | a count has no target in P2: not scored |
| REL-01 | yes/no, last | – | P2 2025: yes | 1 → 4 |
| OWN-1 (Women's Network's, published) | count, last, up | – / 2025: 10 | COD 2025: 8 | .8 → 3 |
| OWN-DRAFT (unpublished) | count, last, up | – / 2025: 5 | COD 2025: 5 | 1 → 4, seen by its organisation only |

The government also reports PRO-01 (COD 2024: 390): never used by the scorecard.

Action assessments (`cso-shadow`, published): PAR.A1 COD 2024Q2 partly then 2024Q4 implemented
(the latest counts: 4); PAR.A2 COD 2024Q4 unknown (counted, not scored); PRO.A1 P1 2025Q1 not
implemented (0); REL.A1 P2 2025Q2 partly (2).

Scores (points / maximum), as an outsider sees them:

| level, year | PAR | PRO | REL | all pillars |
|---|---|---|---|---|
| national 2024 | 4/4 (+1 unknown) | 2/8 | – | 6/12 = 50 % |
| national 2025 | OWN-1 3/4 | 1+1 = 2/8 | – | 5/12 = 41.7 % |
| local 2024 | 2/4 | – | – | 2/4 = 50 % |
| local 2025 | 4/4 | 0/4 (+1 no target) | 4+2 = 6/8 | 10/16 = 62.5 % |

The Women's Network's monitor also sees OWN-DRAFT: national 2025 PAR 7/8, all 9/16.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Area, Organisation, OrganisationType
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.catalogues import catalogues_load
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.models import (
    Direction,
    Indicator,
    IndicatorKind,
    Source,
    SourceKind,
    TimeRule,
)
from wpsmonitor.indicators.services import (
    baseline_set,
    indicator_create,
    period_ensure,
    reference_data_ensure,
    target_set,
)
from wpsmonitor.plans.models import FrameworkNode, Plan, PlanKind, PlanStatus
from wpsmonitor.plans.services import node_create, plan_create
from wpsmonitor.reporting.models import ActionAssessment, ActionProgress

PASSWORD = "a long test passphrase"


@dataclass
class Built:
    plan: Plan
    country: Area
    p1: Area
    p2: Area
    network: Organisation
    youth: Organisation
    source: Source
    indicators: dict[str, Indicator]
    actions: dict[str, FrameworkNode]
    users: dict[str, AbstractBaseUser]


def _user(name: str, **extra: object) -> AbstractBaseUser:
    return get_user_model().objects.create_user(
        username=name, email=f"{name}@example.org", password=PASSWORD, **extra
    )


def build(*, code: str = "nap-sc", status: str = PlanStatus.IMPLEMENTATION) -> Built:
    reference_data_ensure()
    catalogues_load()
    country = area_country_ensure("COD")
    p1 = area_subdivision_ensure(parent=country, code="COD-P1", name="Province 1")
    p2 = area_subdivision_ensure(parent=country, code="COD-P2", name="Province 2")
    ministry, _ = Organisation.objects.get_or_create(
        code="mogender",
        defaults={"name": "Ministry of Gender", "type": OrganisationType.GOVERNMENT},
    )
    network, _ = Organisation.objects.get_or_create(
        code="women-network",
        defaults={"name": "Women's Network", "type": OrganisationType.CIVIL_SOCIETY},
    )
    youth, _ = Organisation.objects.get_or_create(
        code="youth-peace",
        defaults={"name": "Youth for Peace", "type": OrganisationType.CIVIL_SOCIETY},
    )
    source, _ = Source.objects.get_or_create(
        code="cso-shadow",
        defaults={
            "kind": SourceKind.CIVIL_SOCIETY,
            "name": "Shadow report",
            "organisation": network,
        },
    )
    Source.objects.get_or_create(
        code="cso-youth",
        defaults={"kind": SourceKind.CIVIL_SOCIETY, "name": "Youth monitor", "organisation": youth},
    )
    plan = plan_create(
        code=code,
        title=f"Scorecard plan {code}",
        kind=PlanKind.NATIONAL,
        area=country,
        start=date(2024, 1, 1),
        end=date(2026, 12, 31),
        status=status,
        lead_organisation=ministry,
    )
    actions: dict[str, FrameworkNode] = {}
    outcomes: dict[str, FrameworkNode] = {}
    for order, (pillar_code, title, theme, action_count) in enumerate(
        [
            ("PAR", "Participation", "participation", 2),
            ("PRO", "Protection", "protection", 1),
            ("REL", "Relief and recovery", "relief_recovery", 1),
        ],
        start=1,
    ):
        pillar = node_create(
            plan=plan, code=pillar_code, title=title, order=order, pillar_theme=theme
        )
        outcome = node_create(plan=plan, parent=pillar, code=f"{pillar_code}.1", title=title)
        outcomes[pillar_code] = outcome
        output = node_create(plan=plan, parent=outcome, code=f"{pillar_code}.1.1", title=title)
        for a in range(1, action_count + 1):
            actions[f"{pillar_code}.A{a}"] = node_create(
                plan=plan,
                parent=output,
                code=f"{pillar_code}.A{a}",
                title=f"Action {pillar_code} {a}",
                order=a,
                responsible_organisation=ministry,
            )

    def indicator(code: str, pillar: str, kind: str, rule: str, **extra: object) -> Indicator:
        return indicator_create(
            plan=plan,
            node=outcomes[pillar],
            code=code,
            title=f"Indicator {code}",
            kind=kind,
            time_rule=rule,
            frequency="year",
            **extra,  # type: ignore[arg-type]
        )

    pct, num, yes_no = IndicatorKind.PERCENTAGE, IndicatorKind.NUMBER, IndicatorKind.YES_NO
    ind = {
        "PAR-01": indicator(
            "PAR-01", "PAR", pct, TimeRule.LAST, factor=100, references=["gnwp:part-governance"]
        ),
        "PRO-01": indicator("PRO-01", "PRO", num, TimeRule.SUM),
        "PRO-02": indicator(
            "PRO-02", "PRO", pct, TimeRule.LAST, factor=100, direction=Direction.DECREASE
        ),
        "PRO-03": indicator("PRO-03", "PRO", num, TimeRule.SUM),
        "REL-01": indicator("REL-01", "REL", yes_no, TimeRule.LAST),
        "OWN-1": indicator("OWN-1", "PAR", num, TimeRule.LAST),
        "OWN-DRAFT": indicator("OWN-DRAFT", "PAR", num, TimeRule.LAST),
        "NAR": indicator("NAR", "PAR", IndicatorKind.NARRATIVE, TimeRule.NONE),
    }
    # Civil society's own indicators; set on the model, as the part that defines them through
    # pages and API is not what is tested here. Both published while their figures go in (the
    # import refuses figures on an unpublished one); OWN-DRAFT is withdrawn further down.
    Indicator.objects.filter(pk__in=[ind["OWN-1"].pk, ind["OWN-DRAFT"].pk]).update(
        owner_organisation=network, published_at=timezone.now()
    )
    for key in ("OWN-1", "OWN-DRAFT"):
        ind[key].refresh_from_db()
    baseline_set(indicator=ind["PAR-01"], period="2023", value=10)
    target_set(indicator=ind["PAR-01"], period="2026", value=30)
    baseline_set(indicator=ind["PRO-01"], period="2023", value=100)
    target_set(indicator=ind["PRO-01"], period="2024", value=400)
    target_set(indicator=ind["PRO-01"], period="2025", value=700)
    baseline_set(indicator=ind["PRO-02"], period="2023", value=40)
    target_set(indicator=ind["PRO-02"], period="2026", value=10)
    target_set(indicator=ind["PRO-03"], period="2025", value=1000)
    target_set(indicator=ind["OWN-1"], period="2025", value=10)
    target_set(indicator=ind["OWN-DRAFT"], period="2025", value=5)

    def cs(code: str, period: str, area: Area, **figure: float) -> dict[str, object]:
        return {
            "indicator": code,
            "period": period,
            "area": area.code,
            "source": "cso-shadow",
            **figure,
        }

    values_ingest(
        rows=[
            cs("PAR-01", "2024", p1, numerator=5, denominator=25),
            cs("PAR-01", "2025", p1, numerator=6, denominator=20),
            cs("PRO-01", "2024", country, value=250),
            cs("PRO-01", "2025", country, value=200),
            cs("PRO-02", "2024", country, numerator=45, denominator=100),
            cs("PRO-02", "2025", country, numerator=31, denominator=100),
            cs("PRO-03", "2025", p2, value=120),
            cs("REL-01", "2025", p2, value=1),
            cs("OWN-1", "2025", country, value=8),
            cs("OWN-DRAFT", "2025", country, value=5),
            {"indicator": "PRO-01", "period": "2024", "area": country.code, "value": 390},
        ],
        plan=plan.code,
    )
    rebuild_plan_aggregates(plan)
    # Unpublished, with figures in the aggregate table: the scorecard must still hide it from
    # everyone outside its organisation.
    Indicator.objects.filter(pk=ind["OWN-DRAFT"].pk).update(published_at=None)
    ind["OWN-DRAFT"].refresh_from_db()
    # Published assessments, as the publishing of a civil-society submission leaves them.
    for action, period, area, assessment in [
        ("PAR.A1", "2024Q2", country, ActionAssessment.PARTLY),
        ("PAR.A1", "2024Q4", country, ActionAssessment.IMPLEMENTED),
        ("PAR.A2", "2024Q4", country, ActionAssessment.UNKNOWN),
        ("PRO.A1", "2025Q1", p1, ActionAssessment.NOT_IMPLEMENTED),
        ("REL.A1", "2025Q2", p2, ActionAssessment.PARTLY),
    ]:
        ActionProgress.objects.create(
            action=actions[action],
            period=period_ensure(period),
            area=area,
            source=source,
            organisation=network,
            assessment=assessment,
        )
    # The government's report on an action has a status, no assessment: not scored.
    ActionProgress.objects.create(
        action=actions["PRO.A1"],
        period=period_ensure("2025Q1"),
        area=p1,
        source=Source.objects.get(code="gov"),
        organisation=ministry,
        status="completed",
    )
    users = {
        name: _user(f"{code}-{name}")
        for name in ("coordinator", "monitor", "youth_monitor", "viewer", "outsider")
    }
    users["admin"] = _user(f"{code}-admin", is_superuser=True, is_staff=True)
    PlanRole.objects.create(user=users["coordinator"], plan=plan, role=Role.COORDINATOR)
    PlanRole.objects.create(
        user=users["monitor"], plan=plan, role=Role.MONITOR, organisation=network
    )
    PlanRole.objects.create(
        user=users["youth_monitor"], plan=plan, role=Role.MONITOR, organisation=youth
    )
    PlanRole.objects.create(user=users["viewer"], plan=plan, role=Role.VIEWER)
    return Built(plan, country, p1, p2, network, youth, source, ind, actions, users)


@pytest.fixture
def built(db: None) -> Built:
    return build()
