"""Removing an institution or a desk recorded by mistake (docs/security-sector.md, "Editing"):
the coordinator only, after the confirmation page; refused, on that page with status 400, while
something hangs on it (an institution's desks, package, training, deployments, assessments; a
desk's case counts)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from tests.security.conftest import SecurityWorld
from tests.security.test_desks import _desk

from wpsmonitor.security import services
from wpsmonitor.security.models import SecurityInstitution, WomensDesk

pytestmark = pytest.mark.django_db

OTHERS = [None, "police_focal", "army_focal", "viewer", "outsider"]


def _client(sw: SecurityWorld, who: str | None) -> Client:
    client = Client()
    if who:
        client.force_login(sw.users[who])
    return client


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_remove_nothing(sw: SecurityWorld, who: str | None) -> None:
    police = sw.institution()
    desk = _desk(sw, police, "Station A", "D11")
    empty = sw.institution("GN", "gendarmerie")
    client = _client(sw, who)
    for url in (
        reverse("security:institution_delete", args=[sw.plan.code, empty.code]),
        reverse("security:desk_delete", args=[sw.plan.code, desk.pk]),
    ):
        got, posted = client.get(url), client.post(url)
        if who is None:
            assert got.status_code == 302 and "/login" in got["Location"]
            assert posted.status_code == 302 and "/login" in posted["Location"]
        else:
            assert (got.status_code, posted.status_code) == (403, 403), url
    if who is not None:
        with pytest.raises(PermissionDenied):
            services.institution_remove(by=sw.users[who], institution=empty)
        with pytest.raises(PermissionDenied):
            services.desk_remove(by=sw.users[who], desk=desk)
    assert SecurityInstitution.objects.count() == 2 and WomensDesk.objects.count() == 1


def test_an_institution_with_a_desk_is_kept_and_the_page_says_why(sw: SecurityWorld) -> None:
    police = sw.institution()
    _desk(sw, police, "Station A", "D11")
    client = _client(sw, "coordinator")
    url = reverse("security:institution_delete", args=[sw.plan.code, police.code])
    page = client.get(url)
    assert page.status_code == 400 and "they are its record" in page.content.decode()
    assert client.post(url).status_code == 400
    with pytest.raises(ValidationError, match="its record"):
        services.institution_remove(by=sw.users["coordinator"], institution=police)
    assert SecurityInstitution.objects.filter(pk=police.pk).exists()


def test_a_desk_with_cases_is_kept_one_without_is_removed(sw: SecurityWorld) -> None:
    police = sw.institution()
    counted = _desk(sw, police, "Station A", "D11")
    services.desk_cases_record(
        by=sw.users["coordinator"], desk=counted, period="2024Q1", received=3, referred=1
    )
    mistake = _desk(sw, police, "Station B", "D12")
    client = _client(sw, "coordinator")
    url = reverse("security:desk_delete", args=[sw.plan.code, counted.pk])
    assert client.post(url).status_code == 400
    assert "Mark it closed" in client.get(url).content.decode()
    assert WomensDesk.objects.filter(pk=counted.pk).exists()
    desk_page = reverse("security:desk", args=[sw.plan.code, mistake.pk])
    url = reverse("security:desk_delete", args=[sw.plan.code, mistake.pk])
    assert url in client.get(desk_page).content.decode()
    assert url not in _client(sw, "viewer").get(desk_page).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "Station B" in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("security:institution", args=[sw.plan.code, "PNC"])
    assert not WomensDesk.objects.filter(pk=mistake.pk).exists()


def test_an_institution_recorded_by_mistake_is_removed(sw: SecurityWorld) -> None:
    empty = sw.institution("GN", "gendarmerie")
    client = _client(sw, "coordinator")
    url = reverse("security:institution_delete", args=[sw.plan.code, empty.code])
    page_url = reverse("security:institution", args=[sw.plan.code, empty.code])
    assert url in client.get(page_url).content.decode()
    assert url not in _client(sw, "viewer").get(page_url).content.decode()
    assert client.get(url).status_code == 200
    assert SecurityInstitution.objects.filter(pk=empty.pk).exists()  # a GET removes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("security:index", args=[sw.plan.code])
    assert not SecurityInstitution.objects.filter(pk=empty.pk).exists()
