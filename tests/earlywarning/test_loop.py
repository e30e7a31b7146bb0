"""The response loop (docs/stories.md, "The response loop"): each step in order, with its day
and who took it; steps out of order, too early, in the future or by the wrong person refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from tests.earlywarning.conftest import WarningWorld

from wpsmonitor.earlywarning import services
from wpsmonitor.earlywarning.models import Signal

pytestmark = pytest.mark.django_db


def test_the_loop_in_order_with_days_and_who(ww: WarningWorld) -> None:
    coordinator, focal = ww.users["coordinator"], ww.users["focal"]
    today = timezone.localdate()
    signal = ww.receive()
    services.signal_acknowledge(by=coordinator, signal=signal)
    services.signal_refer(by=coordinator, signal=signal, to=ww.ministry)
    # The organisation it is referred to records what it did.
    services.signal_record_action(by=focal, signal=signal, action="Patrols escorted the market.")
    services.signal_close(by=coordinator, signal=signal)
    stored = Signal.objects.get()
    assert stored.status == "closed" and stored.referred_to == ww.ministry
    assert (
        stored.acknowledged_on
        == stored.referred_on
        == stored.action_on
        == stored.closed_on
        == today
    )
    assert (stored.acknowledged_by, stored.action_by, stored.closed_by) == (
        coordinator,
        focal,
        coordinator,
    )
    page = Client()
    page.force_login(coordinator)
    html = page.get(f"/plans/{ww.plan.code}/early-warning/{signal.pk}/").content.decode()
    for step in ("Received", "Acknowledged", "Referred", "Action taken", "Closed"):
        assert step in html
    assert "Patrols escorted the market." in html and "focal" in html


def test_steps_out_of_order_are_refused(ww: WarningWorld) -> None:
    coordinator = ww.users["coordinator"]
    signal = ww.receive()
    with pytest.raises(ValidationError, match="not the next one"):
        services.signal_refer(by=coordinator, signal=signal, to=ww.ministry)
    with pytest.raises(ValidationError, match="not the next one"):
        services.signal_record_action(by=coordinator, signal=signal, action="Done")
    with pytest.raises(ValidationError, match="not the next one"):
        services.signal_close(by=coordinator, signal=signal)
    services.signal_acknowledge(by=coordinator, signal=signal)
    with pytest.raises(ValidationError, match="not the next one"):
        services.signal_acknowledge(by=coordinator, signal=signal)
    with pytest.raises(ValidationError, match="not the next one"):
        services.signal_close(by=coordinator, signal=signal)
    assert Signal.objects.get().status == "acknowledged"


def test_a_step_before_the_previous_one_or_in_the_future_is_refused(ww: WarningWorld) -> None:
    coordinator = ww.users["coordinator"]
    signal = ww.receive()
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="before it was received"):
        services.signal_acknowledge(by=coordinator, signal=signal, on=today - timedelta(days=1))
    with pytest.raises(ValidationError, match="future"):
        services.signal_acknowledge(by=coordinator, signal=signal, on=today + timedelta(days=1))
    assert Signal.objects.get().status == "received"


def test_a_referral_needs_its_organisation_and_an_action_its_words(ww: WarningWorld) -> None:
    coordinator = ww.users["coordinator"]
    signal = ww.acknowledged()
    with pytest.raises(ValidationError, match="to whom"):
        services.signal_refer(by=coordinator, signal=signal, to=None)
    services.signal_refer(by=coordinator, signal=signal, to=ww.ministry)
    with pytest.raises(ValidationError, match="what action"):
        services.signal_record_action(by=coordinator, signal=signal, action="  ")


@pytest.mark.parametrize("who", ["monitor", "viewer", "focal", "other_monitor", "outsider"])
def test_only_coordinators_acknowledge_refer_and_close(ww: WarningWorld, who: str) -> None:
    signal = ww.receive()
    with pytest.raises(PermissionDenied):
        services.signal_acknowledge(by=ww.users[who], signal=signal)
    with pytest.raises(PermissionDenied):
        services.intake_token_issue(by=ww.users[who], plan=ww.plan, organisation=ww.women)


@pytest.mark.parametrize("who", ["monitor", "viewer", "other_monitor", "outsider"])
def test_only_the_referred_organisation_or_a_coordinator_records_the_action(
    ww: WarningWorld, who: str
) -> None:
    signal = ww.referred()
    with pytest.raises(PermissionDenied):
        services.signal_record_action(by=ww.users[who], signal=signal, action="Done")


def test_the_page_refuses_a_step_out_of_order_and_says_why(ww: WarningWorld) -> None:
    signal = ww.receive()
    client = Client()
    client.force_login(ww.users["coordinator"])
    url = f"/plans/{ww.plan.code}/early-warning/{signal.pk}/"
    answer = client.post(url + "step/", {"do": "refer", "to": "min-interior"}, follow=True)
    assert "not the next one" in answer.content.decode()
    assert Signal.objects.get().status == "received"
    client.post(url + "step/", {"do": "acknowledge", "on": str(timezone.localdate())})
    assert Signal.objects.get().status == "acknowledged"
    # A focal point of the referred organisation may not acknowledge, refer or close.
    focal = Client()
    focal.force_login(ww.users["focal"])
    focal.post(url + "step/", {"do": "refer", "to": "min-interior"})
    assert Signal.objects.get().status == "acknowledged"


def test_the_database_refuses_a_step_without_its_day(ww: WarningWorld) -> None:
    """The rules are constraints too: no path (the admin, a shell) stores a step undated."""
    from django.db import IntegrityError, transaction

    signal = ww.receive()
    for status in ("acknowledged", "referred", "action_taken", "closed"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Signal.objects.filter(pk=signal.pk).update(status=status)
