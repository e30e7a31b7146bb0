"""Editing and removing units, courses, sessions and deployments, and a deployment's
individuals (docs/security-sector.md, "Editing training and deployments"): who may, what is
refused (with the problem beside its field), what is never lost; the parity table's queries do
not grow with the deployments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.security.conftest import SecurityWorld, _user

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Organisation
from wpsmonitor.security import selectors, services
from wpsmonitor.security.models import (
    Course,
    Deployment,
    Participation,
    Personnel,
    SecurityInstitution,
    SecurityUnit,
    TrainingSession,
)

pytestmark = pytest.mark.django_db


@dataclass
class Training:
    inst: SecurityInstitution
    unit: SecurityUnit
    empty_unit: SecurityUnit
    course: Course
    empty_course: Course
    session: TrainingSession
    empty_session: TrainingSession
    individuals: Deployment
    counted: Deployment


def _training(sw: SecurityWorld) -> Training:
    inst = sw.institution()
    by = sw.users["coordinator"]
    unit = services.unit_create(by=by, institution=inst, name="FPU Kinshasa")
    empty_unit = services.unit_create(by=by, institution=inst, name="Typo unit")
    course = services.course_create(
        by=by, institution=inst, title="Gender in policing", topic="gender"
    )
    empty_course = services.course_create(by=by, institution=inst, title="Unused", topic="wps")
    session = services.session_create(
        by=by, course=course, starts_on=date(2025, 2, 3), ends_on=date(2025, 2, 7), phase="before"
    )
    empty_session = services.session_create(
        by=by, course=course, starts_on=date(2025, 5, 5), ends_on=date(2025, 5, 6), phase="during"
    )
    for i in range(4):
        services.participant_record(
            by=by,
            session=session,
            service_number=f"SN-{i}",
            sex="F" if i % 2 else "M",
            rank="or_other",
            unit=unit,
            pre_score=40,
            post_score=70,
        )
    individuals = services.deployment_create(
        by=by,
        institution=inst,
        unit=unit,
        mission="MONUSCO",
        category="fpu",
        starts_on=date(2025, 4, 1),
        service_numbers=["SN-0", "SN-1"],
    )
    counted = services.deployment_create(
        by=by,
        institution=inst,
        mission="MINUSCA",
        category="contingent",
        starts_on=date(2025, 6, 1),
        women=10,
        men=90,
        women_trained=5,
        men_trained=50,
    )
    return Training(
        inst, unit, empty_unit, course, empty_course, session, empty_session, individuals, counted
    )


def _cso_member(sw: SecurityWorld) -> User:
    cso = Organisation.objects.create(code="afem", name="Women's league", type="civil_society")
    user = _user("cso_member")
    PlanRole.objects.create(user=user, plan=sw.plan, role=Role.MONITOR, organisation=cso)
    return user


def _who(sw: SecurityWorld, name: str) -> User | AnonymousUser:
    if name == "anonymous":
        return AnonymousUser()
    if name == "cso_member":
        return _cso_member(sw)
    return sw.users[name]


# Each edit or removal, as a service call that succeeds for whoever may do it.
EDITS: dict[str, Callable[[User, Training], object]] = {
    "unit_update": lambda by, t: services.unit_update(by=by, unit=t.unit, name="FPU 2"),
    "unit_remove": lambda by, t: services.unit_remove(by=by, unit=t.empty_unit),
    "course_update": lambda by, t: services.course_update(
        by=by, course=t.course, title="Gender", topic="wps"
    ),
    "course_remove": lambda by, t: services.course_remove(by=by, course=t.empty_course),
    "session_update": lambda by, t: services.session_update(
        by=by,
        session=t.session,
        starts_on=date(2025, 2, 3),
        ends_on=date(2025, 2, 8),
        phase="before",
    ),
    "session_remove": lambda by, t: services.session_remove(by=by, session=t.empty_session),
    "deployment_update": lambda by, t: services.deployment_update(
        by=by,
        deployment=t.counted,
        mission="MINUSCA",
        category="contingent",
        starts_on=date(2025, 6, 1),
        women=12,
        men=88,
    ),
    "deployment_remove": lambda by, t: services.deployment_remove(by=by, deployment=t.counted),
    "members_add": lambda by, t: services.deployment_members_add(
        by=by, deployment=t.individuals, service_numbers=["SN-2"]
    ),
    "member_remove": lambda by, t: services.deployment_member_remove(
        by=by, deployment=t.individuals, service_number="SN-1"
    ),
}

WHO = [
    ("coordinator", True),
    ("police_focal", True),  # a focal point of the institution's organisation (area P1)
    ("army_focal", False),  # a focal point of another organisation
    ("cso_member", False),
    ("viewer", False),
    ("anonymous", False),
]


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize(("who", "may"), WHO)
def test_rights_for_every_edit_and_removal(
    sw: SecurityWorld, edit: str, who: str, may: bool
) -> None:
    t = _training(sw)
    by = _who(sw, who)
    before = (
        SecurityUnit.objects.count(),
        list(SecurityUnit.objects.values_list("name", flat=True).order_by("name")),
        list(Course.objects.values_list("title", "topic").order_by("pk")),
        list(TrainingSession.objects.values_list("ends_on", flat=True).order_by("pk")),
        list(Deployment.objects.values_list("women", "men").order_by("pk")),
        sorted(t.individuals.members.values_list("service_number", flat=True)),
    )
    if may:
        EDITS[edit](by, t)  # type: ignore[arg-type]
    else:
        with pytest.raises(PermissionDenied):
            EDITS[edit](by, t)  # type: ignore[arg-type]
    after = (
        SecurityUnit.objects.count(),
        list(SecurityUnit.objects.values_list("name", flat=True).order_by("name")),
        list(Course.objects.values_list("title", "topic").order_by("pk")),
        list(TrainingSession.objects.values_list("ends_on", flat=True).order_by("pk")),
        list(Deployment.objects.values_list("women", "men").order_by("pk")),
        sorted(t.individuals.members.values_list("service_number", flat=True)),
    )
    assert (after != before) is may


PAGES = [
    ("security:unit_edit", "unit"),
    ("security:unit_delete", "empty_unit"),
    ("security:course_edit", "course"),
    ("security:course_delete", "empty_course"),
    ("security:session_edit", "session"),
    ("security:session_delete", "empty_session"),
    ("security:deployment_edit", "individuals"),
    ("security:deployment_delete", "counted"),
]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("police_focal", 200),
        ("army_focal", 403),
        ("cso_member", 403),
        ("viewer", 403),
        ("anonymous", 302),
    ],
)
def test_edit_and_removal_pages_by_role(sw: SecurityWorld, who: str, status: int) -> None:
    t = _training(sw)
    client = Client()
    user = _who(sw, who)
    if isinstance(user, User):
        client.force_login(user)
    for name, attribute in PAGES:
        url = reverse(name, args=[sw.plan.code, t.inst.code, getattr(t, attribute).pk])
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert "/accounts/" in response["Location"] or "login" in response["Location"]
        # A POST by someone who may not is refused the same way, and changes nothing.
        if status != 200:
            assert client.post(url, {}).status_code == status, url
    assert SecurityUnit.objects.count() == 2 and Deployment.objects.count() == 2


def _coordinator(sw: SecurityWorld) -> Client:
    client = Client()
    client.force_login(sw.users["coordinator"])
    return client


def test_the_edit_pages_save_and_show_problems_beside_fields(sw: SecurityWorld) -> None:
    t = _training(sw)
    client = _coordinator(sw)
    code, inst = sw.plan.code, t.inst.code
    # The page starts from what is stored.
    page = client.get(reverse("security:session_edit", args=[code, inst, t.session.pk]))
    assert 'value="2025-02-07"' in page.content.decode()
    # End before start: refused beside the last day, nothing changed.
    url = reverse("security:session_edit", args=[code, inst, t.session.pk])
    page = client.post(url, {"starts_on": "2025-02-03", "ends_on": "2025-02-01", "phase": "before"})
    text = page.content.decode()
    assert page.status_code == 400
    assert 'id="f-ends_on-error"' in text and 'href="#f-ends_on"' in text
    t.session.refresh_from_db()
    assert t.session.ends_on == date(2025, 2, 7)
    # A correct change is saved and goes back to the session.
    page = client.post(
        url,
        {"starts_on": "2025-01-06", "ends_on": "2025-01-10", "phase": "before", "place": "Goma"},
    )
    assert page.status_code == 302
    t.session.refresh_from_db()
    assert (t.session.starts_on, t.session.ends_on, t.session.place) == (
        date(2025, 1, 6),
        date(2025, 1, 10),
        "Goma",
    )
    # The unit's name already used.
    page = client.post(
        reverse("security:unit_edit", args=[code, inst, t.unit.pk]), {"name": "Typo unit"}
    )
    assert page.status_code == 400 and 'id="f-name-error"' in page.content.decode()
    # The deployment: end before start.
    page = client.post(
        reverse("security:deployment_edit", args=[code, inst, t.counted.pk]),
        {
            "mission": "MINUSCA",
            "category": "contingent",
            "starts_on": "2025-06-01",
            "ends_on": "2025-05-01",
            "women": "10",
            "men": "90",
        },
    )
    assert page.status_code == 400 and 'id="f-ends_on-error"' in page.content.decode()


def test_the_pages_link_to_the_edit_pages_for_those_who_may(sw: SecurityWorld) -> None:
    t = _training(sw)
    code, inst = sw.plan.code, t.inst.code
    links = {
        reverse("security:training", args=[code, inst]): [
            reverse("security:unit_edit", args=[code, inst, t.unit.pk]),
            reverse("security:course_edit", args=[code, inst, t.course.pk]),
        ],
        reverse("security:session", args=[code, inst, t.session.pk]): [
            reverse("security:session_edit", args=[code, inst, t.session.pk])
        ],
        reverse("security:deployment", args=[code, inst, t.individuals.pk]): [
            reverse("security:deployment_edit", args=[code, inst, t.individuals.pk])
        ],
    }
    viewer = Client()
    viewer.force_login(sw.users["viewer"])
    for page, targets in links.items():
        mine = _coordinator(sw).get(page).content.decode()
        theirs = viewer.get(page).content.decode()
        for target in targets:
            assert target in mine and target not in theirs


def test_session_dates_change_who_was_trained_before_deployment(sw: SecurityWorld) -> None:
    t = _training(sw)
    by = sw.users["coordinator"]
    assert selectors.deployed(t.individuals).trained == 2
    # The session now ends on the day the deployment starts: it no longer counts.
    services.session_update(
        by=by,
        session=t.session,
        starts_on=date(2025, 3, 28),
        ends_on=date(2025, 4, 1),
        phase="before",
    )
    assert selectors.deployed(t.individuals).trained == 0
    # Nor does a session of another phase.
    services.session_update(
        by=by,
        session=t.session,
        starts_on=date(2025, 2, 3),
        ends_on=date(2025, 2, 7),
        phase="garrison",
    )
    assert selectors.deployed(t.individuals).trained == 0
    assert Participation.objects.filter(session=t.session).count() == 4  # scores stay


def test_a_follow_up_stays_after_the_session(sw: SecurityWorld) -> None:
    t = _training(sw)
    by = sw.users["coordinator"]
    first = Participation.objects.filter(session=t.session).first()
    assert first is not None
    services.follow_up_record(
        by=by, participation=first, evaluated_on=date(2025, 3, 1), score=60, evaluated_by="HQ"
    )
    with pytest.raises(ValidationError) as refused:
        services.session_update(
            by=by,
            session=t.session,
            starts_on=date(2025, 2, 3),
            ends_on=date(2025, 3, 5),
            phase="before",
        )
    assert "ends_on" in refused.value.message_dict


def test_removals_that_would_lose_scores_or_units_are_refused(sw: SecurityWorld) -> None:
    t = _training(sw)
    by = sw.users["coordinator"]
    with pytest.raises(ValidationError, match="1 session|2 sessions"):
        services.course_remove(by=by, course=t.course)
    with pytest.raises(ValidationError, match="4 participants"):
        services.session_remove(by=by, session=t.session)
    with pytest.raises(ValidationError, match="4 personnel records"):
        services.unit_remove(by=by, unit=t.unit)
    Personnel.objects.update(unit=None)
    with pytest.raises(ValidationError, match="deployment names it"):
        services.unit_remove(by=by, unit=t.unit)
    assert Course.objects.count() == 2 and TrainingSession.objects.count() == 2
    assert Participation.objects.count() == 4 and SecurityUnit.objects.count() == 2
    # Empty ones go.
    services.session_remove(by=by, session=t.empty_session)
    services.course_remove(by=by, course=t.empty_course)
    services.unit_remove(by=by, unit=t.empty_unit)
    assert (
        Course.objects.count(),
        TrainingSession.objects.count(),
        SecurityUnit.objects.count(),
    ) == (
        1,
        1,
        1,
    )


def test_removing_a_course_with_sessions_through_the_page(sw: SecurityWorld) -> None:
    t = _training(sw)
    client = _coordinator(sw)
    url = reverse("security:course_delete", args=[sw.plan.code, t.inst.code, t.course.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Gender in policing" in page.content.decode()
    response = client.post(url, follow=True)
    assert "The course is not removed" in response.content.decode()
    assert Course.objects.filter(pk=t.course.pk).exists()
    url = reverse("security:course_delete", args=[sw.plan.code, t.inst.code, t.empty_course.pk])
    assert client.post(url).status_code == 302
    assert not Course.objects.filter(pk=t.empty_course.pk).exists()


def test_removing_a_deployment_keeps_the_people_and_their_training(sw: SecurityWorld) -> None:
    t = _training(sw)
    client = _coordinator(sw)
    url = reverse("security:deployment_delete", args=[sw.plan.code, t.inst.code, t.individuals.pk])
    assert client.post(url).status_code == 302
    assert not Deployment.objects.filter(pk=t.individuals.pk).exists()
    assert Personnel.objects.count() == 4 and Participation.objects.count() == 4


def test_adding_and_taking_out_individuals(sw: SecurityWorld) -> None:
    t = _training(sw)
    client = _coordinator(sw)
    code, inst = sw.plan.code, t.inst.code
    add = reverse("security:deployment_members", args=[code, inst, t.individuals.pk])
    # An unknown service number refuses the whole list, beside the field.
    page = client.post(add, {"service_numbers": "SN-2, SN-99"})
    text = page.content.decode()
    assert page.status_code == 400
    assert 'id="f-service_numbers-error"' in text and "SN-99" in text
    assert t.individuals.members.count() == 2
    # Already deployed: refused.
    page = client.post(add, {"service_numbers": "SN-0"})
    assert page.status_code == 400 and "Already in this deployment: SN-0" in page.content.decode()
    # Known ones are added; the parity figures follow.
    assert client.post(add, {"service_numbers": "SN-2 SN-3"}).status_code == 302
    sent = selectors.deployed(t.individuals)
    assert (sent.women, sent.men, sent.trained) == (2, 2, 4)
    remove = reverse("security:deployment_member_remove", args=[code, inst, t.individuals.pk])
    assert client.post(remove, {"service_number": "SN-3"}).status_code == 302
    assert sorted(t.individuals.members.values_list("service_number", flat=True)) == [
        "SN-0",
        "SN-1",
        "SN-2",
    ]
    page = client.post(remove, {"service_number": "SN-3"})
    assert page.status_code == 400 and "SN-3 is not in this deployment" in page.content.decode()
    assert Personnel.objects.filter(service_number="SN-3").exists()


def test_a_huge_list_of_service_numbers_is_refused_before_any_lookup(sw: SecurityWorld) -> None:
    t = _training(sw)
    numbers = [f"X-{i}" for i in range(services.MAX_MEMBERS_ADDED + 1)]
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as refused:
        services.deployment_members_add(
            by=sw.users["coordinator"], deployment=t.individuals, service_numbers=numbers
        )
    assert "service_numbers" in refused.value.message_dict
    assert not any("personnel" in q["sql"] for q in queries.captured_queries)
    assert t.individuals.members.count() == 2


def test_individuals_and_counts_stay_apart(sw: SecurityWorld) -> None:
    t = _training(sw)
    by = sw.users["coordinator"]
    with pytest.raises(ValidationError) as refused:
        services.deployment_members_add(by=by, deployment=t.counted, service_numbers=["SN-2"])
    assert "service_numbers" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.deployment_update(
            by=by,
            deployment=t.individuals,
            mission="MONUSCO",
            category="fpu",
            starts_on=date(2025, 4, 1),
            women=3,
            men=3,
        )
    with pytest.raises(ValidationError) as refused:
        services.deployment_update(
            by=by,
            deployment=t.counted,
            mission="MINUSCA",
            category="contingent",
            starts_on=date(2025, 6, 1),
            women=10,
            men=90,
            women_trained=11,
        )
    assert "women_trained" in refused.value.message_dict
    # The last individual is not taken out: the deployment is removed instead.
    services.deployment_member_remove(by=by, deployment=t.individuals, service_number="SN-1")
    with pytest.raises(ValidationError, match="only individual"):
        services.deployment_member_remove(by=by, deployment=t.individuals, service_number="SN-0")
    # A unit of another institution is refused.
    other = sw.institution("FARDC", kind="army")
    stranger = services.unit_create(by=by, institution=other, name="Battalion")
    with pytest.raises(ValidationError) as refused:
        services.deployment_update(
            by=by,
            deployment=t.individuals,
            mission="MONUSCO",
            category="fpu",
            starts_on=date(2025, 4, 1),
            unit=stranger,
        )
    assert "unit" in refused.value.message_dict


def test_editing_a_counted_deployment_changes_the_parity_row(sw: SecurityWorld) -> None:
    t = _training(sw)
    services.deployment_update(
        by=sw.users["police_focal"],
        deployment=t.counted,
        mission="MINUSCA",
        category="contingent",
        starts_on=date(2026, 6, 1),
        women=15,
        men=85,
        women_trained=15,
        men_trained=5,
    )
    rows = {(r.year, r.category): r for r in selectors.parity(sw.plan, t.inst)}
    assert (2025, "contingent") not in rows
    row = rows[(2026, "contingent")]
    assert (row.women, row.men, row.trained, row.share) == (15, 85, 20, 0.15)


def _deploy_many(sw: SecurityWorld, inst: SecurityInstitution, count: int) -> None:
    by = sw.users["coordinator"]
    for i in range(count):
        services.deployment_create(
            by=by,
            institution=inst,
            mission=f"M{i}",
            category="fpu" if i % 2 else "ipo",
            starts_on=date(2024 + i % 2, 4, 1),
            service_numbers=["SN-0", "SN-1", "SN-2"],
        )
        services.deployment_create(
            by=by,
            institution=inst,
            mission=f"C{i}",
            category="contingent",
            starts_on=date(2025, 4, 1),
            women=1,
            men=9,
        )


def test_the_parity_table_reads_a_fixed_number_of_queries(sw: SecurityWorld) -> None:
    t = _training(sw)
    with CaptureQueriesContext(connection) as few:
        small = selectors.parity(sw.plan)
    _deploy_many(sw, t.inst, 12)
    with CaptureQueriesContext(connection) as many:
        large = selectors.parity(sw.plan)
    assert len(many.captured_queries) == len(few.captured_queries) <= 2
    # The figures are still right: 12 more deployments of 3 individuals, half in 2024.
    assert sum(r.total for r in large) == sum(r.total for r in small) + 12 * 3 + 12 * 10
    fpu_2025 = next(r for r in large if (r.year, r.category) == (2025, "fpu"))
    # SN-0 (M) and SN-1 (F) of the first deployment, plus 6 deployments of SN-0..2 (2 M, 1 F).
    assert (fpu_2025.women, fpu_2025.men, fpu_2025.trained) == (1 + 6, 1 + 12, 2 + 18)


def test_the_deployments_page_reads_a_fixed_number_of_queries(sw: SecurityWorld) -> None:
    t = _training(sw)
    client = _coordinator(sw)
    url = reverse("security:deployments", args=[sw.plan.code, t.inst.code])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _deploy_many(sw, t.inst, 10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
