"""The demo's security sector, allegations register and peace process (issue 18, "Done means":
demo data): demo/security.py, demo/conduct.py, demo/peace.py, wired into demo/builder.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, TestCase

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.conduct.models import Allegation, ConductReader, Outcome
from wpsmonitor.conduct.selectors import figures, times_by_year
from wpsmonitor.demo import content
from wpsmonitor.demo import peace as demo_peace
from wpsmonitor.demo import security as demo_security
from wpsmonitor.demo.builder import demo_delete, demo_exists, demo_load
from wpsmonitor.indicators.models import AggregateValue, DataValue, Indicator
from wpsmonitor.peace.models import Consultation, ConsultationStage, PeaceProcess
from wpsmonitor.peace.selectors import trend
from wpsmonitor.plans.models import Plan
from wpsmonitor.security.models import (
    DeskCases,
    DeskStatus,
    InstitutionKind,
    SecurityInstitution,
    WomensDesk,
)

PASSWORD = "demo-secret-42"


def _parts(code: str) -> dict[str, str]:
    return dict(part.split("=") for part in code.split(";"))


class DemoSecurityTests(TestCase):
    """One load of the demo with its aggregates (no reports), read by every test."""

    @classmethod
    def setUpTestData(cls) -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("WPSMONITOR_DEMO_PASSWORD", PASSWORD)
            summary = demo_load(reports=False)
        assert summary is not None and summary.aggregates_rebuilt
        cls.summary = summary
        cls.nap = Plan.objects.get(code=content.NAP_CODE)

    # Security sector ---------------------------------------------------------------------------

    def test_the_army_and_the_police_adopted_the_package_on_the_recruitment_output(self) -> None:
        found = {
            i.code: i
            for i in SecurityInstitution.objects.filter(plan=self.nap).select_related(
                "organisation", "package__node"
            )
        }
        assert {c: (i.kind, i.organisation.code) for c, i in found.items()} == {
            "FARDC": (InstitutionKind.ARMY, "demo-fardc"),
            "PNC": (InstitutionKind.POLICE, "demo-pnc"),
        }
        for institution in found.values():
            assert institution.package.node.code == "PAR.2.2"
            assert institution.package.indicators.count() == 10
        pers = Indicator.objects.get(plan=self.nap, code="PNC-PERS")
        assert pers.title_fr and pers.title_es and pers.title_ar  # translated as the plan is
        assert (self.summary.security_institutions, self.summary.desks) == (2, 6)

    def test_three_years_of_personnel_by_sex_service_and_rank(self) -> None:
        for code in ("FARDC-PERS", "PNC-PERS"):
            values = DataValue.objects.filter(indicator__plan=self.nap, indicator__code=code)
            assert sorted(set(values.values_list("period__code", flat=True))) == [
                "2023",
                "2024",
                "2025",
            ]
            cells = set(values.values_list("cell__code", flat=True))
            assert len(cells) >= 2 * 2 * 6  # sex × service (2 or more) × rank, full cells
            for cell in cells:
                assert set(_parts(cell)) == {"sex", "security_service", "nato_rank"}
        for suffix in ("REC", "ATT", "CMD", "GA-POSTS", "GA-FILLED", "FAC"):
            assert DataValue.objects.filter(
                indicator__plan=self.nap, indicator__code=f"FARDC-{suffix}"
            ).exists(), suffix
        assert (
            self.summary.security_figures
            == DataValue.objects.filter(
                indicator__plan=self.nap, indicator__code__regex=r"^(FARDC|PNC)-"
            ).count()
        )

    def test_the_womens_share_by_rank_is_computed_from_the_seeded_personnel(self) -> None:
        # The stored figures of the police's general officers in 2025, by service and sex,
        # as the seeded generator made them (demo_security.personnel).
        stored = {
            (_parts(code)["security_service"], _parts(code)["sex"]): value
            for code, value in DataValue.objects.filter(
                indicator__plan=self.nap,
                indicator__code="PNC-PERS",
                period__code="2025",
                cell__code__contains="nato_rank=of_general",
            ).values_list("cell__code", "value")
        }
        assert stored == {
            ("joint", "F"): 1,
            ("joint", "M"): 32,
            ("other", "F"): 7,
            ("other", "M"): 191,
        }
        people = demo_security.personnel(demo_security.FORCES[1], "2025")  # the police
        assert stored == {
            (service, sex): count
            for (sex, service, rank), count in people.items()
            if rank == "of_general"
        }
        # By hand: (1 + 7) women of (1 + 32 + 7 + 191) = 8 of 231 general officers, 3.46 %.
        share = AggregateValue.objects.get(
            indicator__plan=self.nap,
            indicator__code="PNC-PERS-W",
            period_code="2025",
            area__code="COD",
            source__code="gov",
            cell_key="nato_rank=of_general",
        )
        assert (share.numerator, share.denominator) == (8, 231)
        assert share.value == pytest.approx(3.4632, abs=1e-4)
        # Fewer women the higher the rank; and the share rises year on year.
        by_rank = {
            row.cell_key: row.value
            for row in AggregateValue.objects.filter(
                indicator__code="PNC-PERS-W", period_code="2025", area__code="COD"
            ).exclude(cell_key="")
        }
        assert by_rank["nato_rank=of_general"] < by_rank["nato_rank=or_other"]
        overall = dict(
            AggregateValue.objects.filter(
                indicator__code="FARDC-PERS-W", area__code="COD", cell_key=""
            ).values_list("period_code", "value")
        )
        assert overall["2024"] < overall["2025"]
        assert "2023" not in overall  # before the plan: stored, not aggregated

    def test_desks_in_two_provinces_with_cases_for_the_open_ones(self) -> None:
        desks = WomensDesk.objects.filter(institution__plan=self.nap).select_related("area")
        assert {d.area.code.rsplit("-", 1)[0] for d in desks} == {"CD-NK", "CD-SK"}
        assert {d.status for d in desks} == {
            DeskStatus.OPEN,
            DeskStatus.PLANNED,
            DeskStatus.CLOSED,
        }
        cases = DeskCases.objects.filter(desk__institution__plan=self.nap)
        assert set(cases.values_list("desk__status", flat=True)) == {DeskStatus.OPEN}
        assert cases.filter(period__code="2025Q4").count() == 4  # every open desk
        kavumu = desks.get(area__code="CD-SK-KABARE")
        # Opened in February 2025: its first quarter is 2025Q1.
        assert kavumu.cases.order_by("period__start").first().period.code == "2025Q1"
        assert all(c.referred <= c.received for c in cases)
        assert cases.first().entered_by.username == "focal-police"

    def test_the_public_reads_the_desks_but_never_their_cases(self) -> None:
        public = Client()
        desk = WomensDesk.objects.get(area__code="CD-NK-GOMA")
        for path in ("security/", "security/PNC/", "security/coverage/"):
            assert public.get(f"/plans/{self.nap.code}/{path}").status_code == 200, path
        page = public.get(f"/plans/{self.nap.code}/security/desks/{desk.pk}/")
        assert page.status_code == 200 and page.context["cases"] == []
        assert not page.context["can_read_cases"]
        # The API's two security paths carry no count of people.
        for path in ("security/institutions", "security/desks/coverage"):
            answer = public.get(f"/api/v1/plans/{self.nap.code}/{path}")
            # The API asks for a token (401 without); the page tests its answers' fields.
            assert answer.status_code in (200, 401), path
            assert "received" not in answer.content.decode()
        # The coordinator reads them.
        coordinator = get_user_model().objects.get(username="coordinator")
        assert PlanAccess.load(coordinator, self.nap).can_read_desk_cases()

    # Allegations -------------------------------------------------------------------------------

    def test_allegations_at_every_stage_and_time_to_outcome(self) -> None:
        found = Allegation.objects.filter(plan=self.nap)
        assert found.count() == self.summary.allegations == 9
        stages = {
            "reported": found.filter(investigation_opened_on=None).count(),
            "investigating": found.filter(
                investigation_opened_on__isnull=False, investigation_closed_on=None
            ).count(),
            "substantiated, acted": found.filter(outcome=Outcome.SUBSTANTIATED)
            .exclude(action="")
            .count(),
            "unsubstantiated": found.filter(outcome=Outcome.UNSUBSTANTIATED).count(),
            "closed": found.filter(outcome=Outcome.CLOSED).count(),
        }
        assert stages == {
            "reported": 2,
            "investigating": 2,
            "substantiated, acted": 3,
            "unsubstantiated": 1,
            "closed": 1,
        }
        assert {a.institution.code for a in found} == {"demo-pnc", "demo-fardc"}
        assert found.filter(victims_child__gt=0).exists()
        # 2024's cohort: 154, 209, 172 and 105 days (sorted 105, 154, 172, 209) from report to outcome: median 163.
        medians = {row.year: row.median_days for row in times_by_year(self.nap)}
        assert medians[2024] == 163
        assert "(fictitious)" in found.first().description

    def test_the_named_reader_reads_the_register_and_the_public_sees_no_count(self) -> None:
        reader = get_user_model().objects.get(username="conduct-reader")
        assert ConductReader.objects.filter(plan=self.nap, user=reader).exists()
        access = PlanAccess.load(reader, self.nap)
        assert access.can_read_allegations(verified=True)
        admin = get_user_model().objects.get(username="admin")
        assert not PlanAccess.load(admin, self.nap).can_read_allegations(verified=True)
        # The public's figures: every count suppressed (each below the plan's threshold).
        published = figures(self.nap)
        counts = [
            count
            for table in (published.by_category, published.by_kind)
            for year in table
            for _code, _label, count in year.rows
        ]
        assert counts and all(count is None for count in counts)

    # Peace -------------------------------------------------------------------------------------

    def test_the_process_has_three_rounds_and_a_computed_share_per_round(self) -> None:
        process = PeaceProcess.objects.get(plan=self.nap)
        assert process.name == demo_peace.PROCESS_NAME
        rows = trend(process)
        assert [r.round.number for r in rows] == [1, 2, 3]
        assert [r.delegations for r in rows] == [3, 4, 4]
        # Worked by hand from the seats: negotiators 2/20, then 5/20, then 2/21.
        negotiators = [r.by_role["negotiator"] for r in rows]
        assert [(s.women, s.known) for s in negotiators] == [(2, 20), (5, 20), (2, 21)]
        assert [s.share for s in negotiators] == [
            Decimal("0.1000"),
            Decimal("0.2500"),
            Decimal("0.0952"),
        ]
        assert negotiators[2].not_recorded == 1
        assert self.summary.peace_rounds == 3

    def test_consultations_before_and_during(self) -> None:
        found = Consultation.objects.filter(process__plan=self.nap).order_by("held_on")
        assert [c.stage for c in found] == [ConsultationStage.BEFORE, ConsultationStage.DURING]
        first_round = PeaceProcess.objects.get(plan=self.nap).rounds.get(number=1)
        assert found[0].held_on < first_round.started_on
        assert found[1].organisation.code == "demo-cfpl"  # recorded by the coalition's monitor
        assert {c.in_outcome for c in found} == {"partly", "no"}


@pytest.mark.django_db
def test_the_demo_loads_twice_and_deletes_its_security_peace_and_conduct(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WPSMONITOR_DEMO_PASSWORD", PASSWORD)
    assert demo_load(rebuild=False, reports=False) is not None
    again = demo_load(reset=True, rebuild=False, reports=False)
    assert again is not None and again.allegations == 9
    assert SecurityInstitution.objects.count() == 2
    assert PeaceProcess.objects.count() == 1
    plans = Plan.objects.filter(code__startswith="demo-").count()
    assert demo_delete() == plans
    assert not demo_exists()
    assert not SecurityInstitution.objects.exists()
    assert not WomensDesk.objects.exists() and not DeskCases.objects.exists()
    assert not Allegation.objects.exists() and not ConductReader.objects.exists()
    assert not PeaceProcess.objects.exists()
    assert date(2024, 1, 1)  # (the dates above are fixed; nothing here depends on today)
