"""The response times as indicators of the plan (docs/stories.md, "Response times"): adopted by
the coordinators only, their figures computed from the signals by quarter and province, written
again idempotently after each step, and read like any other indicator's."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from tests.earlywarning.conftest import WarningWorld

from wpsmonitor.earlywarning import services
from wpsmonitor.earlywarning.models import ResponseIndicators, Signal
from wpsmonitor.indicators.models import (
    AuditAction,
    DataValue,
    DataValueAudit,
    ImportBatch,
    Indicator,
    IndicatorKind,
)

pytestmark = pytest.mark.django_db

TODAY = date(2025, 7, 1)


def _signal(
    ww: WarningWorld, area: str, received: date, ack: date | None = None, action: date | None = None
) -> Signal:
    status = "action_taken" if action else "acknowledged" if ack else "received"
    return Signal.objects.create(
        plan=ww.plan,
        organisation=ww.women,
        category="displacement",
        area=ww.world.areas[area],
        observed_on=received,
        severity="medium",
        source_type="monitor",
        description="x",
        status=status,
        received_on=received,
        acknowledged_on=ack,
        referred_on=ack if action else None,
        referred_to=ww.ministry if action else None,
        action_on=action,
    )


def _adopt(ww: WarningWorld, who: str = "coordinator", **kwargs: Any) -> ResponseIndicators:
    fields: dict[str, Any] = {"node": "PR", "target_days": 3}
    fields.update(kwargs)
    return services.response_indicators_adopt(by=ww.users[who], plan=ww.plan, **fields)


def _figures(ww: WarningWorld) -> dict[tuple[str, str, str], tuple[float, float]]:
    """(indicator, period, area) → (numerator, denominator), as stored."""
    return {
        (v.indicator.code, v.period.code, v.area.code): (v.numerator, v.denominator)
        for v in DataValue.objects.filter(indicator__plan=ww.plan).select_related(
            "indicator", "period", "area"
        )
    }


@pytest.fixture
def known(ww: WarningWorld) -> WarningWorld:
    """The set of tests/earlywarning/test_times.py, with a target of 3 days on TODAY."""
    # 2025Q1: Province 1 (two districts), Province 2.
    _signal(ww, "D11", date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 10))  # 1 and 4 days
    _signal(ww, "D12", date(2025, 1, 10), date(2025, 1, 15))  # 5 days; no action, overdue
    _signal(ww, "D21", date(2025, 2, 1), date(2025, 2, 3), date(2025, 2, 3))  # 2 and 2 days
    # 2025Q2: one overdue, one still within its target on TODAY (left out of the shares).
    _signal(ww, "P2", date(2025, 4, 1))
    _signal(ww, "D21", date(2025, 6, 29))
    return ww


EXPECTED = {
    # Acknowledged within 3 days: D11 yes, D12 no (5 days).
    ("EW-ACK", "2025Q1", "SEN-P1"): (1.0, 2.0),
    ("EW-ACK", "2025Q1", "SEN-P2"): (1.0, 1.0),
    # The signal of 1 April waits past its target: against; the one of 29 June is left out.
    ("EW-ACK", "2025Q2", "SEN-P2"): (0.0, 1.0),
    # Acted on within 3 days: D11 took 4, D12 waits past the target; D21 took 2.
    ("EW-ACT", "2025Q1", "SEN-P1"): (0.0, 2.0),
    ("EW-ACT", "2025Q1", "SEN-P2"): (1.0, 1.0),
    ("EW-ACT", "2025Q2", "SEN-P2"): (0.0, 1.0),
}


def test_the_coordinator_adopts_two_indicators_on_the_chosen_node(ww: WarningWorld) -> None:
    adopted = _adopt(ww, target_days=5)
    assert adopted.target_days == 5
    assert adopted.adopted_by == ww.users["coordinator"]
    for indicator, title in [
        (adopted.acknowledge, "Share of early-warning signals acknowledged within 5 days"),
        (adopted.respond, "Share of early-warning signals acted on within 5 days"),
    ]:
        indicator = Indicator.objects.select_related("node").get(pk=indicator.pk)
        assert indicator.title == title
        assert indicator.plan == ww.plan and indicator.node.code == "PR"
        assert indicator.kind == IndicatorKind.PERCENTAGE
        assert (indicator.frequency, indicator.time_rule) == ("quarter", "sum")
        # Counts of signals by province: disclosure control applies before publication.
        assert indicator.sensitivity == "sensitive"
    assert [adopted.acknowledge.code, adopted.respond.code] == ["EW-ACK", "EW-ACT"]


@pytest.mark.parametrize("who", ["monitor", "focal", "viewer", "outsider"])
def test_no_one_else_adopts_them(ww: WarningWorld, who: str) -> None:
    with pytest.raises(PermissionDenied):
        _adopt(ww, who)
    assert not ResponseIndicators.objects.exists()
    assert not Indicator.objects.filter(plan=ww.plan, code__startswith="EW-").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target_days": 0}, "target_days"),
        ({"target_days": 91}, "target_days"),
        ({"target_days": None}, "target_days"),
        ({"node": None}, "node"),
    ],
)
def test_a_bad_adoption_is_refused_and_creates_nothing(
    ww: WarningWorld, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _adopt(ww, **change)
    assert field in refused.value.message_dict
    assert not Indicator.objects.filter(plan=ww.plan, code__startswith="EW-").exists()


def test_an_unknown_node_and_a_second_adoption_are_refused(ww: WarningWorld) -> None:
    with pytest.raises(ValidationError):
        _adopt(ww, node="NOPE")
    assert not ResponseIndicators.objects.exists()
    _adopt(ww)
    with pytest.raises(ValidationError):
        _adopt(ww, target_days=7)
    assert Indicator.objects.filter(plan=ww.plan, code__startswith="EW-").count() == 2


def test_figures_by_quarter_and_province(known: WarningWorld) -> None:
    _adopt(known)
    changed = services.response_indicators_refresh(plan=known.plan, today=TODAY)
    assert changed > 0
    assert _figures(known) == EXPECTED
    value = DataValue.objects.filter(indicator__code="EW-ACK").select_related("source").first()
    assert value is not None
    # The government's official stream, stored as the adopting coordinator's.
    assert value.source.code == "gov"
    assert value.stored_by == known.users["coordinator"]


def test_running_it_again_changes_nothing(known: WarningWorld) -> None:
    _adopt(known)
    services.response_indicators_refresh(plan=known.plan, today=TODAY)
    stored = sorted(DataValue.objects.values_list("pk", "numerator", "denominator", "updated_at"))
    batches, audits = ImportBatch.objects.count(), DataValueAudit.objects.count()
    assert services.response_indicators_refresh(plan=known.plan, today=TODAY) == 0
    assert (
        sorted(DataValue.objects.values_list("pk", "numerator", "denominator", "updated_at"))
        == stored
    )
    assert (ImportBatch.objects.count(), DataValueAudit.objects.count()) == (batches, audits)
    # The command, on today's date: the second run writes nothing either.
    call_command("response_indicators", stdout=io.StringIO())
    again = io.StringIO()
    call_command("response_indicators", known.plan.code, stdout=again)
    assert again.getvalue().strip() == "nap-test: 0 figures written or deleted"


def test_a_signal_waiting_past_the_target_comes_to_count_against(ww: WarningWorld) -> None:
    _signal(ww, "D21", date(2025, 6, 29))
    _adopt(ww)
    services.response_indicators_refresh(plan=ww.plan, today=date(2025, 7, 1))
    # Within its target: not counted yet.
    assert _figures(ww) == {}
    services.response_indicators_refresh(plan=ww.plan, today=date(2025, 7, 3))
    assert _figures(ww) == {
        ("EW-ACK", "2025Q2", "SEN-P2"): (0.0, 1.0),
        ("EW-ACT", "2025Q2", "SEN-P2"): (0.0, 1.0),
    }


def test_each_step_writes_the_figures_again(ww: WarningWorld) -> None:
    today = timezone.localdate()
    ww.plan.start, ww.plan.end = today - timedelta(days=400), today + timedelta(days=400)
    ww.plan.save(update_fields=["start", "end"])
    _adopt(ww)
    signal = ww.receive(observed_on=today)
    assert _figures(ww) == {}
    quarter = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    services.signal_acknowledge(by=ww.users["coordinator"], signal=signal)
    assert _figures(ww) == {("EW-ACK", quarter, "SEN-P1"): (1.0, 1.0)}
    signal = services.signal_refer(by=ww.users["coordinator"], signal=signal, to=ww.ministry)
    # The ministry's focal point records the action: the figures follow, though they may not
    # adopt the indicators.
    services.signal_record_action(by=ww.users["focal"], signal=signal, action="Patrols sent.")
    assert _figures(ww) == {
        ("EW-ACK", quarter, "SEN-P1"): (1.0, 1.0),
        ("EW-ACT", quarter, "SEN-P1"): (1.0, 1.0),
    }


def test_a_signal_of_the_whole_country_puts_its_quarter_on_the_country(
    known: WarningWorld,
) -> None:
    _adopt(known)
    services.response_indicators_refresh(plan=known.plan, today=TODAY)
    # Acknowledged in 2 days, for the whole country: a figure of the country and figures of
    # its provinces cannot sit side by side, so 2025Q1 is counted on the country.
    _signal(known, "N", date(2025, 3, 1), date(2025, 3, 3))
    services.response_indicators_refresh(plan=known.plan, today=TODAY)
    figures = _figures(known)
    assert figures[("EW-ACK", "2025Q1", "SEN")] == (3.0, 4.0)
    assert figures[("EW-ACT", "2025Q1", "SEN")] == (1.0, 4.0)  # the country's past its target
    assert ("EW-ACK", "2025Q1", "SEN-P1") not in figures
    assert figures[("EW-ACK", "2025Q2", "SEN-P2")] == (0.0, 1.0)  # other quarters stay
    deleted = DataValueAudit.objects.filter(action=AuditAction.DELETE)
    assert deleted.count() == 4  # the provinces' figures of 2025Q1, audited


def test_the_figures_are_read_like_any_other_indicators(
    known: WarningWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _adopt(known)
    with django_capture_on_commit_callbacks(execute=True):
        services.response_indicators_refresh(plan=known.plan, today=TODAY)
    client = Client()
    client.force_login(known.users["viewer"])
    # The indicator's page: 2 of the 4 signals counted in 2025 acknowledged within 3 days.
    page = client.get(f"/plans/{known.plan.code}/indicators/EW-ACK/", {"period": "2025"})
    assert page.status_code == 200
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "Value 50.0% (2 / 4)" in shown
    # The API's computed figures: the country, then by province.
    answer = client.get(
        f"/api/v1/plans/{known.plan.code}/indicators/EW-ACT/aggregates", {"period": "2025Q1"}
    )
    assert answer.status_code == 200
    data = answer.json()
    assert (data["total"]["numerator"], data["total"]["denominator"]) == (1.0, 3.0)
    by_area = {a["area"]: a["value"] for a in data["areas"]}
    assert by_area == {"SEN-P1": 0.0, "SEN-P2": 100.0}


def test_the_plan_page_shows_them_on_their_pillar_instead_of_the_table(
    known: WarningWorld, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.force_login(known.users["viewer"])
    before = client.get(f"/plans/{known.plan.code}/").content.decode()
    assert "Median days to acknowledge" in before and "EW-ACK" not in before
    with django_capture_on_commit_callbacks(execute=True):
        _adopt(known)
    page = client.get(f"/plans/{known.plan.code}/").content.decode()
    assert "Median days to acknowledge" not in page  # the table gave way
    tree = page.split('id="framework-title"')[1].split('id="response-times-title"')[0]
    assert "EW-ACK" in tree and "EW-ACT" in tree
    section = page.split('id="response-times-title"')[1].split("</section>")[0]
    assert f'href="/plans/{known.plan.code}/indicators/EW-ACK/' in section


@pytest.mark.parametrize("who", ["monitor", "focal", "viewer"])
def test_the_adoption_page_is_the_coordinators(ww: WarningWorld, who: str) -> None:
    url = f"/plans/{ww.plan.code}/early-warning/response-indicators/"
    client = Client()
    client.force_login(ww.users[who])
    assert client.get(url).status_code == 403
    assert client.post(url, {"node": "PR", "target_days": "3"}).status_code == 403
    assert not ResponseIndicators.objects.exists()
    times = client.get(f"/plans/{ww.plan.code}/early-warning/response-times/").content.decode()
    assert url not in times


def test_the_coordinator_adopts_them_on_the_page(ww: WarningWorld) -> None:
    url = f"/plans/{ww.plan.code}/early-warning/response-indicators/"
    client = Client()
    client.force_login(ww.users["coordinator"])
    times = client.get(f"/plans/{ww.plan.code}/early-warning/response-times/").content.decode()
    assert f'href="{url}"' in times
    form = client.get(url).content.decode()
    assert 'name="node"' in form and 'name="target_days"' in form
    refused = client.post(url, {"node": "PR", "target_days": "200"}, follow=True)
    assert "The target is a number of days from 1 to 90." in refused.content.decode()
    assert not ResponseIndicators.objects.exists()
    done = client.post(url, {"node": "PR", "target_days": "4"})
    assert done.status_code == 302
    adopted = ResponseIndicators.objects.get(plan=ww.plan)
    assert (adopted.node.code, adopted.target_days) == ("PR", 4)
    shown = client.get(url).content.decode()
    assert "Share of early-warning signals acted on within 4 days" in shown
    assert 'name="target_days"' not in shown


def test_the_command_refuses_a_plan_without_them(ww: WarningWorld) -> None:
    with pytest.raises(CommandError):
        call_command("response_indicators", ww.plan.code)
