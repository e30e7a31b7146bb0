"""Coordinators edit the plan from its workbook in the browser: all or nothing, this plan
only, never a civil-society stream."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from tests.reporting.conftest import Cycle

from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.models import DataValue, Indicator


def _client(cycle: Cycle, name: str) -> Client:
    client = Client()
    client.force_login(cycle.users[name])
    return client


def _download(client: Client, cycle: Cycle) -> bytes:
    response = client.get(f"/plans/{cycle.plan.code}/workbook.xlsx")
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def _edit(content: bytes, sheet: str, find: str, column: str, new: object) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    ws = workbook[sheet]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == find:
            row[header.index(column)].value = new
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(client: Client, cycle: Cycle, content: bytes, name: str = "plan.xlsx"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/plans/{cycle.plan.code}/reporting/workbook/",
        {"file": SimpleUploadedFile(name, content)},
    )


def test_download_change_upload_edits_the_framework(cycle: Cycle) -> None:
    coordinator = _client(cycle, "coordinator")
    content = _download(coordinator, cycle)
    assert _upload(coordinator, cycle, content).status_code == 302  # unchanged: fine
    edited = _edit(content, "Indicators", "IND-GRID", "title", "Survivors supported (revised)")
    assert _upload(coordinator, cycle, edited).status_code == 302
    assert Indicator.objects.get(plan=cycle.plan, code="IND-GRID").title == (
        "Survivors supported (revised)"
    )


def test_a_wrong_workbook_lists_each_problem_and_changes_nothing(cycle: Cycle) -> None:
    coordinator = _client(cycle, "coordinator")
    content = _download(coordinator, cycle)
    edited = _edit(content, "Indicators", "IND-GRID", "kind", "bogus")
    edited = _edit(edited, "Indicators", "IND-YN", "title", "Referral mechanism (new)")
    response = _upload(coordinator, cycle, edited, "nap.xlsx")
    assert response.status_code == 400
    page = response.content.decode()
    assert "nap.xlsx:Indicators:" in page and "nothing was changed" in page
    assert Indicator.objects.get(plan=cycle.plan, code="IND-YN").title == (
        "Referral mechanism in place"
    )
    garbage = _upload(coordinator, cycle, b"PK\x03\x04 not really a zip", "x.xlsx")
    assert garbage.status_code == 400


def test_the_workbook_of_another_plan_or_of_a_civil_society_stream_is_refused(
    cycle: Cycle,
) -> None:
    coordinator = _client(cycle, "coordinator")
    content = _download(coordinator, cycle)
    other = _edit(content, "Plan", "code", "value", "someone-elses-plan")
    response = _upload(coordinator, cycle, other)
    assert response.status_code == 400
    values_ingest(
        rows=[
            {
                "indicator": "IND-GRID",
                "period": "2025Q1",
                "area": cycle.province.code,
                "cell": "sex=F;age=18-29",
                "source": "cso-shadow",
                "value": 7,
            }
        ],
        plan=cycle.plan.code,
    )
    content = _download(coordinator, cycle)
    workbook = load_workbook(io.BytesIO(content))
    ws = workbook["Values"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[header.index("source")].value == "cso-shadow":
            row[header.index("value")].value = 70
    out = io.BytesIO()
    workbook.save(out)
    response = _upload(coordinator, cycle, out.getvalue())
    assert response.status_code == 400
    assert "only its organisation may change" in response.content.decode()
    assert DataValue.objects.get(source__code="cso-shadow").value == 7


def test_only_coordinators_upload(cycle: Cycle) -> None:
    for name in ("focal", "monitor", "viewer"):
        client = _client(cycle, name)
        assert _upload(client, cycle, b"x").status_code == 403
    assert Client().get(f"/plans/{cycle.plan.code}/workbook.xlsx").status_code == 200  # public
