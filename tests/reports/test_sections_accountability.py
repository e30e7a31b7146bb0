"""The report's accountability section against the accountability app's own summary
(docs/reports.md, "Accountability")."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AnonymousUser
from tests.reports.sections_base import DemoSectionTests

from wpsmonitor.accountability.models import Assessment, Decision, Recommendation, Review
from wpsmonitor.accountability.selectors import summary, summary_data
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.reports.document import PUBLIC, WHOLE_PLAN
from wpsmonitor.reports.sections import accountability


class AccountabilityTests(DemoSectionTests):
    def test_the_whole_plan_counts_are_the_accountability_page_s(self) -> None:
        context = self.context(PUBLIC, scope=WHOLE_PLAN, year=None)
        expected = summary_data(summary(PlanAccess.load(AnonymousUser(), context.plan)))
        section = accountability.build(context)

        def rows(key: str) -> list[tuple[str, object, object]]:
            return [(r[0].text, r[1].value, r[2].value) for r in self.table(section, key).rows]

        assert rows("accountability.by_source") == [
            (r["label"], r["total"], r["fully"]) for r in expected["by_source"]
        ]
        assert rows("accountability.by_addressee") == [
            (r["label"], r["total"], r["fully"]) for r in expected["by_addressee"]
        ]
        statuses = {
            r[0].text: r[1].value for r in self.table(section, "accountability.by_status").rows
        }
        assert sum(statuses.values()) == expected["total"]  # type: ignore[arg-type]
        assert statuses["Fully implemented"] == expected["fully"]
        assert len(self.table(section, "accountability.recommendations").rows) == expected["total"]
        words = section.blocks[0].text  # type: ignore[union-attr]
        assert f"differs from the recorded status on {len(expected['disagreements'])}" in words

    def test_an_annual_report_counts_what_was_issued_by_the_year_s_end(self) -> None:
        context = self.context(year=2024)
        issued = Recommendation.objects.filter(
            plan=context.plan, issued_on__lte=date(2024, 12, 31)
        ).count()
        assert 0 < issued < Recommendation.objects.filter(plan=context.plan).count()
        section = accountability.build(context)
        assert len(self.table(section, "accountability.recommendations").rows) == issued

    def test_only_published_assessments_are_civil_society_s(self) -> None:
        context = self.context(scope=WHOLE_PLAN, year=None)
        assessment = (
            Assessment.objects.filter(recommendation__plan=context.plan, published_at__isnull=False)
            .select_related("recommendation", "organisation")
            .first()
        )
        assert assessment is not None
        reference = assessment.recommendation.reference

        def assessed() -> str:
            table = self.table(accountability.build(context), "accountability.recommendations")
            (row,) = [r for r in table.rows if r[0].text == reference]
            return row[6].text

        assert assessed().startswith(f"{assessment.organisation.name}: ")
        Assessment.objects.filter(pk=assessment.pk).update(published_at=None)
        assert assessment.organisation.name not in assessed()

    def test_reviews_and_decisions_of_the_period(self) -> None:
        context = self.context(scope=WHOLE_PLAN, year=None)
        section = accountability.build(context)
        reviews = Review.objects.filter(plan=context.plan)
        (review,) = self.texts(self.table(section, "accountability.reviews"))
        assert review[0] == reviews.get().title
        assert review[3] == str(reviews.get().findings.count())
        decisions = Decision.objects.filter(recommendation__plan=context.plan)
        assert len(self.table(section, "accountability.decisions").rows) == decisions.count() > 0
        # A review held after the report's period is not in it.
        earlier = accountability.build(self.context(year=2024))
        assert "accountability.reviews" not in [t.key for t in earlier.tables]

    def test_a_plan_without_recommendations_says_so(self) -> None:
        section = accountability.build(self.empty_plan_context())
        assert section.title == "Accountability" and not section.tables
        assert section.empty == "No recommendation, review or decision is recorded for the plan."

    def test_queries_do_not_grow_with_the_recommendations(self) -> None:
        few = self.queries(accountability.build, self.context(year=2024))
        many = self.queries(accountability.build, self.context(scope=WHOLE_PLAN, year=None))
        assert few <= many <= 8
