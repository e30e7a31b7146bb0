"""The agreement pages and API: the list and an agreement with its provisions, links, statuses
and civil society's assessments side by side; the forms for the coordinator and for a
civil-society monitor; the PA-X upload page; refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.peace.agreement_world import AgreementWorld, build_agreement_world

from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.peace import services
from wpsmonitor.peace.models import Agreement, ProvisionAssessment, ProvisionStatus

SAMPLE = Path(__file__).parent / "data" / "pax_sample.csv"


@pytest.fixture
def aw(db: None) -> AgreementWorld:
    world = build_agreement_world()
    coordinator = world.users["coordinator"]
    services.provision_status_record(
        by=coordinator, provision=world.participation, on=date(2024, 12, 31), status="minimal"
    )
    services.provision_status_record(
        by=coordinator, provision=world.participation, on=date(2025, 9, 30), status="full"
    )
    services.provision_assessment_save(
        by=world.users["monitor"],
        provision=world.participation,
        organisation=world.pw.women,
        assessed_on=date(2025, 10, 1),
        status="intermediate",
        comment="Published view of the network.",
        publish=True,
    )
    services.provision_assessment_save(
        by=world.users["other_monitor"],
        provision=world.violence,
        organisation=world.other_cso,
        assessed_on=date(2025, 10, 1),
        status="full",
        comment="A draft nobody else reads.",
    )
    return world


def _client(aw: AgreementWorld, who: str | None) -> Client:
    client = Client()
    if who:
        client.force_login(aw.users[who])
    return client


def _url(aw: AgreementWorld, name: str, *args: int) -> str:
    return reverse(f"peace:{name}", args=[aw.plan.code, *args])


def test_anyone_reads_the_agreement_with_both_readings_and_where_they_differ(
    aw: AgreementWorld,
) -> None:
    page = _client(aw, None).get(_url(aw, "agreement", aw.agreement.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Peace accord of the test" in text and "30% women in the follow-up committee." in text
    assert "A1 Nominate women to delegations" in text  # the linked action
    assert "Government (latest)" in text and "Full" in text
    assert "Women at the Table" in text and "Published view of the network." in text
    assert "Differs: sees less done, by 1 step" in text and "Readings differ" in text
    assert "A draft nobody else reads." not in text and "Other Women&#x27;s League" not in text
    listing = _client(aw, None).get(_url(aw, "agreements")).content.decode()
    assert "Peace accord of the test" in listing
    processes = _client(aw, None).get(_url(aw, "processes")).content.decode()
    assert _url(aw, "agreements") in processes


def test_the_draft_shows_to_its_own_organisation_s_monitor_only(aw: AgreementWorld) -> None:
    url = _url(aw, "agreement", aw.agreement.pk)
    assert "A draft nobody else reads." in _client(aw, "other_monitor").get(url).content.decode()
    for who in ("coordinator", "admin", "focal", "monitor", "viewer"):
        assert "A draft nobody else reads." not in _client(aw, who).get(url).content.decode()


def test_a_draft_plan_s_agreements_are_hidden_from_outsiders(aw: AgreementWorld) -> None:
    aw.plan.status = PlanStatus.DRAFT
    aw.plan.save(update_fields=["status"])
    assert _client(aw, None).get(_url(aw, "agreements")).status_code == 404
    assert _client(aw, "viewer").get(_url(aw, "agreements")).status_code == 200


def test_the_coordinator_records_an_agreement_a_provision_and_a_status(
    aw: AgreementWorld,
) -> None:
    client = _client(aw, "coordinator")
    response = client.post(
        _url(aw, "agreement_new"),
        {"name": "Second accord", "stage": "Cea", "signed_on": "2025-02-01", "pax_id": "77"},
    )
    made = Agreement.objects.get(name="Second accord")
    assert response.status_code == 302 and made.pax_id == 77
    response = client.post(
        _url(aw, "provision_new", made.pk),
        {"category": "WggTraJus", "text": "Victims heard.", "actions": [aw.actions[1].pk]},
    )
    assert response.status_code == 302
    provision = made.provisions.get()
    assert list(provision.actions.all()) == [aw.actions[1]]
    response = client.post(
        _url(aw, "provision_status_new", made.pk, provision.pk),
        {"on": "2025-03-01", "status": "minimal"},
    )
    assert response.status_code == 302 and ProvisionStatus.objects.filter(provision=provision)
    bad = client.post(_url(aw, "agreement_new"), {"name": "X", "stage": "Nope"})
    assert bad.status_code == 400


def test_a_monitor_writes_their_organisation_s_assessment_only(aw: AgreementWorld) -> None:
    url = _url(aw, "provision_assessment", aw.agreement.pk, aw.violence.pk)
    data = {
        "organisation": aw.pw.women.pk,
        "assessed_on": "2025-11-01",
        "status": "minimal",
        "comment": "From the field.",
        "publish": "on",
    }
    assert _client(aw, "monitor").post(url, data).status_code == 302
    mine = ProvisionAssessment.objects.get(organisation=aw.pw.women, provision=aw.violence)
    assert mine.published
    # Another organisation's monitor cannot write in the network's name (not a choice: 400).
    assert _client(aw, "other_monitor").post(url, data).status_code == 400
    for who in ("coordinator", "admin", "focal", "viewer"):
        assert _client(aw, who).get(url).status_code == 403
        assert _client(aw, who).post(url, data).status_code == 403


@pytest.mark.parametrize("who", ["monitor", "focal", "viewer", "outsider"])
def test_only_the_coordinator_reaches_the_forms(aw: AgreementWorld, who: str) -> None:
    client = _client(aw, who)
    for url in (
        _url(aw, "agreement_new"),
        _url(aw, "agreement_edit", aw.agreement.pk),
        _url(aw, "provision_new", aw.agreement.pk),
        _url(aw, "provision_status_new", aw.agreement.pk, aw.violence.pk),
        _url(aw, "agreements_import"),
    ):
        assert client.get(url).status_code == 403, url


def test_the_upload_page_imports_and_shows_the_result_or_the_problems(
    aw: AgreementWorld,
) -> None:
    client = _client(aw, "coordinator")
    url = _url(aw, "agreements_import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("pax.csv", SAMPLE.read_bytes(), content_type="text/csv")
    response = client.post(url, {"file": upload, "check_only": "on"})
    assert response.status_code == 200 and "nothing was stored" in response.content.decode()
    assert not Agreement.objects.filter(pax_id__isnull=False).exists()
    upload = SimpleUploadedFile("pax.csv", SAMPLE.read_bytes(), content_type="text/csv")
    response = client.post(url, {"file": upload})
    assert "3 agreements added" in response.content.decode()
    assert Agreement.objects.filter(pax_id__isnull=False).count() == 3
    bad = SAMPLE.read_text().replace("2012-10-14", "14 Oct 2012").encode()
    response = client.post(url, {"file": SimpleUploadedFile("bad.csv", bad)})
    assert response.status_code == 400
    assert "bad.csv:2:Dat: " in response.content.decode()


def test_the_api_gives_the_agreement_with_published_assessments_only(
    aw: AgreementWorld,
) -> None:
    client = _client(aw, "outsider")
    listing = client.get(f"/api/v1/plans/{aw.plan.code}/peace/agreements")
    assert listing.status_code == 200
    (item,) = listing.json()["agreements"]
    assert item["name"] == "Peace accord of the test" and item["stage"] == "SubComp"
    detail = client.get(f"/api/v1/plans/{aw.plan.code}/peace/agreements/{aw.agreement.pk}")
    body = detail.json()
    participation = next(p for p in body["provisions"] if p["category"] == "WggPar")
    assert participation["latest_status"] == "full"
    assert participation["actions"] == ["A1"] and participation["budget_lines"] == [aw.line.pk]
    (view,) = participation["assessments"]
    assert view["steps"] == -1 and view["differs"] is True
    violence = next(p for p in body["provisions"] if p["category"] == "WggVio")
    assert violence["assessments"] == []
    missing = client.get(f"/api/v1/plans/{aw.plan.code}/peace/agreements/999999")
    assert missing.status_code == 404


def test_the_agreement_page_reads_a_fixed_number_of_queries(aw: AgreementWorld) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(aw, "monitor")
    url = _url(aw, "agreement", aw.agreement.pk)
    client.get(url)  # the first request of a session reads more (caches, the session)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for category in ("WggEq", "WggDev", "WggImpl", "WggOth"):
        made = services.provision_record(
            by=aw.users["coordinator"],
            agreement=aw.agreement,
            category=category,
            actions=aw.actions,
            budget_lines=[aw.line],
        )
        services.provision_status_record(
            by=aw.users["coordinator"], provision=made, on=date(2025, 1, 1), status="minimal"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few), "\n".join(q["sql"][:300] for q in many.captured_queries)
