"""Removing a peace process recorded by mistake (docs/peace-processes.md, "Editing"): the
coordinator only, after a confirmation page; refused, on that page with status 400, while it
has rounds, consultations or agreements (its record)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from tests.peace.conftest import PeaceWorld

from wpsmonitor.peace import services
from wpsmonitor.peace.models import PeaceProcess

pytestmark = pytest.mark.django_db


def _client(pw: PeaceWorld, who: str | None) -> Client:
    client = Client()
    if who:
        client.force_login(pw.users[who])
    return client


def _mistake(pw: PeaceWorld) -> PeaceProcess:
    return services.process_record(
        by=pw.users["coordinator"],
        plan=pw.plan,
        name="Typed by mistake",
        level="national",
        status="ongoing",
    )


def _url(pw: PeaceWorld, process: PeaceProcess) -> str:
    return reverse("peace:process_delete", args=[pw.plan.code, process.pk])


@pytest.mark.parametrize("who", [None, "monitor", "focal", "viewer"])
def test_other_roles_cannot_remove_a_process(trio: PeaceWorld, who: str | None) -> None:
    empty = _mistake(trio)
    client = _client(trio, who)
    got, posted = client.get(_url(trio, empty)), client.post(_url(trio, empty))
    if who is None:
        assert got.status_code == 302 and "/login" in got["Location"]
        assert posted.status_code == 302 and "/login" in posted["Location"]
    else:
        assert (got.status_code, posted.status_code) == (403, 403)
        with pytest.raises(PermissionDenied):
            services.process_remove(by=trio.users[who], process=empty)
    assert PeaceProcess.objects.filter(pk=empty.pk).exists()


def test_a_process_with_rounds_is_kept_and_the_page_says_why(trio: PeaceWorld) -> None:
    assert trio.process is not None
    client = _client(trio, "coordinator")
    url = _url(trio, trio.process)
    page = client.get(url)
    assert page.status_code == 400  # refused before asking: no button
    body = page.content.decode()
    assert "they are its record" in body and 'type="submit" class="primary"' not in body
    assert client.post(url).status_code == 400
    assert PeaceProcess.objects.filter(pk=trio.process.pk).exists()
    with pytest.raises(ValidationError, match="its record"):
        services.process_remove(by=trio.users["coordinator"], process=trio.process)


def test_a_process_recorded_by_mistake_is_removed_after_confirmation(trio: PeaceWorld) -> None:
    empty = _mistake(trio)
    client = _client(trio, "coordinator")
    process_page = reverse("peace:process", args=[trio.plan.code, empty.pk])
    assert _url(trio, empty) in client.get(process_page).content.decode()
    assert _url(trio, empty) not in _client(trio, "monitor").get(process_page).content.decode()
    page = client.get(_url(trio, empty))
    assert page.status_code == 200 and "Typed by mistake" in page.content.decode()
    assert PeaceProcess.objects.filter(pk=empty.pk).exists()  # a GET removes nothing
    response = client.post(_url(trio, empty))
    assert response.status_code == 302
    assert response["Location"] == reverse("peace:processes", args=[trio.plan.code])
    assert not PeaceProcess.objects.filter(pk=empty.pk).exists()
