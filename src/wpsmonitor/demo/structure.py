"""Demo data: the plans' structure, through the plan and indicator services (so the demo obeys
the same rules as an import): organisations, areas and sources, the frameworks of the national
plan and its two local plans, their indicators, baselines and targets.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings

from wpsmonitor.core.translated import column, language_codes, text_set, written_in
from wpsmonitor.demo import content, translations
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    DimensionOption,
    Indicator,
    Source,
    SourceKind,
)
from wpsmonitor.indicators.services import baseline_set, indicator_create, target_set
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.plans.services import node_create, translations_set


def organisation_names(code: str, name: str, original: str | None = None) -> dict[str, Any]:
    """The organisation's original language and its name in every language it has, as columns
    (`name_fr`...): `name` is in its original language, translations.ORGANISATIONS' or else
    `original` (the site's default when not given)."""
    original, others = translations.ORGANISATIONS.get(
        code, (original or settings.LANGUAGE_CODE, {})
    )
    names: dict[str, Any] = {column("name", language): None for language in language_codes()}
    for language, text in {**others, original: name}.items():
        names.update(written_in(language, name=text))
    return {"original_language": original, **names}


def organisations_ensure() -> dict[str, Organisation]:
    country = Area.objects.get(code=content.COUNTRY)
    orgs = {}
    for code, name, acronym, kind, women, grassroots, youth in content.ORGANISATIONS:
        orgs[code], _created = Organisation.objects.update_or_create(
            code=code,
            defaults={
                **organisation_names(code, name),
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


def _columns(*fields: str) -> list[str]:
    return [column(field, language) for field in fields for language in translations.LANGUAGES]


def _texts_set(obj: Any, field: str, texts: dict[str, str]) -> None:
    for language, text in texts.items():
        text_set(obj, field, text, language)


def nap_translations_set(nap: Plan) -> None:
    """The national plan's texts in French, Spanish and Arabic (translations.py): its title,
    every node, every indicator's title and unit (civil society's own too), its police ranks and
    their categories.

    The title through plans.services.translations_set; the rest in one query a kind of object
    (that service saves one object at a time, and many tests load the demo)."""
    nap = Plan.objects.get(pk=nap.pk)  # the parts may have changed it since
    translations_set(obj=nap, field="title", texts=translations.PLAN_TITLE)
    nodes = list(FrameworkNode.objects.filter(plan=nap))
    for node in nodes:
        _texts_set(node, "title", translations.NODES[node.code])
    FrameworkNode.objects.bulk_update(nodes, _columns("title"))
    indicators = list(Indicator.objects.filter(plan=nap))
    for indicator in indicators:
        _texts_set(indicator, "title", translations.INDICATORS[indicator.code])
        unit = getattr(indicator, column("unit", nap.original_language))
        if unit:
            _texts_set(indicator, "unit", translations.UNITS[unit])
    Indicator.objects.bulk_update(indicators, _columns("title", "unit"))
    names = {"rank": translations.RANK_OPTIONS, "category": translations.CATEGORY_OPTIONS}
    options = list(
        DimensionOption.objects.filter(
            dimension__plan=nap, dimension__code__in=names
        ).select_related("dimension")
    )
    for option in options:
        _texts_set(option, "name", names[option.dimension.code][option.code])
    DimensionOption.objects.bulk_update(options, _columns("name"))
