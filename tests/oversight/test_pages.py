"""The oversight pages and API: who reads and who records, the forms posting through the
services, the shared documents kept from everyone but the coordinator and parliament, and the
report's section built from what was recorded."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.oversight.conftest import HELD, OversightWorld

from wpsmonitor.accountability import services as tracker_services
from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.oversight import services
from wpsmonitor.oversight.models import Audit, AuditFinding, Commitment, Hearing, SharedDocument
from wpsmonitor.reports.sections.oversight import build

pytestmark = pytest.mark.django_db


def _client(ow: OversightWorld, who: str | None) -> Client:
    client = Client()
    if who is not None:
        client.force_login(ow.users[who])
    return client


def _recorded(ow: OversightWorld) -> tuple[Audit, Hearing]:
    audit = services.audit_record(
        by=ow.users["auditor"], plan=ow.plan, body=ow.court, title="Audit 2025", held_on=HELD
    )
    services.finding_record(
        by=ow.users["auditor"],
        audit=audit,
        text="Vouchers missing",
        severity="high",
        recommendation="File the vouchers",
        addressees=[ow.ministry],
        budget_line=ow.line,
    )
    hearing = services.hearing_record(
        by=ow.users["parliament"],
        plan=ow.plan,
        committee=ow.committee,
        title="Hearing on year two",
        held_on=HELD,
        questions="Why are the desks unfunded?",
    )
    services.commitment_record(
        by=ow.users["parliament"], hearing=hearing, text="Fund the desks", addressees=[ow.ministry]
    )
    return audit, hearing


@pytest.mark.parametrize("who", ["viewer", "auditor", "parliament", "monitor"])
def test_the_plans_people_and_overseers_read_audits_and_hearings(
    ow: OversightWorld, who: str
) -> None:
    audit, hearing = _recorded(ow)
    client = _client(ow, who)
    base = f"/plans/{ow.plan.code}/oversight/"
    page = client.get(base).content.decode()
    assert "Audit 2025" in page and "Hearing on year two" in page
    assert "Not published" in page
    detail = client.get(f"{base}audits/{audit.pk}/").content.decode()
    assert "Vouchers missing" in detail and "File the vouchers" in detail and "BL-42" in detail
    detail = client.get(f"{base}hearings/{hearing.pk}/").content.decode()
    assert "Fund the desks" in detail and "Why are the desks unfunded?" in detail


def test_the_public_reads_only_what_is_published(ow: OversightWorld) -> None:
    audit, hearing = _recorded(ow)
    base = f"/plans/{ow.plan.code}/oversight/"
    outsider = _client(ow, "outsider")
    for client in (Client(), outsider):
        page = client.get(base).content.decode()
        assert "Audit 2025" not in page and "Hearing on year two" not in page
        assert client.get(f"{base}audits/{audit.pk}/").status_code == 404
        assert client.get(f"{base}hearings/{hearing.pk}/").status_code == 404
    services.audit_publish(by=ow.users["auditor"], audit=audit)
    services.hearing_publish(by=ow.users["parliament"], hearing=hearing)
    for client in (Client(), outsider):
        page = client.get(base).content.decode()
        assert "Audit 2025" in page and "Hearing on year two" in page
        assert client.get(f"{base}audits/{audit.pk}/").status_code == 200


# form -> who may open it; every other signed-in user: 403.
FORMS = {
    "audits/add/": {"coordinator", "auditor", "admin"},
    "hearings/add/": {"coordinator", "parliament", "admin"},
}


@pytest.mark.parametrize("who", ["coordinator", "auditor", "parliament", "viewer", "monitor"])
def test_who_opens_the_forms(ow: OversightWorld, who: str) -> None:
    audit, hearing = _recorded(ow)
    client = _client(ow, who)
    base = f"/plans/{ow.plan.code}/oversight/"
    forms = {
        **FORMS,
        f"audits/{audit.pk}/findings/add/": {"coordinator", "auditor"},
        f"hearings/{hearing.pk}/commitments/add/": {"coordinator", "parliament"},
        "shared/": {"coordinator", "parliament"},
    }
    for url, allowed in forms.items():
        expected = 200 if who in allowed else 403
        assert client.get(base + url).status_code == expected, (url, who)


def test_anonymous_is_sent_to_sign_in(ow: OversightWorld) -> None:
    response = Client().get(f"/plans/{ow.plan.code}/oversight/audits/add/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_forms_record_through_the_services(ow: OversightWorld) -> None:
    client = _client(ow, "auditor")
    base = f"/plans/{ow.plan.code}/oversight/"
    response = client.post(
        base + "audits/add/",
        {"body": ow.court.pk, "title": "Spending audit", "held_on": "2025-06-30", "scope": ""},
    )
    assert response.status_code == 302
    audit = Audit.objects.get(title="Spending audit")
    response = client.post(
        f"{base}audits/{audit.pk}/findings/add/",
        {
            "text": "Late reports",
            "severity": "medium",
            "recommendation": "Report quarterly",
            "addressees": [ow.ministry.pk],
            "action": ow.action.pk,
            "budget_line": ow.line.pk,
            "due_on": "2025-12-31",
        },
    )
    assert response.status_code == 302
    finding = AuditFinding.objects.get()
    assert finding.recommendation is not None and finding.recommendation.source == "audit"
    # An auditor may not record for another body (not offered, and refused if posted).
    response = client.post(
        base + "audits/add/",
        {"body": ow.committee.pk, "title": "Not mine", "held_on": "2025-06-30"},
    )
    assert response.status_code == 400
    assert not Audit.objects.filter(title="Not mine").exists()
    # A malformed date: the form refuses, nothing recorded.
    client = _client(ow, "parliament")
    response = client.post(
        base + "hearings/add/",
        {"committee": ow.committee.pk, "title": "H", "held_on": "30/06/2025"},
    )
    assert response.status_code == 400
    assert not Hearing.objects.exists()
    response = client.post(
        base + "hearings/add/",
        {"committee": ow.committee.pk, "title": "H", "held_on": "2025-06-30"},
    )
    hearing = Hearing.objects.get()
    response = client.post(
        f"{base}hearings/{hearing.pk}/commitments/add/",
        {"text": "Publish the review", "addressees": [ow.ministry.pk]},
    )
    assert response.status_code == 302
    assert Commitment.objects.get().recommendation.source == "parliament"


def test_shared_documents_reach_parliament_only(ow: OversightWorld) -> None:
    base = f"/plans/{ow.plan.code}/oversight/shared/"
    coordinator = _client(ow, "coordinator")
    upload = SimpleUploadedFile("r.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    response = coordinator.post(base, {"title": "Annual report draft", "upload": upload})
    assert response.status_code == 302
    document = SharedDocument.objects.get()
    parliament = _client(ow, "parliament")
    assert "Annual report draft" in parliament.get(base).content.decode()
    download = parliament.get(f"{base}{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    for who in ("auditor", "viewer", "monitor"):
        assert _client(ow, who).get(f"{base}{document.pk}/").status_code == 403
    assert Client().get(f"{base}{document.pk}/").status_code == 302
    # Parliament reads but does not share.
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    assert parliament.post(base, {"title": "x", "upload": upload}).status_code == 403
    assert parliament.post(f"{base}{document.pk}/remove/", {}).status_code == 403
    # The coordinator stops sharing, after confirming.
    assert coordinator.post(f"{base}{document.pk}/remove/", {}).status_code == 200
    assert SharedDocument.objects.exists()
    coordinator.post(f"{base}{document.pk}/remove/", {"confirm": "yes"})
    assert not SharedDocument.objects.exists()


def _api(ow: OversightWorld, who: str | None) -> dict[str, str]:
    if who is None:
        return {}
    _token, raw = ApiToken.issue(user=ow.users[who], name="t")
    return {"Authorization": f"Bearer {raw}"}


def test_the_api(ow: OversightWorld) -> None:
    audit, hearing = _recorded(ow)
    client = Client()
    api = f"/api/v1/plans/{ow.plan.code}"
    for who in ("viewer", "parliament"):
        body: Any = client.get(f"{api}/audits", headers=_api(ow, who)).json()
        assert body["audits"][0]["title"] == "Audit 2025"
        assert body["audits"][0]["findings"] == 1
        body = client.get(f"{api}/audits/{audit.pk}", headers=_api(ow, who)).json()
        finding = body["finding_list"][0]
        assert finding["severity"] == "high"
        assert finding["budget_line"] == ow.line.pk
        assert finding["followed"]["status"] == "not_started"
        assert finding["followed"]["addressees"] == [ow.ministry.code]
        body = client.get(f"{api}/hearings", headers=_api(ow, who)).json()
        assert body["hearings"][0]["commitments"] == 1
        body = client.get(f"{api}/hearings/{hearing.pk}", headers=_api(ow, who)).json()
        assert body["commitment_list"][0]["text"] == "Fund the desks"
    assert client.get(f"{api}/audits/999999", headers=_api(ow, "viewer")).status_code == 404


def test_the_report_section(ow: OversightWorld) -> None:
    context = SimpleNamespace(plan=ow.plan, first_year=2025, last_year=2025, is_public=False)
    assert build(context).empty  # type: ignore[arg-type]
    _recorded(ow)
    section = build(context)  # type: ignore[arg-type]
    assert section.key == "oversight" and not section.empty
    tables = {t.key: t for t in section.tables}
    severity = {row[0].text: row[1].text for row in tables["oversight.by_severity"].rows}
    assert severity == {"High": "1", "Medium": "0", "Low": "0"}
    assert tables["oversight.findings"].rows[0][4].text == "File the vouchers"
    assert tables["oversight.commitments"].rows[0][1].text == "Fund the desks"
    # Another year: nothing recorded then.
    other = SimpleNamespace(plan=ow.plan, first_year=2026, last_year=2026, is_public=False)
    assert build(other).empty  # type: ignore[arg-type]


def test_changing_removing_and_publishing_on_the_pages(ow: OversightWorld) -> None:
    audit, hearing = _recorded(ow)
    finding, commitment = AuditFinding.objects.get(), Commitment.objects.get()
    base = f"/plans/{ow.plan.code}/oversight/"
    auditor, parliament = _client(ow, "auditor"), _client(ow, "parliament")
    page = auditor.get(f"{base}audits/{audit.pk}/").content.decode()
    for button in ("Change the audit", "Publish the audit", "Remove the audit", "Change finding 1"):
        assert button in page
    page = parliament.get(f"{base}audits/{audit.pk}/").content.decode()
    assert "Change the audit" not in page and "Remove finding 1" not in page
    assert parliament.get(f"{base}audits/{audit.pk}/change/").status_code == 403
    assert parliament.post(f"{base}audits/{audit.pk}/remove/", {}).status_code == 403
    edit = auditor.get(f"{base}audits/{audit.pk}/change/")
    assert edit.status_code == 200 and 'value="Audit 2025"' in edit.content.decode()
    # A refused change: the problems at the top, linked to their field; nothing saved.
    fields = {"body": ow.court.pk, "title": "", "held_on": "2025-06-30"}
    refused = auditor.post(f"{base}audits/{audit.pk}/change/", fields)
    assert refused.status_code == 400 and 'href="#id_title"' in refused.content.decode()
    fields["title"] = "Audit of 2025"
    assert auditor.post(f"{base}audits/{audit.pk}/change/", fields).status_code == 302
    assert Audit.objects.get().title == "Audit of 2025"
    finding_fields = {
        "text": "Vouchers missing (all)",
        "severity": "medium",
        "recommendation": "File the vouchers now",
        "addressees": [ow.ministry.pk],
        "budget_line": ow.line.pk,
    }
    url = f"{base}audits/{audit.pk}/findings/{finding.pk}/change/"
    assert "File the vouchers" in auditor.get(url).content.decode()
    assert auditor.post(url, finding_fields).status_code == 302
    finding.refresh_from_db()
    assert finding.recommendation is not None
    assert finding.recommendation.text == "File the vouchers now"
    # Once answered in the tracker, the finding's page says why it cannot change.
    tracker_services.response_add(
        by=ow.users["focal"],
        recommendation=finding.recommendation,
        organisation=ow.ministry,
        text="Filed",
        status="in_progress",
    )
    assert "record a new finding" in auditor.get(url).content.decode()
    assert auditor.post(url, finding_fields).status_code == 400
    page = auditor.get(f"{base}audits/{audit.pk}/").content.decode()
    assert "Remove the audit" not in page and "Followed up in the tracker" in page
    # Removal asks first; then the commitment and its recommendation are gone.
    url = f"{base}hearings/{hearing.pk}/commitments/{commitment.pk}/remove/"
    assert parliament.post(url, {}).status_code == 200
    assert Commitment.objects.exists()
    assert parliament.post(url, {"confirm": "yes"}).status_code == 302
    assert not Commitment.objects.exists()
    # Publishing asks first, then is final: a removal is refused with the reason (400).
    url = f"{base}audits/{audit.pk}/publish/"
    assert "public pages" in auditor.post(url, {}).content.decode()
    assert auditor.post(url, {"confirm": "yes"}).status_code == 302
    assert Audit.objects.get().published
    refused = auditor.post(f"{base}audits/{audit.pk}/remove/", {"confirm": "yes"})
    assert refused.status_code == 400 and "published" in refused.content.decode()
    assert "Change the audit" not in auditor.get(f"{base}audits/{audit.pk}/").content.decode()


def test_the_public_page_shows_the_published_only_and_no_names(ow: OversightWorld) -> None:
    for who, name in (("auditor", "Zelda"), ("parliament", "Quentin")):
        ow.users[who].first_name = name
        ow.users[who].save()
    audit, hearing = _recorded(ow)
    hearing.testified = "Minister Ofelia"
    hearing.save()
    services.audit_record(
        by=ow.users["auditor"], plan=ow.plan, body=ow.court, title="Draft audit", held_on=HELD
    )
    url = f"/plans/{ow.plan.code}/public/oversight/"
    page = Client().get(url).content.decode()
    assert "Audit 2025" not in page and "No audit of this plan is published yet." in page
    services.audit_publish(by=ow.users["auditor"], audit=audit)
    services.hearing_publish(by=ow.users["parliament"], hearing=hearing)
    finding = AuditFinding.objects.get()
    assert finding.recommendation is not None
    tracker_services.response_add(
        by=ow.users["focal"],
        recommendation=finding.recommendation,
        organisation=ow.ministry,
        text="Secret working note",
        status="in_progress",
    )
    response = Client().get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        "Audit 2025",
        "Court of Audit",
        "Vouchers missing",
        "High",
        "File the vouchers",
        "In progress",
        "Hearing on year two",
        "Why are the desks unfunded?",
        "Fund the desks",
        "Not started",
    ):
        assert shown in page, shown
    for hidden in ("Draft audit", "Zelda", "Quentin", "Minister Ofelia", "Secret working note"):
        assert hidden not in page, hidden
    # The public plan page links it.
    plan_page = Client().get(f"/plans/{ow.plan.code}/public/").content.decode()
    assert url in plan_page


def test_the_api_hides_an_unpublished_audit_or_hearing_from_outsiders(ow: OversightWorld) -> None:
    """An audit or hearing is internal until published (docs/oversight.md, "Publishing"): the
    API lists it to the plan's members and oversight roles, to nobody else."""
    audit, hearing = _recorded(ow)
    client = Client()
    api = f"/api/v1/plans/{ow.plan.code}"
    ow.users["stranger"] = get_user_model().objects.create_user(username="stranger", password="x")

    def seen(who: str | None) -> tuple[list[str], list[str], int, int]:
        headers = _api(ow, who)
        return (
            [a["title"] for a in client.get(f"{api}/audits", headers=headers).json()["audits"]],
            [h["title"] for h in client.get(f"{api}/hearings", headers=headers).json()["hearings"]],
            client.get(f"{api}/audits/{audit.pk}", headers=headers).status_code,
            client.get(f"{api}/hearings/{hearing.pk}", headers=headers).status_code,
        )

    assert seen("stranger") == ([], [], 404, 404)
    assert seen("viewer")[2:] == (200, 200)
    services.audit_publish(by=ow.users["coordinator"], audit=audit)
    services.hearing_publish(by=ow.users["coordinator"], hearing=hearing)
    assert seen("stranger") == (["Audit 2025"], [hearing.title], 200, 200)
