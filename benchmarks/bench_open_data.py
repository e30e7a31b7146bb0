"""Benchmark: the open-data files of a release of the big plan (issue 13 §4, docs/publishing.md
"Open data").

    python benchmarks/bench_open_data.py --values 20000
    python benchmarks/bench_open_data.py --values 20000 --reuse   # the release of a past run

Builds the big plan, prepares and publishes a release (6 counts made sensitive, as in
bench_release.py), then writes each format of its open data as the endpoints do and prints,
for each, the time, the size, the Python memory peak while writing (tracemalloc: what the
writing holds at once, which must not grow with the release) and the ratio of the time to a
baseline measured in the same run: one plain read of the release's figures (the least any
format must do).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PG_DATABASE = "bench_wps_open_data"


def main() -> None:
    parser = argparse.ArgumentParser(description="open-data files benchmark")
    parser.add_argument("--values", type=int, default=20_000)
    parser.add_argument("--sensitive", type=int, default=6)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the data and release")
    parser.add_argument("--home", default=str(Path(tempfile.gettempdir()) / "wps-bench-open-data"))
    args = parser.parse_args()

    from bigplan import CODE, build_big_plan, database_choose, setup_django

    database_choose(
        home=Path(args.home), postgres=args.postgres, reuse=args.reuse, pg_database=PG_DATABASE
    )
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from wpsmonitor.core.vocabulary import PlanStatus, Sensitivity
    from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
    from wpsmonitor.indicators.models import Indicator, IndicatorKind, Source
    from wpsmonitor.plans.models import Plan
    from wpsmonitor.publishing import opendata, sdmx, selectors
    from wpsmonitor.publishing.models import Release, ReleaseStatus
    from wpsmonitor.publishing.services import release_prepare, release_publish

    call_command("migrate", verbosity=0)
    plan = Plan.objects.filter(code=CODE).first()
    release = (
        Release.objects.filter(plan=plan, status=ReleaseStatus.PUBLISHED).first()
        if plan is not None and args.reuse
        else None
    )
    if release is None:
        plan = plan if plan is not None and args.reuse else build_big_plan(values=args.values)
        rebuild_plan_aggregates(plan)
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.IMPLEMENTATION)
        plan.refresh_from_db()
        counts = [
            i
            for i in Indicator.objects.filter(plan=plan, kind=IndicatorKind.NUMBER)
            .exclude(scheme__code="")
            .order_by("order", "code")
            if i.scheme.cells.count() > 1
        ]
        chosen = [i.pk for i in counts[: args.sensitive]]
        Indicator.objects.filter(plan=plan).update(sensitivity=Sensitivity.PUBLIC)
        Indicator.objects.filter(pk__in=chosen).update(sensitivity=Sensitivity.SENSITIVE)
        # One count mapped to an SDG series, so that the SDMX file has rows.
        from wpsmonitor.indicators.models import GlobalIndicator

        counts[0].references.add(
            GlobalIndicator.objects.get(vocabulary="sdg-series", code="VC_DTH_TOCVN")
        )
        Release.objects.filter(plan=plan).delete()
        admin = get_user_model().objects.filter(username="bench-admin").first()
        if admin is None:
            admin = get_user_model().objects.create_superuser("bench-admin", "b@example.org", "x")
        clock = time.perf_counter()
        draft = release_prepare(by=admin, plan=plan)
        print(f"release prepared in {time.perf_counter() - clock:.1f} s")
        for entry in draft.audit.filter(problem=True):
            from wpsmonitor.publishing.services import audit_resolve

            audit_resolve(by=admin, entry=entry, note="benchmark")
        release = release_publish(by=admin, release=draft, confirm=True)
    assert release is not None
    print(
        f"database: {connection.vendor}; release {release.number}: {release.figures:,} figures, "
        f"{release.suppressed:,} withheld; sources: {Source.objects.count()}"
    )

    passes = []
    for _ in range(3):
        clock = time.perf_counter()
        n = 0
        for _row in (
            selectors.release_figures(release)
            .values_list("indicator_id", "area_id", "period_code", "cell_key", "value", "flag")
            .iterator(chunk_size=opendata.CHUNK)
        ):
            n += 1
        passes.append(time.perf_counter() - clock)
    baseline = min(passes)
    print(f"baseline: read {n:,} release figures in {baseline:.2f} s")

    def stream(pieces: Callable[[], object]) -> Callable[[], int]:
        def run() -> int:
            return sum(len(p) for p in pieces())  # type: ignore[attr-defined]

        return run

    def built(write: Callable[..., None]) -> Callable[[], int]:
        def run() -> int:
            out = opendata.spooled()
            write(release, out)
            size = out.tell()
            out.close()
            return size

        return run

    formats = {
        "csv": stream(lambda: opendata.tidy_csv(release)),
        "sdmx": stream(lambda: sdmx.sdmx_csv(release)),
        "xlsx": built(opendata.tidy_xlsx),
        "datapackage": built(opendata.datapackage_zip),
    }
    print("| format | time | × read | size | Python memory peak |")
    print("|---|---|---|---|---|")
    for fmt, run in formats.items():
        clock = time.perf_counter()
        size = run()
        elapsed = time.perf_counter() - clock
        tracemalloc.start()  # a second pass: tracing slows the writing down
        run()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"| {fmt} | {elapsed:.1f} s | {elapsed / baseline:.0f}× | {size / 1e6:.1f} MB | "
            f"{peak / 1e6:.1f} MB |"
        )


if __name__ == "__main__":
    main()
