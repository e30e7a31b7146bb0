"""`wpsmonitor demo` builds a rich, fictitious, deterministic demonstration, once."""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum
from django.test import TestCase
from django_otp.plugins.otp_totp.models import TOTPDevice

from wpsmonitor.demo.builder import DEMO_PLAN_CODES, DemoSummary, demo_load
from wpsmonitor.directory.models import Area, Organisation, OrganisationType
from wpsmonitor.indicators.models import (
    DataValue,
    Indicator,
    IndicatorKind,
    ListItem,
    Target,
    TimeRule,
)
from wpsmonitor.plans.models import ActionStatus, FrameworkNode, Plan, PlanKind

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> DemoSummary:
    monkeypatch.setenv("WPSMONITOR_DEMO_PASSWORD", "demo-secret-42")
    summary = demo_load(rebuild=False)
    assert summary is not None
    return summary


class DemoShapeTests(TestCase):
    """Read-only checks share one load (setUpTestData rolls it back after the class)."""

    summary: DemoSummary

    @classmethod
    def setUpTestData(cls) -> None:
        summary = demo_load(rebuild=False)
        assert summary is not None
        cls.summary = summary

    def test_plans_areas_and_organisations(self) -> None:
        nap = Plan.objects.get(code="demo-cod-nap3")
        assert (nap.kind, nap.generation, nap.area.code) == (PlanKind.NATIONAL, 3, "COD")
        assert (nap.start, nap.end) == (date(2024, 1, 1), date(2027, 12, 31))
        assert nap.languages == ["fr", "en"]
        assert nap.lead_organisation.acronym == "MGFE"
        assert "steering committee" in nap.coordination_mechanism
        locals_ = Plan.objects.filter(parent=nap).order_by("code")
        assert [(p.kind, p.area.code) for p in locals_] == [
            ("local", "CD-KN"),
            ("local", "CD-NK"),
            ("local", "CD-SK"),
        ]
        for plan in Plan.objects.all():
            assert "DEMONSTRATION DATA" in plan.description and "fictitious" in plan.description
        # ISO 3166-2 provinces with their pycountry names, territories below them.
        provinces = dict(Area.objects.filter(parent__code="COD").values_list("code", "name"))
        # Ituri comes with the UN mission's third phase (demo/missions.py).
        assert provinces == {
            "CD-KN": "Kinshasa",
            "CD-NK": "Nord-Kivu",
            "CD-SK": "Sud-Kivu",
            "CD-IT": "Ituri",
        }
        goma = Area.objects.get(code="CD-NK-GOMA")
        assert goma.parent.code == "CD-NK" and goma.level.depth == 3
        types = set(Organisation.objects.values_list("type", flat=True))
        assert types == set(OrganisationType.values)
        cso = Organisation.objects.filter(type=OrganisationType.CIVIL_SOCIETY)
        assert cso.filter(women_led=True).exists()
        assert cso.filter(grassroots=True).exists()
        assert cso.filter(youth_led=True).exists()

    def test_the_stories_part_is_left_out_unless_asked_for(self) -> None:
        # demo_load(stories=True) adds it (tests/demo/test_demo_stories.py); the others are
        # spared its seconds.
        from wpsmonitor.defenders.models import Incident
        from wpsmonitor.earlywarning.models import Signal
        from wpsmonitor.perceptions.models import Survey
        from wpsmonitor.stories.models import Story

        assert not self.summary.stories
        for model in (Story, Survey, Signal, Incident):
            assert not model.objects.exists(), model
        assert not get_user_model().objects.filter(username="monitor-cfpl2").exists()

    def test_framework_shape_and_action_states(self) -> None:
        demo = self.summary
        nap = Plan.objects.get(code="demo-cod-nap3")
        themes = list(
            FrameworkNode.objects.filter(plan=nap, parent=None)
            .order_by("order")
            .values_list("pillar_theme", flat=True)
        )
        assert themes == [
            "participation",
            "prevention",
            "protection",
            "relief_recovery",
            "coordination",
        ]
        actions = list(
            FrameworkNode.objects.filter(plan__code__in=DEMO_PLAN_CODES, level__holds_actions=True)
        )
        assert 38 <= len(actions) <= 45
        assert len(actions) == demo.actions
        statuses = {a.status for a in actions}
        assert statuses == set(ActionStatus.values)
        assert sum(a.status == ActionStatus.CANCELLED for a in actions) == 1
        delayed = [a for a in actions if a.is_delayed(TODAY)]
        assert len(delayed) >= 5
        assert all(
            a.status not in (ActionStatus.COMPLETED, ActionStatus.CANCELLED) for a in delayed
        )
        assert all(a.responsible_organisation_id for a in actions)
        assert sum(a.partner_organisations.exists() for a in actions) == len(actions)
        # Local pillars point back at the national pillar they adapt.
        nk_par = FrameworkNode.objects.get(plan__code="demo-cod-nk-lap", code="NK.PAR")
        assert nk_par.source_node.code == "PAR" and nk_par.source_node.plan == nap

    def test_indicators_cover_every_kind_with_references_and_time_rules(self) -> None:
        indicators = Indicator.objects.filter(plan__code__in=DEMO_PLAN_CODES)
        # The plans' own, and the security package the army and the police adopted (10 each,
        # demo/security.py).
        package = indicators.filter(code__regex=r"^(FARDC|PNC)-")
        assert package.count() == 20
        assert 28 <= indicators.count() - 20 <= 38
        assert set(indicators.values_list("kind", flat=True)) == set(IndicatorKind.values)
        with_refs = indicators.filter(references__isnull=False).distinct().count()
        assert with_refs >= 25
        by_code = {
            i.code: i for i in indicators.select_related("scheme", "share_of", "share_option")
        }
        assert by_code["PRO-01"].scheme.code == "sex-age-disability"
        assert by_code["PRO-01"].time_rule == TimeRule.SUM  # a flow
        assert by_code["PAR-07"].scheme.code == "sex-rank"
        assert by_code["PAR-07"].time_rule == TimeRule.LAST  # a stock
        share = by_code["PAR-08"]
        assert (share.kind, share.share_of.code, share.share_option.code) == (
            "share",
            "PAR-07",
            "F",
        )
        assert share.scheme.code == "rank"
        shares = indicators.filter(kind=IndicatorKind.SHARE, share_option__code="F")
        assert {s.share_of.code for s in shares} >= {"PAR-01", "PAR-05", "PAR-07"}
        formula = by_code["PRO-04"]
        assert (formula.numerator_formula, formula.denominator_formula) == ("{PRO-03}", "{PRO-01}")
        refs = {str(r) for r in by_code["PAR-01"].references.all()}
        assert refs == {"sdg:5.5.1a", "sg-wps:12a"}

    def test_values_by_source_area_and_period(self) -> None:
        demo = self.summary
        sources = set(DataValue.objects.values_list("source__code", flat=True))
        assert sources == {"gov", "demo-cfpl-shadow", "demo-rfpk-community"}
        assert demo.values == DataValue.objects.count() > 2000
        periods = set(DataValue.objects.values_list("period__code", flat=True))
        quarters = {f"{y}Q{q}" for y in (2024, 2025) for q in range(1, 5)}
        assert periods == quarters | {"2023", "2024", "2025"}
        # 2023 (before the plan) only for the security package (demo/security.py).
        assert not (
            DataValue.objects.filter(period__code="2023")
            .exclude(indicator__code__regex=r"^(FARDC|PNC)-")
            .exists()
        )
        # Quarterly indicators carry quarters only, yearly ones years only.
        for ind in Indicator.objects.filter(values__isnull=False).distinct():
            types = set(
                DataValue.objects.filter(indicator=ind).values_list("period__type", flat=True)
            )
            assert types == {ind.frequency}, ind.code
        flow_areas = set(
            DataValue.objects.filter(indicator__code="PRO-01").values_list("area__code", flat=True)
        )
        assert flow_areas == {"CD-KN", "CD-NK", "CD-SK"}
        # Hand-set figures: 67 women among 500 members of the National Assembly in 2025.
        parliament = dict(
            DataValue.objects.filter(indicator__code="PAR-01", period__code="2025").values_list(
                "cell__code", "value"
            )
        )
        assert parliament == {"sex=F": 67, "sex=M": 433}

    def test_figures_are_consistent_and_sources_disagree(self) -> None:
        counts: dict[str, dict[tuple, float]] = defaultdict(dict)
        for code, period, area, cell, value in DataValue.objects.filter(
            indicator__code__in=["PRO-01", "PRO-02", "PRO-03"], source__code="gov"
        ).values_list("indicator__code", "period_id", "area_id", "cell_id", "value"):
            counts[code][(period, area, cell)] = value
        for key, investigated in counts["PRO-02"].items():
            assert investigated <= counts["PRO-01"][key]
        for key, prosecuted in counts["PRO-03"].items():
            assert prosecuted <= counts["PRO-02"][key]
        for row in DataValue.objects.filter(indicator__kind="percentage"):
            assert 0 <= row.numerator <= row.denominator
            assert row.value == pytest.approx(row.numerator / row.denominator * 100)
        nk = {"area__code": "CD-NK", "indicator__code": "PRO-01"}
        gov = DataValue.objects.filter(source__code="gov", **nk).aggregate(s=Sum("value"))["s"]
        community = DataValue.objects.filter(source__code="demo-rfpk-community", **nk).aggregate(
            s=Sum("value")
        )["s"]
        assert community > gov * 1.2
        assert (
            ListItem.objects.filter(indicator__code="PRO-08").values("source").distinct().count()
            == 2
        )
        assert Target.objects.filter(indicator__code="PRO-05", area__code="CD-NK").exists()
        assert Target.objects.filter(indicator__code="PAR-08", cell__code="rank=senior").exists()


