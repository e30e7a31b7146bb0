"""Bad input gets a clear error and changes nothing: services, pages and API."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.accountability.conftest import Tracker

from wpsmonitor.accountability import services
from wpsmonitor.accountability.models import Recommendation, Response, StatusChange
from wpsmonitor.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _state() -> tuple[int, int, int]:
    return Recommendation.objects.count(), Response.objects.count(), StatusChange.objects.count()


def _create(t: Tracker, **changes: Any) -> Recommendation:
    args: dict[str, Any] = {
        "by": t.users["coordinator"],
        "plan": t.plan,
        "source": "cedaw",
        "issued_on": date(2024, 3, 1),
        "text": "Adopt a law.",
        "addressees": [t.cycle.built.ministry],
        "due_on": date(2025, 3, 1),
    } | changes
    return services.recommendation_create(**args)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "   "}, "Write the text of the recommendation."),
        ({"due_on": date(2024, 2, 1)}, "The due date cannot be before the date issued."),
        ({"addressees": ["mogender"]}, "Every addressee must be an organisation of the directory."),
        ({"addressees": []}, "Name at least one addressee organisation."),
        ({"source": "tweet"}, "tweet is not a review mechanism"),
    ],
)
def test_recommendation_refused(tracker: Tracker, changes: dict[str, Any], message: str) -> None:
    before = _state()
    with pytest.raises(ValidationError) as exc:
        _create(tracker, **changes)
    assert message in " ".join(exc.value.messages)
    assert _state() == before


def test_status_not_in_vocabulary(tracker: Tracker) -> None:
    before = _state()
    r2 = tracker.recs["r2"]
    with pytest.raises(ValidationError, match="done is not a status"):
        services.response_add(
            by=tracker.users["focal"],
            recommendation=r2,
            organisation=tracker.cycle.built.ministry,
            text="Done",
            status="done",
        )
    with pytest.raises(ValidationError, match="done is not a status"):
        services.assessment_save(
            by=tracker.users["monitor"],
            recommendation=r2,
            organisation=tracker.cycle.built.cso,
            status="done",
        )
    assert _state() == before
    r2.refresh_from_db()
    assert r2.status == "in_progress"


def test_evidence_of_a_wrong_type_is_refused(tracker: Tracker) -> None:
    before = _state()
    client = Client()
    client.force_login(tracker.users["focal"])
    r2 = tracker.recs["r2"]
    url = f"/plans/{tracker.plan.code}/recommendations/{r2.pk}/act/"
    data = {"do": "respond", "organisation": "mogender", "text": "See file", "status": "fully"}
    bad = SimpleUploadedFile("report.pdf", b"#!/bin/sh\necho not a pdf", "application/pdf")
    response = client.post(url, data | {"file": bad}, follow=True)
    assert "Attach a PDF, a PNG or JPEG photo, or an office document." in response.content.decode()
    assert _state() == before
    good = SimpleUploadedFile("report.pdf", b"%PDF-1.4 report", "application/pdf")
    client.post(url, data | {"file": good})
    item = Response.objects.get(recommendation=r2, text="See file")
    assert item.content_type == "application/pdf"
    r2.refresh_from_db()
    assert r2.status == "fully"
    download = client.get(f"/plans/{tracker.plan.code}/responses/{item.pk}/evidence/")
    assert download.status_code == 200
    outsider = Client()
    outsider.force_login(tracker.users["outsider"])
    assert (
        outsider.get(f"/plans/{tracker.plan.code}/responses/{item.pk}/evidence/").status_code == 404
    )


def test_page_form_errors(tracker: Tracker) -> None:
    client = Client()
    client.force_login(tracker.users["coordinator"])
    before = _state()
    url = f"/plans/{tracker.plan.code}/recommendations/add/"
    cases = [
        ({"text": ""}, "Write the text of the recommendation."),
        ({"due_on": "2023-01-01"}, "The due date cannot be before the date issued."),
        (
            {"addressees": ["no-such-org"]},
            "Every addressee must be an organisation of the directory.",
        ),
        ({"issued_on": "yesterday"}, "Give a date as YYYY-MM-DD."),
    ]
    for change, message in cases:
        data = {
            "source": "upr",
            "issued_on": "2024-02-01",
            "text": "Train police.",
            "addressees": ["police"],
        } | change
        response = client.post(url, data, follow=True)
        assert message in response.content.decode(), change
    assert _state() == before


def test_api_errors(tracker: Tracker) -> None:
    client = Client()
    _token, raw = ApiToken.issue(user=tracker.users["coordinator"], name="t")
    headers = {"Authorization": f"Bearer {raw}"}
    url = f"/api/v1/plans/{tracker.plan.code}/recommendations"
    before = _state()
    body = {"source": "upr", "issued_on": "2024-02-01", "text": "x", "addressees": ["police"]}
    for change, message in [
        ({"text": ""}, "Write the text of the recommendation."),
        ({"due_on": "2024-01-01"}, "The due date cannot be before the date issued."),
        ({"addressees": ["nobody"]}, "Every addressee must be an organisation of the directory."),
        ({"source": "rumour"}, "rumour is not a review mechanism"),
    ]:
        response = client.post(url, body | change, content_type="application/json", headers=headers)
        assert response.status_code == 400, change
        assert message in response.json()["detail"]
    assert _state() == before
    created = client.post(url, body, content_type="application/json", headers=headers)
    assert created.status_code == 200
    assert created.json()["addressees"] == ["police"]


def test_api_response_with_evidence(tracker: Tracker) -> None:
    client = Client()
    _token, raw = ApiToken.issue(user=tracker.users["focal"], name="t")
    headers = {"Authorization": f"Bearer {raw}"}
    r2 = tracker.recs["r2"]
    url = f"/api/v1/plans/{tracker.plan.code}/recommendations/{r2.pk}/responses/with-evidence"
    data = {"organisation": "mogender", "text": "See file", "status": "fully"}
    before = _state()
    bad = SimpleUploadedFile("report.pdf", b"MZ not a pdf", "application/pdf")
    refused = client.post(url, data | {"file": bad}, headers=headers)
    assert refused.status_code == 400
    assert "Attach a PDF" in refused.json()["detail"]
    assert _state() == before
    good = SimpleUploadedFile("report.pdf", b"%PDF-1.4 report", "application/pdf")
    accepted = client.post(url, data | {"file": good}, headers=headers)
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "fully"
    assert accepted.json()["responses"][-1]["evidence"] == "report.pdf"
    # Another organisation's focal point is refused.
    _token, raw = ApiToken.issue(user=tracker.users["police_focal"], name="t")
    again = SimpleUploadedFile("report.pdf", b"%PDF-1.4 report", "application/pdf")
    denied = client.post(url, data | {"file": again}, headers={"Authorization": f"Bearer {raw}"})
    assert denied.status_code == 403
