from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wpsmonitor.directory.services import area_subdivision_ensure
from wpsmonitor.plans.models import Plan, PlanKind, PlanStatus

from .conftest import BuiltPlan, build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client() -> Client:
    user = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def test_home_lists_plans_grouped_by_country_with_their_facts(client: Client) -> None:
    built = build_plan()
    local = Plan.objects.create(
        code="lap-kivu",
        title="Local Action Plan North Kivu",
        kind=PlanKind.LOCAL,
        parent=built.plan,
        area=area_subdivision_ensure(parent=built.country, code="CD-NK"),
        start=date(2025, 1, 1),
        end=date(2026, 12, 31),
        status=PlanStatus.ADOPTED,
    )
    build_plan(code="nap-2-lbr", country_code="LBR")
    html = client.get("/").content.decode()
    # Both countries as headings, the local plan under its country, not under its province.
    congo = html.index("Democratic Republic of the Congo")
    liberia = html.index("Liberia")
    assert congo < html.index(local.title) < liberia
    assert "National action plan (NAP)" in html
    assert "generation 3" in html
    assert "2024–2027" in html
    assert "In implementation" in html
    assert "Ministry of Gender" in html
    assert f'href="/plans/{local.code}/"' in html


def test_home_is_a_valid_page_for_everyone(client: Client) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="en"' in html and 'dir="ltr"' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "No plan has been published" in html


def test_arabic_pages_are_right_to_left(client: Client) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'lang="ar" dir="rtl"' in html


def test_language_switcher_posts_to_set_language(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert '<label for="lang-select">' in html
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302


def test_draft_plans_are_hidden_from_the_public(client: Client) -> None:
    build_plan(code="nap-draft", status=PlanStatus.DRAFT)
    assert "nap-draft" not in client.get("/").content.decode()
    assert client.get("/plans/nap-draft/").status_code == 404


def test_draft_plans_are_shown_to_staff(staff_client: Client) -> None:
    build_plan(code="nap-draft", status=PlanStatus.DRAFT)
    assert "/plans/nap-draft/" in staff_client.get("/").content.decode()
    response = staff_client.get("/plans/nap-draft/")
    assert response.status_code == 200
    assert "only its members and staff can see it" in response.content.decode()


def test_a_draft_plan_is_read_by_its_members_and_nobody_else(client: Client) -> None:
    from wpsmonitor.accounts.models import PlanRole, Role

    built = build_plan(code="nap-draft", status=PlanStatus.DRAFT)
    member = get_user_model().objects.create_user("member")
    stranger = get_user_model().objects.create_user("stranger")
    PlanRole.objects.create(user=member, plan=built.plan, role=Role.VIEWER)
    client.force_login(stranger)
    assert client.get("/plans/nap-draft/").status_code == 404
    assert "/plans/nap-draft/" not in client.get("/").content.decode()
    client.force_login(member)
    assert client.get("/plans/nap-draft/").status_code == 200
    assert "/plans/nap-draft/" in client.get("/").content.decode()


def test_inactive_staff_do_not_see_drafts(client: Client) -> None:
    build_plan(code="nap-draft", status=PlanStatus.DRAFT)
    user = get_user_model().objects.create_user("gone", is_staff=True, is_active=False)
    client.force_login(user)
    assert client.get("/plans/nap-draft/").status_code == 404


def test_a_public_child_does_not_link_its_draft_parent(client: Client) -> None:
    parent = build_plan(code="nap-draft", status=PlanStatus.DRAFT)
    Plan.objects.create(
        code="lap-1",
        title="Local plan",
        kind=PlanKind.LOCAL,
        parent=parent.plan,
        area=parent.provinces[0],
        start=date(2025, 1, 1),
        end=date(2026, 12, 31),
        status=PlanStatus.ADOPTED,
    )
    for url in ("/", "/plans/lap-1/"):
        html = client.get(url).content.decode()
        assert "nap-draft" not in html and parent.plan.title not in html


def test_unknown_plan_is_404(client: Client) -> None:
    assert client.get("/plans/no-such-plan/").status_code == 404


def test_plan_page_shows_the_plan_facts(client: Client, small_plan: BuiltPlan) -> None:
    child = Plan.objects.create(
        code="lap-1",
        title="Local plan of Province 1",
        kind=PlanKind.LOCAL,
        parent=small_plan.plan,
        area=small_plan.provinces[0],
        start=date(2025, 1, 1),
        end=date(2026, 12, 31),
        status=PlanStatus.ADOPTED,
    )
    html = client.get("/plans/nap-3/").content.decode()
    for expected in (
        "National Action Plan nap-3",
        "National action plan (NAP)",
        "Democratic Republic of the Congo",
        "In implementation",
        "Ministry of Gender (MoG)",
        "National steering committee",
        "French, Lingala",
        "20 November 2023",
        child.title,
    ):
        assert expected in html
    child_html = client.get("/plans/lap-1/").content.decode()
    assert 'href="/plans/nap-3/"' in child_html


def test_staff_can_open_the_indicators_and_areas_of_a_draft(staff_client: Client) -> None:
    build_plan(code="nap-draft", status=PlanStatus.DRAFT)
    assert staff_client.get("/plans/nap-draft/indicators/IND-1-1-N/").status_code == 200
    assert staff_client.get("/plans/nap-draft/areas/").status_code == 200