def _totals() -> dict[tuple[str, str], float]:
    rows = DataValue.objects.values("indicator__code", "source__code").annotate(total=Sum("value"))
    return {(r["indicator__code"], r["source__code"]): r["total"] for r in rows}


def test_loading_twice_does_not_duplicate_and_reset_rebuilds_the_same(demo) -> None:
    totals = _totals()
    counts = (Plan.objects.count(), FrameworkNode.objects.count(), DataValue.objects.count())
    assert demo_load(rebuild=False) is None
    assert (
        Plan.objects.count(),
        FrameworkNode.objects.count(),
        DataValue.objects.count(),
    ) == counts
    again = demo_load(reset=True, rebuild=False)
    assert again is not None and again.values == demo.values
    assert (
        Plan.objects.count(),
        FrameworkNode.objects.count(),
        DataValue.objects.count(),
    ) == counts
    assert _totals() == totals  # seeded: the same figures every time


def test_admin_uses_the_password_from_the_environment(demo) -> None:
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("demo-secret-42")
    assert demo.admin_password is None and demo.admin_created


def test_command_prints_a_summary_and_a_generated_password_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("WPSMONITOR_DEMO_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("load_demo", "--no-rebuild", stdout=out)
    text = out.getvalue()
    # The DR Congo plans (4, 35 indicators: 2 in Kinshasa's, made by copy-down; and the army's
    # and the police's security package, 20) and the Colombian one (9 indicators).
    assert "5 plans" in text and "64 indicators" in text
    password = text.split("with the password ")[1].split(" ")[0]
    assert get_user_model().objects.get(username="admin").check_password(password)
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert password not in out.getvalue()
    assert Plan.objects.count() == 5


def test_aggregates_are_rebuilt_for_every_demo_plan() -> None:
    from wpsmonitor.indicators.models import AggregateValue

    summary = demo_load(spanish=True)
    assert summary is not None and summary.aggregates_rebuilt
    for code in DEMO_PLAN_CODES:
        assert AggregateValue.objects.filter(plan__code=code).exists(), code


def test_command_ends_with_how_to_sign_in_and_every_demo_user(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("WPSMONITOR_DEMO_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("load_demo", "--no-rebuild", stdout=out)
    lines = out.getvalue().splitlines()
    # The sign-in block comes last, after the figures and any note.
    start = lines.index("Sign in:")
    block = lines[start:]
    assert "5 plans" in "\n".join(lines[:start])  # with the Colombian plan
    assert "with the password " in block[1]
    password = block[1].split("with the password ")[1].split(" ")[0]
    listed = dict(line.strip().split(": ", 1) for line in block[3:] if line.startswith("    "))
    # Every account one can sign in with (the shadow part's second monitor has no password).
    users = [
        u for u in get_user_model().objects.exclude(username="admin") if u.has_usable_password()
    ]
    assert set(listed) == {u.username for u in users}
    for user in users:
        assert user.check_password(password), user.username
    assert listed["board-mgfe"] == "Board member (Government)"
    assert listed["monitor"] == "Civil-society monitor; Board member (Civil society)"
    # Then the second factor: one authenticator key for every demo user, printed (docs/security.md).
    [shared] = [line for line in block if "authenticator app: the demo users share the key" in line]
    key = shared.split("share the key ")[1].split(" (add it")[0].replace(" ", "")
    for user in users:
        [device] = TOTPDevice.objects.filter(user=user, confirmed=True)
        assert base64.b32encode(device.bin_key).decode().rstrip("=") == key, user.username
    assert not TOTPDevice.objects.filter(user__username="admin").exists()
    assert "admin sets up its own authenticator app" in block[-1]


@pytest.mark.slow
def test_demo_reset_on_an_empty_data_folder_migrates_first(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "WPSMONITOR_HOME": str(tmp_path), "WPSMONITOR_TASKS": "immediate"}
    env.pop("DATABASE_URL", None)  # the embedded default, on a new data folder
    done = subprocess.run(
        [sys.executable, "-m", "wpsmonitor.cli", "demo", "--reset", "--no-rebuild"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Demonstration data loaded" in done.stdout
    assert "Sign in:" in done.stdout
