"""The report's method and data notes: sources and coverage, disclosure control told without
revealing what was withheld, the figures' time (docs/reports.md, "Method and data notes")."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.formats import date_format
from tests.reports.sections_base import DemoSectionTests

from wpsmonitor.accounts.access import hidden_indicators_filter
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, AggregateRun, Indicator
from wpsmonitor.publishing.selectors import release_figures
from wpsmonitor.reports.document import INTERNAL, PUBLIC, Paragraph
from wpsmonitor.reports.sections import method


class MethodTests(DemoSectionTests):
    def test_the_public_version_tells_the_rule_and_the_counts_of_its_release(self) -> None:
        context = self.context(PUBLIC)
        release = context.release
        assert release is not None and release.suppressed > 0
        section = method.build(context)
        timing = {r[0].text: r[1] for r in self.table(section, "method.timing").rows}
        assert timing["Release read"].value == release.number
        rules = {r[0].text: r[1] for r in self.table(section, "method.disclosure").rows}
        assert rules["Figures withheld"].value == release.suppressed
        assert rules["Figures in the release"].value == release.figures
        assert rules["Threshold: smallest count published"].value == (
            context.plan.disclosure_threshold
        )
        sensitive = Indicator.objects.filter(
            plan=context.plan, sensitivity=Sensitivity.SENSITIVE
        ).exclude(context.hidden)
        assert rules["Indicators under disclosure control (sensitive)"].value == sensitive.count()

    def test_the_public_version_never_says_which_figure_was_withheld(self) -> None:
        context = self.context(PUBLIC)
        section = method.build(context)
        assert "method.sensitive" not in [t.key for t in section.tables]
        words = [c.text for t in section.tables for r in t.rows for c in r]
        words += [b.text for b in section.blocks if isinstance(b, Paragraph)]
        codes = Indicator.objects.filter(plan=context.plan).values_list("code", flat=True)
        assert not [w for w in words for code in codes if code in w]
        # The internal version names the sensitive indicators.
        internal = method.build(self.context(INTERNAL))
        listed = [r[0].text for r in self.table(internal, "method.sensitive").rows]
        assert listed == list(
            Indicator.objects.filter(plan=context.plan, sensitivity=Sensitivity.SENSITIVE)
            .exclude(context.hidden)
            .order_by("order", "code")
            .values_list("code", flat=True)
        )

    def test_coverage_counts_the_indicators_each_source_measured(self) -> None:
        context = self.context(PUBLIC)
        measured = (
            release_figures(context.release)  # type: ignore[arg-type]
            .filter(
                period_code="2025",
                area=context.plan.area,
                cell_key="",
                source__code=GOVERNMENT_SOURCE,
            )
            .exclude(value__isnull=True, flag="")
            .values("indicator")
            .distinct()
            .count()
        )
        section = method.build(context)
        rows = {r[0].text: r for r in self.table(section, "method.coverage").rows}
        assert rows["Government (official)"][2].value == measured > 0

    def test_the_internal_version_gives_the_last_rebuild_and_what_it_leaves_out(self) -> None:
        context = self.context(INTERNAL)
        section = method.build(context)
        timing = {r[0].text: r[1].text for r in self.table(section, "method.timing").rows}
        run = AggregateRun.objects.get(plan=context.plan)
        assert run.finished_at is not None
        assert timing["Figures last rebuilt"] == date_format(
            timezone.localtime(run.finished_at), "DATETIME_FORMAT"
        )
        hidden = Indicator.objects.filter(
            hidden_indicators_filter(AnonymousUser(), context.plan), plan=context.plan
        ).count()
        notes = [b.text for b in section.blocks if isinstance(b, Paragraph)]
        assert hidden > 0
        assert any(n.startswith(f"{hidden} indicator") for n in notes)
        assert any("without disclosure control" in n for n in notes)

    def test_a_plan_without_figures_says_so(self) -> None:
        section = method.build(self.empty_plan_context())
        notes = [b.text for b in section.blocks if isinstance(b, Paragraph)]
        assert "No source has a figure for 2025 at the plan's level." in notes
        timing = {r[0].text: r[1].text for r in self.table(section, "method.timing").rows}
        assert timing["Figures last rebuilt"] == "never"

    def test_queries_are_bounded(self) -> None:
        assert self.queries(method.build, self.context(PUBLIC)) <= 6
        assert self.queries(method.build, self.context(INTERNAL)) <= 8


class FrenchTests(DemoSectionTests):
    def test_the_six_sections_build_in_french(self) -> None:
        from django.utils import translation

        from wpsmonitor.reports.sections import (
            accountability,
            annexes,
            civil_society,
            completeness,
            money,
        )

        builders = (completeness, money, accountability, civil_society, method, annexes)
        with translation.override("fr"):
            for year in (2024, 2025):
                for version in (PUBLIC, INTERNAL):
                    context = self.context(version, year=year)
                    titles = [b.build(context).title for b in builders]
                    assert titles == [
                        "Complétude des rapports",
                        "Financement",
                        "Redevabilité",
                        "Chapitre de la société civile",
                        "Méthode et notes sur les données",
                        "Annexes",
                    ]
            rounds = self.table(completeness.build(self.context()), "completeness.rounds")
            assert rounds.columns[3] == "Rapports attendus"
            assert rounds.rows[0][2].text == "Clôturée"
