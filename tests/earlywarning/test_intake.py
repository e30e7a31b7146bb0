"""The public intake form of trusted organisations (docs/stories.md, "The intake form"): its
link is the right, a robot filling the honeypot is dropped with the same answer, senders are
rate-limited per link and per address, sizes are bounded, and everything lands in the
moderation queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from tests.earlywarning.conftest import MARKER, WarningWorld

from wpsmonitor.earlywarning import services
from wpsmonitor.earlywarning.models import Signal

pytestmark = pytest.mark.django_db


def _form(**changes: str) -> dict[str, Any]:
    fields = {
        "category": "armed_presence",
        "area": "SEN-D21",
        "observed_on": "2025-05-02",
        "severity": "critical",
        "source_type": "community_member",
        "description": f"Armed men outside the girls' school. {MARKER}",
        "website": "",
    }
    fields.update(changes)
    return fields


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def test_a_valid_link_files_the_signal_in_the_moderation_queue(ww: WarningWorld) -> None:
    client = Client()
    assert client.get(ww.intake_url()).status_code == 200
    answer = client.post(ww.intake_url(), _form())
    assert answer.status_code == 302 and answer["Location"].endswith("?sent=1")
    signal = Signal.objects.get()
    assert signal.status == "received" and signal.organisation == ww.women
    assert signal.token == ww.token and signal.area.code == "SEN-D21"
    assert MARKER in signal.description and signal.severity == "critical"
    assert "the signal is received" in client.get(answer["Location"]).content.decode()


def test_the_page_is_kept_by_no_cache_and_names_no_referrer(ww: WarningWorld) -> None:
    answer = Client().get(ww.intake_url())
    assert answer["Cache-Control"] == "no-store" and answer["Referrer-Policy"] == "no-referrer"


def test_a_revoked_unknown_or_other_plans_link_is_not_found(ww: WarningWorld) -> None:
    client = Client()
    assert client.get(ww.intake_url("not-a-link")).status_code == 404
    assert client.get(f"/plans/other-plan/early-warning/report/{ww.key}/").status_code == 404
    services.intake_token_revoke(by=ww.users["coordinator"], token=ww.token)
    assert client.get(ww.intake_url()).status_code == 404
    assert client.post(ww.intake_url(), _form()).status_code == 404
    assert not Signal.objects.exists()


def test_a_filled_honeypot_is_dropped_with_the_same_answer(ww: WarningWorld) -> None:
    person = Client().post(ww.intake_url(), _form())
    robot = Client().post(ww.intake_url(), _form(website="http://spam.example"))
    assert (robot.status_code, robot["Location"]) == (person.status_code, person["Location"])
    assert Signal.objects.count() == 1  # the person's only


@override_settings(WPSMONITOR_EARLY_WARNING_PER_LINK=3, WPSMONITOR_EARLY_WARNING_PER_ADDRESS=100)
def test_too_many_through_one_link_are_refused(ww: WarningWorld) -> None:
    for n in range(3):
        client = Client(REMOTE_ADDR=f"10.0.0.{n}")
        assert client.post(ww.intake_url(), _form()).status_code == 302
    late = Client(REMOTE_ADDR="10.0.0.9").post(ww.intake_url(), _form())
    assert late.status_code == 429 and "Please wait" in late.content.decode()
    assert Signal.objects.count() == 3


@override_settings(WPSMONITOR_EARLY_WARNING_PER_LINK=100, WPSMONITOR_EARLY_WARNING_PER_ADDRESS=2)
def test_too_many_from_one_address_are_refused_whatever_the_link(ww: WarningWorld) -> None:
    _token, other_key = services.intake_token_issue(
        by=ww.users["coordinator"], plan=ww.plan, organisation=ww.ministry
    )
    client = Client(REMOTE_ADDR="10.0.0.1")
    assert client.post(ww.intake_url(), _form()).status_code == 302
    assert client.post(ww.intake_url(other_key), _form()).status_code == 302
    assert client.post(ww.intake_url(other_key), _form()).status_code == 429
    # Another address is not held back.
    assert Client(REMOTE_ADDR="10.0.0.2").post(ww.intake_url(), _form()).status_code == 302
    assert Signal.objects.count() == 3


def test_an_oversized_description_or_sending_is_refused(ww: WarningWorld) -> None:
    client = Client()
    long = client.post(ww.intake_url(), _form(description="x" * (services.MAX_TEXT + 1)))
    assert long.status_code == 400 and "at most 4000 characters" in long.content.decode()
    huge = client.post(
        ww.intake_url(), _form(website="", description="y" * 40_000, extra="z" * 40_000)
    )
    assert huge.status_code == 413
    assert not Signal.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"category": "gossip"},
        {"area": "XXX"},
        {"observed_on": "2999-01-01"},
        {"severity": ""},
        {"description": "   "},
    ],
)
def test_bad_input_is_refused_and_kept_in_the_form(
    ww: WarningWorld, changes: dict[str, str]
) -> None:
    answer = Client().post(ww.intake_url(), _form(**changes))
    assert answer.status_code == 400 and "The signal was not sent" in answer.content.decode()
    assert not Signal.objects.exists()


def test_a_place_outside_the_plans_area_is_refused(ww: WarningWorld) -> None:
    from wpsmonitor.directory.services import area_country_ensure

    elsewhere = area_country_ensure("MLI")
    with pytest.raises(Exception, match="outside the plan"):
        ww.receive(area=elsewhere)
