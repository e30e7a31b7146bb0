"""A small plan, built through the models and the ingest service, plus users and tokens.

Kenya's second NAP (two pillars, an outcome with two actions, two indicators), a local plan
under it, and Uganda's plan whose objects must never leak through Kenya's URLs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from wpsmonitor.accounts.models import ApiToken, PlanRole, Role
from wpsmonitor.directory.models import Area, Organisation, OrganisationType
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.models import (
    Baseline,
    Cell,
    Direction,
    GlobalIndicator,
    Indicator,
    IndicatorKind,
    Source,
    SourceKind,
    Target,
    TimeRule,
)
from wpsmonitor.indicators.services import period_ensure, reference_data_ensure, scheme_ensure
from wpsmonitor.plans.models import (
    ActionStatus,
    FrameworkLevel,
    FrameworkNode,
    Plan,
    PlanKind,
    PlanStatus,
)


@dataclass
class World:
    nap: Plan
    lap: Plan
    uganda: Plan
    ken: Area
    nairobi: Area
    par1: Indicator
    par2: Indicator
    reader: User
    writer: User
    reader_token: str
    writer_token: str
    writer_token_obj: ApiToken


def _org(code: str, name: str, acronym: str, kind: str) -> Organisation:
    return Organisation.objects.create(code=code, name=name, acronym=acronym, type=kind)


def _levels(plan: Plan) -> dict[str, FrameworkLevel]:
    return {
        code: FrameworkLevel.objects.create(
            plan=plan, depth=depth, code=code, name=code.title(), holds_actions=actions
        )
        for depth, (code, actions) in enumerate(
            [("pillar", False), ("outcome", False), ("action", True)], start=1
        )
    }


def _node(plan: Plan, level: FrameworkLevel, code: str, title: str, **fields: Any) -> FrameworkNode:
    return FrameworkNode.objects.create(plan=plan, level=level, code=code, title=title, **fields)


def build_world() -> World:
    reference_data_ensure()
    ken = area_country_ensure("KE")
    nairobi = area_subdivision_ensure(parent=ken, code="KE-30", name="Nairobi")
    uga = area_country_ensure("UG")
    mog = _org("mog", "Ministry of Gender", "MoG", OrganisationType.GOVERNMENT)
    wpf = _org("wpf", "Women Peace Forum", "WPF", OrganisationType.CIVIL_SOCIETY)
    nps = _org("nps", "National Police Service", "NPS", OrganisationType.SECURITY)
    Source.objects.create(
        code="wpf-shadow", kind=SourceKind.CIVIL_SOCIETY, name="WPF shadow", organisation=wpf
    )

    nap = Plan.objects.create(
        code="ken-nap-2",
        title="Kenya National Action Plan 2024-2027",
        kind=PlanKind.NATIONAL,
        area=ken,
        generation=2,
        start=date(2024, 1, 1),
        end=date(2027, 12, 31),
        adopted_on=date(2024, 3, 8),
        status=PlanStatus.IMPLEMENTATION,
        lead_organisation=mog,
        coordination_mechanism="National Steering Committee",
        languages=["en", "sw"],
        description="Second NAP.",
        document_url="https://example.org/nap2.pdf",
    )
    lap = Plan.objects.create(
        code="ken-lap-nairobi",
        title="Nairobi Local Action Plan",
        kind=PlanKind.LOCAL,
        parent=nap,
        area=nairobi,
        start=date(2024, 1, 1),
        end=date(2026, 12, 31),
        status=PlanStatus.ADOPTED,
    )
    uganda = Plan.objects.create(
        code="uga-nap-3",
        title="Uganda NAP III",
        kind=PlanKind.NATIONAL,
        area=uga,
        generation=3,
        start=date(2021, 1, 1),
        end=date(2025, 12, 31),
        status=PlanStatus.DRAFT,
    )

    levels = _levels(nap)
    p1 = _node(nap, levels["pillar"], "P1", "Participation", order=1, pillar_theme="participation")
    p2 = _node(nap, levels["pillar"], "P2", "Protection", order=2, pillar_theme="protection")
    o11 = _node(nap, levels["outcome"], "O1.1", "Women in decision-making", parent=p1, order=1)
    a111 = _node(
        nap,
        levels["action"],
        "A1.1.1",
        "Train women candidates",
        parent=o11,
        order=2,
        responsible_organisation=mog,
        planned_start=date(2024, 1, 1),
        planned_end=date(2024, 12, 31),
        status=ActionStatus.COMPLETED,
        percent_complete=100,
    )
    a111.partner_organisations.set([wpf, nps])
    _node(
        nap,
        levels["action"],
        "A1.1.2",
        "Advocate for a quota law",
        parent=o11,
        order=1,
        planned_start=date(2024, 6, 1),
        planned_end=date(2099, 12, 31),
        status=ActionStatus.NOT_STARTED,
    )
    _node(nap, levels["outcome"], "O2.1", "Survivors supported", parent=p2, order=1)

    sdg = GlobalIndicator.objects.create(
        vocabulary="sdg", code="5.5.1", title="Seats held by women", catalogue_version="2024"
    )
    wps = GlobalIndicator.objects.create(
        vocabulary="wps", code="1a", title="Women in peace talks", catalogue_version="2020"
    )
    by_sex = scheme_ensure(dimension_codes=["sex"])
    none = scheme_ensure(dimension_codes=[])
    par1 = Indicator.objects.create(
        plan=nap,
        node=o11,
        code="PAR-1",
        title="Women trained as candidates",
        definition="People trained, by sex.",
        kind=IndicatorKind.NUMBER,
        unit="people",
        direction=Direction.INCREASE,
        time_rule=TimeRule.SUM,
        scheme=by_sex,
        frequency="quarter",
        means_of_verification="Training records",
        responsible_organisation=mog,
        order=1,
    )
    par1.references.set([wps, sdg])
    par2 = Indicator.objects.create(
        plan=nap,
        node=o11,
        code="PAR-2",
        title="Share of seats held by women",
        kind=IndicatorKind.PERCENTAGE,
        unit="%",
        time_rule=TimeRule.LAST,
        scheme=none,
        frequency="year",
        factor=100,
        order=2,
    )
    female = Cell.objects.get(scheme=by_sex, code="sex=F")
    total = Cell.objects.get(scheme=none, code="total")
    Baseline.objects.create(
        indicator=par1, period=period_ensure("2023"), area=ken, cell=female, value=10
    )
    Target.objects.create(
        indicator=par1, period=period_ensure("2027"), area=ken, cell=female, value=100
    )
    Target.objects.create(
        indicator=par2,
        period=period_ensure("2027"),
        area=ken,
        cell=total,
        numerator=None,
        denominator=None,
        value=30,
        comment="Constitution's two-thirds rule",
    )

    # Uganda has an indicator with the same code as Kenya's, and one Kenya does not have.
    ulevels = _levels(uganda)
    upillar = _node(uganda, ulevels["pillar"], "U1", "Prevention", order=1)
    for code in ("PAR-1", "UG-9"):
        Indicator.objects.create(
            plan=uganda,
            node=upillar,
            code=code,
            title=f"Uganda {code}",
            kind=IndicatorKind.NUMBER,
            time_rule=TimeRule.SUM,
            scheme=none,
            frequency="year",
        )

    values_ingest(
        plan=nap.code,
        rows=[
            {"indicator": "PAR-1", "period": "2024Q1", "area": "KEN", "cell": "sex=F", "value": 12},
            {"indicator": "PAR-1", "period": "2024Q1", "area": "KEN", "cell": "sex=M", "value": 8},
            {"indicator": "PAR-1", "period": "2024Q2", "area": "KEN", "cell": "sex=F", "value": 15},
            {
                # Not 2024Q1 sex=F, which Kenya's own figure covers: Kenya's figure would be
                # the sum of its areas', counted twice (the ingest refuses it).
                "indicator": "PAR-1",
                "period": "2024Q2",
                "area": "KE-30",
                "cell": "sex=M",
                "value": 5,
            },
            {
                "indicator": "PAR-1",
                "period": "2024Q1",
                "area": "KEN",
                "cell": "sex=F",
                "source": "wpf-shadow",
                "value": 9,
                "comment": "Shadow report",
            },
            {
                "indicator": "PAR-2",
                "period": "2024",
                "area": "KEN",
                "numerator": 70,
                "denominator": 350,
            },
        ],
    )
    values_ingest(
        plan=uganda.code,
        rows=[{"indicator": "UG-9", "period": "2024", "area": "UGA", "value": 3}],
    )

    reader = User.objects.create_user("reader")
    writer = User.objects.create_user("writer")
    # Uganda's plan is still a draft: its members (here a viewer) read it, nobody else does.
    PlanRole.objects.create(user=reader, plan=uganda, role=Role.VIEWER)
    # A viewer of Kenya's plan too: its members read the figures as the platform holds them
    # (everyone else reads the published release: tests/publishing/test_no_small_cells_public.py).
    PlanRole.objects.create(user=reader, plan=nap, role=Role.VIEWER)
    # The secretariat's system writes official figures, and WPF's its own shadow figures.
    PlanRole.objects.create(user=writer, plan=nap, role=Role.COORDINATOR)
    PlanRole.objects.create(user=writer, plan=nap, role=Role.MONITOR, organisation=wpf)
    _rt, reader_raw = ApiToken.issue(user=reader, name="reader-script")
    writer_obj, writer_raw = ApiToken.issue(user=writer, name="ministry-sync")
    return World(
        nap=nap,
        lap=lap,
        uganda=uganda,
        ken=ken,
        nairobi=nairobi,
        par1=par1,
        par2=par2,
        reader=reader,
        writer=writer,
        reader_token=reader_raw,
        writer_token=writer_raw,
        writer_token_obj=writer_obj,
    )


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


class ApiClient:
    """django.test.Client with a bearer token and JSON in and out."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            "/api/v1" + path, body, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def reader_api(world: World) -> ApiClient:
    return ApiClient(world.reader_token)


@pytest.fixture
def writer_api(world: World) -> ApiClient:
    return ApiClient(world.writer_token)
