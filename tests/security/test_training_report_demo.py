"""The report's "Training and deployments" subsection (built directly) and the demo's loader:
the public version shows only suppressed aggregates; the demo's rows go with the plan."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Q
from tests.security.conftest import SecurityWorld

from wpsmonitor.demo.security_training import training_load
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import INTERNAL, PUBLIC, YEAR
from wpsmonitor.reports.sections import security_training
from wpsmonitor.reports.texts import ReportTexts
from wpsmonitor.security import selectors
from wpsmonitor.security.models import Deployment, Participation, Personnel, SecurityInstitution

pytestmark = pytest.mark.django_db


def _context(sw: SecurityWorld, version: str, year: int = 2025) -> ReportContext:
    return ReportContext(
        plan=sw.plan,
        scope=YEAR,
        first_year=year,
        last_year=year,
        version=version,  # type: ignore[arg-type]
        figures=None,
        release=None,
        hidden=Q(),
        today=date(2026, 1, 15),
        texts=ReportTexts(sw.plan.original_language),
    )


def _cells(section: object) -> list[str]:
    return [c.text for b in section.blocks if hasattr(b, "rows") for r in b.rows for c in r]  # type: ignore[attr-defined]


def _both(sw: SecurityWorld) -> tuple[SecurityInstitution, SecurityInstitution]:
    return sw.institution("FARDC", "army"), sw.institution("PNC", "police")


def test_demo_loads_training_and_deployments(sw: SecurityWorld) -> None:
    army, police = _both(sw)
    assert training_load(army, police) == 35
    whole = selectors.training_impact(army)[-1][1]
    assert whole.participants == 23 and whole.paired > 10 and (whole.mean_gain or 0) > 0
    assert whole.improving is not None and whole.improving > 0.5
    assert whole.followed > 0
    rows = {r.category: r for r in selectors.parity(sw.plan)}
    assert rows["fpu"].share == 0.2 and rows["fpu"].end_target == 0.2
    assert rows["contingent"].trained_share == 20 / 23  # mostly trained
    army_deployment = Deployment.objects.get(institution=army)
    assert not army_deployment.by_counts
    for text in [u.name for u in army.units.all()] + [c.title for c in army.courses.all()]:
        assert "(fictitious)" in text


def test_demo_rows_go_with_the_plan(sw: SecurityWorld) -> None:
    army, police = _both(sw)
    training_load(army, police)
    SecurityInstitution.objects.filter(plan=sw.plan).delete()
    assert not Personnel.objects.exists() and not Participation.objects.exists()
    assert not Deployment.objects.exists()


def test_report_section_internal_and_public(sw: SecurityWorld) -> None:
    army, police = _both(sw)
    training_load(army, police)
    internal = security_training.build(_context(sw, INTERNAL))
    assert internal.key == "security.training" and not internal.empty
    keys = [b.key for b in internal.blocks if hasattr(b, "key")]
    assert keys == [
        "security.training.impact.FARDC",
        "security.training.impact.PNC",
        "security.training.parity",
    ]
    cells = _cells(internal)
    assert "20" in cells  # the army's 2025 participants, whole (the garrison session was in 2024)
    assert all("DEMO-" not in c for c in cells)
    public = security_training.build(_context(sw, PUBLIC))
    cells = _cells(public)
    threshold = sw.plan.disclosure_threshold
    # The police session's 4 women are fewer than the threshold: suppressed.
    assert f"fewer than {threshold}" in cells
    assert all("DEMO-" not in c for c in cells)
    pnc = next(b for b in public.blocks if getattr(b, "key", "") == "security.training.impact.PNC")
    women = [r[2].text for r in pnc.rows]
    assert all(w == f"fewer than {threshold}" for w in women)


def test_report_section_is_empty_for_other_years(sw: SecurityWorld) -> None:
    army, police = _both(sw)
    training_load(army, police)
    section = security_training.build(_context(sw, PUBLIC, year=2024))
    # The garrison session of 2024 counts for 2024's impact; no deployment began in 2024.
    assert [b.key for b in section.blocks if hasattr(b, "key")] == [
        "security.training.impact.FARDC"
    ]
    none = security_training.build(_context(sw, PUBLIC, year=2026))
    assert none.empty and not none.blocks
