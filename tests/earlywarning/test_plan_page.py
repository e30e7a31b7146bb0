"""The plan page shows early warning's response times beside the protection and prevention
pillars, to those who read the plan's signals, and to no one else."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.earlywarning.conftest import WarningWorld

from wpsmonitor.earlywarning import services
from wpsmonitor.plans.models import FrameworkNode

pytestmark = pytest.mark.django_db


def _page(ww: WarningWorld, reader: str | None) -> str:
    client = Client()
    if reader is not None:
        client.force_login(ww.users[reader])
    response = client.get(f"/plans/{ww.plan.code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_members_read_the_response_times_beside_the_protection_pillar(ww: WarningWorld) -> None:
    FrameworkNode.objects.filter(plan=ww.plan, code="PR").update(pillar_theme="protection")
    signal = ww.acknowledged()
    services.signal_refer(by=ww.users["coordinator"], signal=signal, to=ww.ministry)
    page = _page(ww, "coordinator")
    assert "Early warning: response times" in page
    section = page.split('id="response-times-title"')[1].split("</section>")[0]
    assert 'href="#node-' in section and "Protection" in section
    year = str(signal.received_on.year)
    row = page.split(f'<th scope="row">{year}</th>')[1].split("</tr>")[0]
    assert '<td class="num">1</td>' in row  # one signal received
    assert "100" in row  # acknowledged the day it came: within target


@pytest.mark.parametrize("reader", [None, "outsider"])
def test_readers_of_the_public_plan_page_do_not(ww: WarningWorld, reader: str | None) -> None:
    from wpsmonitor.core.vocabulary import PlanStatus

    ww.plan.status = PlanStatus.IMPLEMENTATION
    ww.plan.save(update_fields=["status"])
    ww.acknowledged()
    assert "response-times-title" not in _page(ww, reader)
