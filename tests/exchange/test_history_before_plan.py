"""History before the plan (issue 17, part 3): values of an earlier plan generation.

ken-nap-2 runs 2020-2024. A value for 2018 or 2019 is accepted by the import as the indicator's
history, not refused; it never counts in the plan's figures or achievement, and the indicator
page ("Before the plan") and the API show it as history.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from wpsmonitor.accounts.models import PlanRole
from wpsmonitor.exchange.importer import import_files
from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.models import AggregateValue, DataValue
from wpsmonitor.indicators.selectors import indicator_history
from wpsmonitor.plans.models import PlanStatus

from .helpers import refused, write_csv

pytestmark = pytest.mark.django_db


def _import(small_plan, tmp_path: Path) -> None:
    import_files(
        paths=[
            write_csv(
                tmp_path / "v.csv",
                [
                    # History: a year (an earlier plan reported yearly) and a quarter.
                    "ken-nap-2,N1,2018,KEN,sex=F;age=18-29,,40,,,,NAP I",
                    "ken-nap-2,N1,2019Q4,KEN,sex=F;age=18-29,,9,,,,",
                    "ken-nap-2,P1,2019,KEN,sex=F,,,20,100,,",
                    # The plan's own values.
                    "ken-nap-2,N1,2021Q1,KEN,sex=F;age=18-29,,12,,,,",
                    "ken-nap-2,P1,2021,KEN,sex=F,,,30,120,,",
                ],
            )
        ]
    )


def _figure(code: str, period: str, key: str = "") -> float | None:
    row = AggregateValue.objects.filter(
        indicator__code=code, period_code=period, area__code="KEN", cell_key=key
    ).first()
    return None if row is None else row.value


def test_values_before_the_plan_are_kept_and_never_counted(small_plan, tmp_path: Path) -> None:
    _import(small_plan, tmp_path)
    assert DataValue.objects.count() == 5
    rebuild_plan_aggregates(small_plan)
    assert _figure("N1", "ALL") == 12  # not 61: the history is not the plan's
    assert _figure("N1", "2018") is None
    assert _figure("P1", "ALL") == pytest.approx(25.0)  # 30/120, not 50/220
    n1 = small_plan.indicators.get(code="N1")
    history = indicator_history(indicator=n1, area=small_plan.area, source_code="gov")
    assert [(p.period_code, p.value) for p in history] == [("2018", 40), ("2019Q4", 9)]
    p1 = small_plan.indicators.get(code="P1")
    (point,) = indicator_history(indicator=p1, area=small_plan.area, source_code="gov")
    assert (point.period_code, point.value) == ("2019", pytest.approx(20.0))


def test_a_period_after_the_plan_or_of_another_frequency_is_still_refused(
    small_plan, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "v.csv",
        [
            "ken-nap-2,N1,2026Q1,KEN,sex=F;age=18-29,,1,,,,",
            "ken-nap-2,N1,2019-05,KEN,sex=F;age=18-29,,1,,,,",
        ],
    )
    assert refused(path) == [
        f"{path.name}:2:period: 2026Q1 is outside the plan's dates (2020-01-01 to 2024-12-31)",
        f"{path.name}:3:period: 2019-05 is a month but N1 is reported by quarter",
    ]


def test_the_indicator_page_and_the_api_show_it_to_members_only(small_plan, tmp_path: Path) -> None:
    _import(small_plan, tmp_path)
    small_plan.status = PlanStatus.IMPLEMENTATION
    small_plan.save()
    rebuild_plan_aggregates(small_plan)
    member = User.objects.create_user("m", password="pw-long-enough-1")
    PlanRole.objects.create(user=member, plan=small_plan, role="coordinator")
    client = Client()
    client.force_login(member)
    page = client.get("/plans/ken-nap-2/indicators/N1/").content.decode()
    assert "Before the plan" in page and "2019Q4" in page
    answer = client.get("/api/v1/plans/ken-nap-2/indicators/N1/history")
    assert answer.status_code == 200
    body = answer.json()
    assert body["plan_start"] == "2020-01-01"
    assert [(i["period"], i["cell"], i["value"]) for i in body["items"]] == [
        ("2018", "sex=F;age=18-29", 40.0),
        ("2019Q4", "sex=F;age=18-29", 9.0),
    ]
    # The public reads the published release, which holds no history.
    public = Client()
    assert "Before the plan" not in public.get("/plans/ken-nap-2/indicators/N1/").content.decode()
    assert public.get("/api/v1/plans/ken-nap-2/indicators/N1/history").status_code in (401, 403)
