"""The demo's security sector (docs/security-sector.md, docs/demo.md): on the national plan, the
armed forces (FARDC) and the police (PNC) with their organisations, each adopting NATO's
indicator package on the output "Women are recruited and promoted in the police and armed
forces"; three years of their figures (personnel by sex × service × rank, recruitment,
attrition, command positions, gender adviser posts and facilities), generated from seeded
random generators and inserted in bulk as figures/structure do; and the police's women's and
children's desks in Nord-Kivu and Sud-Kivu with their cases by quarter.

Everything through the security services, as the plan's coordinator (the desks' cases as the
police's focal point): the demo obeys the rules a user does. The figures are fictitious.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wpsmonitor.demo.figures import QUARTERS, Cells, Values
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    DataValue,
    ImportBatch,
    Indicator,
    Source,
)
from wpsmonitor.indicators.services import period_ensure
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.plans.services import translations_set
from wpsmonitor.security import services as security
from wpsmonitor.security.models import DeskStatus, InstitutionKind, SecurityInstitution

COORDINATOR = "coordinator"  # demo/reporting.py's coordinator of the national plan
POLICE_FOCAL = "focal-police"  # the police's focal point (national: every desk's area)
# Where both adopt the package: the output on recruitment and promotion in the security sector.
PACKAGE_NODE = "PAR.2.2"
# Three years of figures: the year before the plan (shown under "Before the plan" on the
# indicator page: the aggregates read the plan's periods only) and its first two, as the
# demo's other figures.
SECURITY_YEARS = ["2023", "2024", "2025"]
# The other languages the package's titles and units are given in (the plan is in English).
LANGUAGES = ("fr", "es", "ar")

RANKS = ("of_general", "of_senior", "of_junior", "or_senior", "or_junior", "or_other")
# Of each 1,000 personnel, how many hold each rank.
RANK_SIZE = {
    "of_general": 0.002,
    "of_senior": 0.02,
    "of_junior": 0.07,
    "or_senior": 0.10,
    "or_junior": 0.25,
    "or_other": 0.558,
}


@dataclass(frozen=True)
class Force:
    code: str
    kind: str
    organisation: str  # demo organisation code (content.ORGANISATIONS)
    personnel: int  # in the first year
    services: dict[str, float]  # share of personnel by service
    women: dict[str, float]  # women's share by rank in the first year: fewer the higher the rank
    rise: float  # women's share gained a year, every rank
    gender_posts: dict[tuple[str, str], int]  # (post, level) -> posts in the first year
    sites: int  # sites with separate facilities for women in the first year


FORCES = (
    Force(
        code="FARDC",
        kind=InstitutionKind.ARMY,
        organisation="demo-fardc",
        personnel=134_000,
        services={"land": 0.81, "maritime": 0.03, "air": 0.04, "joint": 0.12},
        women={
            "of_general": 0.012,
            "of_senior": 0.021,
            "of_junior": 0.046,
            "or_senior": 0.032,
            "or_junior": 0.038,
            "or_other": 0.044,
        },
        rise=0.002,
        gender_posts={
            ("adviser", "strategic"): 2,
            ("adviser", "operational"): 6,
            ("focal_point", "operational"): 12,
            ("focal_point", "tactical"): 40,
        },
        sites=18,
    ),
    Force(
        code="PNC",
        kind=InstitutionKind.POLICE,
        organisation="demo-pnc",
        personnel=112_000,
        services={"joint": 0.14, "other": 0.86},
        women={
            "of_general": 0.025,
            "of_senior": 0.048,
            "of_junior": 0.083,
            "or_senior": 0.071,
            "or_junior": 0.092,
            "or_other": 0.112,
        },
        rise=0.004,
        gender_posts={
            ("adviser", "strategic"): 1,
            ("focal_point", "operational"): 26,
            ("focal_point", "tactical"): 90,
        },
        sites=41,
    ),
)

# The police's women's and children's desks: (station, area, status, opened on, staffed by,
# cases received a quarter). Stations and staffing are fictitious.
DESKS: list[tuple[str, str, str, date | None, str, int]] = [
    (
        "Commissariat de Goma-Himbi (fictitious)",
        "CD-NK-GOMA",
        DeskStatus.OPEN,
        date(2023, 3, 8),
        "2 women officers, 1 social worker",
        34,
    ),
    (
        "Commissariat de Beni-Mulekera (fictitious)",
        "CD-NK-BENI",
        DeskStatus.OPEN,
        date(2024, 6, 17),
        "1 woman officer, 1 man officer",
        19,
    ),
    (
        "Sous-commissariat de Kiwanja, Rutshuru (fictitious)",
        "CD-NK-RUTSHURU",
        DeskStatus.PLANNED,
        None,
        "",
        0,
    ),
    (
        "Commissariat de Bukavu-Ibanda (fictitious)",
        "CD-SK-BUKAVU",
        DeskStatus.OPEN,
        date(2023, 11, 25),
        "3 women officers",
        27,
    ),
    (
        "Sous-commissariat de Kavumu, Kabare (fictitious)",
        "CD-SK-KABARE",
        DeskStatus.OPEN,
        date(2025, 2, 3),
        "1 woman officer",
        9,
    ),
    (
        "Commissariat d'Uvira-Kalundu (fictitious)",
        "CD-SK-UVIRA",
        DeskStatus.CLOSED,
        date(2022, 9, 1),
        "none since the station was damaged",
        0,
    ),
]


@dataclass
class SecurityDemo:
    army: SecurityInstitution
    police: SecurityInstitution
    figures: int = 0  # the package's figures stored (DataValue rows)
    desks: int = 0
    desk_cases: int = 0  # periods of desk cases entered

    @property
    def count(self) -> int:
        """Everything made, for the demo's summary: institutions, figures, desks, cases."""
        return 2 + self.figures + self.desks + self.desk_cases


