"""The demonstration's self-assessments of the security institutions (docs/security-sector.md,
"Self-assessment"): two MOWIP assessments of the police two years apart and one DCAF
self-assessment of the army, all published, all fictitious and labelled so.

Idempotent: an assessment already there (institution, framework, date) is left as it is.
Call `assessment_load(army, police)` once the institutions exist.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from wpsmonitor.security.assessment import themes_of
from wpsmonitor.security.models import (
    AssessmentConductor,
    AssessmentFramework,
    AssessmentStatus,
    InstitutionAssessment,
    SecurityInstitution,
    ThemeScore,
)

LABEL = "(fictitious demonstration data)"

# Scores by theme, in the framework's order (security/assessment.py).
POLICE_2023 = [2, 1, 2, 1, 2, 3, 2, 2, 1, 2]
POLICE_2025 = [3, 2, 2, 2, 3, 3, 3, 3, 2, 2]
ARMY_2024 = [2, 3, 2, 1, 2, 2]

FINDINGS = {
    "eligible_pool": (
        "Women are about one officer in ten; few hold the rank a deployment asks for.",
        "Open a recruitment stream for women graduates and track it yearly.",
    ),
    "household_constraints": (
        "No childcare arrangement exists for personnel on deployment.",
        "Agree a family-support package before the next rotation.",
    ),
    "accountability": (
        "Complaints of sexual harassment go through the chain of command only.",
        "Set up a confidential complaints channel outside the chain of command.",
    ),
}


def _assessment(
    institution: SecurityInstitution,
    framework: str,
    held: date,
    scores: list[int],
    *,
    conducted_by: str,
    organisation: str,
    method: str,
) -> bool:
    if InstitutionAssessment.objects.filter(
        institution=institution, framework=framework, assessed_on=held
    ).exists():
        return False
    made = InstitutionAssessment.objects.create(
        institution=institution,
        framework=framework,
        assessed_on=held,
        method=f"{method} {LABEL}",
        conducted_by=conducted_by,
        conducting_organisation=organisation,
        status=AssessmentStatus.PUBLISHED,
        published_at=datetime(held.year, held.month, held.day, 12, tzinfo=UTC),
        recorded_by_name="demo",
    )
    themes = themes_of(framework)
    assert len(themes) == len(scores)
    ThemeScore.objects.bulk_create(
        ThemeScore(
            assessment=made,
            theme=theme.code,
            score=score,
            findings=f"{FINDINGS[theme.code][0]} {LABEL}" if theme.code in FINDINGS else "",
            recommendations=(
                f"{FINDINGS[theme.code][1]} {LABEL}" if theme.code in FINDINGS else ""
            ),
        )
        for theme, score in zip(themes, scores, strict=True)
    )
    return True


def assessment_load(army: SecurityInstitution, police: SecurityInstitution) -> int:
    """The demo's assessments; returns how many were created (3 the first time, then 0)."""
    made = 0
    for held, scores in ((date(2023, 6, 15), POLICE_2023), (date(2025, 6, 16), POLICE_2025)):
        made += _assessment(
            police,
            AssessmentFramework.MOWIP,
            held,
            scores,
            conducted_by=AssessmentConductor.JOINT,
            organisation="National Peace Research Centre (fictitious)",
            method="Survey of 400 personnel, 30 interviews with decision-makers, fact-finding form.",
        )
    made += _assessment(
        army,
        AssessmentFramework.DCAF,
        date(2024, 9, 10),
        ARMY_2024,
        conducted_by=AssessmentConductor.INTERNAL,
        organisation="",
        method="Working group led by the gender adviser; questionnaires, focus groups.",
    )
    return made
