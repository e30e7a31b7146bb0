"""The field collection page: the XLSForm download, the upload of exported submissions (CSV,
XLSX, JSON), hostile files refused, and who may do what."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.reporting.conftest import Cycle

from wpsmonitor.fieldcollection import services
from wpsmonitor.fieldcollection.models import FieldForm
from wpsmonitor.fieldcollection.xlsform import form_spec, to_xform
from wpsmonitor.reporting.models import Submission, SubmissionValue


def _client(cycle: Cycle, user: str) -> Client:
    client = Client()
    client.force_login(cycle.users[user])
    return client


def _url(cycle: Cycle, name: str) -> str:
    return reverse(
        f"fieldcollection:{name}",
        args=[cycle.plan.code, "2025Q1", cycle.built.ministry.code, cycle.province.code],
    )


def test_the_focal_point_downloads_the_form_and_uploads_a_csv_export(cycle: Cycle) -> None:
    client = _client(cycle, "focal")
    page = client.get(reverse("fieldcollection:page", args=[cycle.plan.code]))
    assert page.status_code == 200
    assert (
        "Download XLSForm" in page.content.decode()
        and "Send to server" not in page.content.decode()
    )
    form = client.get(_url(cycle, "form") + "?language=es")
    assert form.status_code == 200
    assert '<translation lang="Spanish (es)" default="true()">' in to_xform(form.content)
    spec = form_spec(cycle.round, cycle.built.ministry, cycle.province, "en")
    csv = (
        "SubmissionDate;g__IND_YN-v__IND_YN;wps_round;wps_assignment;wps_framework;meta-instanceID\n"
        f"2025-03-02;1;2025Q1;{spec.assignment};{spec.version};uuid:csv-1\n"
    )
    answer = client.post(
        _url(cycle, "upload"), {"file": SimpleUploadedFile("export.csv", csv.encode())}
    )
    submission = Submission.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(
        f"/submissions/{submission.pk}/"
    )
    assert SubmissionValue.objects.get(submission=submission).value == 1.0


def test_problems_are_listed_and_nothing_is_stored(cycle: Cycle) -> None:
    client = _client(cycle, "focal")
    body = json.dumps({"results": [{"meta/instanceID": "uuid:x", "wps_framework": "old"}]})
    answer = client.post(
        _url(cycle, "upload"), {"file": SimpleUploadedFile("data.json", body.encode())}
    )
    assert answer.status_code == 400
    assert "submission uuid:x: field wps_framework:" in answer.content.decode()
    assert not Submission.objects.exists()


def test_hostile_files_are_refused(cycle: Cycle, settings) -> None:  # type: ignore[no-untyped-def]
    client = _client(cycle, "focal")
    settings.FIELD_COLLECTION_MAX_SUBMISSIONS = 3
    many = "meta-instanceID\n" + "".join(f"uuid:{i}\n" for i in range(4))
    answer = client.post(
        _url(cycle, "upload"), {"file": SimpleUploadedFile("a.csv", many.encode())}
    )
    assert answer.status_code == 400 and "more than 3 submissions" in answer.content.decode()
    settings.FIELD_COLLECTION_MAX_BYTES = 100
    answer = client.post(_url(cycle, "upload"), {"file": SimpleUploadedFile("b.csv", b"x" * 200)})
    assert answer.status_code == 400 and "larger than 100 bytes" in answer.content.decode()
    bomb = io.BytesIO(b"PK\x03\x04 not really a workbook")
    settings.FIELD_COLLECTION_MAX_BYTES = 10_000
    answer = client.post(
        _url(cycle, "upload"), {"file": SimpleUploadedFile("c.xlsx", bomb.getvalue())}
    )
    assert answer.status_code == 400
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("user", "page", "download", "upload"),
    [
        ("coordinator", 200, 200, 403),
        ("focal", 200, 200, 302),
        ("police_focal", 200, 404, 404),
        ("focal_other_area", 200, 404, 404),
        ("viewer", 403, 403, 403),
        ("monitor", 403, 403, 403),
    ],
)
def test_who_may_do_what(cycle: Cycle, user: str, page: int, download: int, upload: int) -> None:
    client = _client(cycle, user)
    assert client.get(reverse("fieldcollection:page", args=[cycle.plan.code])).status_code == page
    assert client.get(_url(cycle, "form")).status_code == download
    answer = client.post(_url(cycle, "upload"), {"file": SimpleUploadedFile("a.json", b"[]")})
    assert answer.status_code == upload


def test_the_coordinator_sees_the_server_buttons_when_one_is_configured(
    cycle: Cycle, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.FIELD_COLLECTION_KOBO = {"url": "https://kf.example.org", "token": "t"}
    page = _client(cycle, "coordinator").get(
        reverse("fieldcollection:page", args=[cycle.plan.code])
    )
    assert "Send to server" in page.content.decode()
    assert "Upload submissions" not in page.content.decode()


def test_each_focal_point_sees_only_the_assignments_they_enter(cycle: Cycle) -> None:
    page = reverse("fieldcollection:page", args=[cycle.plan.code])
    first, second = (p.name for p in cycle.built.provinces)
    seen = {
        user: _client(cycle, user).get(page).content.decode()
        for user in ("coordinator", "focal", "focal_other_area", "police_focal")
    }
    assert (
        f"{first} · 2025Q1" in seen["coordinator"] and f"{second} · 2025Q1" in seen["coordinator"]
    )
    assert f"{first} · 2025Q1" in seen["focal"] and f"{second} · 2025Q1" not in seen["focal"]
    other = seen["focal_other_area"]
    assert f"{second} · 2025Q1" in other and f"{first} · 2025Q1" not in other
    assert "No open round has anything assigned to you." in seen["police_focal"]
    assert "Download XLSForm" not in seen["police_focal"]


def test_a_pulled_batch_is_imported_from_the_page_by_the_focal_point_only(cycle: Cycle) -> None:
    spec = form_spec(cycle.round, cycle.built.ministry, cycle.province, "en")
    form = FieldForm.objects.create(
        round=cycle.round,
        organisation=cycle.built.ministry,
        area=cycle.province,
        server="kobo",
        form_id=spec.form_id,
        version=spec.version,
        reference="aKoboAsset1",
    )
    record = {
        "meta/instanceID": "uuid:pulled",
        "wps_round": "2025Q1",
        "wps_assignment": spec.assignment,
        "wps_framework": spec.version,
        "v__IND_YN": "1",
    }
    batch = services.batch_receive(by=cycle.users["coordinator"], form=form, records=[record])  # type: ignore[arg-type]
    url = reverse("fieldcollection:batch_import", args=[cycle.plan.code, batch.pk])
    page = reverse("fieldcollection:page", args=[cycle.plan.code])
    assert "1 submission waiting" in _client(cycle, "coordinator").get(page).content.decode()
    assert "Import as draft" not in _client(cycle, "coordinator").get(page).content.decode()
    assert _client(cycle, "coordinator").post(url).status_code == 403
    assert _client(cycle, "focal_other_area").post(url).status_code == 404
    assert not Submission.objects.exists()
    focal = _client(cycle, "focal")
    assert "Import as draft" in focal.get(page).content.decode()
    answer = focal.post(url)
    submission = Submission.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(
        f"/submissions/{submission.pk}/"
    )
    assert SubmissionValue.objects.get(submission=submission).value == 1.0
    assert "imported: 1, skipped as already imported: 0" in focal.get(page).content.decode()
    assert focal.post(url).status_code == 404  # imported already
