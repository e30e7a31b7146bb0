"""Demo data: one fictitious peace agreement under the national plan, its gender provisions
coded in PA-X's "Women, girls and gender" categories and linked to the plan's actions, two
implementation statuses each, and one civil-society assessment that differs from the
government's reading (docs/peace-processes.md, "Agreements and gender provisions").

Everything here is invented and labelled so: the agreement is not PA-X's (no AgtId) and its
name says it is fictitious. The actions are found by their level and their words, never by id.
Integration point: `agreements_load(plan, process)` from the demo builder, after the plan's
framework (and, if any, its peace process) exist.
"""

from __future__ import annotations

from datetime import date

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.peace import services
from wpsmonitor.peace.models import (
    Agreement,
    AgreementStage,
    AgreementType,
    GenderProvision,
    ImplementationStatus,
    PeaceProcess,
    WggCategory,
)
from wpsmonitor.plans.models import FrameworkNode, Plan

NAME = "Fictitious demo agreement: Accord for peace and reconciliation in the East (2024)"
SIGNED = date(2024, 3, 15)
S = ImplementationStatus
# (category, text, article, words that find the action, two statuses (date, status)).
PROVISIONS = [
    (
        WggCategory.PARTICIPATION,
        "The parties shall ensure that at least 30% of the members of the follow-up committee "
        "are women.",
        "Art. 4.2",
        ("delegation", "peace"),
        ((date(2024, 9, 30), S.MINIMAL), (date(2025, 9, 30), S.INTERMEDIATE)),
    ),
    (
        WggCategory.VIOLENCE,
        "The parties commit to prevent sexual violence and to protect survivors in the areas "
        "they control.",
        "Art. 7.1",
        ("violence", "survivor"),
        ((date(2024, 9, 30), S.NOT_INITIATED), (date(2025, 9, 30), S.MINIMAL)),
    ),
    (
        WggCategory.TRANSITIONAL_JUSTICE,
        "The truth commission shall hear women victims and take their testimony in private "
        "where they ask.",
        "Art. 9.3",
        ("justice", "victim"),
        ((date(2024, 12, 31), S.NOT_INITIATED), (date(2025, 12, 31), S.NOT_INITIATED)),
    ),
    (
        WggCategory.INSTITUTIONAL_REFORM,
        "Women shall be recruited into the reformed police and army, and women combatants "
        "included in disarmament and reintegration.",
        "Art. 11",
        ("police", "security", "army"),
        ((date(2024, 12, 31), S.MINIMAL), (date(2025, 12, 31), S.INTERMEDIATE)),
    ),
    (
        WggCategory.IMPLEMENTATION,
        "Women's organisations shall sit on the committee that monitors this agreement.",
        "Art. 14",
        ("committee", "monitor"),
        ((date(2024, 6, 30), S.INTERMEDIATE), (date(2025, 6, 30), S.FULL)),
    ),
]
# The civil-society assessment that differs: the implementation provision, seen as
# intermediate (one step below the government's "full").
CSO_ON = date(2025, 10, 1)
CSO_STATUS = S.INTERMEDIATE
CSO_COMMENT = (
    "Two women's organisations sit on the committee, but without a vote; the committee has met "
    "once. (Fictitious demo assessment.)"
)


def _action(actions: list[FrameworkNode], words: tuple[str, ...], used: set[int]) -> FrameworkNode:
    for word in words:
        for a in actions:
            if a.pk not in used and word in a.title.lower():
                return a
    return next((a for a in actions if a.pk not in used), actions[0])


def _first_role(plan: Plan, role: str) -> PlanRole:
    found = (
        PlanRole.objects.filter(plan=plan, role=role)
        .select_related("user", "organisation")
        .order_by("pk")
        .first()
    )
    if found is None:
        raise LookupError(f"The demo's plan has no {role}.")
    return found


def agreements_load(plan: Plan, process: PeaceProcess | None) -> int:
    """Add the fictitious agreement to `plan` (once: a second call adds nothing) and return the
    number of gender provisions added, through the peace services: the plan's coordinator
    records the agreement, its provisions and statuses; a civil-society monitor of the plan
    writes and publishes their organisation's assessment. Deleting the plan deletes them all."""
    if Agreement.objects.filter(plan=plan, name=NAME).exists():
        return 0
    coordinator = _first_role(plan, Role.COORDINATOR).user
    monitor = _first_role(plan, Role.MONITOR)
    actions = list(
        FrameworkNode.objects.filter(plan=plan, level__holds_actions=True).order_by("path")
    )
    agreement = services.agreement_record(
        by=coordinator,
        plan=plan,
        process=process if process is not None and process.plan_id == plan.pk else None,
        name=NAME,
        signed_on=SIGNED,
        stage=AgreementStage.COMPREHENSIVE,
        agreement_type=AgreementType.INTRASTATE,
        parties="Government (fictitious); armed group A (fictitious); armed group B (fictitious)",
    )
    used: set[int] = set()
    implementation: GenderProvision | None = None
    for category, text, reference, words, statuses in PROVISIONS:
        linked: list[FrameworkNode] = []
        if actions:
            action = _action(actions, words, used)
            used.add(action.pk)
            linked.append(action)
        provision = services.provision_record(
            by=coordinator,
            agreement=agreement,
            category=category,
            text=text,
            reference=reference,
            actions=linked,
        )
        for on, status in statuses:
            services.provision_status_record(
                by=coordinator,
                provision=provision,
                on=on,
                status=status,
                note="Fictitious demo status.",
            )
        if category == WggCategory.IMPLEMENTATION:
            implementation = provision
    assert implementation is not None and monitor.organisation is not None
    services.provision_assessment_save(
        by=monitor.user,
        provision=implementation,
        organisation=monitor.organisation,
        assessed_on=CSO_ON,
        status=CSO_STATUS,
        comment=CSO_COMMENT,
        publish=True,
    )
    return len(PROVISIONS)