def security_load(
    plan: Plan, orgs: dict[str, Organisation], areas: dict[str, Area]
) -> SecurityDemo:
    """The security sector of the national demo plan; returns the two institutions."""
    users = get_user_model().objects
    coordinator = users.get(username=COORDINATOR)
    node = FrameworkNode.objects.get(plan=plan, code=PACKAGE_NODE)
    made: dict[str, SecurityInstitution] = {}
    for force in FORCES:
        institution = security.institution_create(
            by=coordinator,
            plan=plan,
            code=force.code,
            kind=force.kind,
            organisation=orgs[force.organisation],
        )
        adoption = security.package_adopt(by=coordinator, institution=institution, node=node)
        _titles_translate(list(adoption.indicators.all()), force.code)
        made[force.code] = institution
    demo = SecurityDemo(army=made["FARDC"], police=made["PNC"])
    demo.figures = _figures_create(plan, areas, coordinator)
    demo.desks, demo.desk_cases = _desks_create(
        made["PNC"], areas, coordinator, users.get(username=POLICE_FOCAL)
    )
    return demo


def _titles_translate(indicators: list[Indicator], code: str) -> None:
    """The package's titles and units in the plan's other languages, as the package words
    them in each (its texts are in the catalogues), through the plan's translation service."""
    specs = {f"{code}-{spec['suffix']}": spec for spec in security.PACKAGE}
    for indicator in indicators:
        spec = specs[indicator.code]
        titles, units = {}, {}
        for language in LANGUAGES:
            with translation.override(language):
                titles[language] = f"{_(str(spec['title']))} ({code})"
                units[language] = "%" if spec["unit"] == "%" else _(str(spec["unit"]))
        translations_set(obj=indicator, field="title", texts=titles)
        translations_set(obj=indicator, field="unit", texts=units)


# Figures --------------------------------------------------------------------------------------


class _Cells:
    """An indicator's cell codes by their parts, whatever the scheme's order."""

    def __init__(self, cells: Cells, indicator: Indicator) -> None:
        self.codes = {frozenset(code.split(";")): code for code in cells.of(indicator)}

    def __call__(self, **parts: str) -> str:
        if not parts:
            return "total"
        return self.codes[frozenset(f"{dim}={opt}" for dim, opt in parts.items())]


def personnel(force: Force, year: str) -> dict[tuple[str, str, str], int]:
    """(sex, service, rank) -> people at the end of `year`: seeded, the same on every machine.
    Women's share rises by `force.rise` a year at every rank, and personnel by 1 %."""
    t = SECURITY_YEARS.index(year)
    rng = random.Random(f"wpsmonitor-demo:{force.code}:PERS:{year}")
    out = {}
    for service, service_share in force.services.items():
        for rank in RANKS:
            size = force.personnel * (1 + 0.01 * t) * service_share * RANK_SIZE[rank]
            total = max(1, round(size * rng.uniform(0.96, 1.04)))
            women = round(total * (force.women[rank] + force.rise * t) * rng.uniform(0.9, 1.1))
            out[("F", service, rank)] = women
            out[("M", service, rank)] = total - women
    return out


