"""Demo data: what the demo plans say about their monitoring and evaluation, civil society's
role and their alignment, read by the plan quality scorecard (docs/quality.md).

Filled unevenly on purpose, so the scorecards differ: the national plan describes its M&E and
gives civil society a role at every stage (but links no document); Nord-Kivu's plan describes
its M&E, involves civil society in implementation only and declares CEDAW; Sud-Kivu's says
nothing of the kind. All fictitious, like the rest of the demo.
"""

from __future__ import annotations

from typing import Any

from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import Plan, PlanKind
from wpsmonitor.plans.services import plan_update

NAP_ME = (
    "The Secrétariat national 1325 collects every indicator each quarter through reporting "
    "rounds on this platform; the national steering committee reviews the figures every "
    "quarter, a mid-term review is held in 2025 and a final evaluation in 2027; the "
    "civil-society coalition publishes its shadow figures beside the official ones "
    "(fictitious)."
)
NK_ME = (
    "The provincial steering committee reviews the plan's indicators twice a year and "
    "reports to the Secrétariat national 1325 (fictitious)."
)


def load(nap: Plan, orgs: dict[str, Organisation], user: Any) -> None:
    """Fill the quality fields of the national plan and its local plans."""
    plan_update(
        plan=nap,
        me_description=NAP_ME,
        civil_society_roles=["design", "implementation", "monitoring"],
        alignment_references=["cedaw", "sdg"],
    )
    for local in nap.children.filter(kind=PlanKind.LOCAL).order_by("code"):
        if local.code.endswith("-nk-lap"):
            plan_update(
                plan=local,
                me_description=NK_ME,
                civil_society_roles=["implementation"],
                alignment_references=["cedaw"],
            )
