"""The report's summary and its "Qualitative evidence" section on the demo plan
(docs/reports.md): the secretariat's narrative (marked when shown in another language), the
year's changes, what is off track, money and recommendations as their apps count them; narrative
figures and list items written out, the public version printing public indicators' only."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.test import TestCase
from django.utils import translation

from wpsmonitor.accountability.selectors import summary as recommendation_summary
from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.demo import content
from wpsmonitor.demo.builder import demo_load
from wpsmonitor.finance.selectors import finance_summary
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.reports.context import ReportContext, report_context
from wpsmonitor.reports.document import (
    INTERNAL,
    MIDTERM,
    PUBLIC,
    YEAR,
    Paragraph,
    Section,
    Table,
)
from wpsmonitor.reports.models import ReportNarrative
from wpsmonitor.reports.sections import pillars, qualitative, summary


def _table(section: Section, key: str) -> Table:
    return next(t for t in section.tables if t.key == key)


def _paragraphs(section: Section) -> list[Paragraph]:
    return [b for s in section.walk() for b in s.blocks if isinstance(b, Paragraph)]


class SummaryAndQualitativeTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        demo_load(reports=False)  # the data, not the generated reports
        cls.admin = User.objects.get(username="admin")
        cls.plan = Plan.objects.get(code=content.NAP_CODE)

    def context(self, version: str, year: int = 2025) -> ReportContext:
        user = AnonymousUser() if version == PUBLIC else self.admin
        return report_context(
            plan_access(user, content.NAP_CODE),
            scope=YEAR,
            year=year,
            version=version,  # type: ignore[arg-type]
        )

    def _narrative(self, text: str, language: str, node: FrameworkNode | None = None) -> None:
        ReportNarrative.objects.create(
            plan=self.plan, scope=YEAR, year=2025, node=node, language=language, text=text
        )

    # --- the narrative -----------------------------------------------------------------------

    def test_a_narrative_in_another_language_is_marked_as_such(self) -> None:
        pillar = FrameworkNode.objects.get(plan=self.plan, code="PAR")
        self._narrative("Le comité s'est réuni quatre fois.\n\nLa société civile y siège.", "fr")
        self._narrative("Les femmes siègent davantage.", "fr", node=pillar)
        with translation.override("en"):
            found = summary.build(self.context(PUBLIC))
            by_pillar = pillars.build(self.context(PUBLIC))
        texts = [(p.text, p.style) for p in found.blocks if isinstance(p, Paragraph)]
        assert texts[:3] == [
            ("Le comité s'est réuni quatre fois.", "text"),
            ("La société civile y siège.", "text"),
            ("Shown in French: no English text yet.", "note"),
        ]
        par = next(s for s in by_pillar.subsections if s.key == "pillars.PAR")
        assert [(b.text, b.style) for b in par.blocks[:2]] == [  # type: ignore[union-attr]
            ("Les femmes siègent davantage.", "text"),
            ("Shown in French: no English text yet.", "note"),
        ]

    def test_a_narrative_in_the_report_language_is_shown_without_a_note(self) -> None:
        self._narrative("Le comité s'est réuni.", "fr")
        self._narrative("The committee met four times.", "en")
        with translation.override("en"):
            found = summary.build(self.context(INTERNAL))
        texts = [p.text for p in found.blocks if isinstance(p, Paragraph)]
        assert texts[0] == "The committee met four times."
        assert not any("Shown in" in t for t in texts)

    # --- key figures, changes, off track -------------------------------------------------------

    def test_the_years_changes_compare_with_the_year_before_and_skip_withheld_figures(self) -> None:
        with translation.override("en"):
            internal = summary.build(self.context(INTERNAL))
            public = summary.build(self.context(PUBLIC))
        changes = _table(internal, "summary.changes")
        assert changes.columns[2:4] == ("2024", "2025")
        assert len(changes.rows) == summary.CHANGES_SHOWN
        assert "PRO-03" in [r[0].text for r in changes.rows]
        # PRO-03's 2024 national count is withheld in the release: not compared in public.
        assert "PRO-03" not in [r[0].text for r in _table(public, "summary.changes").rows]
        law = next(r for r in changes.rows if r[0].text == "PRO-07")
        assert (law[2].text, law[3].text, law[4].text) == ("No", "Yes", "Up: better")

    def test_the_plans_first_year_has_no_earlier_year_to_compare(self) -> None:
        with translation.override("en"):
            found = summary.build(self.context(INTERNAL, 2024))
        assert "summary.changes" not in [t.key for t in found.tables]
        assert any("first year" in p.text for p in _paragraphs(found))

    def test_off_track_lists_indicators_behind_the_pace_and_delayed_actions(self) -> None:
        found = summary.build(self.context(INTERNAL))
        lagging = _table(found, "summary.off_track")
        codes = [r[0].text for r in lagging.rows]
        assert codes[0] == "PAR-02"  # 64 % of the way: the furthest behind
        assert all(r[4].value is not None and r[4].value < 0.8 for r in lagging.rows)
        delayed = [r[0].text for r in _table(found, "summary.delayed_actions").rows]
        assert "PAR.2.2.1" in delayed

    def test_money_and_recommendations_are_their_apps_totals(self) -> None:
        found = summary.build(self.context(PUBLIC))
        money = _table(found, "summary.money")
        totals = finance_summary(self.plan).total
        assert [r[2].value for r in money.rows[:4]] == [
            float(totals.costed),
            float(totals.allocated),
            float(totals.disbursed),
            float(totals.spent),
        ]
        year = next(r.stages for r in finance_summary(self.plan).by_year if r.key == "2025")
        assert money.rows[0][1].value == float(year.costed)
        recs = _table(found, "summary.recommendations")
        counted = recommendation_summary(PlanAccess.load(AnonymousUser(), self.plan))
        assert [r[1].value for r in recs.rows[:2]] == [counted.total, counted.fully]

    # --- qualitative evidence ------------------------------------------------------------------

    def test_narrative_figures_and_list_items_are_written_out(self) -> None:
        found = qualitative.build(self.context(INTERNAL))
        quotes = [p for p in _paragraphs(found) if p.style == "quote"]
        texts = [q.text for q in quotes]
        assert content.NARRATIVES[("gov", "2025")] in texts
        assert content.NARRATIVES[("demo-cfpl-shadow", "2025")] in texts
        # Only the years the report covers.
        assert content.NARRATIVES[("gov", "2024")] not in texts
        assert texts.index(content.NARRATIVES[("gov", "2025")]) == 0  # the government's first
        items = _table(found, "indicator.PRO-08.items")
        assert all(c.value is None for r in items.rows for c in r)  # written out, not counted
        assert "Law 25/009 (demo reference)" in [r[2].text for r in items.rows]

    def test_the_public_version_prints_no_text_of_a_sensitive_indicator(self) -> None:
        Indicator.objects.filter(plan=self.plan, code="COO-04").update(
            sensitivity=Sensitivity.SENSITIVE
        )
        public = qualitative.build(self.context(PUBLIC))
        internal = qualitative.build(self.context(INTERNAL))
        assert "qualitative.COO-04" not in [s.key for s in public.subsections]
        assert "qualitative.COO-04" in [s.key for s in internal.subsections]
        assert not any(p.text == content.NARRATIVES[("gov", "2025")] for p in _paragraphs(public))

    def test_a_restricted_indicator_is_in_neither_version(self) -> None:
        Indicator.objects.filter(plan=self.plan, code="PRO-08").update(
            sensitivity=Sensitivity.RESTRICTED
        )
        for version in (PUBLIC, INTERNAL):
            found = qualitative.build(self.context(version))
            assert "qualitative.PRO-08" not in [s.key for s in found.subsections], version

    def test_the_sections_speak_french(self) -> None:
        self._narrative("The committee met four times.", "en")
        with translation.override("fr"):
            found = summary.build(self.context(INTERNAL))
            by_pillar = pillars.build(self.context(INTERNAL))
        assert _table(found, "summary.changes").title == "Les principales évolutions de l’année"
        assert "pas encore de version en" in _paragraphs(found)[1].text
        actions = _table(by_pillar, "pillars.PRE.1.1.actions")
        assert "Note de la société civile" in actions.columns

    def test_a_midterm_report_writes_out_every_year_it_covers(self) -> None:
        context = report_context(
            plan_access(self.admin, content.NAP_CODE), scope=MIDTERM, version=INTERNAL
        )
        assert (context.first_year, context.last_year) == (2024, 2025)
        texts = [p.text for p in _paragraphs(qualitative.build(context)) if p.style == "quote"]
        assert content.NARRATIVES[("gov", "2024")] in texts
        assert content.NARRATIVES[("gov", "2025")] in texts
        by_pillar = pillars.build(context)
        assert (
            "Value 2025"
            in next(t for t in by_pillar.tables if t.key == "pillars.PAR.1.indicators").columns
        )
