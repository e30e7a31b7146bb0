"""The area page: what the plans covering a province or country do and achieve there.

Hand-worked figures (conftest.add_values), Province 1: IND-1-1-N is F 10 + M 5 = 15 in 2024Q1
and 30 in 2024Q2, so 45 in 2024 and to date; IND-1-1-P's latest quarter is (2 + 2) / 20 = 20.0 %.
The targets are national only, so the province has values but no achievement. Nationally, 2024:
both number indicators at (135 − 20) / (200 − 20) = 64 %, the plan's mean 64 %.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from freezegun import freeze_time

from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, Source
from wpsmonitor.indicators.services import period_ensure
from wpsmonitor.plans.models import ActionStatus, FrameworkNode, Plan, PlanKind, PlanStatus
from wpsmonitor.reporting.models import ActionProgress

from .conftest import BuiltPlan, add_round, build_plan
from .test_pages import text_of

pytestmark = pytest.mark.django_db


def test_province_page_shows_the_national_plan_figures_there(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    response = client.get("/areas/COD-P1/")
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "Province 1 (Province or region, COD-P1 )" in text
    assert (
        "National Action Plan nap-3 National action plan (NAP) 2024–2027 not measured 0 of 4 "
        "2024 not measured"
    ) in text
    assert "A plan for Democratic Republic of the Congo, which includes this area." in text
    assert "IND-1-1-N Women trained 1.1 45 people – – 45 people –" in text
    assert "IND-1-1-P Share of women police 1.1 20.0% – – 20.0% –" in text
    assert "No action of this plan is assigned in Province 1." in text


def test_country_page_shows_achievement_where_the_targets_are(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    html = client.get("/areas/COD/").content.decode()
    text = text_of(html)
    assert "2024–2027 not measured 0 of 4 2024 64%" in text
    assert "IND-1-1-N Women trained 1.1 135 people 200 people 64% 135 people –" in text
    assert "The plan's own area." in text
    # Areas below, and links to the plan and indicator pages for this area.
    assert 'href="/areas/COD-P1/"' in html and 'href="/areas/COD-P2/"' in html
    assert 'href="/plans/nap-3/?area=COD"' in html
    assert 'href="/plans/nap-3/indicators/IND-1-1-N/?area=COD"' in html


@freeze_time("2025-06-01")
def test_actions_assigned_in_the_area_with_the_latest_approved_report_there(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    add_round(plan_with_values)
    province = plan_with_values.provinces[0]
    action = FrameworkNode.objects.get(plan=plan_with_values.plan, code="P2.O1.1.A2")
    gov = Source.objects.get(code=GOVERNMENT_SOURCE)
    for period, percent in (("2024Q1", 10), ("2024Q2", 40)):
        ActionProgress.objects.create(
            action=action,
            period=period_ensure(period),
            area=province,
            source=gov,
            organisation=plan_with_values.ministry,
            status=ActionStatus.ONGOING,
            percent_complete=percent,
        )
    # A civil-society report is not the government's: not shown as "the latest report here".
    ActionProgress.objects.create(
        action=action,
        period=period_ensure("2024Q3"),
        area=province,
        source=Source.objects.get(code="cso-shadow"),
        organisation=plan_with_values.cso,
        status=ActionStatus.COMPLETED,
    )
    html = client.get("/areas/COD-P1/").content.decode()
    text = text_of(html)
    # Statuses cycle by (p + o + a) % 4; actions in framework order. Planned from 1 January
    # 2024 to 31 December 2026: on 1 June 2025 the actions not started are delayed.
    assert (
        "P1.O1.1.A1 Action 1.1.1 Ministry of Gender Cancelled 31 December 2026 – "
        "P1.O1.1.A2 Action 1.1.2 Ministry of Gender Not started Delayed 31 December 2026 – "
        "P2.O1.1.A1 Action 2.1.1 Ministry of Gender Not started Delayed 31 December 2026 – "
        "P2.O1.1.A2 Action 2.1.2 Ministry of Gender Ongoing 31 December 2026 "
        "2024Q2: Ongoing (40% done)"
    ) in text
    assert f'href="/plans/nap-3/#node-{action.pk}"' in html
    # Nothing is assigned at the other province.
    other = text_of(client.get("/areas/COD-P2/").content.decode())
    assert "No action of this plan is assigned in Province 2." in other


def test_only_plans_covering_the_area_and_visible_to_the_viewer(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    province = plan_with_values.provinces[0]
    Plan.objects.create(
        code="lap-p1",
        title="Local plan of Province 1",
        kind=PlanKind.LOCAL,
        parent=plan_with_values.plan,
        area=province,
        start=date(2025, 1, 1),
        end=date(2026, 12, 31),
        status=PlanStatus.ADOPTED,
    )
    build_plan(code="nap-draft", status=PlanStatus.DRAFT)  # also for Congo
    build_plan(code="nap-lbr", country_code="LBR")

    province_page = client.get("/areas/COD-P1/").content.decode()
    assert "Local plan of Province 1" in province_page
    assert "National Action Plan nap-3" in province_page
    assert "nap-draft" not in province_page
    assert "nap-lbr" not in province_page
    # A local plan covers its province, not the country above it.
    assert "Local plan of Province 1" not in client.get("/areas/COD/").content.decode()

    staff = Client()
    staff.force_login(get_user_model().objects.create_user("staff", password="x", is_staff=True))
    staff_page = text_of(staff.get("/areas/COD-P1/").content.decode())
    assert "National Action Plan nap-draft Draft" in staff_page


def test_an_area_without_plans_says_so(client: Client, plan_with_values: BuiltPlan) -> None:
    build_plan(code="nap-lbr", country_code="LBR", status=PlanStatus.DRAFT)
    text = text_of(client.get("/areas/LBR/").content.decode())
    assert "No published action plan covers Liberia yet." in text


def test_unknown_area_is_404(client: Client, plan_with_values: BuiltPlan) -> None:
    assert client.get("/areas/NOPE/").status_code == 404


def test_breadcrumb_goes_up_the_areas(client: Client, plan_with_values: BuiltPlan) -> None:
    html = client.get("/areas/COD-P1/").content.decode()
    start = html.index('class="breadcrumbs"')
    crumbs = html[start : html.index("</nav>", start)]
    assert 'href="/areas/COD/"' in crumbs
    assert 'href="/areas/COD-P1/" aria-current="page"' in crumbs


def test_plan_areas_page_links_to_each_area_page(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    html = client.get("/plans/nap-3/areas/").content.decode()
    for area in [plan_with_values.country, *plan_with_values.provinces]:
        assert f'href="/areas/{area.code}/"' in html
