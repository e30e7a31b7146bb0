"""The report's civil society chapter: its scorecard, its own indicators, its assessments and
the board's dissent (docs/reports.md, "Civil society's chapter")."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from tests.reports.sections_base import DemoSectionTests

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.boards.models import Dissent
from wpsmonitor.demo.boards import DISSENT_2024
from wpsmonitor.indicators.models import AggregateValue, Indicator
from wpsmonitor.publishing.selectors import release_figures
from wpsmonitor.reports.document import INTERNAL, PUBLIC, Paragraph, Section
from wpsmonitor.reports.sections import civil_society
from wpsmonitor.scorecard.scoring import NATIONAL, plan_scorecard
from wpsmonitor.shadow.selectors import action_comparisons


def sub(section: Section, key: str) -> Section:
    (found,) = [s for s in section.subsections if s.key == key]
    return found


class CivilSocietyTests(DemoSectionTests):
    def test_the_scorecard_is_the_public_scorecard_s(self) -> None:
        context = self.context(PUBLIC)
        cards = plan_scorecard(
            PlanAccess.load(AnonymousUser(), context.plan), figures=context.figures
        )
        section = civil_society.build(context)
        table = self.table(section, "civil_society.scorecard")
        for card in cards.cards:
            total = card.level(NATIONAL).total.scores["2025"]
            (row,) = [
                r
                for r in table.rows
                if r[0].text == card.source.name
                and r[1].text == "National level"
                and r[2].text == "All pillars"
            ]
            assert row[3].value == pytest.approx(total.ratio)
            assert row[4].value == total.indicators + total.actions

    def test_own_indicators_are_the_published_ones_with_their_stream_s_figure(self) -> None:
        for version in (PUBLIC, INTERNAL):
            context = self.context(version)
            table = self.table(civil_society.build(context), "civil_society.own_indicators")
            codes = [r[1].text for r in table.rows]
            published = Indicator.objects.filter(
                plan=context.plan, owner_organisation__isnull=False, published_at__isnull=False
            )
            unpublished = Indicator.objects.filter(
                plan=context.plan, owner_organisation__isnull=False, published_at__isnull=True
            )
            assert sorted(codes) == sorted(published.values_list("code", flat=True))
            assert unpublished.exists() and not set(codes) & set(
                unpublished.values_list("code", flat=True)
            )
            indicator = published.get(code="CSO-CFPL-1")
            rows = (
                AggregateValue.objects.all()
                if version == INTERNAL
                else release_figures(context.release)  # type: ignore[arg-type]
            )
            expected = rows.get(
                indicator=indicator,
                period_code="2025",
                area=context.plan.area,
                source__organisation=indicator.owner_organisation,
                cell_key="",
            )
            (row,) = [r for r in table.rows if r[1].text == "CSO-CFPL-1"]
            assert row[6].value == float(expected.value)

    def test_assessments_put_each_monitor_beside_the_government(self) -> None:
        context = self.context()
        compared = action_comparisons(context.plan, "2025")
        table = self.table(civil_society.build(context), "civil_society.assessments")
        assert len(table.rows) == sum(len(c.monitors) for c in compared) > 0
        (row,) = [r for r in table.rows if r[0].text.startswith("PRO.2.1.1 ")]
        assert [c.text for c in row[2:5]] == ["Not implemented", "Completed", "Disagree completely"]

    def test_a_standing_dissent_is_printed_whole_with_its_author(self) -> None:
        section = civil_society.build(self.context(PUBLIC, year=2024))
        dissents = sub(section, "civil_society.dissents")
        quotes = [b for b in dissents.blocks if isinstance(b, Paragraph) and b.style == "quote"]
        (quote,) = quotes
        assert quote.text == DISSENT_2024
        assert quote.attribution.startswith("Furaha Kahindo (fictitious), Civil society")
        # Withdrawn, it is no longer the board's dissent.
        Dissent.objects.update(withdrawn_at=timezone.now())
        gone = sub(civil_society.build(self.context(PUBLIC, year=2024)), "civil_society.dissents")
        assert not gone.blocks
        assert gone.empty == "No member of the board dissented from its report for this period."

    def test_another_year_s_dissent_is_not_in_the_report(self) -> None:
        # The demo's board dissented from its 2024 and 2025 reports, not from any of 2026.
        dissents = sub(civil_society.build(self.context(year=2026)), "civil_society.dissents")
        assert not dissents.blocks and dissents.empty

    def test_a_plan_without_civil_society_says_so(self) -> None:
        section = civil_society.build(self.empty_plan_context())
        assert section.title == "Civil society's chapter"
        assert not section.subsections and not section.tables
        assert section.empty.startswith("Civil society has published no scorecard")

    def test_queries_are_bounded(self) -> None:
        assert self.queries(civil_society.build, self.context(PUBLIC)) <= 16
