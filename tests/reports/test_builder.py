"""The standard report is built from the demo plan in order, for both versions
(docs/reports.md)."""

from __future__ import annotations

from datetime import date
from unittest.mock import patch

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.demo import content
from wpsmonitor.demo.builder import demo_load
from wpsmonitor.plans.models import Plan
from wpsmonitor.reports.builder import SECTIONS, build_report
from wpsmonitor.reports.context import report_context, years_covered
from wpsmonitor.reports.document import INTERNAL, MIDTERM, PUBLIC, WHOLE_PLAN, YEAR


class DemoReportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        demo_load(reports=False)  # the data, not the generated reports
        cls.admin = User.objects.get(username="admin")

    def test_sections_come_in_order_and_the_public_version_reads_the_release(self) -> None:
        access = plan_access(AnonymousUser(), content.NAP_CODE)
        report = build_report(report_context(access, scope=YEAR, year=2025, version=PUBLIC))
        assert [s.key for s in report.sections] == [
            "summary",
            "pillars",
            "completeness",
            "money",
            "accountability",
            "revisions",
            "steering",
            "oversight",
            "security",
            "peace",
            "civil_society",
            "qualitative",
            "method",
            "annexes",
        ]
        assert len(report.sections) == len(SECTIONS)
        assert report.version == PUBLIC and report.release_number == 2
        key_figures = report.numbers()["summary.key_figures"]
        assert key_figures[0][1] and key_figures[0][1] > 0  # indicators counted

    def test_the_same_content_hashes_the_same(self) -> None:
        access = plan_access(self.admin, content.NAP_CODE)
        first = build_report(report_context(access, scope=YEAR, year=2025, version=INTERNAL))
        second = build_report(report_context(access, scope=YEAR, year=2025, version=INTERNAL))
        assert first.generated_at != second.generated_at
        assert first.content_hash() == second.content_hash()

    def test_a_whole_plan_report_shows_the_plan_to_date_not_its_last_year(self) -> None:
        """A count summed over the years (the "ALL" aggregate), not the last year's alone;
        its column says which years."""
        from wpsmonitor.indicators.aggregation import ALL_PERIODS
        from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, AggregateValue
        from wpsmonitor.plans.models import Plan

        access = plan_access(self.admin, content.NAP_CODE)
        context = report_context(access, scope=WHOLE_PLAN, version=INTERNAL)
        assert context.period_code == ALL_PERIODS
        report = build_report(context)
        assert report.period_code == ALL_PERIODS
        plan = Plan.objects.get(code=content.NAP_CODE)
        national = AggregateValue.objects.filter(
            plan=plan, area_id=plan.area_id, cell_key="", source__code=GOVERNMENT_SOURCE
        )
        whole = dict(
            national.filter(period_code=ALL_PERIODS).values_list("indicator__code", "value")
        )
        yearly = national.filter(period_code__in=context.years)
        by_year: dict[str, set[object]] = {}
        for code, value in yearly.values_list("indicator__code", "value"):
            by_year.setdefault(code, set()).add(value)
        # Counts summed over the years: the plan to date is none of its years' figures.
        differing = [code for code in whole if code in by_year and whole[code] not in by_year[code]]
        assert differing, "the demo has an indicator whose plan-to-date is no year's figure"
        tables = [t for t in report.tables if t.key.endswith(".indicators")]
        header = f"Value {context.first_year}–{context.last_year}"
        shown = {row[0].text: row[4].value for t in tables if header in t.columns for row in t.rows}
        for code in differing:
            if code in shown and shown[code] is not None:
                assert shown[code] == pytest.approx(float(whole[code])), code
                break
        else:
            raise AssertionError(f"no indicator of {differing} in the pillars' tables")

    def test_only_members_build_the_internal_version(self) -> None:
        access = plan_access(AnonymousUser(), content.NAP_CODE)
        with pytest.raises(PermissionDenied):
            report_context(access, scope=YEAR, year=2025, version=INTERNAL)

    def test_a_year_outside_the_plan_is_refused_with_the_plan_years(self) -> None:
        access = plan_access(self.admin, content.NAP_CODE)
        with pytest.raises(ValidationError, match="choose a year"):
            report_context(access, scope=YEAR, year=1990, version=INTERNAL)

    def test_the_plans_texts_are_in_the_reports_language_and_a_fallback_is_said(self) -> None:
        """A Spanish report of an English plan: a text with a Spanish version reads it; one
        without reads the English, tagged "en" in its cell (the PDF tags it too), and the
        method section says once that some texts are shown in English."""
        from django.utils import translation

        from wpsmonitor.core.translated import language_name
        from wpsmonitor.indicators.models import Indicator
        from wpsmonitor.plans.models import FrameworkNode
        from wpsmonitor.reports.formats import render

        plan = Plan.objects.get(code=content.NAP_CODE)
        assert plan.original_language == "en"
        pillar = FrameworkNode.objects.filter(plan=plan, parent=None).order_by("order").first()
        assert pillar is not None
        FrameworkNode.objects.filter(pk=pillar.pk).update(title_es="Pilar de prueba")
        untranslated = Indicator.objects.filter(plan=plan, owner_organisation=None).first()
        assert untranslated is not None
        Indicator.objects.filter(pk=untranslated.pk).update(title_es="")
        access = plan_access(self.admin, content.NAP_CODE)
        with translation.override("es"):
            report = build_report(report_context(access, scope=YEAR, year=2025, version=INTERNAL))
            english = language_name("en")
        pillars = next(s for s in report.sections if s.key == "pillars")
        assert any(s.title == f"{pillar.code} Pilar de prueba" for s in pillars.subsections)
        cells = [
            cell
            for table in report.tables
            for row in table.rows
            for cell in row
            if cell.text == untranslated.title_en
        ]
        assert cells and all(cell.language == "en" for cell in cells)
        method = next(s for s in report.sections if s.key == "method")
        assert english in method.blocks[-1].text  # type: ignore[union-attr]
        assert "language" not in str(
            [
                c
                for t in report.as_json()["sections"][0]["blocks"]
                if t["type"] == "table"
                for row in t["rows"]
                for c in row
                if c["text"] == "Pilar de prueba"
            ]
        )
        pdf = render(report, "pdf")
        assert pdf.startswith(b"%PDF")


def test_a_whole_plan_report_covers_the_years_to_date_and_a_mid_term_the_first_half() -> None:
    plan = Plan(start=date(2024, 1, 1), end=date(2028, 12, 31))
    with patch("django.utils.timezone.localdate", return_value=date(2026, 12, 6)):
        assert years_covered(plan, WHOLE_PLAN, None) == (2024, 2026)
    assert years_covered(plan, MIDTERM, None) == (2024, 2026)
    ended = Plan(start=date(2019, 1, 1), end=date(2022, 12, 31))
    assert years_covered(ended, WHOLE_PLAN, None) == (2019, 2022)
