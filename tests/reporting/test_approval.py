"""Approval: the submission's figures reach the fact table as they are stored (ids and numbers),
checked once on their way in, and a request loads the caller's rights once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.reporting.conftest import Cycle
from tests.reporting.helpers import field, save

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.indicators.ingest import ValueIngest
from wpsmonitor.indicators.models import DataValue, ImportBatch, Indicator
from wpsmonitor.reporting import services
from wpsmonitor.reporting.entry import build_sheet, sheet_fields
from wpsmonitor.reporting.models import Submission, SubmissionStatus


@pytest.fixture
def submitted(cycle: Cycle) -> Submission:
    """A government submission of several figures (a grid, a yes/no, a narrative), submitted."""
    focal = cycle.users["focal"]
    draft = services.submission_start(
        by=focal, round_=cycle.round, organisation=cycle.built.ministry, area=cycle.province
    )
    changes = {
        field(cycle.grid, code): str(number)
        for number, code in enumerate(
            ("sex=F;age=0-17", "sex=F;age=18-29", "sex=M;age=18-29", "sex=M;age=60+"), start=3
        )
    }
    changes[field(cycle.yes_no, "total")] = "1"
    changes[field(cycle.narrative, "total", "t")] = "Roads cut by the rains"
    assert save(focal, draft, changes).ok
    assert services.submission_submit(by=focal, submission=draft).ok
    return draft


def _rights_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts PlanAccess.load calls from now on."""
    calls: list[int] = []
    load = PlanAccess.load.__func__  # type: ignore[attr-defined]

    def counted(cls: type[PlanAccess], user: Any, plan: Any) -> PlanAccess:
        calls.append(1)
        return load(cls, user, plan)  # type: ignore[no-any-return]

    monkeypatch.setattr(PlanAccess, "load", classmethod(counted))
    return calls


def test_approval_stores_the_figures_without_parsing_them_again(
    cycle: Cycle, submitted: Submission, monkeypatch: pytest.MonkeyPatch
) -> None:
    def text_rows(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("approval turned the stored figures back into text rows")

    monkeypatch.setattr(ValueIngest, "add_rows", text_rows)
    with CaptureQueriesContext(connection) as queries:
        services.submission_approve(by=cycle.users["coordinator"], submission=submitted)
    # Checked once: one ingest session (one batch), no dry run before it.
    batches = [
        q for q in queries.captured_queries if 'INSERT INTO "indicators_importbatch"' in q["sql"]
    ]
    assert len(batches) == 1
    stored = {
        (v.indicator.code, v.cell.code): (v.value, v.text_value)
        for v in DataValue.objects.filter(batch__kind="submission").select_related(
            "indicator", "cell"
        )
    }
    assert stored == {
        ("IND-GRID", "sex=F;age=0-17"): (3.0, ""),
        ("IND-GRID", "sex=F;age=18-29"): (4.0, ""),
        ("IND-GRID", "sex=M;age=18-29"): (5.0, ""),
        ("IND-GRID", "sex=M;age=60+"): (6.0, ""),
        ("IND-YN", "total"): (1.0, ""),
        ("IND-NAR", "total"): (None, "Roads cut by the rains"),
    }
    batch = ImportBatch.objects.get(kind="submission")
    assert (batch.kind, batch.filename, batch.rows, batch.created) == (
        "submission",
        f"submission {submitted.pk}",
        6,
        6,
    )
    assert batch.user == cycle.users["focal"]  # the author's figures, not the approver's


def test_a_figure_refused_since_submission_refuses_the_approval(
    cycle: Cycle, submitted: Submission
) -> None:
    # Data changed under the submission: the grid is now reported yearly, not quarterly.
    Indicator.objects.filter(pk=cycle.grid.pk).update(frequency="year")
    with pytest.raises(ValidationError, match="no longer passes validation"):
        services.submission_approve(by=cycle.users["coordinator"], submission=submitted)
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.SUBMITTED
    assert not DataValue.objects.filter(indicator=cycle.grid).exists()
    assert not ImportBatch.objects.filter(kind="submission").exists()


def test_an_outlier_without_a_comment_since_submission_refuses_the_approval(
    cycle: Cycle, submitted: Submission
) -> None:
    # The expected range narrowed after submission: 5 and 6 are now outliers, uncommented.
    Indicator.objects.filter(pk=cycle.grid.pk).update(expected_max=4)
    with pytest.raises(ValidationError, match="no longer passes validation"):
        services.submission_approve(by=cycle.users["coordinator"], submission=submitted)
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.SUBMITTED
    assert not DataValue.objects.filter(indicator=cycle.grid).exists()
    assert not ImportBatch.objects.filter(kind="submission").exists()


def test_a_decision_loads_the_callers_rights_once(
    cycle: Cycle, submitted: Submission, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    client.force_login(cycle.users["coordinator"])
    loads = _rights_loads(monkeypatch)
    response = client.post(
        f"/submissions/{submitted.pk}/decide/", {"do": "approve", "confirm": "yes"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.APPROVED
    assert len(loads) == 1


def test_saving_and_submitting_loads_the_callers_rights_once(
    cycle: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monitor = cycle.users["monitor"]
    submission = services.submission_start(
        by=monitor,
        round_=cycle.round,
        organisation=cycle.built.cso,
        area=cycle.plan.area,
        civil_society=True,
    )
    posted = sheet_fields(build_sheet(submission)) | {
        field(cycle.grid, "sex=F;age=18-29"): "4",
        "do": "submit",
        "confirm": "yes",
    }
    client = Client()
    client.force_login(monitor)
    loads = _rights_loads(monkeypatch)
    response = client.post(f"/submissions/{submission.pk}/edit/", posted)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PUBLISHED
    assert DataValue.objects.get(indicator=cycle.grid).value == 4.0
    assert len(loads) == 1
