"""Changing and removing a mandate's WPS provisions and stopping watching an indicator
(docs/missions.md, "Editing"): the coordinator only, through the shell's edit and removal pages
(refusals beside their field, 400; a confirmation before a removal)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from tests.missions.conftest import MissionWorld
from tests.missions.test_editing import ROLES, _client, _url

from wpsmonitor.missions import services
from wpsmonitor.missions.models import WatchedIndicator, WpsProvision


def _provision(mw: MissionWorld) -> WpsProvision:
    found = WpsProvision.objects.filter(resolution__mission=mw.mission).order_by("pk").first()
    assert found is not None
    return found


def _watched(mw: MissionWorld) -> WatchedIndicator:
    found = WatchedIndicator.objects.filter(phase__transition=mw.transition).first()
    assert found is not None
    return found


def _urls(mw: MissionWorld) -> list[str]:
    p = _provision(mw)
    return [
        _url(mw, "provision_edit", p.resolution_id, p.pk),
        _url(mw, "provision_delete", p.resolution_id, p.pk),
        _url(mw, "watch_delete", _watched(mw).pk),
    ]


@pytest.mark.parametrize("who", ROLES)
def test_only_the_coordinator_opens_the_pages(mw: MissionWorld, who: str | None) -> None:
    client = _client(mw, who)
    before = (WpsProvision.objects.count(), WatchedIndicator.objects.count())
    for url in _urls(mw):
        got, posted = client.get(url), client.post(url, {})
        if who is None:
            assert got.status_code == 302 and "/login" in got["Location"], url
            assert posted.status_code == 302 and "/login" in posted["Location"], url
        elif who == "coordinator":
            assert got.status_code == 200, url
        else:
            assert (got.status_code, posted.status_code) == (403, 403), (who, url)
    if who != "coordinator":
        assert (WpsProvision.objects.count(), WatchedIndicator.objects.count()) == before


def test_the_provision_form_is_filled_and_refuses_beside_its_field(mw: MissionWorld) -> None:
    client = _client(mw, "coordinator")
    p = _provision(mw)
    url = _url(mw, "provision_edit", p.resolution_id, p.pk)
    assert p.text in client.get(url).content.decode()
    refused = client.post(url, {"category": p.category, "paragraph": "OP 1", "text": "  "})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'href="#id_text"' in body and 'id="id_text-error"' in body
    long = client.post(url, {"category": p.category, "paragraph": "x" * 41, "text": "Kept."})
    assert long.status_code == 400 and 'href="#id_paragraph"' in long.content.decode()
    p.refresh_from_db()
    assert p.paragraph != "OP 1" and p.text != "Kept."
    saved = client.post(url, {"category": "participation", "paragraph": "OP 2", "text": "New."})
    assert saved.status_code == 302
    p.refresh_from_db()
    assert (p.category, p.paragraph, p.text) == ("participation", "OP 2", "New.")


def test_the_service_refuses_a_provision_of_another_resolution(mw: MissionWorld) -> None:
    p = _provision(mw)
    other = mw.mission.mandates.exclude(pk=p.resolution_id).first()
    assert other is not None
    with pytest.raises(PermissionDenied):
        services.provision_record(
            by=mw.users["coordinator"],
            resolution=other,
            provision=p,
            category="protection",
            text="Moved.",
        )
    with pytest.raises(PermissionDenied):
        services.provision_record(
            by=mw.users["monitor"],
            resolution=p.resolution,
            provision=p,
            category="protection",
            text="Changed.",
        )


def test_a_provision_is_removed_and_a_watch_stopped_after_confirmation(mw: MissionWorld) -> None:
    client = _client(mw, "coordinator")
    p, w = _provision(mw), _watched(mw)
    remove = _url(mw, "provision_delete", p.resolution_id, p.pk)
    page = client.get(remove)
    assert page.status_code == 200 and "This cannot be undone." in page.content.decode()
    assert WpsProvision.objects.filter(pk=p.pk).exists()  # a GET removes nothing
    assert client.post(remove).status_code == 302
    assert not WpsProvision.objects.filter(pk=p.pk).exists()
    stop = _url(mw, "watch_delete", w.pk)
    assert w.indicator.code in client.get(stop).content.decode()
    assert client.post(stop).status_code == 302
    assert not WatchedIndicator.objects.filter(pk=w.pk).exists()
    assert client.get(stop).status_code == 404


def test_the_pages_link_to_the_new_pages_for_the_coordinator_only(mw: MissionWorld) -> None:
    p, w = _provision(mw), _watched(mw)
    edit = _url(mw, "provision_edit", p.resolution_id, p.pk)
    stop = _url(mw, "watch_delete", w.pk)
    for who, shown in (("coordinator", True), ("monitor", False)):
        client = _client(mw, who)
        assert (edit in client.get(_url(mw, "mission")).content.decode()) is shown
        assert (stop in client.get(_url(mw, "transition")).content.decode()) is shown
