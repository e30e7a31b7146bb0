"""The report's reporting completeness: who owed figures, who sent them on time, late or not
at all, against the reporting app's own rows (docs/reports.md, "Reporting completeness")."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from tests.reports.sections_base import DemoSectionTests

from wpsmonitor.demo import content
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE
from wpsmonitor.reporting.models import (
    Assignment,
    ReportingRound,
    Submission,
    SubmissionStatus,
)
from wpsmonitor.reports.document import PUBLIC, WHOLE_PLAN
from wpsmonitor.reports.sections import completeness

REPORTED = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED, SubmissionStatus.PUBLISHED)


class CompletenessTests(DemoSectionTests):
    def round_2025(self) -> ReportingRound:
        return ReportingRound.objects.get(plan__code=content.NAP_CODE, period__code="2025Q4")

    def test_the_round_counts_are_the_assignments_and_the_government_submissions(self) -> None:
        round_ = self.round_2025()
        pairs = set(Assignment.objects.filter(plan=round_.plan).values_list("organisation", "area"))
        sent = Submission.objects.filter(
            round=round_, source__code=GOVERNMENT_SOURCE, status__in=REPORTED
        )
        on_time = sum(1 for s in sent if timezone.localdate(s.submitted_at) <= round_.deadline)
        assert sent.count() >= 1 and on_time >= 1  # the demo's police correction

        section = completeness.build(self.context())
        table = self.table(section, "completeness.rounds")
        assert self.texts(table)[0][0] == "2025Q4"
        (row,) = [[c.value for c in r] for r in table.rows]
        expected, got_on_time, late, missing, pending, rate, on_time_rate = row[3:]
        assert expected == len(pairs)
        assert got_on_time == on_time
        assert late == sent.count() - on_time
        assert missing == len(pairs) - sent.count() and pending == 0
        assert rate == pytest.approx(sent.count() / len(pairs))
        assert on_time_rate == pytest.approx(on_time / len(pairs))

    def test_who_reported_is_named_by_organisation_and_area(self) -> None:
        section = completeness.build(self.context())
        detail = self.texts(self.table(section, "completeness.detail"))
        assert ["Congolese National Police", "Kinshasa", "On time"] in detail
        assert [
            "Ministry of Gender, Family and Children",
            "Nord-Kivu",
            "Not reported",
        ] in detail
        areas = {r[0]: r for r in self.texts(self.table(section, "completeness.areas"))}
        assert areas["Kinshasa"][6] == "100%"
        organisations = self.table(section, "completeness.organisations")
        by_name = {r[0].text: [c.value for c in r[1:]] for r in organisations.rows}
        assert by_name["Congolese National Police"][:4] == [2, 1, 0, 1]

    def test_a_submission_after_the_deadline_is_late(self) -> None:
        round_ = self.round_2025()
        after = datetime.combine(round_.deadline + timedelta(days=3), time(12))
        Submission.objects.filter(round=round_, source__code=GOVERNMENT_SOURCE).update(
            submitted_at=timezone.make_aware(after)
        )
        section = completeness.build(self.context())
        detail = self.texts(self.table(section, "completeness.detail"))
        assert ["Congolese National Police", "Kinshasa", "Late"] in detail
        row = [c.value for c in self.table(section, "completeness.rounds").rows[0]]
        assert row[4:6] == [0, 1]  # on time, late

    def test_an_open_round_before_its_deadline_is_not_yet_due(self) -> None:
        section = completeness.build(self.context(scope=WHOLE_PLAN, year=None))
        rounds = self.texts(self.table(section, "completeness.rounds"))
        assert [r[0] for r in rounds] == ["2025Q4", "2026Q1"]
        open_round = self.table(section, "completeness.rounds").rows[1]
        assert open_round[2].text == "Open"
        assert open_round[7].value == open_round[3].value  # all not yet due
        assert self.table(section, "completeness.detail").columns[2:] == ("2025Q4", "2026Q1")

    def test_civil_society_reports_are_listed_without_a_rate(self) -> None:
        section = completeness.build(self.context(PUBLIC))
        rows = self.texts(self.table(section, "completeness.civil_society"))
        published = (
            Submission.objects.filter(round=self.round_2025(), status__in=REPORTED)
            .exclude(source__code=GOVERNMENT_SOURCE)
            .filter(organisation__code="demo-cfpl")
            .count()
        )
        assert [
            "Women's Coalition for Peace and Leadership (fictitious)",
            "2025Q4",
            str(published),
        ] in rows

    def test_a_period_without_rounds_says_so(self) -> None:
        section = completeness.build(self.context(year=2024))
        assert section.title == "Reporting completeness"
        assert section.empty == "No reporting round was held for the period this report covers."
        assert not section.tables
        empty = completeness.build(self.empty_plan_context())
        assert empty.empty and not empty.tables

    def test_queries_do_not_grow_with_rounds_or_organisations(self) -> None:
        one_round = self.queries(completeness.build, self.context())
        two_rounds = self.queries(completeness.build, self.context(scope=WHOLE_PLAN, year=None))
        assert one_round == two_rounds <= 3
