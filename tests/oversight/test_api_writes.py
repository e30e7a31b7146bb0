"""Writing audits, findings, hearings and commitments through the API (docs/oversight.md):
a bearer token, the services' rights (403 for a wrong role or another body), bad input a 400
naming its field and writing nothing, every write in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.oversight.conftest import HELD, OversightWorld

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.api import api
from wpsmonitor.oversight import services
from wpsmonitor.oversight.models import Audit, AuditFinding, Commitment, Hearing

pytestmark = pytest.mark.django_db


def _post(ow: OversightWorld, who: str | None, path: str, body: dict[str, Any]) -> Any:
    headers = {}
    if who is not None:
        _token, raw = ApiToken.issue(user=ow.users[who], name="oversight")
        headers = {"Authorization": f"Bearer {raw}"}
    return Client().post(
        f"/api/v1/plans/{ow.plan.code}/{path}",
        body,
        content_type="application/json",
        headers=headers,
    )


AUDIT = {
    "auditing_body": "court",
    "title": "Audit of 2025",
    "held_on": "2025-06-30",
    "scope": "Money",
}
HEARING = {"committee": "committee", "title": "Hearing on year two", "held_on": "2025-07-01"}


def _fields(response: Any) -> list[str | None]:
    return [e["field"] for e in response.json()["errors"]]


def test_an_auditor_records_an_audit_and_its_findings(ow: OversightWorld) -> None:
    created = _post(ow, "auditor", "audits", AUDIT)
    assert created.status_code == 200, created.content
    audit = created.json()
    assert audit["body"] == "court" and audit["title"] == "Audit of 2025" and audit["findings"] == 0
    finding = _post(
        ow,
        "auditor",
        f"audits/{audit['id']}/findings",
        {
            "text": "Vouchers missing",
            "severity": "high",
            "recommendation": "File the vouchers",
            "addressees": [ow.ministry.code],
            "budget_line": ow.line.pk,
            "due_on": "2026-01-31",
        },
    )
    assert finding.status_code == 200, finding.content
    body = finding.json()
    assert body["severity"] == "high" and body["budget_line"] == ow.line.pk
    assert body["action"] == ow.action.code  # the line's action becomes the finding's
    rec = Recommendation.objects.get(pk=body["followed"]["recommendation"])
    assert rec.source == "audit" and [o.code for o in rec.addressees.all()] == [ow.ministry.code]
    read = Client().get(
        f"/api/v1/plans/{ow.plan.code}/audits/{audit['id']}",
        headers={"Authorization": f"Bearer {ApiToken.issue(user=ow.users['viewer'], name='r')[1]}"},
    )
    assert read.json()["finding_list"][0]["id"] == body["id"]


def test_parliament_records_a_hearing_and_a_commitment(ow: OversightWorld) -> None:
    created = _post(ow, "parliament", "hearings", HEARING | {"questions": "Why?"})
    assert created.status_code == 200, created.content
    hearing = created.json()
    assert hearing["committee"] == "committee" and hearing["questions"] == "Why?"
    commitment = _post(
        ow,
        "parliament",
        f"hearings/{hearing['id']}/commitments",
        {"text": "Fund the desks", "addressees": [ow.ministry.code], "nodes": [ow.action.code]},
    )
    assert commitment.status_code == 200, commitment.content
    rec = Recommendation.objects.get(pk=commitment.json()["recommendation"])
    assert rec.source == "parliament" and rec.text == "Fund the desks"
    assert Commitment.objects.get().recommendation == rec


def test_the_coordinator_records_for_any_body(ow: OversightWorld) -> None:
    assert _post(ow, "coordinator", "audits", AUDIT).status_code == 200
    assert _post(ow, "coordinator", "hearings", HEARING).status_code == 200


@pytest.mark.parametrize(
    ("who", "audit", "hearing"),
    [
        ("auditor", 200, 403),
        ("parliament", 403, 200),
        ("focal", 403, 403),
        ("monitor", 403, 403),
        ("viewer", 403, 403),
        (None, 401, 401),
    ],
)
def test_who_writes(ow: OversightWorld, who: str | None, audit: int, hearing: int) -> None:
    assert _post(ow, who, "audits", AUDIT).status_code == audit
    assert _post(ow, who, "hearings", HEARING).status_code == hearing
    assert Audit.objects.count() == (audit == 200)
    assert Hearing.objects.count() == (hearing == 200)


def test_a_session_does_not_write(ow: OversightWorld) -> None:
    client = Client()
    client.force_login(ow.users["coordinator"])
    answer = client.post(
        f"/api/v1/plans/{ow.plan.code}/audits", AUDIT, content_type="application/json"
    )
    assert answer.status_code == 401 and not Audit.objects.exists()


def test_an_auditor_records_only_for_its_own_body(ow: OversightWorld) -> None:
    # The committee is an organisation, not the auditor's body.
    assert _post(ow, "auditor", "audits", AUDIT | {"auditing_body": "committee"}).status_code == 403
    other = services.audit_record(
        by=ow.users["coordinator"], plan=ow.plan, body=ow.committee, title="Theirs", held_on=HELD
    )
    finding = {
        "text": "x",
        "severity": "low",
        "recommendation": "y",
        "addressees": [ow.ministry.code],
    }
    assert _post(ow, "auditor", f"audits/{other.pk}/findings", finding).status_code == 403
    hearing = services.hearing_record(
        by=ow.users["coordinator"],
        plan=ow.plan,
        committee=ow.court,
        title="Not theirs",
        held_on=other.held_on,
    )
    commitment = {"text": "x", "addressees": [ow.ministry.code]}
    assert (
        _post(ow, "parliament", f"hearings/{hearing.pk}/commitments", commitment).status_code == 403
    )
    assert not AuditFinding.objects.exists() and not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"auditing_body": "nobody"}, "auditing_body"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"held_on": "30/06/2025"}, "held_on"),
        ({"held_on": None}, "held_on"),
    ],
)
def test_a_bad_audit_names_its_field(
    ow: OversightWorld, change: dict[str, Any], field: str
) -> None:
    answer = _post(ow, "auditor", "audits", AUDIT | change)
    assert answer.status_code == 400
    assert _fields(answer) == [field] and answer.json()["detail"]
    assert not Audit.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"severity": "critical"}, "severity"),
        ({"text": ""}, "text"),
        ({"recommendation": " "}, "recommendation"),
        ({"addressees": []}, "addressees"),
        ({"addressees": ["nobody"]}, "addressees"),
        ({"action": "Z9"}, "action"),
        ({"budget_line": 999999}, "budget_line"),
        ({"budget_line": 0}, "budget_line"),
    ],
)
def test_a_bad_finding_names_its_field(
    ow: OversightWorld, change: dict[str, Any], field: str
) -> None:
    audit = _post(ow, "auditor", "audits", AUDIT).json()
    body = {
        "text": "Vouchers missing",
        "severity": "high",
        "recommendation": "File them",
        "addressees": [ow.ministry.code],
    }
    answer = _post(ow, "auditor", f"audits/{audit['id']}/findings", body | change)
    assert answer.status_code == 400, answer.content
    assert _fields(answer) == [field]
    assert (
        not AuditFinding.objects.exists()
        and not Recommendation.objects.filter(source="audit").exists()
    )


def test_a_finding_on_a_line_of_another_action_is_refused(ow: OversightWorld) -> None:
    audit = _post(ow, "auditor", "audits", AUDIT).json()
    other = ow.action.parent
    body = {
        "text": "x",
        "severity": "low",
        "recommendation": "y",
        "addressees": [ow.ministry.code],
        "action": other.code,
        "budget_line": ow.line.pk,
    }
    answer = _post(ow, "auditor", f"audits/{audit['id']}/findings", body)
    assert answer.status_code == 400 and _fields(answer) == ["budget_line"]
    assert not AuditFinding.objects.exists()


def test_a_bad_commitment_names_its_field_and_a_missing_hearing_is_404(ow: OversightWorld) -> None:
    hearing = _post(ow, "parliament", "hearings", HEARING).json()
    path = f"hearings/{hearing['id']}/commitments"
    for change, field in (
        ({"text": ""}, "text"),
        ({"addressees": ["nobody"]}, "addressees"),
        ({"nodes": ["Z9"]}, "nodes"),
        ({"due_on": "soon"}, "due_on"),
    ):
        answer = _post(
            ow, "parliament", path, {"text": "Fund", "addressees": [ow.ministry.code]} | change
        )
        assert answer.status_code == 400 and _fields(answer) == [field], (change, answer.content)
    assert (
        _post(
            ow, "parliament", "hearings/999999/commitments", {"text": "x", "addressees": ["court"]}
        ).status_code
        == 404
    )
    assert not Commitment.objects.exists()


def test_the_writes_are_in_the_schema() -> None:
    paths = api.get_openapi_schema(path_prefix="/api/v1")["paths"]
    for path in (
        "/api/v1/plans/{plan}/audits",
        "/api/v1/plans/{plan}/audits/{audit}/findings",
        "/api/v1/plans/{plan}/hearings",
        "/api/v1/plans/{plan}/hearings/{hearing}/commitments",
    ):
        operation = paths[path]["post"]
        assert {200, 400, 403} <= {int(code) for code in operation["responses"]}, path
        assert operation["requestBody"]["content"]["application/json"]["schema"]
