"""A realistic big plan for benchmarks: ~2,000,000 disaggregated values, loaded fast.

Shape: the DRC (26 provinces, 5 districts each), a plan 2020-2025 with four pillars and 30
indicators: 19 counts by sex x age x disability (16 cells) reported by districts, 4
percentages by sex, 2 police counts by sex x rank with their 2 women's-share indicators,
2 yes/no by province, 1 list, 2 formulas; quarterly over six years, from the government and
two civil-society sources. Values are sparse: each (indicator, period, area, cell, source)
slot is kept with the probability that yields the requested number of values.

The framework is built through the services; the values go in with raw SQL (executemany on
SQLite, COPY on PostgreSQL), because the ORM would take minutes.

Use from another benchmark:

    from bigplan import build_big_plan
    plan = build_big_plan(values=2_000_000)

or run `python benchmarks/bigplan.py --values 2000000` against the configured database.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

CODE = "big-nap"
PROVINCES = 26
DISTRICTS_PER_PROVINCE = 5
YEARS = range(2020, 2026)


PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def database_choose(*, home: Path, postgres: bool, reuse: bool, pg_database: str) -> None:
    """Point the environment at the benchmark's database, emptied unless reused.

    SQLite lives in `home`; PostgreSQL gets a database of the benchmark's own.
    """
    home.mkdir(parents=True, exist_ok=True)
    os.environ["WPSMONITOR_HOME"] = str(home)
    if postgres:
        import psycopg

        if not reuse:
            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {pg_database}")
                conn.execute(f"CREATE DATABASE {pg_database}")
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{pg_database}"
    else:
        os.environ.pop("DATABASE_URL", None)
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                (home / f"wpsmonitor.sqlite3{suffix}").unlink(missing_ok=True)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wpsmonitor.settings")
    import django

    django.setup()


def big_plan_for_pages(*, values: int, reuse: bool) -> Any:
    """The big plan ready to be served: migrated database, static files collected, the plan
    built (or reused), public (not a draft) and its aggregates rebuilt. For the page benchmarks."""
    from django.core.management import call_command

    from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
    from wpsmonitor.indicators.models import AggregateRun
    from wpsmonitor.plans.models import Plan, PlanStatus
    from wpsmonitor.plans.services import plan_update

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    plan = Plan.objects.filter(code=CODE).first()
    if plan is None or not reuse:
        plan = build_big_plan(values=values)
    if plan.status == PlanStatus.DRAFT:  # drafts are hidden from the public pages
        plan = plan_update(plan=plan, status=PlanStatus.IMPLEMENTATION)
    run = AggregateRun.objects.filter(plan=plan).first()
    rebuilt = run is None or run.finished_at is None or not reuse
    if rebuilt:
        clock = time.perf_counter()
        rebuild_plan_aggregates(plan)
        print(f"aggregates rebuilt in {time.perf_counter() - clock:.1f} s")
    publish_release(plan, again=rebuilt)
    return plan


def publish_release(plan: Any, *, again: bool) -> None:
    """Publish a release of the plan (the demo's sensitivity mix), unless one is published and
    `again` is false: anonymous readers read the published release (docs/publishing.md, "Who
    reads what"), so a page benchmark without one would time pages with no figures."""
    from django.contrib.auth import get_user_model

    from wpsmonitor.publishing.models import DisclosureAuditEntry, Release, ReleaseStatus
    from wpsmonitor.publishing.services import audit_resolve, release_prepare, release_publish

    if not again and Release.objects.filter(plan=plan, status=ReleaseStatus.PUBLISHED).exists():
        return
    sensitive_like_demo(plan)
    users = get_user_model().objects
    admin = users.filter(username="bench-admin").first() or users.create_superuser(
        username="bench-admin", email="bench-admin@example.org", password="bench-admin-pw-42"
    )
    clock = time.perf_counter()
    release = release_prepare(by=admin, plan=plan)
    # Random small counts on a sparse plan can leave problems (docs/publishing.md, "Known
    # limits"); a coordinator resolves each with a note. Counted and printed, not hidden.
    problems = DisclosureAuditEntry.objects.filter(release=release, problem=True, resolved=False)
    unresolved = list(problems)
    for entry in unresolved:
        audit_resolve(by=admin, entry=entry, note="Benchmark data: random figures, no one's.")
    release_publish(by=admin, release=release, confirm=True)
    print(
        f"release {release.number} published in {time.perf_counter() - clock:.1f} s: "
        f"{release.figures:,} figures, {release.suppressed:,} suppressed, "
        f"{len(unresolved)} audit problems resolved with a note"
    )


# The demo's share of sensitive indicators (docs/publishing.md, "Sensitivity"): its protection
# indicators (cases, survivors, a rate computed from them) and one relief indicator of
# survivors, 7 of 36 (19 %). Here: every count and percentage of the protection pillar (P2:
# N03, N04, N11, N12, N19 by sex x age x disability, PCT1 by sex) and the first count of the
# relief pillar (N07, as the demo's REL-01): 7 of the plan's 30 indicators (23 %), 5 of its
# 19 big counts, about a quarter of its values.
def sensitive_like_demo(plan: Any) -> list[Any]:
    """Make the plan's protection-like indicators sensitive, the others public; return them."""
    from wpsmonitor.core.vocabulary import Sensitivity
    from wpsmonitor.indicators.models import Indicator, IndicatorKind

    indicators = Indicator.objects.filter(plan=plan)
    chosen = [
        i.pk
        for i in indicators.select_related("node__parent").filter(
            kind__in=[IndicatorKind.NUMBER, IndicatorKind.PERCENTAGE]
        )
        if i.node is not None and i.node.code.startswith("P2.")
    ]
    chosen += list(indicators.filter(code="N07").values_list("pk", flat=True))
    indicators.update(sensitivity=Sensitivity.PUBLIC)
    indicators.filter(pk__in=chosen).update(sensitivity=Sensitivity.SENSITIVE)
    return list(indicators.filter(pk__in=chosen).order_by("code"))


def build_big_plan(
    *, values: int = 2_000_000, seed: int = 1, progress: Callable[[str], None] = print
) -> Any:
    """Create the big plan with about `values` data values in the current database; return it."""
    from django.db import connection, transaction

    from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
    from wpsmonitor.indicators.models import (
        DataValue,
        Direction,
        IndicatorKind,
        ListItem,
        Source,
        SourceKind,
        TimeRule,
    )
    from wpsmonitor.indicators.services import (
        dimension_ensure,
        indicator_create,
        period_ensure,
        reference_data_ensure,
        target_set,
    )
    from wpsmonitor.plans.models import Plan, PlanKind
    from wpsmonitor.plans.services import node_create, plan_create

    clock = time.perf_counter()
    rng = random.Random(seed)
    with transaction.atomic():
        reference_data_ensure()
        dimension_ensure(
            code="rank",
            name="Police rank",
            options=[
                ("constable", "Constable"),
                ("sergeant", "Sergeant"),
                ("inspector", "Inspector"),
                ("commissioner", "Commissioner"),
            ],
        )
        country = area_country_ensure("COD")
        provinces, districts = [], []
        for p in range(1, PROVINCES + 1):
            province = area_subdivision_ensure(
                parent=country, code=f"BIG-P{p:02d}", name=f"Province {p:02d}"
            )
            provinces.append(province)
            for d in range(1, DISTRICTS_PER_PROVINCE + 1):
                districts.append(
                    area_subdivision_ensure(
                        parent=province,
                        code=f"BIG-P{p:02d}-D{d}",
                        name=f"District {p:02d}.{d}",
                        depth=3,
                    )
                )
        sources = [Source.objects.get(code="gov")]
        for code in ("cso-a", "cso-b"):
            sources.append(
                Source.objects.get_or_create(
                    code=code,
                    defaults={"kind": SourceKind.CIVIL_SOCIETY, "name": f"Shadow report {code}"},
                )[0]
            )
        Plan.objects.filter(code=CODE).delete()
        plan = plan_create(
            code=CODE,
            title="Big benchmark NAP",
            kind=PlanKind.NATIONAL,
            area=country,
            start=date(2020, 1, 1),
            end=date(2025, 12, 31),
        )
        quarters = [period_ensure(f"{y}Q{q}") for y in YEARS for q in range(1, 5)]
        outcomes = []
        for p, theme in enumerate(["participation", "protection", "prevention", "relief"]):
            pillar = node_create(plan=plan, code=f"P{p + 1}", title=theme.title())
            for o in range(1, 3):
                outcome = node_create(
                    plan=plan, code=f"P{p + 1}.{o}", title=f"Outcome {p + 1}.{o}", parent=pillar
                )
                outcomes.append(outcome)
                output = node_create(
                    plan=plan, code=f"P{p + 1}.{o}.1", title="Output", parent=outcome
                )
                for a in range(1, 4):
                    node_create(
                        plan=plan,
                        code=f"P{p + 1}.{o}.1.{a}",
                        title="Action",
                        parent=output,
                        planned_start=date(2020 + a, 1, 1),
                        planned_end=date(2021 + a, 12, 31),
                        status=["ongoing", "completed", "not_started"][a - 1],
                    )

        def node(i: int) -> Any:
            return outcomes[i % len(outcomes)]

        grids: list[tuple[Any, list[Any], list[Any]]] = []  # (indicator, areas, cells)
        rules = [TimeRule.SUM] * 11 + [TimeRule.LAST] * 5 + [TimeRule.AVERAGE] * 3
        for i, rule in enumerate(rules):
            ind = indicator_create(
                plan=plan,
                node=node(i),
                code=f"N{i + 1:02d}",
                title=f"People reached {i + 1}",
                kind=IndicatorKind.NUMBER,
                time_rule=rule,
                scheme=["sex", "age", "disability"],
            )
            grids.append((ind, districts, list(ind.scheme.cells.all())))
        for i in range(4):
            ind = indicator_create(
                plan=plan,
                node=node(i + 3),
                code=f"PCT{i + 1}",
                title=f"Share of cases {i + 1}",
                kind=IndicatorKind.PERCENTAGE,
                time_rule=[TimeRule.SUM, TimeRule.AVERAGE][i % 2],
                scheme=["sex"],
            )
            grids.append((ind, districts, list(ind.scheme.cells.all())))
        for i in range(2):
            ind = indicator_create(
                plan=plan,
                node=node(i + 5),
                code=f"POL{i + 1}",
                title=f"Security personnel {i + 1}",
                kind=IndicatorKind.NUMBER,
                time_rule=TimeRule.LAST,
                scheme=["sex", "rank"],
            )
            grids.append((ind, provinces, list(ind.scheme.cells.all())))
            indicator_create(
                plan=plan,
                node=node(i + 5),
                code=f"WSH{i + 1}",
                title=f"Women's share of security personnel {i + 1}",
                kind=IndicatorKind.SHARE,
                time_rule=TimeRule.LAST,
                share_of=ind,
                share_dimension="sex",
                share_option="F",
            )
        for i in range(2):
            ind = indicator_create(
                plan=plan,
                node=node(i + 1),
                code=f"YN{i + 1}",
                title=f"Provincial mechanism {i + 1} in place",
                kind=IndicatorKind.YES_NO,
                time_rule=TimeRule.LAST,
            )
            grids.append((ind, provinces, list(ind.scheme.cells.all())))
        laws = indicator_create(
            plan=plan,
            node=node(2),
            code="LAWS",
            title="Laws adopted",
            kind=IndicatorKind.LIST,
            time_rule=TimeRule.SUM,
        )
        indicator_create(
            plan=plan,
            node=node(3),
            code="F1",
            title="Reach per province",
            kind=IndicatorKind.FORMULA,
            time_rule=TimeRule.SUM,
            numerator_formula="{N01} + {N02}",
            denominator_formula="26",
        )
        indicator_create(
            plan=plan,
            node=node(4),
            code="F2",
            title="Ratio of reach",
            kind=IndicatorKind.FORMULA,
            time_rule=TimeRule.SUM,
            numerator_formula="{N03}",
            denominator_formula="{N04}",
            direction=Direction.MAINTAIN,
        )
        for ind, _areas, _cells in grids[:19]:
            target_set(indicator=ind, period="2025", value=50_000)
        for i, province in enumerate(provinces):
            ListItem.objects.create(
                indicator=laws,
                period=quarters[i % len(quarters)],
                area=province,
                source=sources[0],
                title=f"Provincial law {i}",
            )

    slots = sum(len(a) * len(c) for _i, a, c in grids) * len(quarters) * len(sources)
    keep = min(1.0, values / slots)
    progress(f"framework ready in {time.perf_counter() - clock:.1f} s; filling ~{values} values")
    stamp = "2025-01-01 00:00:00"

    def rows() -> Iterator[tuple[Any, ...]]:
        for ind, areas, cells in grids:
            pct = ind.kind == IndicatorKind.PERCENTAGE
            yes_no = ind.kind == IndicatorKind.YES_NO
            for area in areas:
                for cell in cells:
                    for source in sources:
                        for period in quarters:
                            if rng.random() >= keep:
                                continue
                            if pct:
                                den = rng.randint(50, 200)
                                num, den, value = rng.randint(0, den), den, None
                            elif yes_no:
                                num = den = None
                                value = rng.randint(0, 1)
                            else:
                                num = den = None
                                value = rng.randint(0, 500)
                            yield (
                                ind.pk,
                                period.pk,
                                area.pk,
                                cell.pk,
                                source.pk,
                                value,
                                num,
                                den,
                                "",
                                "",
                                stamp,
                                stamp,
                            )

    columns = (
        "indicator_id, period_id, area_id, cell_id, source_id, value, numerator, denominator, "
        "text_value, comment, created_at, updated_at"
    )
    table = DataValue._meta.db_table
    clock = time.perf_counter()
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
                    count += 1
        else:
            batch: list[tuple[Any, ...]] = []
            marks = ", ".join(["%s"] * 12)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            for row in rows():
                batch.append(row)
                if len(batch) == 50_000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch.clear()
            cursor.executemany(sql, batch)
            count += len(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    progress(f"{count} values stored in {time.perf_counter() - clock:.1f} s")
    return plan


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build_big_plan(values=args.values, seed=args.seed)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
