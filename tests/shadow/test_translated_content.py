"""Shadow monitoring's pages in the reader's language: a plan written in English read by a
Spanish reader shows the Spanish texts there are, and the English ones marked as such, the note
once a table (core/translated.py, docs/languages.md "Content in several languages")."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.utils.html import escape
from tests.shadow.conftest import Shadow

from wpsmonitor.plans.services import translations_set

NOTE_ES = "Algunos textos se muestran en inglés: aún no hay texto en español"


def _spanish(shadow: Shadow, path: str, user: str = "monitor") -> str:
    client = Client()
    client.force_login(shadow.cycle.users[user])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    answer = client.get(path)
    assert answer.status_code == 200, path
    return answer.content.decode()


def _table(html: str, caption_id: str) -> str:
    return html.split(f'id="{caption_id}"')[1].split("</table>")[0]


def test_the_actions_in_spanish_or_marked_in_english(shadow: Shadow) -> None:
    plan, action, cso = shadow.cycle.plan, shadow.cycle.action, shadow.cycle.built.cso
    translations_set(obj=plan, field="title", texts={"es": "Plan en español"})
    html = _spanish(shadow, f"/plans/{plan.code}/actions/")
    assert "Plan en español" in html.split("</nav>")[0]  # the breadcrumb
    table = _table(html, "actions-caption")
    # Neither the action nor the monitor's organisation has a Spanish text: marked, one note.
    assert f'<span lang="en" dir="ltr">{escape(action.title_en)}</span>' in table
    assert f'<span lang="en" dir="ltr">{escape(cso.name_en)}</span>' in table
    assert table.count(NOTE_ES) == 1

    translations_set(obj=action, field="title", texts={"es": "Acción en español"})
    translations_set(obj=cso, field="name", texts={"es": "Coalición de mujeres"})
    table = _table(_spanish(shadow, f"/plans/{plan.code}/actions/"), "actions-caption")
    assert "Acción en español" in table and "Coalición de mujeres" in table
    assert NOTE_ES not in table and '<span lang="en"' not in table

    # The action's own page: its title in Spanish, the organisation's in Spanish too.
    page = _spanish(shadow, f"/plans/{plan.code}/actions/{action.code}/")
    assert "Acción en español</h1>" in page
    assert "Coalición de mujeres" in _table(page, "accounts-caption")


def test_the_own_indicators_in_spanish_or_marked_in_english(shadow: Shadow) -> None:
    plan = shadow.cycle.plan
    translations_set(obj=shadow.published, field="title", texts={"es": "Mujeres consultadas"})
    table = _table(_spanish(shadow, f"/plans/{plan.code}/civil-society-indicators/"), "own-caption")
    assert "Mujeres consultadas" in table
    # The draft has no Spanish title: its English one, marked; the note once.
    assert '<span lang="en" dir="ltr">Secret draft indicator</span>' in table
    assert table.count(NOTE_ES) == 1


def test_the_edit_form_holds_the_original_text_not_the_translation(shadow: Shadow) -> None:
    """The form edits the text of the plan's original language (the services write that
    column): with the Spanish translation in the box, saving would overwrite the English text
    with it."""
    plan = shadow.cycle.plan
    translations_set(obj=shadow.published, field="title", texts={"es": "Mujeres consultadas"})
    html = _spanish(shadow, f"/plans/{plan.code}/civil-society-indicators/CSO-PUB/edit/")
    box = html.split('id="oi-title"')[1].split(">")[0]
    assert 'value="Women consulted on the plan"' in box and 'lang="en"' in box
    assert "Mujeres consultadas" not in box
    assert "se redactan en inglés" in html
