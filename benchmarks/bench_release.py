"""Benchmark: build a release of the big plan, disclosure control included (issue 13, §5).

    python benchmarks/bench_release.py --values 200000            # embedded SQLite
    python benchmarks/bench_release.py                             # the 2,000,000-value plan
    python benchmarks/bench_release.py --postgres --values 2000000
    python benchmarks/bench_release.py --values 20000 --second 10   # then a second release
    python benchmarks/bench_release.py --values 200000 --profile /tmp/release.prof

With --second N, release 1 is marked published, N values of the sensitive indicators are
corrected (+1 each), the aggregates rebuilt, and release 2 prepared with release 1 as its
previous one (its suppression pattern carried forward): its time, kept and new suppressions,
problems, and its ratio to release 1's time.

The big plan's protection-like indicators are made sensitive as the demo's are
(bigplan.sensitive_like_demo: 7 of its 30 indicators, 5 of its 19 counts by sex x age x
disability); `--sensitive N` makes the first N counts sensitive instead (the mix measured
before). The others stay public. Prints the time of `release_prepare` (read the aggregates,
protect each sensitive indicator per stream, write every figure and the audit), the figures
and suppressions, the peak resident memory, and the ratio to a baseline measured in the same
run: one plain read of the same aggregate rows (the least a release must do).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PG_DATABASE = "bench_wps_release"


def main() -> None:
    parser = argparse.ArgumentParser(description="release build benchmark")
    parser.add_argument("--values", type=int, default=2_000_000)
    parser.add_argument(
        "--sensitive",
        type=int,
        default=None,
        help="make the first N counts sensitive (default: the demo's mix, sensitive_like_demo)",
    )
    parser.add_argument(
        "--profile", default=None, help="run the build under cProfile and write its stats here"
    )
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--second", type=int, default=0, help="then a release after N corrections")
    parser.add_argument("--reuse", action="store_true", help="keep the data of a previous run")
    parser.add_argument("--home", default=str(Path(tempfile.gettempdir()) / "wps-bench-release"))
    args = parser.parse_args()

    from bigplan import CODE, build_big_plan, database_choose, sensitive_like_demo, setup_django

    database_choose(
        home=Path(args.home), postgres=args.postgres, reuse=args.reuse, pg_database=PG_DATABASE
    )
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from wpsmonitor.core.vocabulary import PlanStatus, Sensitivity, SourceKind
    from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
    from wpsmonitor.indicators.models import AggregateValue, DataValue, Indicator, IndicatorKind
    from wpsmonitor.plans.models import Plan
    from wpsmonitor.publishing.models import Release
    from wpsmonitor.publishing.services import release_prepare

    call_command("migrate", verbosity=0)
    plan = Plan.objects.filter(code=CODE).first()
    if plan is None or not args.reuse:
        plan = build_big_plan(values=args.values)
        clock = time.perf_counter()
        rebuild_plan_aggregates(plan)
        print(f"aggregates rebuilt in {time.perf_counter() - clock:.1f} s")
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.IMPLEMENTATION)
    plan.refresh_from_db()
    if args.sensitive is None:
        chosen = [i.pk for i in sensitive_like_demo(plan)]
    else:
        counts = list(
            Indicator.objects.filter(plan=plan, kind=IndicatorKind.NUMBER)
            .exclude(scheme__code="")
            .order_by("order", "code")
        )
        chosen = [i.pk for i in counts if i.scheme.cells.count() > 1][: args.sensitive]
        Indicator.objects.filter(plan=plan).update(sensitivity=Sensitivity.PUBLIC)
        Indicator.objects.filter(pk__in=chosen).update(sensitivity=Sensitivity.SENSITIVE)
    sensitive_values = DataValue.objects.filter(indicator_id__in=chosen).count()
    Release.objects.filter(plan=plan).delete()
    admin = get_user_model().objects.filter(username="bench-admin").first()
    if admin is None:
        admin = get_user_model().objects.create_superuser("bench-admin", "b@example.org", "x")
    values = DataValue.objects.filter(indicator__plan=plan).count()
    rows = AggregateValue.objects.filter(
        plan=plan, source__kind__in=[SourceKind.GOVERNMENT, SourceKind.CIVIL_SOCIETY]
    )
    print(
        f"database: {connection.vendor}; values: {values:,}; sensitive indicators: {len(chosen)} "
        f"({sensitive_values:,} values)"
    )

    # Baseline: the best of three plain reads of the same aggregate rows.
    passes = []
    for _ in range(3):
        clock = time.perf_counter()
        n = 0
        for _row in rows.values_list(
            "indicator_id",
            "area_id",
            "period_code",
            "cell_key",
            "value",
            "numerator",
            "denominator",
        ).iterator(chunk_size=2000):
            n += 1
        passes.append(time.perf_counter() - clock)
    baseline = min(passes)
    print(f"baseline: read {n:,} aggregate rows in {baseline:.2f} s")

    usage = resource.getrusage(resource.RUSAGE_SELF)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    clock = time.perf_counter()
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        release = profiler.runcall(release_prepare, by=admin, plan=plan)
        elapsed = time.perf_counter() - clock
        profiler.dump_stats(args.profile)
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
    else:
        release = release_prepare(by=admin, plan=plan)
        elapsed = time.perf_counter() - clock
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    problems = release.audit.filter(problem=True).count()
    print(
        f"release {release.number}: {release.figures:,} figures, {release.suppressed:,} "
        f"suppressed, {problems} problems, in {elapsed:.1f} s ({cpu:.1f} s of CPU: the "
        f"machine is shared) "
        f"({elapsed / baseline:.0f}x the plain read); peak memory {peak / 1024:.0f} MB "
        f"(before: {before / 1024:.0f} MB)"
    )
    if not args.second:
        return
    import random

    from django.db.models import F
    from django.utils import timezone

    Release.objects.filter(pk=release.pk).update(status="published", published_at=timezone.now())
    ids = list(
        DataValue.objects.filter(indicator_id__in=chosen, value__isnull=False).values_list(
            "pk", flat=True
        )
    )
    picked = random.Random(13).sample(ids, min(args.second, len(ids)))
    DataValue.objects.filter(pk__in=picked).update(value=F("value") + 1)
    clock = time.perf_counter()
    rebuild_plan_aggregates(plan)
    print(
        f"{len(picked)} values corrected; aggregates rebuilt in {time.perf_counter() - clock:.1f} s"
    )
    clock = time.perf_counter()
    again = release_prepare(by=admin, plan=plan)
    seconds = time.perf_counter() - clock
    audit = again.audit
    print(
        f"release {again.number}: {again.figures:,} figures, {again.suppressed:,} suppressed "
        f"({audit.filter(rule='kept').count():,} kept as in release {release.number}, "
        f"{audit.filter(rule='complement').count():,} complements), "
        f"{audit.filter(problem=True).count()} problems; {again.changed:,} figures changed, "
        f"{again.newly_suppressed:,} newly suppressed; in {seconds:.1f} s "
        f"({seconds / elapsed:.2f}x release {release.number})"
    )


if __name__ == "__main__":
    main()
