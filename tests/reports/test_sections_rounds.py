"""The selection rounds' choices in the standard report (reports/sections/qualitative.py;
docs/stories.md, "Selection rounds"): a decided round of the report's years prints each
domain's chosen story with the panel's reason, its level and period, in the PDF, the DOCX, the
XLSX and the report's language, and the story is printed and its use recorded; a chosen story
that may not be in the report is named by its domain only, without its title or the reason;
open rounds and rounds of other years are left out."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from tests.reports.cycle import generate
from tests.reports.readback import pdf_text, squeeze
from tests.reports.test_sections_stories import World

from wpsmonitor.stories import services as stories
from wpsmonitor.stories.models import SelectionRound, Story, StoryRead, StoryUse

pytestmark = pytest.mark.django_db

REASON = "Because the women of the market now walk there without fear."
HIDDEN = "cannot be shown"


@pytest.fixture
def w(settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    return World()


def _decided(w: World, story: Story, *, period: str = "", decide: bool = True) -> SelectionRound:
    coordinator = w.users["coordinator"]
    selection_round = stories.selection_round_create(
        by=coordinator,
        plan=w.plan,
        level="national",
        period=period or str(w.plan.start.year),
        panel=[w.users["viewer"]],
        panel_others="A caucus member",
    )
    stories.selection_choose(
        by=coordinator, selection_round=selection_round, story=story, reason=REASON
    )
    if decide:
        stories.selection_decide(by=coordinator, selection_round=selection_round)
    return selection_round


def _document(report: Any) -> str:
    return json.dumps(report.document, ensure_ascii=False)


def _choices(report: Any, selection_round: SelectionRound) -> list[list[str]]:
    for section in _walk(report.document["sections"]):
        for block in section["blocks"]:
            if block.get("key") == f"qualitative.round.{selection_round.pk}.choices":
                return [[c["text"] for c in row] for row in block["rows"]]
    raise AssertionError("no table of the round's choices")


def _walk(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for section in sections:
        found.append(section)
        found.extend(_walk(section["subsections"]))
    return found


def test_a_decided_round_prints_each_choice_with_its_reason_in_every_format(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    story, _consent = w.story(happened_on=date(w.plan.start.year, 3, 14))
    story.domain = "Participation"
    story.save(update_fields=["domain"])
    selection_round = _decided(w, story)
    report = generate(w.cycle, django_capture_on_commit_callbacks)
    assert report.status == "ready", report.error
    year = str(w.plan.start.year)
    assert _choices(report, selection_round) == [["Participation", "Back to the market", REASON]]
    text = _document(report)
    assert f"National round, {year}" in text
    assert f"Level: National. Period: {year}. Domain of change: All domains of change." in text
    assert "A caucus member" not in text  # the panel is not named
    # The story itself is printed under "Stories", coarse, and its use recorded.
    assert f"qualitative.story.{story.uid}" in text
    assert StoryUse.objects.filter(story=story, kind="report", reference=str(report.pk)).exists()
    pdf = squeeze(pdf_text(report.pdf.read()))
    assert squeeze(REASON) in pdf and squeeze(f"National round, {year}") in pdf
    docx = Document(io.BytesIO(report.docx.read()))
    cells = {c.text for t in docx.tables for row in t.rows for c in row.cells}
    assert REASON in cells and "Back to the market" in cells
    book = load_workbook(io.BytesIO(report.xlsx.read()))
    rows = [list(r) for r in book["qualitative"].iter_rows(values_only=True)]
    assert ["Participation", "Back to the market", REASON] in [r[:3] for r in rows]


def test_the_round_is_printed_in_the_report_s_language(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    story, _consent = w.story(happened_on=date(w.plan.start.year, 3, 14))
    selection_round = _decided(w, story)
    report = generate(w.cycle, django_capture_on_commit_callbacks, language="fr")
    assert report.status == "ready", report.error
    text = _document(report)
    assert f"Cycle national, {w.plan.start.year}" in text
    assert "Pourquoi le jury l'a choisi" in text and "Domaine de changement" in text
    assert "Les changements les plus significatifs choisis" in text
    assert _choices(report, selection_round)[0][2] == REASON  # the panel's own words


@pytest.mark.parametrize("case", ["no report consent", "withdrawn", "shared only"])
def test_a_chosen_story_the_report_may_not_use_is_named_by_its_domain_only(
    w: World, django_capture_on_commit_callbacks: Any, case: str
) -> None:
    kwargs: dict[str, Any] = {"happened_on": date(w.plan.start.year, 3, 14)}
    if case == "no report consent":
        kwargs["purposes"] = ("monitoring", "public")
    if case == "shared only":
        kwargs["status"] = "shared"
    story, consent = w.story(**kwargs)
    selection_round = _decided(w, story)
    if case == "withdrawn":  # after the round was decided
        stories.consent_withdraw(by=w.collector, consent=consent)
    report = generate(w.cycle, django_capture_on_commit_callbacks)
    assert report.status == "ready", report.error
    [[domain, shown, reason]] = _choices(report, selection_round)
    assert domain == "No domain of change given"
    assert HIDDEN in shown and reason in ("", "–")  # an empty cell
    text = _document(report)
    assert "Back to the market" not in text and REASON not in text
    assert str(story.uid) not in text
    pdf = squeeze(pdf_text(report.pdf.read()))
    assert squeeze(REASON) not in pdf and squeeze("Back to the market") not in pdf
    assert not StoryUse.objects.filter(story=story).exists()
    assert not StoryRead.objects.filter(story=story, channel="report").exists()


def test_open_rounds_and_rounds_of_other_years_are_left_out(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    story, _consent = w.story(happened_on=date(w.plan.start.year, 3, 14))
    open_round = _decided(w, story, decide=False)
    later, _c = w.story(title="A later story", happened_on=date(w.plan.start.year + 1, 2, 1))
    other_year = _decided(w, later, period=str(w.plan.start.year + 1))
    report = generate(w.cycle, django_capture_on_commit_callbacks)
    text = _document(report)
    assert "qualitative.rounds" not in text and REASON not in text
    assert f"qualitative.round.{open_round.pk}" not in text
    assert f"qualitative.round.{other_year.pk}" not in text
