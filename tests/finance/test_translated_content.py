"""The finance pages in the reader's language: a plan written in English read by a Spanish
reader shows the Spanish texts there are (pillars, organisations, in the tables and the chart),
and the English ones marked as such, the note once a table (core/translated.py,
docs/languages.md "Content in several languages")."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import Client
from tests.finance.conftest import Money

from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.plans.services import translations_set

NOTE_ES = "Algunos textos se muestran en inglés: aún no hay texto en español"


def _spanish(path: str, client: Client | None = None) -> str:
    client = client or Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    answer = client.get(path)
    assert answer.status_code == 200, path
    return answer.content.decode()


def _table(html: str, caption_start: str) -> str:
    return html.split(f"<caption>{caption_start}")[1].split("</table>")[0]


def test_the_summary_in_spanish_or_marked_in_english(money: Money) -> None:
    plan = money.plan
    translations_set(obj=plan, field="title", texts={"es": "Plan en español"})
    pillar = FrameworkNode.objects.get(plan=plan, code="P1")
    translations_set(obj=pillar, field="title", texts={"es": "Pilar uno"})
    html = _spanish(f"/plans/{plan.code}/finance/")
    assert "Plan en español" in html.split("</nav>")[0]  # the breadcrumb
    # The pillars: P1 in Spanish, P2 in English, marked; the note once, in the caption.
    pillars = _table(html, "Costeado, asignado y gastado por pilar")
    assert '<th scope="row">P1 Pilar uno</th>' in pillars
    assert '<th scope="row">P2 <span lang="en" dir="ltr">Pillar 2</span></th>' in pillars
    assert pillars.count(NOTE_ES) == 1
    # The chart names the pillars as the table does.
    chart = re.search(r"<svg.*?</svg>", html, re.S)
    assert chart is not None and "Pilar uno" in chart.group(0)
    # The funders: none has a Spanish name yet.
    funders = _table(html, "Por financiador")
    assert '<span lang="en" dir="ltr">A Donor Agency</span>' in funders
    assert funders.count(NOTE_ES) == 1

    donor = Organisation.objects.get(code="donor-org")
    translations_set(obj=donor, field="name", texts={"es": "Agencia donante"})
    funders = _table(_spanish(f"/plans/{plan.code}/finance/"), "Por financiador")
    assert "Agencia donante" in funders and "A Donor Agency" not in funders


def test_the_budget_lines_mark_a_funder_without_a_spanish_name(money: Money) -> None:
    client = Client()
    client.force_login(money.users["coordinator"])
    html = _spanish(f"/plans/{money.plan.code}/finance/lines/", client)
    listing = html.split('id="list-title"')[1].split("</table>")[0]
    assert '<span lang="en" dir="ltr">A Donor Agency</span>' in listing
    assert listing.count(NOTE_ES) == 1
