"""The demo's peace process (docs/peace-processes.md, docs/demo.md): a fictitious national
dialogue on the East of the country under the national plan, three negotiation rounds with
their delegations' seats by role and sex, and two consultations of civil society, one before
the talks and one during them.

The story the seats tell: after civil society was consulted before the talks, women's share
of the negotiators rose from round 1 (10 %) to round 2 (25 %, civil society observers seated);
in round 3 the delegations were cut down and it fell back (2 of 21, 9.5 %). Through the peace
services, as the plan's coordinator (the second consultation as the coalition's monitor, for
their organisation). Fictitious.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from wpsmonitor.directory.models import Organisation
from wpsmonitor.peace import services as peace
from wpsmonitor.peace.models import (
    ConsultationMethod,
    ConsultationStage,
    InOutcome,
    PeaceProcess,
    ProcessLevel,
    ProcessStatus,
)
from wpsmonitor.plans.models import Plan

COORDINATOR = "coordinator"  # demo/reporting.py
MONITOR = "monitor"  # the coalition's (demo-cfpl) monitor, demo/reporting.py

PROCESS_NAME = "Inter-Congolese dialogue on the East (fictitious)"
GOVERNMENT = "Government delegation (fictitious)"
ARMED_GROUP = "Coalition of armed groups of the East (fictitious)"
OBSERVERS = "demo-cfpl"  # civil society's observers, an organisation of the directory
MEDIATION = "demo-icglr"

# Seats by party: {role: (women, men)}; (role, "not_recorded") where sex was not recorded.
Seats = dict[str, tuple[int, int]]
# (number, title, first day, last day, place, {party: seats})
ROUNDS: list[tuple[int, str, date, date, str, dict[str, Seats]]] = [
    (
        1,
        "Opening round (fictitious)",
        date(2024, 4, 15),
        date(2024, 4, 26),
        "Nairobi",
        {
            GOVERNMENT: {"negotiator": (2, 10), "signatory": (0, 2), "adviser": (3, 5)},
            ARMED_GROUP: {"negotiator": (0, 8), "signatory": (0, 1), "adviser": (1, 3)},
            MEDIATION: {"mediator": (1, 3), "adviser": (1, 1)},
        },
    ),
    (
        2,
        "Round on security arrangements (fictitious)",
        date(2024, 11, 4),
        date(2024, 11, 15),
        "Luanda",
        {
            GOVERNMENT: {"negotiator": (4, 8), "signatory": (1, 1), "adviser": (4, 4)},
            ARMED_GROUP: {"negotiator": (1, 7), "signatory": (0, 1), "adviser": (1, 3)},
            OBSERVERS: {"observer": (5, 2)},
            MEDIATION: {"mediator": (2, 2), "adviser": (1, 1)},
        },
    ),
    (
        3,
        "Round on disarmament and return (fictitious)",
        date(2025, 6, 9),
        date(2025, 6, 20),
        "Goma",
        {
            GOVERNMENT: {"negotiator": (2, 10), "signatory": (0, 2), "adviser": (3, 5)},
            ARMED_GROUP: {"negotiator": (0, 9), "signatory": (0, 1), "adviser": (1, 2)},
            OBSERVERS: {"observer": (3, 2)},
            MEDIATION: {"mediator": (1, 3), "adviser": (1, 1)},
        },
    ),
]
# One negotiator of the armed group's delegation in round 3 whose sex was not recorded.
NOT_RECORDED = {(3, ARMED_GROUP): {("negotiator", "not_recorded"): 1}}


@dataclass
class PeaceDemo:
    process: PeaceProcess
    rounds: int = 0
    delegations: int = 0
    consultations: int = 0

    @property
    def count(self) -> int:
        """Everything made, for the demo's summary: the process, its rounds, delegations and
        consultations."""
        return 1 + self.rounds + self.delegations + self.consultations


def peace_load(plan: Plan) -> PeaceDemo:
    """The process with its rounds, delegations and consultations; returns it."""
    users = get_user_model().objects
    coordinator = users.get(username=COORDINATOR)
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=[OBSERVERS, MEDIATION])}
    process = peace.process_record(
        by=coordinator,
        plan=plan,
        name=PROCESS_NAME,
        level=ProcessLevel.NATIONAL,
        status=ProcessStatus.ONGOING,
        area=plan.area,
        started_on=date(2024, 3, 1),
        mediators="ICGLR facilitation with the African Union's special envoy (fictitious)",
    )
    demo = PeaceDemo(process=process)
    for number, title, first, last, place, parties in ROUNDS:
        round_ = peace.round_record(
            by=coordinator,
            process=process,
            number=number,
            title=title,
            started_on=first,
            ended_on=last,
            place=place,
        )
        demo.rounds += 1
        for party, seats in parties.items():
            counts: dict[tuple[str, str], int | None] = {}
            for role, (women, men) in seats.items():
                counts[(role, "women")] = women
                counts[(role, "men")] = men
            counts.update(NOT_RECORDED.get((number, party), {}))
            organisation = orgs.get(party)
            peace.delegation_record(
                by=coordinator,
                round=round_,
                seats=counts,
                party="" if organisation else party,
                organisation=organisation,
            )
            demo.delegations += 1
    peace.consultation_record(
        by=coordinator,
        process=process,
        held_on=date(2024, 3, 20),
        stage=ConsultationStage.BEFORE,
        method=ConsultationMethod.MEETING,
        organisations_consulted=14,
        womens_organisations=9,
        organisation_names=(
            "CFPL, RFPK, SFJ, JPE and ten provincial associations of Nord-Kivu and Sud-Kivu "
            "(fictitious)"
        ),
        asked=(
            "(fictitious) A third of each delegation's seats for women; seats for civil "
            "society observers; sexual violence on the agenda of every round."
        ),
        in_outcome=InOutcome.PARTLY,
        outcome_note=(
            "(fictitious) Civil society observers were seated from round 2; no delegation "
            "adopted the third, and sexual violence was on the agenda of round 2 only."
        ),
    )
    peace.consultation_record(
        by=users.get(username=MONITOR),
        process=process,
        held_on=date(2024, 11, 10),
        stage=ConsultationStage.DURING,
        method=ConsultationMethod.WRITTEN,
        organisations_consulted=8,
        womens_organisations=6,
        organisation_names="CFPL, RFPK, SFJ and five women's groups of Goma (fictitious)",
        asked=(
            "(fictitious) No amnesty for crimes of sexual violence; survivors heard by the "
            "commission on security arrangements; women in the joint verification teams."
        ),
        in_outcome=InOutcome.NO,
        outcome_note="(fictitious) Round 2's communiqué keeps an amnesty without exception.",
        organisation=Organisation.objects.get(code=OBSERVERS),
    )
    demo.consultations = 2
    return demo
