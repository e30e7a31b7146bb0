"""The stories a reader may read, as CSV and XLSX files (docs/stories.md, "API and exports"):
formula-safe text, an "About" sheet that says what a coarse row leaves out, one file per reader
(never cached), and every row read through read_story (the channel "export")."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from tests.stories.conftest import StoryWorld

from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.stories import services
from wpsmonitor.stories.models import Story, StoryRead

pytestmark = pytest.mark.django_db


def _shared(sw: StoryWorld, **kwargs: object) -> Story:
    story = sw.story(**kwargs)
    sw.consent(story, "monitoring")
    return services.story_share(by=sw.users["monitor"], story=story)


def _get(sw: StoryWorld, who: str | None, fmt: str, **params: str):  # type: ignore[no-untyped-def]
    client = Client()
    if who:
        client.force_login(sw.users[who])
    url = reverse("stories:export", kwargs={"code": sw.plan.code})
    return client.get(url, {"format": fmt, **params})


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_holds_the_readers_rows_formula_safe_and_logged(sw: StoryWorld) -> None:
    _shared(sw, title='=HYPERLINK("http://evil")', text="+1 a formula?", domain="@SUM(A1)")
    response = _get(sw, "coordinator", "csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="nap-test_stories.csv"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    header, row = _csv_rows(response.content)
    record = dict(zip(header, row, strict=True))
    assert record["Title"] == '\'=HYPERLINK("http://evil")'
    assert record["Text"] == "'+1 a formula?" and record["Domain of change"] == "'@SUM(A1)"
    assert record["Reading"] == "coarse" and record["Collected by"] == ""
    assert record["When"] == "2025-03" and record["Area"] == "Province 1"
    assert list(StoryRead.objects.values_list("channel", "reading")) == [("export", "coarse")]


def test_the_xlsx_has_an_about_sheet_saying_what_a_coarse_row_leaves_out(sw: StoryWorld) -> None:
    _shared(sw, title="=1+1")
    response = _get(sw, "viewer", "xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="nap-test_stories.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    table, about = book.worksheets
    assert table["A2"].value == "=1+1" and table["A2"].data_type == "s"  # text, not a formula
    lines = {row[0].value: row[1].value for row in about.iter_rows()}
    assert lines["Plan"] == sw.plan.title
    assert "month instead of the day" in lines["Reading"]
    assert "logged" in lines["Content"]
    assert list(StoryRead.objects.values_list("channel", "reading")) == [("export", "coarse")]


def test_the_files_take_the_lists_filters(sw: StoryWorld) -> None:
    _shared(sw, title="A testimony")
    _shared(sw, title="An observation", kind="observation")
    rows = _csv_rows(_get(sw, "coordinator", "csv", kind="observation").content)
    assert [r[0] for r in rows[1:]] == ["An observation"]
    # Only the stories shown are read, so only those are logged.
    assert StoryRead.objects.count() == 1
    rows = _csv_rows(_get(sw, "coordinator", "csv", status="draft").content)
    assert rows[1:] == []


def test_an_unknown_format_or_a_hidden_plan_is_not_found_and_nothing_is_read(
    sw: StoryWorld,
) -> None:
    _shared(sw)
    assert _get(sw, "coordinator", "pdf").status_code == 404
    # A draft plan is no plan at all for whoever has no role on it.
    assert sw.plan.status == PlanStatus.DRAFT
    assert _get(sw, "outsider", "csv").status_code == 404
    assert _get(sw, None, "xlsx").status_code == 404
    assert not StoryRead.objects.exists()


def test_an_empty_list_is_a_file_with_its_header(sw: StoryWorld) -> None:
    sw.story()  # a draft: the holder's alone
    rows = _csv_rows(_get(sw, "coordinator", "csv").content)
    assert rows[0][:5] == ["Title", "Kind", "Status", "Sensitivity", "Reading"]
    assert rows[1:] == []
    rows = _csv_rows(_get(sw, "monitor", "csv").content)
    assert [r[0] for r in rows[1:]] == ["Return to the market"]
    assert not StoryRead.objects.exists()  # the holder's own reads are not logged
