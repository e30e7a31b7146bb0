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

from django.db import transaction
from django.utils import timezone

from wpsmonitor.directory.models import Organisation, OrganisationType
from wpsmonitor.peace.models import (
    Agreement,
    AgreementStage,
    AgreementType,
    GenderProvision,
    ImplementationStatus,
    PeaceProcess,
    ProvisionAssessment,
    ProvisionStatus,
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


def _cso() -> Organisation:
    found = (
        Organisation.objects.filter(type=OrganisationType.CIVIL_SOCIETY)
        .order_by("-women_led", "code")
        .first()
    )
    if found is not None:
        return found
    return Organisation.objects.create(
        code="demo-cso-peace",
        name="Fictitious women's peace network (demo)",
        type=OrganisationType.CIVIL_SOCIETY,
        women_led=True,
    )


@transaction.atomic
def agreements_load(plan: Plan, process: PeaceProcess | None) -> int:
    """Add the fictitious agreement to `plan` (once: a second call adds nothing) and return the
    number of gender provisions added. Deleting the plan deletes them all."""
    if Agreement.objects.filter(plan=plan, name=NAME).exists():
        return 0
    actions = list(
        FrameworkNode.objects.filter(plan=plan, level__holds_actions=True).order_by("path")
    )
    agreement = Agreement.objects.create(
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
        provision = GenderProvision.objects.create(
            agreement=agreement, category=category, text=text, reference=reference
        )
        if actions:
            action = _action(actions, words, used)
            used.add(action.pk)
            provision.actions.add(action)
        ProvisionStatus.objects.bulk_create(
            ProvisionStatus(
                provision=provision,
                on=on,
                status=status,
                note="Fictitious demo status.",
                recorded_by_name="demo",
            )
            for on, status in statuses
        )
        if category == WggCategory.IMPLEMENTATION:
            implementation = provision
    assert implementation is not None
    ProvisionAssessment.objects.create(
        provision=implementation,
        organisation=_cso(),
        assessed_on=CSO_ON,
        status=CSO_STATUS,
        comment=CSO_COMMENT,
        published_at=timezone.now(),
        by_name="demo",
    )
    return len(PROVISIONS)
