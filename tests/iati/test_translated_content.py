"""The donor pages in the reader's language: a plan written in English read by a Spanish reader
shows the Spanish titles of its pillars and actions where there are some, and the English ones
marked as such, the note once a table (core/translated.py, docs/languages.md "Content in
several languages")."""

from __future__ import annotations

from django.conf import settings
from django.utils.html import escape
from tests.iati.test_donor_pages import Donors, donors  # noqa: F401 (the fixture)

from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.plans.services import translations_set

NOTE_ES = "Algunos textos se muestran en inglés: aún no hay texto en español"


def _spanish(donors: Donors, role: str, path: str) -> str:  # noqa: F811
    client = donors.client(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    answer = client.get(path)
    assert answer.status_code == 200, path
    return answer.content.decode()


def test_pillars_and_actions_in_spanish_or_marked_in_english(donors: Donors) -> None:  # noqa: F811
    plan = donors.cycle.plan
    activity = donors.activity("XM-DAC-1-D1")
    body = {"links": [{"node": "P1", "share": 60}, {"node": "P2.O1.1.A1", "share": 40}]}
    saved = donors.client(None).put(
        f"/api/v1/plans/{donors.code}/donors/activities/{activity.pk}/links",
        body,
        content_type="application/json",
        headers=donors.headers("coordinator"),
    )
    assert saved.status_code == 200
    translations_set(obj=plan, field="title", texts={"es": "Plan en español"})
    pillar = FrameworkNode.objects.get(plan=plan, code="P1")
    translations_set(obj=pillar, field="title", texts={"es": "Pilar uno"})
    action = FrameworkNode.objects.get(plan=plan, code="P2.O1.1.A1")
    marked = f'<span lang="en" dir="ltr">{escape(action.title_en)}</span>'

    # The money by pillar and action: P1 in Spanish, the action marked, the note above.
    html = _spanish(donors, "viewer", f"/plans/{donors.code}/donors/")
    assert "Plan en español" in html.split("</nav>")[0]  # the breadcrumb
    table = html.split('id="pillar-title"')[1].split("</section>")[0]
    assert "P1 Pilar uno</th>" in table and marked in table
    assert table.count(NOTE_ES) == 1

    # The activity's page: the mapping form's labels, and the mapped ones for readers.
    path = f"/plans/{donors.code}/donors/activities/{activity.pk}/"
    for role in ("coordinator", "viewer"):
        mapping = _spanish(donors, role, path).split('id="map-title"')[1].split("</section>")[0]
        assert "P1 Pilar uno" in mapping and marked in mapping, role
        assert mapping.count(NOTE_ES) == 1, role
