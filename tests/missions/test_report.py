"""The report's "UN missions" part, built directly: provisions, benchmarks by phase, and the
protection indicators before and after, from the report's figures."""

from __future__ import annotations

from django.db.models import Q
from tests.missions.conftest import MissionWorld

from wpsmonitor.missions.models import UNMission
from wpsmonitor.reports.sections import peace_missions


class _Context:
    """What build() reads of a ReportContext."""

    def __init__(self, mw: MissionWorld, figures: object = None, hidden: Q | None = None) -> None:
        self.plan = mw.plan
        self.figures = figures
        self.hidden = hidden if hidden is not None else Q(pk__in=[])


def _texts(table: object) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]  # type: ignore[attr-defined]


def test_the_section_s_tables(mw: MissionWorld) -> None:
    section = peace_missions.build(_Context(mw))  # type: ignore[arg-type]
    assert section.key == "peace.missions"
    tables = {t.key: t for t in section.tables}
    assert set(tables) == {
        "peace.missions.provisions",
        "peace.missions.benchmarks",
        "peace.missions.protection",
    }
    provisions = _texts(tables["peace.missions.provisions"])
    assert provisions[0][:4] == [
        "MONUSCO",
        "S/RES/2666 (2022)",
        "Protection from sexual and gender-based violence, CRSV",
        "OP 29 (d)",
    ]
    benchmarks = tables["peace.missions.benchmarks"].rows
    assert [(r[4].value, r[5].value) for r in benchmarks] == [(2, 3), (0, 1)]
    (row,) = tables["peace.missions.protection"].rows
    assert (row[4].value, row[5].value, row[6].value) == (25, 10, -15)


def test_an_indicator_a_report_never_shows_is_left_out(mw: MissionWorld) -> None:
    hidden = Q(pk=mw.indicator.pk)
    section = peace_missions.build(_Context(mw, hidden=hidden))  # type: ignore[arg-type]
    assert "peace.missions.protection" not in {t.key for t in section.tables}


def test_the_public_version_without_a_release_shows_no_figure(mw: MissionWorld) -> None:
    from wpsmonitor.publishing.models import ReleaseFigure

    section = peace_missions.build(_Context(mw, figures=ReleaseFigure.objects.none()))  # type: ignore[arg-type]
    (row,) = {t.key: t for t in section.tables}["peace.missions.protection"].rows
    assert row[4].value is None and row[5].value is None


def test_a_plan_without_mission_says_so(mw: MissionWorld) -> None:
    UNMission.objects.all().delete()
    section = peace_missions.build(_Context(mw))  # type: ignore[arg-type]
    assert section.empty and not section.tables
