"""Submissions land as a draft of the assignment's organisation, all or nothing, through the
reporting services; stale forms are refused, duplicates skipped, problems named."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from tests.reporting.conftest import Cycle

from wpsmonitor.fieldcollection import services
from wpsmonitor.fieldcollection.models import FieldBatch, FieldInstance
from wpsmonitor.fieldcollection.xlsform import form_spec
from wpsmonitor.reporting.models import (
    EventKind,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    SubmissionValue,
)


def _record(cycle: Cycle, instance: str, **fields: str) -> dict[str, Any]:
    spec = form_spec(cycle.round, cycle.built.ministry, cycle.province, "en")
    return {
        "meta/instanceID": instance,
        "wps_plan": cycle.plan.code,
        "wps_round": "2025Q1",
        "wps_assignment": spec.assignment,
        "wps_framework": spec.version,
        **fields,
    }


def _import(cycle: Cycle, records: list[dict[str, Any]], user: str = "focal") -> FieldBatch:
    return services.records_import(
        by=cycle.users[user],  # type: ignore[arg-type]
        round_=cycle.round,
        organisation=cycle.built.ministry,
        area=cycle.province,
        records=records,
        origin="upload",
    )


def test_submissions_land_as_a_draft_never_approved(cycle: Cycle) -> None:
    batch = _import(
        cycle,
        [
            _record(cycle, "uuid:a", **{"g__IND_GRID/v__IND_GRID__sex_F__age_18_29": "12"}),
            _record(cycle, "uuid:b", v__IND_YN="1", as__P1_O1_1_A1="ongoing", ap__P1_O1_1_A1="30"),
        ],
    )
    submission = Submission.objects.get(pk=batch.submission_id)
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.organisation == cycle.built.ministry
    values = {
        v.indicator.code: v.value for v in SubmissionValue.objects.filter(submission=submission)
    }
    assert values == {"IND-GRID": 12.0, "IND-YN": 1.0}
    assert submission.actions.get().percent_complete == 30
    saved = SubmissionEvent.objects.filter(submission=submission, kind=EventKind.SAVED)
    assert saved.count() == 2 and {e.actor for e in saved} == {cycle.users["focal"]}
    assert (batch.imported, batch.skipped) == (2, 0)
    from wpsmonitor.indicators.models import DataValue

    assert not DataValue.objects.filter(indicator=cycle.grid).exists()


def test_a_form_of_an_older_framework_is_refused(cycle: Cycle) -> None:
    record = _record(cycle, "uuid:old", v__IND_YN="1")
    record["wps_framework"] = "0123456789abcdef"
    with pytest.raises(services.FieldImportRefused) as refused:
        _import(cycle, [_record(cycle, "uuid:good", v__IND_YN="0"), record])
    (line,) = refused.value.lines()
    assert line.startswith("submission uuid:old: field wps_framework: ")
    assert "another version of the framework" in line and "download the XLSForm again" in line
    assert not Submission.objects.exists() and not FieldBatch.objects.exists()


def test_a_duplicate_instance_is_skipped(cycle: Cycle) -> None:
    first = [_record(cycle, "uuid:a", v__IND_YN="1")]
    _import(cycle, first)
    again = _import(cycle, [*first, _record(cycle, "uuid:c", t__IND_NAR="Roads cut.")])
    assert (again.imported, again.skipped) == (1, 1)
    assert FieldInstance.objects.count() == 2


def test_every_bad_field_is_named_with_its_submission_and_nothing_is_stored(cycle: Cycle) -> None:
    records = [
        _record(cycle, "uuid:ok", v__IND_YN="1"),
        _record(cycle, "uuid:bad", v__IND_GRID__sex_F__age_18_29="12.5", as__P1_O1_1_A1="finished"),
        _record(cycle, "uuid:odd", v__IND_NOPE="3"),
    ]
    with pytest.raises(services.FieldImportRefused) as refused:
        _import(cycle, records)
    lines = refused.value.lines()
    assert any(
        line.startswith("submission uuid:bad: field v__IND_GRID__sex_F__age_18_29: ")
        and "whole number" in line
        for line in lines
    ), lines
    assert any(line.startswith("submission uuid:bad: field as__P1_O1_1_A1: ") for line in lines)
    assert "submission uuid:odd: field v__IND_NOPE: not a field of this form" in lines
    assert not SubmissionValue.objects.exists() and not FieldInstance.objects.exists()


@pytest.mark.parametrize(
    "user", ["coordinator", "police_focal", "focal_other_area", "viewer", "monitor"]
)
def test_only_the_organisations_focal_points_import(cycle: Cycle, user: str) -> None:
    with pytest.raises(PermissionDenied):
        _import(cycle, [_record(cycle, "uuid:a", v__IND_YN="1")], user=user)
    assert not Submission.objects.exists()


@pytest.mark.slow
def test_the_demo_imports_the_nord_kivu_batch_as_a_draft(db: None) -> None:
    from wpsmonitor.demo.builder import demo_load

    demo_load(rebuild=False, reports=False)
    batch = FieldBatch.objects.get()
    assert (batch.imported, batch.skipped, batch.origin) == (3, 0, "kobo")
    assert batch.submission is not None
    assert batch.submission.status == SubmissionStatus.DRAFT
    assert (batch.submission.organisation.code, batch.submission.area.code) == (
        "demo-mgfe",
        "CD-NK",
    )
    assert SubmissionValue.objects.filter(submission=batch.submission).count() == 9


def test_instances_apply_in_the_order_they_were_submitted(cycle: Cycle) -> None:
    """The export's order is not the field's: the later instance's figure is the draft's."""
    name = "v__IND_GRID__sex_F__age_18_29"
    later = _record(cycle, "uuid:later", _submission_time="2025-03-05T10:00:00", **{name: "20"})
    earlier = _record(cycle, "uuid:earlier", _submission_time="2025-03-01T10:00:00", **{name: "12"})
    batch = _import(cycle, [later, earlier])
    stored = SubmissionValue.objects.get(submission_id=batch.submission_id, indicator=cycle.grid)
    assert stored.value == 20.0


def test_a_duplicate_within_one_batch_is_skipped(cycle: Cycle) -> None:
    same = _record(cycle, "uuid:twice", v__IND_YN="1")
    batch = _import(cycle, [same, dict(same)])
    assert (batch.imported, batch.skipped) == (1, 1)
    assert list(FieldInstance.objects.values_list("instance_id", flat=True)) == ["uuid:twice"]


def test_a_record_of_another_round_or_assignment_is_refused(cycle: Cycle) -> None:
    other_round = _record(cycle, "uuid:round", v__IND_YN="1", wps_round="2025Q2")
    other_area = _record(
        cycle,
        "uuid:area",
        v__IND_YN="1",
        wps_assignment=f"{cycle.built.ministry.code}@{cycle.built.provinces[1].code}",
    )
    with pytest.raises(services.FieldImportRefused) as refused:
        _import(cycle, [other_round, other_area])
    assert refused.value.lines() == [
        "submission uuid:round: field wps_round: '2025Q2' is not this form's '2025Q1'",
        f"submission uuid:area: field wps_assignment: "
        f"'{cycle.built.ministry.code}@{cycle.built.provinces[1].code}' is not this form's "
        f"'{cycle.built.ministry.code}@{cycle.province.code}'",
    ]
    assert not Submission.objects.exists() and not FieldInstance.objects.exists()
