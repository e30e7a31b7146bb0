"""Demo data: donor flows from real IATI files about DR Congo, mapped to the national plan.

Three real files from the IATI samples (see shared/iati-samples/README.md for their origin):
DFID's 2013 DR Congo file (IATI 1.01), and Tearfund's and World Vision UK's DR Congo files (no
version). They are imported through the importer like any upload, with its default filter
(in the plan's country; WPS purpose codes or a gender marker), so the demo obeys the import's
rules. Tearfund's activity shows a chain: DFID → Tearfund → Heal Africa and PPSSP.

The samples are read from `WPSMONITOR_IATI_SAMPLES`, else from `shared/iati-samples` beside a
source checkout; they are not shipped in the package (the publishers' data licences cover
their use for tests, not redistribution), so an installed package's demo has no donor flows.

Then, as a coordinator would: a few activities are mapped to the plan's pillars, Heal Africa
is marked women-led (for the demonstration only: it says nothing about the real
organisation), and, since the files are in pounds sterling, the plan's rate table gains GBP
rates for the years of the files (fictitious rates, labelled so).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.directory.models import Organisation
from wpsmonitor.iati import selectors, services
from wpsmonitor.iati.importer import import_files
from wpsmonitor.iati.models import Activity
from wpsmonitor.iati.models import Organisation as IatiOrganisation
from wpsmonitor.plans.models import FrameworkNode, Plan

FILES = (
    "v101_dfid_drc.xml",
    "v1_noversion_tearfund_drc.xml",
    "v1_noversion_worldvision_uk_drc.xml",
)
# CDF per GBP (fictitious, rounded): the files' money is from 2010 to 2013.
GBP_RATES = {2010: "1450", 2011: "1480", 2012: "1500", 2013: "1510"}
# Purpose code → pillar theme of the demo plan, for the mapping.
THEMES = {"15170": "participation", "15180": "protection", "15220": "prevention"}
WOMEN_LED = "name:heal africa"


def samples_folder() -> Path | None:
    given = os.environ.get("WPSMONITOR_IATI_SAMPLES", "")
    candidates = [Path(given)] if given else []
    candidates.append(Path(__file__).resolve().parents[3].parent / "shared" / "iati-samples")
    for folder in candidates:
        if all((folder / name).is_file() for name in FILES):
            return folder
    return None


def load(nap: Plan, orgs: dict[str, Organisation], user: Any) -> None:
    """Add this part's demo data to the national plan (nothing when the samples are absent)."""
    folder = samples_folder()
    if folder is None:
        return
    import_files(paths=[folder / name for name in FILES], plan=nap, user=user)
    _rates(nap, user)
    access = PlanAccess.load(user, nap)
    pillars = {
        p.pillar_theme: p for p in FrameworkNode.objects.filter(plan=nap, parent__isnull=True)
    }
    mapped = 0
    activities = (
        selectors.plan_activities(nap).prefetch_related("sectors").order_by("iati_identifier")
    )
    for activity in activities:
        codes = sorted({s.code for s in activity.sectors.all() if s.code in THEMES})
        nodes = [pillars[THEMES[c]].code for c in codes if THEMES[c] in pillars]
        if not nodes or mapped >= 12:
            continue
        services.activity_links_set(
            by=user,
            access=access,
            activity=activity,
            links=[services.LinkIn(node=code) for code in nodes],
        )
        mapped += 1
    _women_led(access, user)


def _rates(nap: Plan, user: Any) -> None:
    from wpsmonitor.finance import services as finance

    for year, rate in GBP_RATES.items():
        finance.rate_set(
            by=user,
            plan=nap,
            currency="GBP",
            year=year,
            rate=rate,
            source="Demo rate for the IATI files (fictitious)",
        )


def _women_led(access: PlanAccess, user: Any) -> None:
    found = IatiOrganisation.objects.filter(key=WOMEN_LED).first()
    if found is not None and Activity.objects.filter(participants__organisation=found).exists():
        services.organisation_flags_set(
            by=user, access=access, organisation=found, women_led=True, grassroots=False
        )
