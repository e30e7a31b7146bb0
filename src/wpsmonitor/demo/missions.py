"""Demo data: a UN mission in the DRC demo plan's country (docs/missions.md). FICTITIOUS: a
MONUSCO-like mission labelled as demonstration data, two mandate resolutions whose WPS
provisions paraphrase the kind of language such mandates hold (not the resolutions' text), and
a phased exit: phase 1 Sud-Kivu handed over, phase 2 Nord-Kivu, phase 3 Ituri, with benchmarks
in each and their status over time, and protection indicators watched in the areas handed over.

Everything goes through the services, as the plan's coordinator would record it (here the demo
administrator). The indicators are found by code (PRO-01, SGBV cases reported, and PRO-06,
survivors cared for within 72 hours, both quarterly with figures by province in the national
plan); a plan without them watches its first indicator instead, so the pages still show one.
Deleting the plan deletes all of it (every row hangs from the mission, which hangs from the plan).
"""

from __future__ import annotations

from datetime import date

from wpsmonitor.demo.reporting import admin_ensure
from wpsmonitor.directory.models import Area
from wpsmonitor.directory.services import area_subdivision_ensure
from wpsmonitor.missions import services
from wpsmonitor.missions.models import UNMission
from wpsmonitor.plans.models import Plan

ACRONYM = "MONUSCO"
NAME = (
    "Demo (fictitious): United Nations Organization Stabilization Mission in the Democratic "
    "Republic of the Congo"
)

# (symbol, adopted, mandate until, [(category, paragraph, text)])
MANDATES: list[tuple[str, date, date, list[tuple[str, str, str]]]] = [
    (
        "S/RES/2666 (2022)",
        date(2022, 12, 20),
        date(2023, 12, 20),
        [
            (
                "protection",
                "OP 29 (d)",
                "Demo text: protect civilians, women and girls in particular, from sexual and "
                "gender-based violence, and support the national authorities in investigating "
                "and prosecuting conflict-related sexual violence.",
            ),
            (
                "expertise",
                "OP 40",
                "Demo text: keep gender and women protection advisers deployed in the "
                "mission's field offices.",
            ),
            (
                "sea",
                "OP 45",
                "Demo text: apply the zero-tolerance policy on sexual exploitation and abuse "
                "and report every allegation.",
            ),
        ],
    ),
    (
        "S/RES/2717 (2023)",
        date(2023, 12, 19),
        date(2024, 12, 20),
        [
            (
                "participation",
                "OP 30",
                "Demo text: support women's full, equal and meaningful participation in the "
                "provincial and local peace processes of the east.",
            ),
            (
                "ddr_ssr",
                "OP 33",
                "Demo text: make the disarmament, demobilisation and community reintegration "
                "programme respond to the needs of women and girls formerly associated with "
                "armed groups.",
            ),
            (
                "reporting",
                "OP 52",
                "Demo text: report on the gender dimensions of the disengagement, with data by "
                "sex and age, before and after each province is handed over.",
            ),
        ],
    ),
]

# (number, name, area code, handover, [(benchmark, target, [(date, status, note)])])
Update = tuple[date, str, str]
BenchmarkRow = tuple[str, date | None, list[Update]]
PHASES: list[tuple[int, str, str, date | None, list[BenchmarkRow]]] = [
    (
        1,
        "Phase 1: Sud-Kivu handed over",
        "CD-SK",
        date(2024, 7, 1),
        [
            (
                "Provincial police take over the protection of the sites of displaced women",
                date(2024, 6, 30),
                [
                    (date(2024, 2, 1), "in_progress", "Joint patrols started in Uvira."),
                    (date(2024, 6, 25), "met", "Handed over in Bukavu, Uvira and Kabare."),
                ],
            ),
            (
                "One-stop centres for survivors funded by the province after the handover",
                date(2024, 12, 31),
                [
                    (date(2024, 3, 1), "in_progress", ""),
                    (date(2025, 1, 15), "not_met", "The Uvira centre closed in 2025."),
                ],
            ),
        ],
    ),
    (
        2,
        "Phase 2: Nord-Kivu",
        "CD-NK",
        None,
        [
            (
                "Women protection advisers' early-warning networks handed to the province",
                date(2026, 6, 30),
                [(date(2025, 9, 1), "in_progress", "Two of four territories covered.")],
            ),
            ("Mobile courts for SGBV cases run by the national justice", None, []),
        ],
    ),
    (
        3,
        "Phase 3: Ituri",
        "CD-IT",
        None,
        [("A gender analysis of the security situation in Ituri before the handover", None, [])],
    ),
]

WATCHED = ("PRO-01", "PRO-06")


def _area(plan: Plan, code: str, index: int) -> Area:
    """The province by its code within the plan's area; Ituri is added to the DRC when missing;
    on another country's plan, its provinces in turn (or the plan's area)."""
    found = Area.objects.filter(code=code, path__startswith=plan.area.path).first()
    if found is not None:
        return found
    if plan.area.code == "COD":
        return area_subdivision_ensure(parent=plan.area, code=code)
    children = list(Area.objects.filter(parent=plan.area).order_by("name"))
    return children[index % len(children)] if children else plan.area


def missions_load(plan: Plan) -> int:
    """Record the demo mission under `plan`; returns the number of rows recorded (0 when the
    plan already has it)."""
    if UNMission.objects.filter(plan=plan, acronym=ACRONYM).exists():
        return 0
    by = admin_ensure()[0]
    rows = 0
    mission = services.mission_record(
        by=by,
        plan=plan,
        acronym=ACRONYM,
        name=NAME,
        kind="peacekeeping",
        status="drawing_down",
        started_on=date(2010, 7, 1),
        planned_end_on=date(2026, 12, 31),
    )
    rows += 1
    for symbol, adopted, until, provisions in MANDATES:
        resolution = services.resolution_record(
            by=by, mission=mission, symbol=symbol, adopted_on=adopted, mandate_until=until
        )
        rows += 1
        for category, paragraph, text in provisions:
            services.provision_record(
                by=by, resolution=resolution, category=category, paragraph=paragraph, text=text
            )
            rows += 1
    transition = services.transition_record(
        by=by,
        mission=mission,
        title="Demo (fictitious): comprehensive disengagement plan",
        adopted_on=date(2023, 11, 21),
        gender_analysis=(
            "Demo text: women and girls in the provinces handed over rely on the mission's "
            "patrols around displacement sites and on the one-stop centres it supports. The "
            "plan's gender analysis found that the provincial police had few women officers "
            "and no budget for the centres; it asked that each province's SGBV figures be "
            "watched for a year after the handover."
        ),
    )
    rows += 1
    indicators = {i.code: i for i in plan.indicators.filter(code__in=WATCHED)}
    fallback = plan.indicators.order_by("code").first()
    for index, (number, name, code, handover, benchmarks) in enumerate(PHASES):
        phase = services.phase_record(
            by=by,
            transition=transition,
            number=number,
            name=name,
            area=_area(plan, code, index),
            handover_on=handover,
        )
        rows += 1
        for description, target, updates in benchmarks:
            benchmark = services.benchmark_record(
                by=by, phase=phase, description=description, target_on=target
            )
            rows += 1
            for on, status, note in updates:
                services.benchmark_status(
                    by=by, benchmark=benchmark, status=status, on=on, note=note
                )
                rows += 1
        if number > 2:
            continue
        watched = [indicators[c] for c in WATCHED if c in indicators] or (
            [fallback] if fallback else []
        )
        for indicator in watched:
            services.watch_record(by=by, phase=phase, indicator=indicator)
            rows += 1
    return rows
