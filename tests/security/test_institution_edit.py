"""Changing an institution: its code only until it adopts the package (the code begins its
indicators' codes), refused field by field, the coordinator only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from tests.security.conftest import SecurityWorld

from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.security import services
from wpsmonitor.security.models import SecurityInstitution

pytestmark = pytest.mark.django_db


def test_the_code_changes_before_adoption(sw: SecurityWorld) -> None:
    found = sw.institution()
    services.institution_update(
        by=sw.users["coordinator"],
        institution=found,
        code=" pnc-2 ",
        kind="gendarmerie",
        organisation=sw.police,
    )
    found.refresh_from_db()
    assert (found.code, found.kind) == ("PNC-2", "gendarmerie")


def test_the_code_cannot_change_once_the_package_is_adopted(sw: SecurityWorld) -> None:
    found = sw.institution()
    node = FrameworkNode.objects.filter(plan=sw.plan).first()
    services.package_adopt(by=sw.users["coordinator"], institution=found, node=node)
    with pytest.raises(ValidationError) as refused:
        services.institution_update(
            by=sw.users["coordinator"],
            institution=found,
            code="POL",
            kind="police",
            organisation=sw.army,
        )
    assert "PNC-PERS" in refused.value.message_dict["code"][0]
    found.refresh_from_db()
    assert (found.code, found.organisation_id) == ("PNC", sw.police.pk)
    # The rest changes, the code given as it is.
    services.institution_update(
        by=sw.users["coordinator"],
        institution=found,
        code="PNC",
        kind="police",
        organisation=sw.army,
    )
    found.refresh_from_db()
    assert found.organisation_id == sw.army.pk


def test_duplicate_code_and_bad_fields_are_located(sw: SecurityWorld) -> None:
    sw.institution()
    army = sw.institution("FARDC", "army")
    with pytest.raises(ValidationError) as refused:
        services.institution_update(
            by=sw.users["coordinator"],
            institution=army,
            code="PNC",
            kind="navy",
            organisation=None,
        )
    assert set(refused.value.message_dict) == {"code", "kind", "organisation"}


@pytest.mark.parametrize("who", ["police_focal", "viewer", "outsider"])
def test_only_the_coordinator_changes_an_institution(sw: SecurityWorld, who: str) -> None:
    found = sw.institution()
    with pytest.raises(PermissionDenied):
        services.institution_update(
            by=sw.users[who], institution=found, code="X", kind="police", organisation=sw.police
        )
    client = Client()
    client.force_login(sw.users[who])
    url = reverse("security:institution_edit", args=[sw.plan.code, "PNC"])
    assert client.get(url).status_code == 403


def test_the_edit_page_shows_the_refusal_beside_the_code(sw: SecurityWorld) -> None:
    found = sw.institution()
    node = FrameworkNode.objects.filter(plan=sw.plan).first()
    services.package_adopt(by=sw.users["coordinator"], institution=found, node=node)
    client = Client()
    client.force_login(sw.users["coordinator"])
    url = reverse("security:institution_edit", args=[sw.plan.code, "PNC"])
    assert "readonly" in client.get(url).content.decode()
    page = client.post(url, {"code": "NEW", "kind": "police", "organisation": "pnc"})
    assert page.status_code == 400
    body = page.content.decode()
    assert 'href="#f-code"' in body and 'id="f-code-error"' in body
    assert SecurityInstitution.objects.get().code == "PNC"
    saved = client.post(url, {"code": "PNC", "kind": "gendarmerie", "organisation": "pnc"})
    assert saved.status_code == 302
    assert SecurityInstitution.objects.get().kind == "gendarmerie"
