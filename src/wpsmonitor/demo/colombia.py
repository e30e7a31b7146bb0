"""A second, small demo plan written in Spanish: a fictitious Colombian national action plan
(docs/languages.md, "Content in several languages"; README, "Demo").

Its texts are in Spanish, its original language; only its title and its pillars have an English
text, so that an English reader sees the rest shown in Spanish with the fallback note. Its
secretariat's coordinator, `coordinacion-col`, reads the platform in Spanish (their stored
language). Two organisations report the 2025 figures through the reporting cycle (the ministry
for the country, the police by department), the coordinator approves them, and one release is
published, so the plan's public page shows figures.

Public institutions carry their real names, as in the DR Congo plan; the plan, its figures and
the civil-society organisation are fictitious.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from wpsmonitor.demo.reporting import DEMO_REASON, figures_submit, user_ensure
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.directory.models import OrganisationType as O
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.services import baseline_set, indicator_create, target_set
from wpsmonitor.plans.models import Plan
from wpsmonitor.plans.services import node_create, plan_create, translations_set

COL_CODE = "demo-col-nap1"
COUNTRY = "COL"
DEPARTMENTS = ["CO-ANT", "CO-CAU", "CO-NAR"]  # ISO 3166-2; names come from pycountry
LANGUAGE = "es"

NOTICE = (
    "DATOS DE DEMOSTRACIÓN. Este plan, su marco, sus cifras y la organización de la sociedad "
    "civil que figura en él son ficticios; `wpsmonitor demo` los generó para mostrar lo que "
    "hace la plataforma. No es el plan de acción nacional de Colombia y ninguna cifra describe "
    "la situación real. — DEMONSTRATION DATA: a fictitious plan written in Spanish; it is not "
    "Colombia's national action plan and no figure here describes the real situation."
)

# code, name (in Spanish, its original language), acronym, type, women_led, grassroots, youth_led
ORGANISATIONS: list[tuple[str, str, str, str, int, int, int]] = [
    ("demo-col-igualdad", "Ministerio de Igualdad y Equidad", "MinIgualdad", O.GOVERNMENT, 0, 0, 0),
    ("demo-col-policia", "Policía Nacional de Colombia", "PONAL", O.SECURITY, 0, 0, 0),
    (
        "demo-col-tejedoras",
        "Red de Mujeres Tejedoras de Paz (ficticia)",
        "RMTP",
        O.CIVIL_SOCIETY,
        1,
        1,
        0,
    ),
]

PLAN: dict[str, Any] = {
    "code": COL_CODE,
    "title": "Demostración: Plan de Acción Nacional sobre la resolución 1325, Colombia (2024-2027)",
    "kind": "national",
    "area": COUNTRY,
    "generation": 1,
    "start": date(2024, 1, 1),
    "end": date(2027, 12, 31),
    "adopted_on": date(2023, 11, 30),
    "status": "implementation",
    "lead_organisation": "demo-col-igualdad",
    "languages": ["es"],
    "original_language": LANGUAGE,
    "coordination_mechanism": (
        "Una mesa nacional de seguimiento, con secretaría técnica en el Ministerio de Igualdad y "
        "Equidad, se reúne cada semestre con la Policía Nacional y las organizaciones de mujeres; "
        "los departamentos informan a través de sus enlaces."
    ),
    "description": NOTICE,
    # Pillar → outcome → action: a shorter framework than the DR Congo plan's, named in Spanish.
    "levels": [
        ("pillar", "Pilar", False),
        ("outcome", "Resultado", False),
        ("action", "Acción", True),
    ],
}
TITLE_EN = "Demo: National Action Plan on UNSCR 1325, Colombia (2024-2027)"

# pillar code, title (Spanish), title (English), theme, [(outcome code, title)]
PILLARS: list[tuple[str, str, str, str, list[tuple[str, str]]]] = [
    (
        "PAR",
        "Participación de las mujeres en la construcción de paz",
        "Women's participation in peacebuilding",
        "participation",
        [
            (
                "PAR.1",
                "Aumenta la participación de las mujeres en las instancias territoriales de paz",
            ),
            ("PAR.2", "Los planes de desarrollo territorial incluyen la agenda de mujeres y paz"),
        ],
    ),
    (
        "PRO",
        "Prevención y protección",
        "Prevention and protection",
        "protection",
        [
            ("PRO.1", "Las lideresas y defensoras de derechos humanos están protegidas"),
            ("PRO.2", "Las sobrevivientes de violencia sexual acceden a la justicia"),
        ],
    ),
    (
        "REP",
        "Reparación y reincorporación",
        "Reparation and reintegration",
        "relief_recovery",
        [
            ("REP.1", "Las mujeres víctimas del conflicto armado reciben reparación"),
            ("REP.2", "Las mujeres firmantes de paz se reincorporan a la vida económica"),
        ],
    ),
]

MINISTRY, POLICE = "demo-col-igualdad", "demo-col-policia"
WOMEN = "demo-col-tejedoras"

# outcome code → [(code, title, responsible, partners, planned start, planned end, status, %)]
ACTIONS: dict[str, list[tuple[str, str, str, list[str], str, str, str, int | None]]] = {
    "PAR.1": [
        (
            "PAR.1.1",
            "Formar a lideresas para las instancias territoriales de paz",
            MINISTRY,
            [WOMEN],
            "2024-03-01",
            "2025-12-31",
            "completed",
            100,
        ),
    ],
    "PAR.2": [
        (
            "PAR.2.1",
            "Acompañar a los municipios en la redacción de su capítulo de mujeres y paz",
            MINISTRY,
            [],
            "2024-06-01",
            "2026-12-31",
            "ongoing",
            55,
        ),
    ],
    "PRO.1": [
        (
            "PRO.1.1",
            "Poner en marcha rutas de protección colectiva para lideresas",
            POLICE,
            [WOMEN],
            "2024-01-15",
            "2025-06-30",
            "ongoing",
            70,
        ),
    ],
    "PRO.2": [
        (
            "PRO.2.1",
            "Capacitar al personal policial en atención a víctimas de violencia sexual",
            POLICE,
            [],
            "2024-02-01",
            "2027-06-30",
            "ongoing",
            40,
        ),
        (
            "PRO.2.2",
            "Abrir salas de atención diferenciada en las estaciones de policía",
            POLICE,
            [MINISTRY],
            "2025-01-01",
            "2026-06-30",
            "not_started",
            None,
        ),
    ],
    "REP.1": [
        (
            "REP.1.1",
            "Agilizar el pago de indemnizaciones a mujeres víctimas",
            MINISTRY,
            [],
            "2024-01-01",
            "2027-12-31",
            "ongoing",
            30,
        ),
    ],
    "REP.2": [
        (
            "REP.2.1",
            "Financiar proyectos productivos de mujeres firmantes de paz",
            MINISTRY,
            [WOMEN],
            "2025-01-01",
            "2027-12-31",
            "not_started",
            None,
        ),
    ],
}

# indicator_create's keyword arguments; yearly figures.
INDICATORS: list[dict[str, Any]] = [
    {
        "code": "COL-PAR-01",
        "node": "PAR.1",
        "title": "Integrantes de las instancias territoriales de paz, por sexo",
        "kind": "number",
        "unit": "integrante|integrantes",
        "time_rule": "last",
        "scheme": ["sex"],
        "responsible_organisation": MINISTRY,
        "means_of_verification": "Actas de conformación de las instancias",
    },
    {
        "code": "COL-PAR-02",
        "node": "PAR.1",
        "title": "Proporción de mujeres en las instancias territoriales de paz",
        "kind": "share",
        "unit": "%",
        "time_rule": "last",
        "share_of": "COL-PAR-01",
        "share_dimension": "sex",
        "share_option": "F",
    },
    {
        "code": "COL-PAR-03",
        "node": "PAR.2",
        "title": "Planes de desarrollo territorial con un capítulo de mujeres, paz y seguridad",
        "kind": "number",
        "unit": "plan|planes",
        "time_rule": "last",
        "responsible_organisation": MINISTRY,
    },
    {
        "code": "COL-PRO-01",
        "node": "PRO.1",
        "title": "Denuncias de amenazas contra personas defensoras de derechos humanos, por sexo",
        "kind": "number",
        "unit": "denuncia|denuncias",
        "time_rule": "sum",
        "scheme": ["sex"],
        "direction": "decrease",
        "responsible_organisation": POLICE,
    },
    {
        "code": "COL-PRO-02",
        "sensitivity": "sensitive",  # survivors: small counts are suppressed
        "node": "PRO.2",
        "title": "Casos de violencia sexual relacionada con el conflicto denunciados, por sexo",
        "kind": "number",
        "unit": "caso|casos",
        "time_rule": "sum",
        "scheme": ["sex"],
        "responsible_organisation": POLICE,
        "definition": "Más denuncias indican mejor acceso a la denuncia, no más violencia.",
    },
    {
        "code": "COL-PRO-03",
        "node": "PRO.2",
        "title": "Personal policial capacitado en atención a víctimas de violencia sexual, por sexo",
        "kind": "number",
        "unit": "persona|personas",
        "time_rule": "sum",
        "scheme": ["sex"],
        "responsible_organisation": POLICE,
    },
    {
        "code": "COL-PRO-04",
        "node": "PRO.2",
        "title": "Proporción de mujeres en el personal policial capacitado",
        "kind": "share",
        "unit": "%",
        "time_rule": "last",
        "share_of": "COL-PRO-03",
        "share_dimension": "sex",
        "share_option": "F",
    },
    {
        "code": "COL-REP-01",
        "node": "REP.1",
        "title": "Mujeres víctimas del conflicto que recibieron indemnización administrativa",
        "kind": "number",
        "unit": "mujer|mujeres",
        "time_rule": "sum",
        "responsible_organisation": MINISTRY,
    },
    {
        "code": "COL-REP-02",
        "node": "REP.2",
        "title": "Mujeres firmantes de paz con un proyecto productivo aprobado",
        "kind": "number",
        "unit": "mujer|mujeres",
        "time_rule": "last",
        "responsible_organisation": MINISTRY,
    },
]

# Baselines (2023) and targets (2027), national.
REFERENCES = [
    ("COL-PAR-02", 28.0, 45),
    ("COL-PAR-03", 6, 32),
    ("COL-REP-02", 900, 2000),
]

# One yearly round (one, not two: each submission costs a load of the demo a tenth of a second).
ROUND = "2025"
# The ministry's national figures: (indicator, cell) -> figure.
MINISTRY_FIGURES: dict[tuple[str, str], int] = {
    ("COL-PAR-01", "sex=F"): 214,
    ("COL-PAR-01", "sex=M"): 396,
    ("COL-PAR-03", "total"): 15,
    ("COL-REP-01", "total"): 9150,
    ("COL-REP-02", "total"): 1320,
}
# The police's figures by department: (indicator, cell) -> {department: figure}.
POLICE_FIGURES: dict[tuple[str, str], dict[str, int]] = {
    ("COL-PRO-01", "sex=F"): {"CO-ANT": 88, "CO-CAU": 131, "CO-NAR": 69},
    ("COL-PRO-01", "sex=M"): {"CO-ANT": 110, "CO-CAU": 176, "CO-NAR": 84},
    ("COL-PRO-02", "sex=F"): {"CO-ANT": 71, "CO-CAU": 58, "CO-NAR": 47},
    ("COL-PRO-02", "sex=M"): {"CO-ANT": 13, "CO-CAU": 12, "CO-NAR": 11},
    ("COL-PRO-03", "sex=F"): {"CO-ANT": 165, "CO-CAU": 104, "CO-NAR": 82},
    ("COL-PRO-03", "sex=M"): {"CO-ANT": 275, "CO-CAU": 181, "CO-NAR": 138},
}

# Who reports and approves: (username, role, organisation); each reads the platform in Spanish.
USERS = [
    ("coordinacion-col", "coordinator", MINISTRY),
    ("enlace-igualdad", "focal_point", MINISTRY),
    ("enlace-policia", "focal_point", POLICE),
]
COORDINATOR = "coordinacion-col"


def areas_ensure() -> dict[str, Area]:
    country = area_country_ensure(COUNTRY)
    areas = {country.code: country}
    for code in DEPARTMENTS:
        areas[code] = area_subdivision_ensure(parent=country, code=code)
    return areas


def organisations_ensure(country: Area) -> dict[str, Organisation]:
    from wpsmonitor.demo.structure import organisation_names

    orgs = {}
    for code, name, acronym, kind, women, grassroots, youth in ORGANISATIONS:
        orgs[code], _created = Organisation.objects.update_or_create(
            code=code,
            defaults={
                **organisation_names(code, name, LANGUAGE),
                "acronym": acronym,
                "type": kind,
                "country": country,
                "women_led": bool(women),
                "grassroots": bool(grassroots),
                "youth_led": bool(youth),
            },
        )
    return orgs


def structure_create() -> tuple[Plan, dict[str, Area], dict[str, Organisation]]:
    """The plan, its framework and its indicators, through the services; Spanish texts."""
    areas = areas_ensure()
    orgs = organisations_ensure(areas[COUNTRY])
    plan = plan_create(**PLAN)
    translations_set(obj=plan, field="title", texts={"en": TITLE_EN})
    for code, title, title_en, theme, outcomes in PILLARS:
        pillar = node_create(plan=plan, code=code, title=title, pillar_theme=theme)
        translations_set(obj=pillar, field="title", texts={"en": title_en})
        for outcome_code, outcome_title in outcomes:
            outcome = node_create(plan=plan, code=outcome_code, title=outcome_title, parent=pillar)
            for code, title, resp, partners, start, end, status, pct in ACTIONS[outcome_code]:
                node_create(
                    plan=plan,
                    code=code,
                    title=title,
                    parent=outcome,
                    responsible_organisation=orgs[resp],
                    partner_organisations=[orgs[p] for p in partners],
                    planned_start=date.fromisoformat(start),
                    planned_end=date.fromisoformat(end),
                    status=status,
                    percent_complete=pct,
                )
    indicators = {
        spec["code"]: indicator_create(plan=plan, frequency="year", **spec) for spec in INDICATORS
    }
    for code, baseline, target in REFERENCES:
        baseline_set(indicator=indicators[code], period="2023", value=baseline)
        target_set(indicator=indicators[code], period="2027", value=target)
    return plan, areas, orgs


def reporting_load(
    plan: Plan,
    areas: dict[str, Area],
    orgs: dict[str, Organisation],
    admin: Any,
    password: str | None,
) -> list[tuple[str, str]]:
    """The secretariat and two focal points (Spanish readers), their assignments, and a
    yearly round whose figures the coordinator approves; the users and their roles."""
    from wpsmonitor.accounts.models import PlanRole
    from wpsmonitor.accounts.services import language_set
    from wpsmonitor.reporting import services as reporting

    users, listed = {}, []
    for username, role, org_code in USERS:
        user = users[username] = user_ensure(username, password)
        language_set(user=user, language=LANGUAGE)
        reporting.role_grant(
            by=admin,
            plan=plan,
            user=user,
            role=role,
            organisation=orgs[org_code],
            reason=DEMO_REASON,
        )
        role_name = str(PlanRole(role=role).get_role_display())
        listed.append((username, f"{role_name} ({COL_CODE})"))
    coordinator = users[COORDINATOR]
    ministry, police = orgs[MINISTRY], orgs[POLICE]
    for indicator in plan.indicators.filter(responsible_organisation__isnull=False):
        if indicator.responsible_organisation_id == ministry.pk:
            reporting.assignment_add(
                by=coordinator,
                plan=plan,
                organisation=ministry,
                area=areas[COUNTRY],
                indicator=indicator,
            )
        else:
            for department in DEPARTMENTS:
                reporting.assignment_add(
                    by=coordinator,
                    plan=plan,
                    organisation=police,
                    area=areas[department],
                    indicator=indicator,
                )
    round_ = reporting.round_open(
        by=coordinator,
        plan=plan,
        period_code=ROUND,
        deadline=timezone.localdate() + timedelta(days=30),
    )
    figures_submit(
        focal=users["enlace-igualdad"],
        coordinator=coordinator,
        round_=round_,
        organisation=ministry,
        area=areas[COUNTRY],
        figures=MINISTRY_FIGURES,
    )
    for department in DEPARTMENTS:
        figures_submit(
            focal=users["enlace-policia"],
            coordinator=coordinator,
            round_=round_,
            organisation=police,
            area=areas[department],
            figures={key: by[department] for key, by in POLICE_FIGURES.items()},
        )
    reporting.round_close(by=coordinator, round_=round_)
    return listed


def release_publish(plan: Plan) -> int:
    """One release, published by the coordinator (after the aggregates are built)."""
    from django.contrib.auth import get_user_model

    from wpsmonitor.demo.releases import publish

    publish(get_user_model().objects.get(username=COORDINATOR), plan)
    return 1
