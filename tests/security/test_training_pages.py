"""The training and deployment pages, the roster upload and the API: who reads what. Service
numbers and per-person rows are read by the plan's members only; the public reads aggregates
after disclosure control."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.security.conftest import SecurityWorld

from wpsmonitor.security import services
from wpsmonitor.security.models import Participation, SecurityInstitution, TrainingSession

pytestmark = pytest.mark.django_db


def _client(sw: SecurityWorld, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(sw.users[who])
    return client


def _trained(sw: SecurityWorld, people: int = 3) -> tuple[SecurityInstitution, TrainingSession]:
    inst = sw.institution()
    coordinator = sw.users["coordinator"]
    unit = services.unit_create(by=coordinator, institution=inst, name="FPU Kinshasa")
    course = services.course_create(
        by=coordinator, institution=inst, title="Gender in policing", topic="gender"
    )
    session = services.session_create(
        by=coordinator,
        course=course,
        starts_on=date(2025, 2, 3),
        ends_on=date(2025, 2, 7),
        phase="before",
        area=sw.world.areas["D11"],
    )
    for i in range(people):
        services.participant_record(
            by=coordinator,
            session=session,
            service_number=f"SN-7{i:03d}",
            sex="F" if i % 2 else "M",
            rank="or_other",
            unit=unit,
            pre_score=40,
            post_score=70,
        )
    if not people:
        return inst, session
    services.deployment_create(
        by=coordinator,
        institution=inst,
        unit=unit,
        mission="MONUSCO",
        category="fpu",
        starts_on=date(2025, 4, 1),
        service_numbers=[f"SN-7{i:03d}" for i in range(people)],
    )
    return inst, session


@pytest.mark.parametrize(
    ("who", "sees"),
    [("coordinator", True), ("viewer", True), ("outsider", False), ("anonymous", False)],
)
def test_service_numbers_only_for_members(sw: SecurityWorld, who: str, sees: bool) -> None:
    inst, session = _trained(sw)
    client = _client(sw, who)
    code = sw.plan.code
    pages = [
        reverse("security:training", args=[code, inst.code]),
        reverse("security:session", args=[code, inst.code, session.pk]),
        reverse("security:deployments", args=[code, inst.code]),
        reverse("security:deployment", args=[code, inst.code, inst.deployments.get().pk]),
    ]
    # The session's roster and the deployment's individuals carry service numbers.
    listing = {pages[1], pages[3]}
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert ("SN-7000" in page.content.decode()) is (sees and url in listing), url
    session_page = client.get(pages[1]).content.decode()
    assert ("SN-7001" in session_page) is sees


def test_public_figures_suppress_small_counts(sw: SecurityWorld) -> None:
    _trained(sw, people=3)  # 3 people, below the threshold
    page = _client(sw, "anonymous").get(reverse("security:training_figures", args=[sw.plan.code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "SN-7" not in text
    assert "fewer than" in text
    # The mean gain of 3 people (30.0) is not published.
    assert "30.0" not in text


def test_the_institution_page_links_training_and_deployments(sw: SecurityWorld) -> None:
    inst = sw.institution()
    page = _client(sw, "anonymous").get(
        reverse("security:institution", args=[sw.plan.code, inst.code])
    )
    text = page.content.decode()
    assert reverse("security:training", args=[sw.plan.code, inst.code]) in text
    assert reverse("security:deployments", args=[sw.plan.code, inst.code]) in text


def test_roster_upload_refused_whole_then_stored(sw: SecurityWorld) -> None:
    inst, session = _trained(sw, people=0)
    url = reverse("security:roster_upload", args=[sw.plan.code, inst.code, session.pk])
    bad = SimpleUploadedFile(
        "roster.csv", b"service_number,sex,rank\nA1,F,or_other\nA2,Q,or_other\n"
    )
    page = _client(sw, "police_focal").post(url, {"file": bad})
    assert page.status_code == 400
    assert "roster.csv:3:sex:" in page.content.decode()
    assert not Participation.objects.filter(session=session).exists()
    good = SimpleUploadedFile("roster.csv", b"service_number,sex,rank\nA1,F,or_other\n")
    page = _client(sw, "police_focal").post(url, {"file": good})
    assert page.status_code == 302
    assert Participation.objects.filter(session=session).count() == 1


def test_entering_is_refused_to_others(sw: SecurityWorld) -> None:
    inst, session = _trained(sw, people=0)
    code = sw.plan.code
    for who, status in (("viewer", 403), ("army_focal", 403)):
        response = _client(sw, who).post(
            reverse("security:course_new", args=[code, inst.code]),
            {"title": "X", "topic": "wps"},
        )
        assert response.status_code == status
    response = _client(sw, "anonymous").post(
        reverse("security:course_new", args=[code, inst.code]), {"title": "X", "topic": "wps"}
    )
    assert response.status_code == 302  # to sign in
    assert inst.courses.count() == 1


def test_forms_show_problems_beside_fields(sw: SecurityWorld) -> None:
    inst, session = _trained(sw, people=0)
    code = sw.plan.code
    client = _client(sw, "coordinator")
    page = client.post(
        reverse("security:session_new", args=[code, inst.code]),
        {"course": session.course_id, "starts_on": "2025-03-10", "ends_on": "2025-03-01"},
    )
    assert page.status_code == 400
    assert 'id="f-ends_on-error"' in page.content.decode()
    page = client.post(
        reverse("security:deployment_new", args=[code, inst.code]),
        {"mission": "MONUSCO", "category": "fpu", "starts_on": "2025-03-10", "women": "3"},
    )
    assert page.status_code == 400
    assert 'id="f-men-error"' in page.content.decode()
    page = client.post(
        reverse("security:deployment_new", args=[code, inst.code]),
        {
            "mission": "MONUSCO",
            "category": "fpu",
            "starts_on": "2025-03-10",
            "women": "3",
            "men": "30",
        },
    )
    assert page.status_code == 302


def test_the_api_gives_aggregates_and_suppresses_for_outsiders(sw: SecurityWorld) -> None:
    _trained(sw, people=3)
    path = f"/api/v1/plans/{sw.plan.code}/security/training"
    member = _client(sw, "viewer").get(path).json()
    assert member["disclosure_control"] is False
    whole = [r for r in member["impact"] if r["unit"] is None][0]
    assert whole["participants"] == 3 and whole["mean_gain"] == 30
    assert member["parity"][0]["category"] == "fpu" and member["parity"][0]["trained_share"] == 1
    outsider = _client(sw, "outsider").get(path).json()
    assert outsider["disclosure_control"] is True
    whole = [r for r in outsider["impact"] if r["unit"] is None][0]
    assert whole["participants"] is None and whole["mean_gain"] is None
    assert outsider["parity"][0]["women"] is None
    assert "SN-7" not in str(member) + str(outsider)
