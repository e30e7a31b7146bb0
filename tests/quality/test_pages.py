"""The quality page, the cross-plan page, their downloads, rights and query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.plans.models import Plan, PlanStatus
from wpsmonitor.quality import scoring as quality

from .conftest import PASSWORD, World, build_empty, build_full, national


def _client(world: World, role: str | None) -> Client:
    client = Client()
    if role:
        # Through the sign-in form: axes counts sign-ins per request (Client.login has none).
        signed_in = client.post("/accounts/login/", {"username": role, "password": PASSWORD})
        assert signed_in.status_code == 302
    return client


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_quality_page_shows_score_reasons_and_missing(world: World) -> None:
    build_full(world)
    response = _client(world, None).get("/plans/q-full/quality/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Score: 13.45 of 16 points (84%)." in html
    assert "1 of 5 actions has no responsible institution." in html
    assert 'id="missing-responsible"' in html and "Include women in the small arms" in html
    assert 'href="/plans/q-full/quality/#missing-responsible"' in html
    # Text beside the colour of every result, and tables headed for screen readers.
    assert '>Partly met</span> <span class="small">(80%)</span>' in html
    assert '<th scope="col">' in html and '<th scope="row">' in html
    # Readers do not get the form; the coordinator does.
    assert 'name="me_description"' not in html
    coordinator_html = _client(world, "coordinator").get("/plans/q-full/quality/").content
    assert b'name="me_description"' in coordinator_html


def test_quality_page_downloads(world: World) -> None:
    build_full(world)
    client = _client(world, None)
    rows = _csv(client.get("/plans/q-full/quality/?download=csv&table=criteria"))
    assert rows[0][:5] == ["Criterion", "Group", "Title", "Result", "Points"]
    by_key = {r[0]: r for r in rows[1:]}
    assert by_key["financing"][3:5] == ["Partly met", "0.6"]
    missing = _csv(client.get("/plans/q-full/quality/?download=csv&table=missing"))
    assert ["baselines_targets", "indicator", "I2", "Women in parliament", "no target"] in missing
    assert client.get("/plans/q-full/quality/?download=csv&table=nope").status_code == 404
    xlsx = client.get("/plans/q-full/quality/?download=xlsx&table=criteria")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_draft_plan_page_hidden_from_outsiders(world: World) -> None:
    plan = build_full(world)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    assert _client(world, None).get("/plans/q-full/quality/").status_code == 404
    assert _client(world, "outsider").get("/plans/q-full/quality/").status_code == 404
    assert _client(world, "viewer").get("/plans/q-full/quality/").status_code == 200
    assert _client(world, "staff").get("/plans/q-full/quality/").status_code == 200
    assert _client(world, None).get("/plans/nope/quality/").status_code == 404


def test_coordinator_edits_what_the_plan_says(world: World) -> None:
    plan = build_full(world)
    client = _client(world, "coordinator")
    response = client.post(
        "/plans/q-full/quality/edit/",
        {
            "me_description": "  Quarterly reviews.  ",
            "civil_society_roles": ["implementation", "design", "monitoring"],
            "alignment_references": ["sdg"],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/plans/q-full/quality/#profile"
    plan.refresh_from_db()
    assert plan.me_description == "Quarterly reviews."
    assert plan.civil_society_roles == ["design", "implementation", "monitoring"]
    assert plan.alignment_references == ["sdg"]
    card = quality.plan_scorecard(plan)
    assert card.criterion("civil_society").fraction == 1
    # CEDAW no longer declared, and no indicator refers to cedaw-gr30: half the point.
    assert card.criterion("alignment").fraction == 0.5


def test_bad_input_is_refused_and_nothing_changes(world: World) -> None:
    plan = build_full(world)
    client = _client(world, "coordinator")
    response = client.post(
        "/plans/q-full/quality/edit/",
        {"me_description": "Changed", "civil_society_roles": ["design", "lobbying"]},
        follow=True,
    )
    assert "Unknown civil-society stage lobbying; use design, implementation, monitoring." in (
        response.content.decode()
    )
    plan.refresh_from_db()
    assert plan.me_description.startswith("A steering committee")
    assert plan.civil_society_roles == ["design", "monitoring"]


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("monitor", 403), ("outsider", 403)])
def test_only_coordinators_edit(world: World, role: str, status: int) -> None:
    build_full(world)
    response = _client(world, role).post("/plans/q-full/quality/edit/", {"me_description": "x"})
    assert response.status_code == status
    assert Plan.objects.get(code="q-full").me_description.startswith("A steering committee")


def test_anonymous_edit_goes_to_sign_in(world: World) -> None:
    build_full(world)
    response = _client(world, None).post("/plans/q-full/quality/edit/", {"me_description": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_compare_page_statistics_and_list(world: World) -> None:
    build_full(world)  # also creates q-full-nbo (adopted) and q-full-draft (draft, local)
    national(world, "q-other", document_url="https://example.org/other.pdf")
    response = _client(world, None).get("/plans/compare/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 plans compared" in html
    assert "q-full-draft" not in html  # a draft is hidden from anonymous visitors
    rows = _csv(_client(world, None).get("/plans/compare/?download=csv&table=statistics"))
    stats = {r[0]: r[2:] for r in rows[1:]}
    # applicable, met, partly, not met, share met: by hand over q-full, q-full-nbo, q-other.
    assert stats["budget"] == ["3", "1", "0", "2", "33.3"]
    assert stats["public"] == ["3", "2", "1", "0", "66.7"]  # q-full-nbo has no document
    assert stats["localisation"] == ["2", "1", "0", "1", "50"]  # national plans only
    assert stats["disarmament"] == ["3", "1", "0", "2", "33.3"]
    plans = _csv(_client(world, None).get("/plans/compare/?download=csv&table=plans"))
    assert [r[0] for r in plans[1:]] == ["q-full", "q-full-nbo", "q-other"]
    assert plans[1][4:6] == ["13.45", "16"]


def test_compare_page_filter_and_members_see_drafts(world: World) -> None:
    build_full(world)
    empty = build_empty(world)  # a draft national plan
    html = _client(world, None).get("/plans/compare/?kind=local").content.decode()
    assert "1 plan compared" in html  # q-full-nbo; the local draft is hidden
    staff = _client(world, "staff").get("/plans/compare/").content.decode()
    assert "4 plans compared" in staff
    viewer = _client(world, "viewer")
    assert "2 plans compared" in viewer.get("/plans/compare/").content.decode()
    PlanRole.objects.create(user=world.users["viewer"], plan=empty, role=Role.VIEWER)
    html = viewer.get("/plans/compare/").content.decode()
    assert "3 plans compared" in html and "Plan q-empty" in html


def test_compare_page_makes_a_fixed_number_of_queries(world: World) -> None:
    build_full(world, "q-a")
    client = _client(world, None)
    client.get("/plans/compare/")  # warm up (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/plans/compare/").status_code == 200
    build_full(world, "q-b")
    build_full(world, "q-c")
    national(world, "q-d")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/plans/compare/").status_code == 200
    assert len(many) == len(few) <= 12


def test_single_plan_page_query_count_does_not_grow_with_the_plan(world: World) -> None:
    from .conftest import action, branch

    plan = build_full(world)
    client = _client(world, None)
    client.get("/plans/q-full/quality/")
    with CaptureQueriesContext(connection) as before:
        client.get("/plans/q-full/quality/")
    output = branch(plan, "EXT", "participation")
    for i in range(20):
        action(plan, output, f"X{i}", "More work")
    with CaptureQueriesContext(connection) as after:
        client.get("/plans/q-full/quality/")
    assert len(after) == len(before)
