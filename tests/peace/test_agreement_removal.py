"""Removing agreements and government statuses (docs/peace-processes.md, "Removing
agreements and statuses"): the coordinator only, after confirmation; an agreement whose
provisions have a status or a civil-society assessment is kept and the page says why; civil
society's assessment is never removed by a government role. The process's page lists its
agreements."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from tests.peace.agreement_world import AgreementWorld, build_agreement_world

from wpsmonitor.peace import services
from wpsmonitor.peace.models import (
    Agreement,
    GenderProvision,
    ProvisionAssessment,
    ProvisionStatus,
)

ROLES = [None, "outsider", "viewer", "focal", "monitor", "coordinator"]


@pytest.fixture
def aw(db: None) -> AgreementWorld:
    return build_agreement_world()


def _client(aw: AgreementWorld, who: str | None) -> Client:
    client = Client()
    if who:
        client.force_login(aw.users[who])
    return client


def _url(aw: AgreementWorld, name: str, *args: int) -> str:
    return reverse(f"peace:{name}", args=[aw.plan.code, *args])


def _status(aw: AgreementWorld, on: date = date(2024, 12, 31)) -> ProvisionStatus:
    return services.provision_status_record(
        by=aw.users["coordinator"], provision=aw.participation, on=on, status="minimal"
    )


@pytest.mark.parametrize("who", ROLES)
def test_rights_matrix_for_the_removal_pages(aw: AgreementWorld, who: str | None) -> None:
    status = _status(aw)
    urls = [
        _url(aw, "agreement_delete", aw.agreement.pk),
        _url(aw, "provision_status_delete", aw.agreement.pk, aw.participation.pk, status.pk),
    ]
    client = _client(aw, who)
    for url in urls:
        got = client.get(url)
        if who is None:
            assert got.status_code == 302 and "/login" in got["Location"]
            assert client.post(url).status_code == 302
        elif who == "coordinator":
            assert got.status_code in (200, 400)  # 400: the agreement has a status
        else:
            assert got.status_code == 403, (who, url)
            assert client.post(url).status_code == 403, (who, url)
    if who != "coordinator":
        assert ProvisionStatus.objects.filter(pk=status.pk).exists()
        assert Agreement.objects.filter(pk=aw.agreement.pk).exists()


@pytest.mark.parametrize("who", ["outsider", "viewer", "focal", "monitor", "other_monitor"])
def test_the_services_refuse_every_role_but_the_coordinator(aw: AgreementWorld, who: str) -> None:
    status = _status(aw)
    with pytest.raises(PermissionDenied):
        services.agreement_remove(by=aw.users[who], agreement=aw.agreement)
    with pytest.raises(PermissionDenied):
        services.provision_status_remove(by=aw.users[who], status=status)


def test_an_agreement_without_statuses_or_assessments_is_removed_after_confirmation(
    aw: AgreementWorld,
) -> None:
    client = _client(aw, "coordinator")
    url = _url(aw, "agreement_delete", aw.agreement.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "Peace accord of the test" in page.content.decode()
    assert Agreement.objects.filter(pk=aw.agreement.pk).exists()  # a GET removes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == _url(aw, "agreements")
    assert not Agreement.objects.filter(pk=aw.agreement.pk).exists()
    assert not GenderProvision.objects.filter(agreement_id=aw.agreement.pk).exists()
    # The linked actions and budget lines are the plan's: they stay.
    aw.actions[0].refresh_from_db()
    aw.line.refresh_from_db()


def test_an_agreement_with_a_status_is_kept_and_the_page_says_why(aw: AgreementWorld) -> None:
    _status(aw)
    client = _client(aw, "coordinator")
    url = _url(aw, "agreement_delete", aw.agreement.pk)
    page = client.get(url)
    assert page.status_code == 400
    text = page.content.decode()
    assert "implementation status" in text and "<button" not in text.split("</h1>")[1]
    assert client.post(url).status_code == 400
    assert Agreement.objects.filter(pk=aw.agreement.pk).exists()
    with pytest.raises(ValidationError):
        services.agreement_remove(by=aw.users["coordinator"], agreement=aw.agreement)


def test_an_agreement_with_a_draft_assessment_is_kept_without_showing_the_draft(
    aw: AgreementWorld,
) -> None:
    services.provision_assessment_save(
        by=aw.users["other_monitor"],
        provision=aw.violence,
        organisation=aw.other_cso,
        assessed_on=date(2025, 10, 1),
        status="full",
        comment="A draft the coordinator never reads.",
    )
    client = _client(aw, "coordinator")
    response = client.post(_url(aw, "agreement_delete", aw.agreement.pk))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Civil society has assessed" in text
    assert "A draft the coordinator never reads." not in text
    assert ProvisionAssessment.objects.filter(provision=aw.violence).count() == 1


def test_the_coordinator_removes_a_status_recorded_by_mistake(aw: AgreementWorld) -> None:
    right = _status(aw, date(2024, 12, 31))
    wrong = services.provision_status_record(
        by=aw.users["coordinator"], provision=aw.participation, on=date(2025, 3, 1), status="full"
    )
    client = _client(aw, "coordinator")
    page = client.get(_url(aw, "agreement", aw.agreement.pk)).content.decode()
    url = _url(aw, "provision_status_delete", aw.agreement.pk, aw.participation.pk, wrong.pk)
    assert url in page
    confirm = client.get(url).content.decode()
    assert "2025-03-01" in confirm
    assert client.post(url).status_code == 302
    assert list(ProvisionStatus.objects.filter(provision=aw.participation)) == [right]
    # The latest is the one left.
    page = client.get(_url(aw, "agreement", aw.agreement.pk)).content.decode()
    assert "Minimal" in page


def test_a_status_of_another_provision_or_agreement_is_not_found(aw: AgreementWorld) -> None:
    status = _status(aw)
    client = _client(aw, "coordinator")
    url = _url(aw, "provision_status_delete", aw.agreement.pk, aw.violence.pk, status.pk)
    assert client.post(url).status_code == 404
    assert ProvisionStatus.objects.filter(pk=status.pk).exists()


def test_no_government_role_removes_civil_society_s_assessment(aw: AgreementWorld) -> None:
    """There is no removal of an assessment for any government role: no service, no URL;
    the agreement holding one is not removed either (above)."""
    assessment = services.provision_assessment_save(
        by=aw.users["monitor"],
        provision=aw.participation,
        organisation=aw.pw.women,
        assessed_on=date(2025, 10, 1),
        status="minimal",
        publish=True,
    )
    names = [n for n in vars(services) if "assessment" in n and "remove" in n]
    assert names == []
    for who in ("coordinator", "admin", "focal"):
        with pytest.raises((PermissionDenied, ValidationError)):
            services.agreement_remove(by=aw.users[who], agreement=aw.agreement)
    assert ProvisionAssessment.objects.filter(pk=assessment.pk).exists()


def test_the_process_page_lists_its_agreements_with_links(aw: AgreementWorld) -> None:
    coordinator = aw.users["coordinator"]
    process = services.process_record(
        by=coordinator,
        plan=aw.plan,
        name="Dialogue of the test",
        level="national",
        status="ongoing",
        started_on=date(2024, 1, 1),
    )
    other = services.agreement_record(
        by=coordinator, plan=aw.plan, name="Agreement of no process", stage="Cea"
    )
    services.agreement_record(
        by=coordinator,
        plan=aw.plan,
        agreement=aw.agreement,
        name=aw.agreement.name,
        stage=aw.agreement.stage,
        signed_on=aw.agreement.signed_on,
        process=process,
    )
    url = reverse("peace:process", args=[aw.plan.code, process.pk])
    for who in (None, "viewer", "coordinator"):
        page = _client(aw, who).get(url).content.decode()
        assert _url(aw, "agreement", aw.agreement.pk) in page
        assert "Peace accord of the test" in page and "2 gender provisions" in page
        assert _url(aw, "agreement", other.pk) not in page
    # Removed from its process's page, the coordinator goes back to the process.
    response = _client(aw, "coordinator").post(_url(aw, "agreement_delete", aw.agreement.pk))
    assert response["Location"] == url
    assert "No agreement of this process" in _client(aw, None).get(url).content.decode()
