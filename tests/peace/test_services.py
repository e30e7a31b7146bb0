"""Women's share computed from the seats (a case worked by hand), and bad input refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.peace.conftest import PeaceWorld, seats

from wpsmonitor.peace import selectors, services
from wpsmonitor.peace.models import Consultation, Delegation, Seat


def test_round_one_two_women_of_ten_negotiators_is_twenty_percent(pw: PeaceWorld) -> None:
    by = pw.users["coordinator"]
    process = services.process_record(
        by=by, plan=pw.plan, name="Talks", level="local", status="ongoing"
    )
    first = services.round_record(by=by, process=process, number=1, started_on=date(2024, 3, 1))
    services.delegation_record(
        by=by, round=first, party="Government", seats=seats(negotiator_women=2, negotiator_men=8)
    )
    (row,) = selectors.trend(process)
    assert row.by_role["negotiator"].share == Decimal("0.2000")
    assert row.by_role["negotiator"].percent == 20.0
    assert row.by_role["mediator"].share is None  # no mediator: no share, not 0 %
    assert row.overall.share == Decimal("0.2000")


def test_trend_over_three_rounds(trio: PeaceWorld) -> None:
    rows = selectors.trend(trio.process)  # type: ignore[arg-type]
    assert [r.round.number for r in rows] == [1, 2, 3]
    negotiators = [r.by_role["negotiator"] for r in rows]
    assert [(s.women, s.known) for s in negotiators] == [(2, 15), (4, 15), (5, 10)]
    assert [s.share for s in negotiators] == [
        Decimal("0.1333"),
        Decimal("0.2667"),
        Decimal("0.5000"),
    ]
    assert [r.by_role["mediator"].share for r in rows] == [
        Decimal("0"),
        Decimal("0.5"),
        Decimal("0.5"),
    ]
    assert [r.by_role["signatory"].share for r in rows] == [None, None, Decimal("0.25")]
    # Not recorded sits beside the share, never in it.
    assert rows[1].by_role["negotiator"].not_recorded == 2
    assert [(r.overall.women, r.overall.known) for r in rows] == [(2, 16), (5, 17), (9, 18)]
    assert rows[2].by_role["observer"].women == 2
    assert [r.delegations for r in rows] == [3, 3, 2]


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        ({("negotiator", "women"): -1}, "0 or more"),
        ({("president", "women"): 2}, "Unknown role president"),
        ({("negotiator", "girls"): 2}, "Unknown sex girls"),
        ({("negotiator", "women"): 5000}, "at most"),
    ],
)
def test_bad_seats_are_refused_and_nothing_is_kept(
    trio: PeaceWorld, given: dict[tuple[str, str], int], fragment: str
) -> None:
    before = (Delegation.objects.count(), Seat.objects.count())
    with pytest.raises(ValidationError) as refused:
        services.delegation_record(
            by=trio.users["coordinator"], round=trio.rounds[0], party="New party", seats=given
        )
    assert fragment in " ".join(refused.value.messages)
    assert (Delegation.objects.count(), Seat.objects.count()) == before


def test_round_dates_outside_the_process_are_refused(trio: PeaceWorld) -> None:
    by = trio.users["coordinator"]
    for start, end in ((date(2023, 12, 1), None), (date(2024, 12, 20), date(2025, 1, 5))):
        with pytest.raises(ValidationError, match="within the process"):
            services.round_record(
                by=by,
                process=trio.process,
                number=9,
                started_on=start,
                ended_on=end,  # type: ignore[arg-type]
            )
    with pytest.raises(ValidationError, match="already has a round"):
        services.round_record(by=by, process=trio.process, number=1, started_on=date(2024, 6, 1))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="cannot end before"):
        services.round_record(
            by=by,
            process=trio.process,
            number=8,
            started_on=date(2024, 6, 2),
            ended_on=date(2024, 6, 1),  # type: ignore[arg-type]
        )


def test_narrowing_a_process_leaving_rounds_outside_is_refused(trio: PeaceWorld) -> None:
    process = trio.process
    assert process is not None
    with pytest.raises(ValidationError, match="include the dates of its rounds"):
        services.process_record(
            by=trio.users["coordinator"],
            plan=trio.plan,
            name=process.name,
            level="national",
            status="ongoing",
            started_on=date(2024, 3, 1),
            process=process,
        )


def test_unknown_level_and_missing_party_are_refused(pw: PeaceWorld) -> None:
    by = pw.users["coordinator"]
    with pytest.raises(ValidationError, match="national, regional or local"):
        services.process_record(by=by, plan=pw.plan, name="X", level="global", status="ongoing")


@pytest.mark.parametrize("who", ["monitor", "focal", "viewer", "outsider"])
def test_only_the_coordinator_records_processes_rounds_delegations(
    trio: PeaceWorld, who: str
) -> None:
    by = trio.users[who]
    with pytest.raises(PermissionDenied):
        services.process_record(
            by=by, plan=trio.plan, name="Other", level="local", status="planned"
        )
    with pytest.raises(PermissionDenied):
        services.round_record(by=by, process=trio.process, number=7, started_on=date(2024, 6, 1))  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        services.delegation_record(by=by, round=trio.rounds[0], party="P", seats={})


def _consult(pw: PeaceWorld, who: str, **kwargs: object) -> Consultation:
    fields: dict[str, object] = {
        "held_on": date(2024, 1, 20),
        "stage": "before",
        "method": "meeting",
        "organisations_consulted": 12,
        "womens_organisations": 7,
        "asked": "A quota of women in every delegation.",
        "in_outcome": "partly",
    }
    fields.update(kwargs)
    return services.consultation_record(by=pw.users[who], process=pw.process, **fields)  # type: ignore[arg-type]


def test_consultations_who_records(trio: PeaceWorld) -> None:
    assert _consult(trio, "coordinator").organisation is None
    # A civil-society monitor records for their own organisation, never for none or another.
    assert _consult(trio, "monitor", organisation=trio.women).organisation == trio.women
    with pytest.raises(PermissionDenied):
        _consult(trio, "monitor")
    with pytest.raises(PermissionDenied):
        _consult(trio, "focal", organisation=trio.ministry)
    with pytest.raises(PermissionDenied):
        _consult(trio, "viewer")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"womens_organisations": 13}, "no more than"),
        ({"organisations_consulted": -1}, "0 or more"),
        ({"method": "telepathy"}, "how they were consulted"),
        ({"in_outcome": "maybe"}, "appears in the outcome"),
        ({"asked": "  "}, "what they asked"),
        ({"held_on": date(2025, 2, 1)}, "not after it"),
    ],
)
def test_bad_consultations_are_refused(
    trio: PeaceWorld, kwargs: dict[str, object], fragment: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _consult(trio, "coordinator", **kwargs)
    assert fragment in " ".join(refused.value.messages)
    assert not Consultation.objects.exists()
