"""The reporting pages as a browser without JavaScript uses them: plain forms and redirects."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.hardening.photos import photo_with_gps
from tests.reporting.conftest import Cycle
from tests.reporting.helpers import field

from wpsmonitor.reporting import selectors, services
from wpsmonitor.reporting.models import Evidence, Submission, SubmissionStatus


def signed_in(cycle: Cycle, name: str) -> Client:
    client = Client()
    client.force_login(cycle.users[name])
    return client


@pytest.fixture
def focal(cycle: Cycle) -> Client:
    return signed_in(cycle, "focal")


def _start(client: Client, cycle: Cycle) -> Submission:
    response = client.post(
        f"/plans/{cycle.plan.code}/reporting/2025Q1/start/",
        {"organisation": cycle.built.ministry.code, "area": cycle.province.code},
    )
    assert response.status_code == 302
    submission = Submission.objects.get(organisation=cycle.built.ministry, area=cycle.province)
    assert response["Location"] == f"/submissions/{submission.pk}/edit/"
    return submission


def test_the_todo_list_shows_what_is_owed_with_its_deadline(cycle: Cycle, focal: Client) -> None:
    page = focal.get("/reporting/").content.decode()
    assert "2025Q1" in page
    assert "Ministry of Gender" in page and "Province 1" in page
    assert "Province 2" not in page  # another focal point's area
    assert "Start" in page


def test_sign_in_page_and_redirect_to_what_to_do_now(cycle: Cycle) -> None:
    client = Client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    response = client.post(
        "/accounts/login/", {"username": "focal", "password": "a long test passphrase"}
    )
    assert response.status_code == 302 and response["Location"] == "/me/"
    wrong = Client().post("/accounts/login/", {"username": "focal", "password": "nope"})
    assert wrong.status_code == 200 and "correct username and password" in wrong.content.decode()


def test_a_wrong_cell_is_shown_next_to_it_and_nothing_typed_is_lost(
    cycle: Cycle, focal: Client
) -> None:
    submission = _start(focal, cycle)
    good, bad = field(cycle.grid, "sex=F;age=18-29"), field(cycle.grid, "sex=M;age=18-29")
    response = focal.post(
        f"/submissions/{submission.pk}/edit/", {good: "12", bad: "-3", "do": "save"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "a count cannot be negative" in page
    assert f'id="{bad}" name="{bad}" value="-3"' in page  # as typed, for correction
    assert 'aria-invalid="true"' in page and f'href="#{bad}"' in page  # error summary link
    assert [v.value for v in submission.values.all()] == [12.0]  # the good cell was saved


def test_submit_then_return_shows_the_note_to_the_author(
    cycle: Cycle,
    focal: Client,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    submission = _start(focal, cycle)
    cell = field(cycle.grid, "sex=F;age=18-29")
    response = focal.post(
        f"/submissions/{submission.pk}/edit/", {cell: "12", "do": "submit", "confirm": "yes"}
    )
    assert response.status_code == 302 and response["Location"] == f"/submissions/{submission.pk}/"
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    # Submitted: the edit page now shows the read-only submission.
    assert focal.get(f"/submissions/{submission.pk}/edit/").status_code == 302

    coordinator = signed_in(cycle, "coordinator")
    review = coordinator.get(f"/submissions/{submission.pk}/").content.decode()
    assert "Return for revision" in review and "Approve" in review
    refused = coordinator.post(f"/submissions/{submission.pk}/decide/", {"do": "return"})
    assert refused.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED  # a note is required
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(
            f"/submissions/{submission.pk}/decide/", {"do": "return", "note": "Check women 18-29"}
        )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    page = focal.get(f"/submissions/{submission.pk}/edit/").content.decode()
    assert "Check women 18-29" in page


def test_autosave_answers_json_with_the_cells_it_refused(cycle: Cycle, focal: Client) -> None:
    submission = _start(focal, cycle)
    good, bad = field(cycle.grid, "sex=F;age=18-29"), field(cycle.grid, "sex=M;age=18-29")
    response = focal.post(
        f"/submissions/{submission.pk}/edit/",
        {good: "3", bad: "x", "do": "save"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] == 1
    assert list(body["problems"]) == [bad.removeprefix("v-")]


def test_evidence_is_checked_by_its_bytes_and_served_only_to_those_who_see_it(
    cycle: Cycle, focal: Client
) -> None:
    submission = _start(focal, cycle)
    url = f"/submissions/{submission.pk}/evidence/"
    disguised = SimpleUploadedFile(
        "report.pdf", b"<html><script>alert(1)</script>", "application/pdf"
    )
    focal.post(url, {"file": disguised})
    assert not Evidence.objects.exists()
    # A real picture: photos are re-written without their metadata, so they must be readable.
    photo = SimpleUploadedFile("../../etc/photo.png", photo_with_gps("PNG"), "image/png")
    focal.post(url, {"file": photo, "description": "Training session"})
    (item,) = Evidence.objects.all()
    assert item.filename == "photo.png" and item.content_type == "image/png"
    assert "photo" not in item.file.name  # stored under a random name
    download = focal.get(f"/evidence/{item.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    assert signed_in(cycle, "police_focal").get(f"/evidence/{item.pk}/").status_code == 404


def test_an_oversized_file_is_refused(cycle: Cycle, focal: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_MAX_BYTES = 100
    submission = _start(focal, cycle)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 200, "application/pdf")
    response = focal.post(f"/submissions/{submission.pk}/evidence/", {"file": big}, follow=True)
    assert "larger than" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_coordinator_opens_and_closes_rounds_from_the_plan_page(cycle: Cycle) -> None:
    coordinator = signed_in(cycle, "coordinator")
    url = f"/plans/{cycle.plan.code}/reporting/rounds/"
    bad = coordinator.post(
        url, {"do": "open", "period": "2025Q9", "deadline": "2025-07-01"}, follow=True
    )
    assert "2025Q9" in bad.content.decode()  # the period code error is shown
    coordinator.post(url, {"do": "open", "period": "2025Q2", "deadline": "2025-07-15"})
    coordinator.post(url, {"do": "close", "period": "2025Q1"})
    page = coordinator.get(f"/plans/{cycle.plan.code}/reporting/").content.decode()
    assert "2025Q2" in page and "Grant a late-entry exception" in page
    cycle.round.refresh_from_db()
    assert not cycle.round.is_open


def test_the_assignments_page_adds_and_removes(cycle: Cycle) -> None:
    coordinator = signed_in(cycle, "coordinator")
    url = f"/plans/{cycle.plan.code}/reporting/assignments/"
    before = cycle.plan.assignments.count()
    coordinator.post(
        url,
        {
            "do": "add",
            "organisation": cycle.police.code,
            "area": cycle.province.code,
            "item": f"i:{cycle.grid.code}",
        },
    )
    assert cycle.plan.assignments.count() == before + 1
    assignment = cycle.plan.assignments.get(organisation=cycle.police)
    coordinator.post(url, {"do": "remove", "assignment": assignment.pk})
    assert cycle.plan.assignments.count() == before
    derived = coordinator.post(
        url, {"do": "add", "organisation": "police", "area": "nope", "item": "i:x"}, follow=True
    )
    assert "Choose an organisation, an area" in derived.content.decode()


def test_civil_society_publishes_from_the_form(cycle: Cycle) -> None:
    monitor = signed_in(cycle, "monitor")
    response = monitor.post(
        f"/plans/{cycle.plan.code}/reporting/2025Q1/start/",
        {
            "organisation": cycle.built.cso.code,
            "area": cycle.plan.area.code,
            "stream": "civil_society",
        },
    )
    submission = Submission.objects.get(organisation=cycle.built.cso)
    cell = field(cycle.grid, "sex=F;age=18-29")
    page = monitor.get(response["Location"]).content.decode()
    assert "Publish" in page
    monitor.post(
        f"/submissions/{submission.pk}/edit/", {cell: "4", "do": "submit", "confirm": "yes"}
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PUBLISHED
    assert selectors.entry_window_open(submission.round, cycle.built.cso.pk)


def test_the_coordinator_gives_and_takes_roles_but_never_the_last_coordinator(
    cycle: Cycle,
) -> None:
    from wpsmonitor.accounts.models import PlanRole

    coordinator = signed_in(cycle, "coordinator")
    url = f"/plans/{cycle.plan.code}/reporting/people/"
    coordinator.post(
        url,
        {"username": "outsider", "role": "focal_point", "organisation": "police", "area": ""},
    )
    granted = PlanRole.objects.get(user=cycle.users["outsider"])
    assert (granted.role, granted.organisation, granted.granted_by) == (
        "focal_point",
        cycle.police,
        cycle.users["coordinator"],
    )
    refused = coordinator.post(
        url, {"username": "viewer", "role": "focal_point", "organisation": ""}, follow=True
    )
    assert "name it" in refused.content.decode()
    own = PlanRole.objects.get(user=cycle.users["coordinator"])
    last = coordinator.post(url, {"do": "remove", "role": own.pk}, follow=True)
    assert "last coordinator" in last.content.decode()
    assert PlanRole.objects.filter(pk=own.pk).exists()
    # A removal says why (kept in the role history, docs/reporting.md "Roles").
    coordinator.post(url, {"do": "remove", "role": granted.pk, "reason": "Moved to another post."})
    assert not PlanRole.objects.filter(pk=granted.pk).exists()
    assert signed_in(cycle, "focal").get(url).status_code == 403


def test_a_hidden_object_answers_the_sites_own_404_page_in_the_visitors_language(
    cycle: Cycle, focal: Client
) -> None:
    submission = _start(focal, cycle)
    outsider = signed_in(cycle, "outsider")
    response = outsider.get(f"/submissions/{submission.pk}/", headers={"accept-language": "fr"})
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert 'href="/reporting/"' in page  # a way back
    assert "Ministry of Gender" not in page and "Province 1" not in page
    refused = outsider.get(f"/plans/{cycle.plan.code}/reporting/assignments/")
    assert refused.status_code == 403 and "<main" in refused.content.decode()


def test_the_entry_sheet_makes_the_same_number_of_queries_for_more_indicators(
    cycle: Cycle, focal: Client
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wpsmonitor.indicators.models import IndicatorKind
    from wpsmonitor.indicators.services import indicator_create

    submission = _start(focal, cycle)
    url = f"/submissions/{submission.pk}/edit/"
    focal.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        assert focal.get(url).status_code == 200
    for n in range(6):
        extra = indicator_create(
            plan=cycle.plan,
            node="P1.O1",
            code=f"EXTRA-{n}",
            title=f"Extra {n}",
            kind=IndicatorKind.NUMBER,
            time_rule="sum",
            scheme=["sex", "disability"] if n % 2 else ["age"],
        )
        services.assignment_add(
            by=cycle.users["coordinator"],
            plan=cycle.plan,
            organisation=cycle.built.ministry,
            area=cycle.province,
            indicator=extra,
        )
    with CaptureQueriesContext(connection) as many:
        page = focal.get(url)
    assert "EXTRA-5" in page.content.decode()
    assert len(many) == len(few), [q["sql"][:80] for q in many.captured_queries]


def test_the_history_names_indicators_and_cells_by_their_labels(
    cycle: Cycle, focal: Client
) -> None:
    """Issue 12 §6: not the stored key "IND-GRID [sex=F;age=18-29]"."""
    submission = _start(focal, cycle)
    cell = field(cycle.grid, "sex=F;age=18-29")
    focal.post(f"/submissions/{submission.pk}/edit/", {cell: "12", "do": "save"})
    focal.post(f"/submissions/{submission.pk}/edit/", {cell: "14", "do": "save"})
    page = focal.get(f"/submissions/{submission.pk}/").content.decode()
    assert "sex=F" not in page
    assert "IND-GRID Survivors supported (Female, 18-29): 12 → 14" in page