def _figures_create(plan: Plan, areas: dict[str, Area], user: Any) -> int:
    indicators = {
        i.code: i for i in Indicator.objects.filter(plan=plan, code__regex=r"^(FARDC|PNC)-")
    }
    periods = {year: period_ensure(year) for year in SECURITY_YEARS}
    values = Values(Cells(indicators.values()), periods, areas)
    values.user = user
    values.sources = {GOVERNMENT_SOURCE: Source.objects.get(code=GOVERNMENT_SOURCE)}
    values.batch = ImportBatch.objects.create(
        kind="demo", filename="wpsmonitor demo (security sector)", user=user
    )
    country = plan.area.code
    for force in FORCES:

        def ind(suffix: str, force: Force = force) -> Indicator:
            return indicators[f"{force.code}-{suffix}"]

        def add(suffix: str, year: str, value: float, **parts: str) -> None:
            indicator = ind(suffix)
            cell = _Cells(values.cells, indicator)(**parts)
            values.add(indicator, year, country, GOVERNMENT_SOURCE, cell=cell, value=value)

        for t, year in enumerate(SECURITY_YEARS):
            rng = random.Random(f"wpsmonitor-demo:{force.code}:flows:{year}")
            people = personnel(force, year)
            for (sex, service, rank), count in people.items():
                if count:
                    add("PERS", year, count, sex=sex, security_service=service, nato_rank=rank)
            total = sum(people.values())
            women = sum(v for (sex, *_rest), v in people.items() if sex == "F")
            stock_share = women / total
            # Recruits are a little more often women than the stock (the share rises);
            # leavers as often as the stock.
            recruited = round(total * 0.06 * rng.uniform(0.9, 1.1))
            recruited_w = round(recruited * (stock_share + 0.05 + 0.01 * t))
            add("REC", year, recruited_w, sex="F")
            add("REC", year, recruited - recruited_w, sex="M")
            left = round(total * 0.05 * rng.uniform(0.9, 1.1))
            left_w = round(left * stock_share * rng.uniform(0.9, 1.1))
            add("ATT", year, left_w, sex="F")
            add("ATT", year, left - left_w, sex="M")
            command = round(total * 0.012)
            command_w = round(command * (force.women["of_senior"] + force.rise * t))
            add("CMD", year, command_w, sex="F")
            add("CMD", year, command - command_w, sex="M")
            for (post, level), posts in force.gender_posts.items():
                posts += t * (2 if level == "tactical" else 1) if posts > 1 else 0
                filled = min(posts, round(posts * (0.6 + 0.1 * t) * rng.uniform(0.9, 1.1)))
                add("GA-POSTS", year, posts, gender_post=post, post_level=level)
                add("GA-FILLED", year, filled, gender_post=post, post_level=level)
            add("FAC", year, force.sites + 3 * t)
    DataValue.objects.bulk_create(values.rows, batch_size=2000)
    values.batch.rows = values.batch.created = len(values.rows)
    values.batch.finished_at = timezone.now()
    values.batch.save()
    return len(values.rows)


# Desks --------------------------------------------------------------------------------------


def _desks_create(
    police: SecurityInstitution, areas: dict[str, Area], coordinator: Any, focal: Any
) -> tuple[int, int]:
    """The register (the coordinator) and each open desk's cases by quarter since it opened
    (the police's focal point)."""
    cases = 0
    for name, area, status, opened_on, staffed_by, per_quarter in DESKS:
        desk = security.desk_record(
            by=coordinator,
            institution=police,
            name=name,
            area=areas[area],
            status=status,
            opened_on=opened_on,
            staffed_by=staffed_by,
        )
        if status != DeskStatus.OPEN or opened_on is None:
            continue
        rng = random.Random(f"wpsmonitor-demo:desk:{area}")
        for t, quarter in enumerate(QUARTERS):
            year, q = int(quarter[:4]), int(quarter[-1])
            if date(year, 3 * q, 1) < opened_on.replace(day=1):
                continue  # the quarter ended before the desk opened
            received = round(per_quarter * (1 + 0.05 * t) * rng.uniform(0.8, 1.2))
            referred = min(received, round(received * (0.55 + 0.03 * t) * rng.uniform(0.9, 1.1)))
            security.desk_cases_record(
                by=focal, desk=desk, period=quarter, received=received, referred=referred
            )
            cases += 1
    return len(DESKS), cases
