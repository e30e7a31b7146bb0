"""Demo data of the security sector's training and deployments (docs/security-sector.md,
"Training", "Deployments and the parity targets"). Everything is fictitious and says so: every
unit, course and provider carries "(fictitious)"; the service numbers are made up (DEMO-…).

It goes through the security app's services, as the coordinator's work would: a unit of each
institution, a pre-deployment course of each with one session (20 soldiers, 12 police officers)
with pre- and post-test scores and, months later, follow-up evaluations; the army's unit
deployed to a MONUSCO-style mission as individuals (most of them trained before), the police's
formed police unit as counts by sex, with the entered counts trained before deployment.

Integration point: the demo builder calls `training_load(army, police)` once both institutions
exist; deleting the plan removes all of it (every row hangs from the institutions, CASCADE).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.security import services
from wpsmonitor.security.models import SecurityInstitution, TrainingSession

FICTITIOUS = "(fictitious)"


def _coordinator(institution: SecurityInstitution) -> User:
    role = (
        PlanRole.objects.filter(plan_id=institution.plan_id, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if role is None:
        raise LookupError("The demo's plan has no coordinator.")
    return role.user


def _roster(
    by: User, session: TrainingSession, prefix: str, count: int, unit: object, women_every: int
) -> list[str]:
    """`count` participants with scores that mostly rise; a few without a pre-test; the first
    two thirds evaluated again five months later."""
    numbers = []
    for i in range(count):
        number = f"DEMO-{prefix}-{i + 1:03d}"
        pre = 35 + (i * 7) % 30
        post = min(100, pre + 8 + (i * 5) % 22) if i % 9 != 4 else max(0, pre - 5)
        made = services.participant_record(
            by=by,
            session=session,
            service_number=number,
            sex="F" if i % women_every == 0 else "M",
            rank=("of_junior", "or_junior", "or_other", "or_other")[i % 4],
            unit=unit,  # type: ignore[arg-type]
            pre_score=None if i % 7 == 6 else pre,
            post_score=post,
        )
        if i < count * 2 // 3:
            services.follow_up_record(
                by=by,
                participation=made,
                evaluated_on=date(2025, 8, 4),  # five months after the sessions
                score=max(0, post - (i * 3) % 16),
                evaluated_by=f"Unit gender adviser {FICTITIOUS}",
            )
        numbers.append(number)
    return numbers


def training_load(army: SecurityInstitution, police: SecurityInstitution) -> int:
    """Load the demo's training and deployments; returns the participants recorded."""
    by = _coordinator(army)
    battalion = services.unit_create(
        by=by, institution=army, name=f"1st Rapid Reaction Battalion {FICTITIOUS}"
    )
    fpu = services.unit_create(by=by, institution=police, name=f"Formed Police Unit 1 {FICTITIOUS}")
    army_course = services.course_create(
        by=by,
        institution=army,
        title=f"Pre-deployment training: gender, SGBV and PSEA {FICTITIOUS}",
        topic="sea",
        provider=f"Peacekeeping training centre {FICTITIOUS}",
    )
    police_course = services.course_create(
        by=by,
        institution=police,
        title=f"Gender perspective for formed police units {FICTITIOUS}",
        topic="gender",
        provider=f"National police school {FICTITIOUS}",
    )
    army_session = services.session_create(
        by=by,
        course=army_course,
        starts_on=date(2025, 3, 3),
        ends_on=date(2025, 3, 7),
        phase="before",
        place=f"Training camp {FICTITIOUS}",
    )
    police_session = services.session_create(
        by=by,
        course=police_course,
        starts_on=date(2025, 3, 10),
        ends_on=date(2025, 3, 14),
        phase="before",
        place=f"Police school {FICTITIOUS}",
    )
    trained = _roster(by, army_session, "A", 20, battalion, women_every=6)
    _roster(by, police_session, "P", 12, fpu, women_every=3)
    # Three soldiers deployed who only had a garrison course: not trained before deployment.
    garrison = services.session_create(
        by=by,
        course=army_course,
        starts_on=date(2024, 10, 7),
        ends_on=date(2024, 10, 9),
        phase="garrison",
        place=f"Garrison {FICTITIOUS}",
    )
    untrained = []
    for i in range(3):
        number = f"DEMO-A-G{i + 1:02d}"
        services.participant_record(
            by=by,
            session=garrison,
            service_number=number,
            sex="F" if i == 0 else "M",
            rank="or_other",
            unit=battalion,
        )
        untrained.append(number)
    services.deployment_create(
        by=by,
        institution=army,
        unit=battalion,
        mission="MONUSCO",
        category="contingent",
        starts_on=date(2025, 5, 1),
        service_numbers=trained + untrained,
    )
    services.deployment_create(
        by=by,
        institution=police,
        unit=fpu,
        mission="MONUSCO",
        category="fpu",
        starts_on=date(2025, 5, 15),
        women=28,
        men=112,
        women_trained=25,
        men_trained=101,
    )
    return 20 + 12 + 3
