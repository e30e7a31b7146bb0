"""Demo data: the plans' structure, through the plan and indicator services (so the demo obeys
the same rules as an import): organisations, areas and sources, the frameworks of the national
plan and its two local plans, their indicators, baselines and targets.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from wpsmonitor.demo import content
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, Indicator, Source, SourceKind
from wpsmonitor.indicators.services import baseline_set, indicator_create, target_set
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.plans.services import node_create


def organisations_ensure() -> dict[str, Organisation]:
    country = Area.objects.get(code=content.COUNTRY)
    orgs = {}
    for code, name, acronym, kind, women, grassroots, youth in content.ORGANISATIONS:
        orgs[code], _created = Organisation.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "acronym": acronym,
                "type": kind,
                "country": country,
                "women_led": bool(women),
                "grassroots": bool(grassroots),
                "youth_led": bool(youth),
            },
        )
    return orgs


def areas_ensure() -> dict[str, Area]:
    country = area_country_ensure(content.COUNTRY)
    areas = {country.code: country}
    for code in content.PROVINCES:
        province = area_subdivision_ensure(parent=country, code=code)
        areas[code] = province
        for district_code, name in content.DISTRICTS[code]:
            areas[district_code] = area_subdivision_ensure(
                parent=province, code=district_code, name=name, depth=3
            )
    return areas


def sources_ensure(orgs: dict[str, Organisation]) -> dict[str, Source]:
    sources = {GOVERNMENT_SOURCE: Source.objects.get(code=GOVERNMENT_SOURCE)}
    for code, name, org_code in content.SOURCES:
        sources[code], _created = Source.objects.update_or_create(
            code=code,
            defaults={
                "kind": SourceKind.CIVIL_SOCIETY,
                "name": name,
                "organisation": orgs[org_code],
            },
        )
    return sources


def framework_create(
    plan: Plan,
    tree: dict[str, Any],
    national: dict[str, FrameworkNode] | None,
    orgs: dict[str, Organisation],
) -> int:
    """Create pillars, outcomes, outputs and actions; return the number of actions."""
    actions = 0
    pillar_titles = {code: (title, theme) for code, title, theme in content.PILLARS}
    for pillar_code, outcomes in tree.items():
        title, theme = pillar_titles[pillar_code]
        prefix = "" if national is None else plan.code.split("-")[2].upper() + "."
        pillar = node_create(
            plan=plan,
            code=prefix + pillar_code,
            title=title,
            pillar_theme=theme,
            source_node=None if national is None else national[pillar_code],
        )
        for outcome_code, outcome_title, outputs in outcomes:
            outcome = node_create(plan=plan, code=outcome_code, title=outcome_title, parent=pillar)
            for output_code, output_title, output_actions in outputs:
                output = node_create(
                    plan=plan, code=output_code, title=output_title, parent=outcome
                )
                for code, title, resp, partners, start, end, status, pct in output_actions:
                    node_create(
                        plan=plan,
                        code=code,
                        title=title,
                        parent=output,
                        responsible_organisation=orgs[resp],
                        partner_organisations=[orgs[p] for p in partners],
                        planned_start=date.fromisoformat(start),
                        planned_end=date.fromisoformat(end),
                        status=status,
                        percent_complete=pct,
                    )
                    actions += 1
    return actions


def indicators_create(plans: dict[str, Plan]) -> dict[str, Indicator]:
    indicators = {}
    for spec in content.INDICATORS:
        spec = dict(spec)
        plan = plans[spec.pop("plan", content.NAP_CODE)]
        indicators[spec["code"]] = indicator_create(plan=plan, **spec)
    return indicators


def references_set(ind: dict[str, Indicator]) -> None:
    """Baselines (2023, before the plan) and targets, national and for some provinces."""
    national = [
        # code, baseline, targets {period: value}
        ("PAR-02", 10.6, {"2025": 15, "2027": 30}),
        ("PAR-04", 9.0, {"2027": 30}),
        ("PAR-06", 10.0, {"2025": 25, "2027": 35}),
        ("PAR-08", 11.0, {"2027": 20}),
        ("PAR-09", 18.0, {"2025": 35, "2027": 50}),
        ("PRE-01", 320, {"2024": 1800, "2025": 2000, "2027": 2400}),
        ("PRE-02", 1, {"2027": 1}),
        ("PRE-03", 35.0, {"2025": 60, "2027": 80}),
        ("PRE-04", 1, {"2025": 2, "2027": 3}),
        ("PRO-01", 3600, {"2024": 4000, "2025": 4300}),
        ("PRO-04", 12.0, {"2025": 22, "2027": 30}),
        ("PRO-05", 250, {"2024": 1000, "2025": 1200, "2027": 1500}),
        ("PRO-06", 30.0, {"2025": 55, "2027": 70}),
        ("PRO-07", 0, {"2025": 1}),
        ("PRO-08", 0, {"2025": 4, "2027": 8}),
        ("REL-01", 900, {"2024": 2000, "2025": 2400}),
        ("REL-02", 8.0, {"2027": 20}),
        ("REL-03", 560, {"2025": 520, "2027": 480}),
        ("COO-01", 2, {"2024": 4, "2025": 4, "2027": 4}),
        ("COO-02", 0, {"2025": 3, "2027": 4}),
        ("COO-03", 15.0, {"2025": 50, "2027": 75}),
        ("COO-05", 6, {"2025": 16, "2027": 26}),
        ("NK-02", 17.0, {"2026": 35}),
        ("SK-02", 19.0, {"2026": 35}),
    ]
    for code, baseline, targets in national:
        indicator = ind[code]
        baseline_set(indicator=indicator, period="2023", value=baseline)
        for period, value in targets.items():
            target_set(indicator=indicator, period=period, value=value)
    # Provincial targets, and a disaggregated one (women's share among senior police officers).
    provincial = {"CD-KN": (600, 25), "CD-NK": (1100, 30), "CD-SK": (900, 30)}
    for province, (trained, women_share) in provincial.items():
        target_set(indicator=ind["PRO-05"], period="2025", area=province, value=trained // 2)
        target_set(indicator=ind["PAR-04"], period="2027", area=province, value=women_share)
    target_set(indicator=ind["PAR-08"], period="2027", cell="rank=senior", value=10)
    target_set(indicator=ind["PAR-08"], period="2027", cell="rank=agent", value=25)
    target_set(
        indicator=ind["PRO-05"], period="2025", cell="sex=F;age=30-59;disability=no", value=300
    )
