"""A small plan built through the ORM: Kenya, one province, four indicators of different kinds."""

from __future__ import annotations

from datetime import date

import pytest

from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.models import Indicator, Source, SourceKind
from wpsmonitor.indicators.services import reference_data_ensure, scheme_ensure
from wpsmonitor.plans.models import DEFAULT_LEVELS, FrameworkLevel, FrameworkNode, Plan


@pytest.fixture(scope="session")
def empty_home(tmp_path_factory):
    """A migrated SQLite data home: copy it to get an empty database for a subprocess."""
    from .helpers import cli

    home = tmp_path_factory.mktemp("empty-home")
    cli(home, "manage", "migrate", "-v0")
    return home


@pytest.fixture
def small_plan(db):
    reference_data_ensure()
    Source.objects.create(code="cso", kind=SourceKind.CIVIL_SOCIETY, name="Shadow report")
    country = area_country_ensure("KEN")
    area_subdivision_ensure(parent=country, code="KE-30", name="Nairobi")
    plan = Plan.objects.create(
        code="ken-nap-2",
        title="Kenya NAP II",
        kind="national",
        area=country,
        start=date(2020, 1, 1),
        end=date(2024, 12, 31),
    )
    levels = [
        FrameworkLevel.objects.create(
            plan=plan, depth=depth, code=code, name=str(name), holds_actions=holds
        )
        for depth, (code, name, holds) in enumerate(DEFAULT_LEVELS, start=1)
    ]
    pillar = FrameworkNode.objects.create(
        plan=plan, level=levels[0], code="P1", title="Participation"
    )
    sex = scheme_ensure(dimension_codes=["sex"])
    sex_age = scheme_ensure(dimension_codes=["sex", "age"])
    none = scheme_ensure(dimension_codes=[])
    common = {"plan": plan, "node": pillar}
    Indicator.objects.create(
        code="N1", title="Women trained", kind="number", time_rule="sum", scheme=sex_age, **common
    )
    Indicator.objects.create(
        code="P1",
        title="Share of women police",
        kind="percentage",
        time_rule="last",
        scheme=sex,
        factor=100,
        frequency="year",
        **common,
    )
    Indicator.objects.create(
        code="Y1", title="Law adopted", kind="yes_no", time_rule="last", scheme=none, **common
    )
    Indicator.objects.create(
        code="S1",
        title="Stage",
        kind="milestone",
        time_rule="last",
        scheme=none,
        scale_labels=["drafted", "tabled", "adopted"],
        **common,
    )
    Indicator.objects.create(
        code="T1", title="Story", kind="narrative", time_rule="none", scheme=none, **common
    )
    Indicator.objects.create(
        code="D1", title="Women's share", kind="share", time_rule="last", scheme=none, **common
    )
    return plan
