"""The report's "By pillar and outcome" section on the demo plan (docs/reports.md): each
indicator with its figures, trend, disaggregation and civil society's figure beside the
government's; the public version never carries a withheld figure; a year without data says so;
the whole plan is read in a bounded number of queries.

The leak test plants a sentinel, as tests/portal/test_release_reading.py does: every aggregate
and raw value the release withholds is overwritten with 4242 after publication. The release
stored nothing of them, so a public report that prints 4242 has read around the release."""

from __future__ import annotations

import json
import re

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.demo import content
from wpsmonitor.demo.builder import demo_load
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import AggregateValue, DataValue, Indicator, Source
from wpsmonitor.publishing.models import ReleaseFigure
from wpsmonitor.reports.builder import build_report
from wpsmonitor.reports.context import ReportContext, report_context
from wpsmonitor.reports.document import INTERNAL, PUBLIC, YEAR, Cell, Chart, Section, Table
from wpsmonitor.reports.reads import divergences
from wpsmonitor.reports.sections import pillars, qualitative, summary
from wpsmonitor.shadow.divergence import Divergence, plan_divergences

SENTINEL = 4242
LEAK = re.compile(r"(?<![\w/-])4[,.\s\u00a0\u202f]?242(?![\w/-])")
CFPL = "demo-cfpl-shadow"


def _cells(section: Section) -> list[Cell]:
    return [cell for table in section.tables for row in table.rows for cell in row]


def _table(section: Section, key: str) -> Table:
    return next(t for t in section.tables if t.key == key)


def _row(table: Table, code: str) -> tuple[Cell, ...]:
    return next(row for row in table.rows if row[0].text == code)


class PillarSectionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        demo_load(reports=False)  # the data, not the generated reports
        cls.admin = User.objects.get(username="admin")

    def context(self, version: str, year: int = 2025) -> ReportContext:
        user = AnonymousUser() if version == PUBLIC else self.admin
        return report_context(
            plan_access(user, content.NAP_CODE),
            scope=YEAR,
            year=year,
            version=version,  # type: ignore[arg-type]
        )

    def _plant_sentinel(self, context: ReportContext) -> int:
        """Overwrite what the release read withholds with SENTINEL in the fact tables."""
        hidden = list(
            ReleaseFigure.objects.filter(release=context.release)
            .exclude(flag="")
            .values_list("indicator_id", "area_id", "period_code", "cell_key", "source_id")
        )
        for indicator_id, area_id, period, cell_key, source_id in hidden:
            AggregateValue.objects.filter(
                indicator_id=indicator_id,
                area_id=area_id,
                period_code=period,
                cell_key=cell_key,
                source_id=source_id,
            ).update(value=SENTINEL, achievement=SENTINEL)
            DataValue.objects.filter(
                indicator_id=indicator_id,
                area_id=area_id,
                period__code=period,
                cell__code=cell_key or "total",
                source_id=source_id,
            ).update(value=SENTINEL)
        return len(hidden)

    def test_the_public_version_never_carries_a_withheld_figure(self) -> None:
        for year in (2024, 2025):
            context = self.context(PUBLIC, year)
            assert self._plant_sentinel(context) > 0
            sections = [
                build(context) for build in (summary.build, pillars.build, qualitative.build)
            ]
            flagged = [c for s in sections for c in _cells(s) if c.flag]
            # A withheld figure shows its flag's words, never a number.
            assert all(c.value is None for c in flagged)
            text = json.dumps(build_report(context).as_json(), ensure_ascii=False) + json.dumps(
                [str(s) for s in sections], ensure_ascii=False
            )
            assert not LEAK.search(text), year
            if year == 2024:
                # PRO-03's 2024 national count is withheld in the release: shown as its flag.
                row = _row(_table(sections[1], "pillars.PRO.1.1.indicators"), "PRO-03")
                assert row[4].flag and row[4].value is None and row[5].flag
                assert any(
                    c.flag for c in _table(sections[1], "indicator.PRO-03.disaggregation").rows[0]
                )

    def test_the_trend_chart_leaves_a_withheld_year_as_a_gap_named_by_its_flag(self) -> None:
        context = self.context(PUBLIC, 2025)
        self._plant_sentinel(context)
        section = pillars.build(context)
        chart = next(
            b
            for s in section.walk()
            for b in s.blocks
            if isinstance(b, Chart) and b.key == "indicator.PRO-03.trend"
        )
        assert "2024: fewer than" in chart.alt or "2024: hidden" in chart.alt
        assert not LEAK.search(chart.svg)

    def test_the_internal_version_shows_the_detail_the_public_one_withholds(self) -> None:
        public = pillars.build(self.context(PUBLIC, 2024))
        internal = pillars.build(self.context(INTERNAL, 2024))
        shown = _row(_table(public, "pillars.PRO.1.1.indicators"), "PRO-03")[4]
        detail = _row(_table(internal, "pillars.PRO.1.1.indicators"), "PRO-03")[4]
        assert shown.flag and shown.value is None
        stored = AggregateValue.objects.get(
            indicator__plan__code=content.NAP_CODE,
            indicator__code="PRO-03",
            period_code="2024",
            area__code="COD",
            source__code="gov",
            cell_key="",
        )
        assert not detail.flag and detail.value == stored.value

    def test_civil_society_figure_stands_beside_the_government_with_the_gap(self) -> None:
        for version in (PUBLIC, INTERNAL):
            section = pillars.build(self.context(version, 2025))
            table = _table(section, "indicator.PAR-06.civil_society")
            figures = {
                source: AggregateValue.objects.get(
                    indicator__plan__code=content.NAP_CODE,
                    indicator__code="PAR-06",
                    period_code="2025",
                    area__code="COD",
                    source__code=source,
                    cell_key="",
                ).value
                for source in ("gov", CFPL)
            }
            area, source, government, civil_society, gap = table.rows[0]
            assert government.value is not None and civil_society.value is not None
            assert round(government.value, 4) == round(figures["gov"], 4)
            assert round(civil_society.value, 4) == round(figures[CFPL], 4)
            # A share: the gap in percentage points.
            assert gap.value is not None
            assert abs(gap.value - abs(figures["gov"] - figures[CFPL])) < 1e-6
            assert "points" in gap.text

    def test_each_indicator_has_its_figures_chart_and_disaggregation(self) -> None:
        with translation.override("en"):
            section = pillars.build(self.context(INTERNAL, 2025))
        assert [s.key for s in section.subsections] == [
            "pillars.PAR",
            "pillars.PRE",
            "pillars.PRO",
            "pillars.REL",
            "pillars.COO",
        ]
        row = _row(_table(section, "pillars.PRE.1.1.indicators"), "PRE-01")
        assert [c.value for c in row[2:5]] == [320, 2000, 1731]
        assert row[5].value is not None and 0.83 < row[5].value < 0.85
        margins = _table(section, "indicator.PRE-01.disaggregation")
        by_sex = {r[1].text: r[2].value for r in margins.rows if r[0].text == "Sex"}
        assert by_sex == {"Female": 957, "Male": 774}
        charts = [b for s in section.walk() for b in s.blocks if isinstance(b, Chart)]
        assert charts and all(c.svg.startswith("<svg") for c in charts)
        # Legible in black and white: the government's line and the target marks are told
        # apart by their dash pattern and markers, not by colour alone.
        trend = next(c for c in charts if c.key == "indicator.PRE-01.trend")
        assert 'stroke-dasharray="10 5"' in trend.svg and "<circle" in trend.svg
        actions = _table(section, "pillars.PRE.1.1.actions")
        trained = _row(actions, "PRE.1.1.1")
        assert trained[2].text == "Completed" and trained[3].value == 1.0
        assert "RFPK: Implemented (4/4)" in trained[5].text

    def test_a_year_without_data_says_so_instead_of_empty_tables(self) -> None:
        for version in (PUBLIC, INTERNAL):
            context = self.context(version, 2026)
            section = pillars.build(context)
            assert section.empty and "2026" in section.empty
            assert not section.subsections and not section.tables
            assert qualitative.build(context).empty
            found = summary.build(context)
            assert any(
                "No indicator has a figure for 2026" in getattr(b, "text", "") for b in found.blocks
            )
            assert "summary.changes" not in [t.key for t in found.tables]

    def test_the_whole_plan_is_read_in_a_bounded_number_of_queries(self) -> None:
        # The demo has 28 indicators and 33 actions: a read per indicator or per action would
        # pass these bounds by far.
        for version in (PUBLIC, INTERNAL):
            context = self.context(version, 2025)
            # The qualitative section's fourth: the plan's approved stories (none here); its
            # fifth: the decided selection rounds (none here; their choices and the chosen
            # stories' consents are two more queries, whatever their number).
            for build, bound in ((summary.build, 22), (pillars.build, 16), (qualitative.build, 5)):
                with CaptureQueriesContext(connection) as queries:
                    build(context)
                assert len(queries) <= bound, (version, build.__module__, len(queries))

    def test_civil_society_comparisons_are_bounded_to_the_widest_gaps(self) -> None:
        indicator = Indicator.objects.get(plan__code=content.NAP_CODE, code="PAR-05")
        source = Source.objects.get(code=CFPL)
        pairs = [
            Divergence(
                indicator=indicator,
                area=Area(code=f"A{n:02}", name=f"Area {n:02}", path=f"/9/{n:02}/"),
                source=source,
                government=100.0,
                civil_society=100.0 - n,
                gap=n / 100,
                in_points=False,
            )
            for n in range(1, pillars.PAIRS_SHOWN + 4)
        ]
        with translation.override("en"):
            table = pillars.civil_society_table(indicator, pairs)
        assert table is not None and len(table.rows) == pillars.PAIRS_SHOWN
        # The widest gaps are kept: the three narrowest (areas 01-03) are left to the portal.
        assert [r[0].text for r in table.rows][0] == "Area 04"
        assert f"of {pillars.PAIRS_SHOWN + 3} comparisons" in table.note

    def test_the_comparisons_are_the_divergence_views(self) -> None:
        # The report reads the pairs within the plan's area (naming its areas keeps the read
        # fast on a big plan); they must be the divergence view's of the report's period,
        # figure for figure and gap for gap.
        for version in (PUBLIC, INTERNAL):
            for year in (2024, 2025):
                context = self.context(version, year)
                mine = [d for found in divergences(context).values() for d in found]
                theirs = plan_divergences(
                    context.plan,
                    context.period_code,
                    limit=None,
                    figures=context.figures,
                    hidden=context.hidden,
                )

                def key(d: Divergence) -> tuple[object, ...]:
                    return (
                        d.indicator.pk,
                        d.area.pk,
                        d.source.pk,
                        round(d.government, 6),
                        round(d.civil_society, 6),
                        round(d.gap, 6),
                        d.in_points,
                    )

                assert theirs, (version, year)
                assert sorted(map(key, mine)) == sorted(map(key, theirs)), (version, year)
