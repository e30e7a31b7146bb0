"""The public security and peace pages, and the summary on the plan's own page
(docs/security-sector.md and docs/peace-processes.md, "In the report and on the portal"): the
desks on the map by province, never a desk's cases; allegations only after disclosure control;
women's share at the peace talks as a chart with its table."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.portal.security_peace_world import (
    CASES_RECEIVED,
    CASES_REFERRED,
    PLAN,
    build_security_peace_world,
)

from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.plans.models import Plan

SECURITY = f"/plans/{PLAN}/public/security/"
PEACE = f"/plans/{PLAN}/public/peace/"


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


@pytest.mark.django_db
def test_the_public_security_page_maps_desks_and_withholds_small_counts() -> None:
    build_security_peace_world()
    response = Client().get(SECURITY)
    assert response.status_code == 200
    html = response.content.decode()
    institutions = _section(html, "institutions-heading")
    assert "PNC" in institutions and "FARDC" in institutions
    assert "1 of 2 institutions have adopted the indicator package." in institutions
    desks = _section(html, "desks-heading")
    # The map: a link per province, named by its desks, to its row in the table.
    assert desks.count('class="map-area"') == 3
    assert 'aria-label="Nord-Kivu: 2 open, 0 planned, 0 closed"' in desks
    assert re.search(
        r'id="desks-CD-NK"><th scope="row">Nord-Kivu</th><td class="num">2</td>', desks
    )
    assert "2 desks are open; 1 of 3 provinces have one." in desks
    # A desk's cases are never on the public page.
    assert str(CASES_RECEIVED) not in html and str(CASES_REFERRED) not in html
    conduct = _section(html, "conduct-heading")
    counts = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', conduct)]
    assert counts == [7, 7]  # military; exploitation: the 2 police (abuse) are withheld
    assert "fewer than 5" in conduct


@pytest.mark.django_db
def test_the_public_peace_page_draws_the_trend_with_its_table() -> None:
    build_security_peace_world()
    response = Client().get(PEACE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "Nairobi process" in html
    # Round 1: 1 woman of 10 negotiators; round 2: 3 of 10.
    assert "10% (1 of 10)" in html and "30% (3 of 10)" in html
    consultations = _section(html, "consultations-heading")
    assert re.findall(r'<td class="num">(\d+)</td>', consultations) == ["1", "12", "8", "1", "0"]
    assert "A private note" not in html  # what was asked stays on the process's own page


@pytest.mark.django_db
def test_the_public_plan_page_links_both_and_the_plan_page_sums_up() -> None:
    built = build_security_peace_world()
    public = Client().get(f"/plans/{PLAN}/public/").content.decode()
    assert f'href="{SECURITY}"' in public and f'href="{PEACE}"' in public
    client = Client()
    client.force_login(built.coordinator)
    page = client.get(f"/plans/{PLAN}/").content.decode()
    summary = _section(page, "security-peace-title")
    assert "<dd>2</dd>" in summary  # institutions
    assert "1 of 2" in summary  # package adopted
    assert "2, in 1 of 3 provinces" in summary  # desks open
    assert "30% (3 of 10): Nairobi process, round 2" in summary
    assert str(CASES_RECEIVED) not in page


@pytest.mark.django_db
def test_an_empty_plan_says_so_and_a_draft_is_not_public() -> None:
    build_security_peace_world(with_data=False)
    security = Client().get(SECURITY).content.decode()
    assert "No security institution is recorded for the plan." in security
    assert "0 desks are open; 0 of 3 provinces have one." in security
    peace = Client().get(PEACE).content.decode()
    assert "No peace process is recorded for the plan." in peace
    assert "No consultation of civil society is recorded." in peace
    Plan.objects.filter(code=PLAN).update(status=PlanStatus.DRAFT)
    assert Client().get(SECURITY).status_code == 404
    assert Client().get(PEACE).status_code == 404
