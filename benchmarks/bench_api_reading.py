"""Benchmark: the API's figure endpoints read from a release (everyone but the plan's members)
against the same endpoints read from the detail (its members), issue 13 §2.

    python benchmarks/bench_api_reading.py --values 20000
    python benchmarks/bench_api_reading.py --values 20000 --reuse     # the plan and release kept

Builds the big plan with `--values` values, makes `--sensitive` of its counts sensitive,
prepares and publishes a release, then times each endpoint in-process (test client),
`--requests` times, as an administrator (the detail) and as a signed-in user without a role
(the release), and prints the medians and their ratio; the baseline is `GET /api/v1/plans/{plan}`
(a plain read of one row) measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

PG_DATABASE = "bench_wps_api_reading"


def timed(client: Any, path: str, requests: int, headers: dict[str, str]) -> float:
    """The median time of `requests` GETs, in ms (one warm-up first)."""
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    times = []
    for _ in range(requests):
        clock = time.perf_counter()
        client.get(path, headers=headers)
        times.append((time.perf_counter() - clock) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description="API reading from a release vs the detail")
    parser.add_argument("--values", type=int, default=20_000)
    parser.add_argument("--sensitive", type=int, default=6)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the data of a previous run")
    parser.add_argument(
        "--home", default=str(Path(tempfile.gettempdir()) / "wps-bench-api-reading")
    )
    args = parser.parse_args()

    from bigplan import CODE, build_big_plan, database_choose, setup_django

    database_choose(
        home=Path(args.home), postgres=args.postgres, reuse=args.reuse, pg_database=PG_DATABASE
    )
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    from wpsmonitor.accounts.models import ApiToken
    from wpsmonitor.core.vocabulary import PlanStatus, Sensitivity
    from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
    from wpsmonitor.indicators.models import Indicator, IndicatorKind
    from wpsmonitor.plans.models import Plan
    from wpsmonitor.publishing.models import Release, ReleaseStatus
    from wpsmonitor.publishing.services import release_prepare, release_publish

    call_command("migrate", verbosity=0)
    plan = Plan.objects.filter(code=CODE).first()
    if plan is None or not args.reuse:
        plan = build_big_plan(values=args.values)
        rebuild_plan_aggregates(plan)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.IMPLEMENTATION)
    plan.refresh_from_db()
    users = get_user_model().objects
    admin = users.filter(username="bench-admin").first() or users.create_superuser(
        "bench-admin", "b@example.org", "x"
    )
    outsider = users.filter(username="bench-outsider").first() or users.create_user(
        "bench-outsider"
    )
    counts = list(
        Indicator.objects.filter(plan=plan, kind=IndicatorKind.NUMBER)
        .exclude(scheme__code="")
        .order_by("order", "code")
    )
    chosen = [i for i in counts if i.scheme.cells.count() > 1][: args.sensitive]
    release = Release.objects.filter(plan=plan, status=ReleaseStatus.PUBLISHED).first()
    if release is None:
        Indicator.objects.filter(pk__in=[i.pk for i in chosen]).update(
            sensitivity=Sensitivity.SENSITIVE
        )
        clock = time.perf_counter()
        draft = release_prepare(by=admin, plan=plan)
        for entry in draft.audit.filter(problem=True):
            from wpsmonitor.publishing.services import audit_resolve

            audit_resolve(by=admin, entry=entry, note="benchmark")
        release = release_publish(by=admin, release=draft, confirm=True)
        print(
            f"release {release.number} prepared and published in {time.perf_counter() - clock:.1f} s"
        )
    print(
        f"database: {connection.vendor}; plan {CODE}; release {release.number}: "
        f"{release.figures:,} figures, {release.suppressed:,} suppressed"
    )
    indicator = chosen[0].code
    area = plan.area.children.order_by("code").first()
    _t, member_token = ApiToken.issue(user=admin, name="bench")
    _t, outsider_token = ApiToken.issue(user=outsider, name="bench")
    base = f"/api/v1/plans/{CODE}"
    targets = [
        ("plan (baseline)", base),
        ("progress", f"{base}/progress"),
        ("progress, one year", f"{base}/progress?period=2024"),
        ("aggregates", f"{base}/indicators/{indicator}/aggregates?period=2024"),
        (
            "aggregates, a province",
            f"{base}/indicators/{indicator}/aggregates?period=2024&area={area.code if area else ''}",
        ),
        ("divergence", f"{base}/divergence"),
        ("scorecard", f"{base}/scorecard?items=false"),
    ]
    with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
        client = Client()
        results = []
        for label, path in targets:
            detail = timed(client, path, args.requests, {"Authorization": f"Bearer {member_token}"})
            published = timed(
                client, path, args.requests, {"Authorization": f"Bearer {outsider_token}"}
            )
            results.append((label, detail, published))
    baseline = results[0][1]
    print(f"\nin-process (test client), median of {args.requests} requests each")
    print(f"{'endpoint':<26} {'detail ms':>10} {'release ms':>11} {'release/detail':>15} "
          f"{'release x baseline':>19}")  # fmt: skip
    for label, detail, published in results:
        print(f"{label:<26} {detail:>10.1f} {published:>11.1f} {published / detail:>15.2f} "
              f"{published / baseline:>19.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
