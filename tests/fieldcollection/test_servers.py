"""ODK Central and KoboToolbox from recorded answers (no network): publish, pull across pages,
and the pulled batch imported as a draft by the organisation's focal point."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.reporting.conftest import Cycle

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.fieldcollection import remote, services
from wpsmonitor.fieldcollection.clients import Kobo, OdkCentral, ServerError
from wpsmonitor.fieldcollection.models import FieldBatch, FieldForm
from wpsmonitor.fieldcollection.xlsform import form_spec
from wpsmonitor.reporting.models import SubmissionStatus, SubmissionValue

KOBO = "https://kf.example.org"
ODK = "https://central.example.org"


def _values(cycle: Cycle) -> dict[str, str]:
    spec = form_spec(cycle.round, cycle.built.ministry, cycle.province, "en")
    return {"__VERSION__": spec.version, "__PLAN__": cycle.plan.code, "FORMID": spec.form_id}


def _access(cycle: Cycle, user: str) -> PlanAccess:
    return PlanAccess.load(cycle.users[user], cycle.plan)  # type: ignore[arg-type]


def test_kobo_paging_follows_next_across_three_pages(cycle: Cycle, replay) -> None:  # type: ignore[no-untyped-def]
    values = _values(cycle)
    replay("kobo_publish.json", **values)
    kobo = Kobo(KOBO, "recorded-token", wait=0)
    coordinator = cycle.users["coordinator"]
    form = remote.form_send(
        by=coordinator,  # type: ignore[arg-type]
        access=_access(cycle, "coordinator"),
        round_=cycle.round,
        organisation=cycle.built.ministry,
        area=cycle.province,
        language="fr",
        server=kobo,
    )
    assert (form.server, form.reference) == ("kobo", "aKoboAsset1")
    player = replay("kobo_data_three_pages.json", **values)
    batch = remote.submissions_pull(
        by=coordinator,  # type: ignore[arg-type]
        access=_access(cycle, "coordinator"),
        round_=cycle.round,
        organisation=cycle.built.ministry,
        area=cycle.province,
        server=kobo,
    )
    assert [r.full_url.rsplit("/", 1)[1] for r in player.requests] == [
        "?format=json&limit=1000",
        "?format=json&limit=1000&start=1000",
        "?format=json&limit=1000&start=2000",
    ]
    assert player.requests[0].get_header("Authorization") == "Token recorded-token"
    assert len(batch.records) == 5 and batch.is_pending
    # The coordinator pulls; only the organisation's focal point imports (the authors' side).
    with pytest.raises(PermissionDenied):
        services.batch_import(by=coordinator, batch=batch)  # type: ignore[arg-type]
    imported = services.batch_import(by=cycle.users["focal"], batch=batch)  # type: ignore[arg-type]
    assert imported.imported == 5 and imported.submission is not None
    assert imported.submission.status == SubmissionStatus.DRAFT
    figures = {
        (v.cell.code, v.value)
        for v in SubmissionValue.objects.filter(
            submission=imported.submission, indicator=cycle.grid
        )
    }
    assert figures == {
        ("sex=F;age=18-29", 12.0),
        ("sex=M;age=18-29", 7.0),
        ("sex=F;age=30-59", 4.0),
    }


def test_odk_central_publish_and_pull_from_recorded_answers(cycle: Cycle, replay) -> None:  # type: ignore[no-untyped-def]
    values = _values(cycle)
    odk = OdkCentral(ODK, "secretariat@example.org", "recorded", "3")
    replay("odk_publish.json", **values)
    form = remote.form_send(
        by=cycle.users["coordinator"],  # type: ignore[arg-type]
        access=_access(cycle, "coordinator"),
        round_=cycle.round,
        organisation=cycle.built.ministry,
        area=cycle.province,
        language="en",
        server=odk,
    )
    assert FieldForm.objects.get().reference == values["FORMID"] == form.reference
    odk = OdkCentral(ODK, "secretariat@example.org", "recorded", "3")
    player = replay("odk_pull.json", **values)
    batch = remote.submissions_pull(
        by=cycle.users["coordinator"],  # type: ignore[arg-type]
        access=_access(cycle, "coordinator"),
        round_=cycle.round,
        organisation=cycle.built.ministry,
        area=cycle.province,
        server=odk,
    )
    assert len(player.requests) == 3 and not player.exchanges
    assert player.requests[1].get_header("Authorization") == "Bearer recorded-session-token"
    imported = services.batch_import(by=cycle.users["focal"], batch=batch)  # type: ignore[arg-type]
    assert imported.imported == 3
    stored = SubmissionValue.objects.filter(submission=imported.submission)
    percentage = stored.exclude(numerator=None).get()
    assert (percentage.numerator, percentage.denominator) == (9.0, 12.0)


def test_a_focal_point_cannot_use_the_server(cycle: Cycle) -> None:
    with pytest.raises(PermissionDenied):
        remote.submissions_pull(
            by=cycle.users["focal"],  # type: ignore[arg-type]
            access=_access(cycle, "focal"),
            round_=cycle.round,
            organisation=cycle.built.ministry,
            area=cycle.province,
            server=Kobo(KOBO, "t"),
        )


PAGE_2 = f"{KOBO}/api/v2/assets/aKoboAsset1/data/?format=json&limit=1000&start=1000"
PAGE_3 = f"{KOBO}/api/v2/assets/aKoboAsset1/data/?format=json&limit=1000&start=2000"


@pytest.mark.parametrize(
    ("replaced", "by", "message"),
    [
        (PAGE_2, PAGE_2.replace(KOBO, "https://evil.example.net"), "to another address: refused"),
        (PAGE_3, PAGE_2, "the same page twice: stopped"),
    ],
)
def test_kobo_paging_stays_on_the_server_and_never_loops(  # type: ignore[no-untyped-def]
    cycle: Cycle, replay, replaced: str, by: str, message: str
) -> None:
    values = _values(cycle)
    player = replay("kobo_data_three_pages.json", **values, **{replaced: by})
    with pytest.raises(ServerError) as refused:
        Kobo(KOBO, "recorded-token").submissions("aKoboAsset1")
    assert message in str(refused.value)
    assert all(r.full_url.startswith(KOBO) for r in player.requests)


def test_a_pull_above_the_bound_keeps_nothing(cycle: Cycle, replay, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FIELD_COLLECTION_MAX_SUBMISSIONS = 4
    values = _values(cycle)
    kobo = Kobo(KOBO, "recorded-token", wait=0)
    coordinator = cycle.users["coordinator"]
    where = {
        "round_": cycle.round,
        "organisation": cycle.built.ministry,
        "area": cycle.province,
        "server": kobo,
    }
    replay("kobo_publish.json", **values)
    remote.form_send(
        by=coordinator,  # type: ignore[arg-type]
        access=_access(cycle, "coordinator"),
        language="en",
        **where,  # type: ignore[arg-type]
    )
    replay("kobo_data_three_pages.json", **values)
    with pytest.raises(ValidationError) as refused:
        remote.submissions_pull(
            by=coordinator,  # type: ignore[arg-type]
            access=_access(cycle, "coordinator"),
            **where,  # type: ignore[arg-type]
        )
    assert "more than 4 submissions" in " ".join(refused.value.messages)
    assert not FieldBatch.objects.exists()
