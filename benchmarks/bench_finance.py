"""Benchmark: the finance page and the finance summary API on a plan with ~5,000 budget lines
(and as many cost items), with the ratio to a baseline page measured in the same run.

    python benchmarks/bench_finance.py                  # embedded SQLite, own database
    python benchmarks/bench_finance.py --postgres       # PostgreSQL on 127.0.0.1 (own database)
    python benchmarks/bench_finance.py --lines 20000 --requests 20
    python benchmarks/bench_finance.py --server [--postgres]   # through gunicorn, over HTTP

By default in-process through Django's test client (the whole middleware stack, no network),
so the numbers compare the pages' own work; with --server through a real gunicorn (2 sync
workers) on 127.0.0.1, as users get them. The baseline is /accounts/login/, a trivial page
through the same stack. Data goes through finance.services like an import (three currencies, one
missing rate, so the not-converted path is measured too).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PG_DATABASE = "bench_wps_finance"


def timed(client: object, path: str, requests: int, **headers: str) -> float:
    """Median milliseconds of `requests` GETs, after three warm-up requests."""
    for _ in range(3):
        answer = client.get(path, headers=headers)  # type: ignore[attr-defined]
        if answer.status_code != 200:
            raise SystemExit(f"{path} answered {answer.status_code}")
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path, headers=headers)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description="finance page and API benchmark")
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--server", action="store_true", help="through gunicorn over HTTP")
    parser.add_argument("--home", default=str(Path(tempfile.gettempdir()) / "wps-bench-finance"))
    args = parser.parse_args()

    from bigplan import database_choose, setup_django

    database_choose(home=Path(args.home), postgres=args.postgres, reuse=False,
                    pg_database=PG_DATABASE)  # fmt: skip
    os.environ["WPSMONITOR_TASKS"] = "immediate"
    setup_django()
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from wpsmonitor.accounts.models import ApiToken
    from wpsmonitor.directory.models import Organisation, OrganisationType
    from wpsmonitor.directory.services import area_country_ensure
    from wpsmonitor.finance import services
    from wpsmonitor.indicators.services import reference_data_ensure
    from wpsmonitor.plans.services import node_create, plan_create

    call_command("migrate", verbosity=0)
    reference_data_ensure()
    admin, _ = get_user_model().objects.get_or_create(
        username="bench-finance", defaults={"is_superuser": True, "is_staff": True}
    )
    ministry, _ = Organisation.objects.get_or_create(
        code="bench-ministry", defaults={"name": "Ministry", "type": OrganisationType.GOVERNMENT}
    )
    donor, _ = Organisation.objects.get_or_create(
        code="bench-donor", defaults={"name": "Donor", "type": OrganisationType.DONOR}
    )
    plan = plan_create(code="bench-finance", title="Finance benchmark plan", kind="national",
                       area=area_country_ensure("COD"), start=date(2024, 1, 1),
                       end=date(2027, 12, 31), status="implementation")  # fmt: skip
    actions = []
    for p in range(1, 6):
        pillar = node_create(plan=plan, code=f"P{p}", title=f"Pillar {p}")
        for o in range(1, 5):
            outcome = node_create(plan=plan, parent=pillar, code=f"P{p}.{o}", title="Outcome")
            output = node_create(plan=plan, parent=outcome, code=f"P{p}.{o}.1", title="Output")
            for a in range(1, 6):
                actions.append(node_create(plan=plan, parent=output, code=f"P{p}.{o}.1.{a}",
                                           title="Action", responsible_organisation=ministry))  # fmt: skip
    services.plan_currency_set(by=admin, plan=plan, currency="CDF")
    rates = [(i, {"currency": "USD", "year": y, "rate": 2800 + i}) for i, y in
             enumerate(range(2024, 2028))]  # fmt: skip
    costs, lines = [], []
    for i in range(args.lines):
        action = actions[i % len(actions)].code
        year = 2024 + i % 4
        currency = ("CDF", "USD", "EUR")[i % 3] if i % 50 == 0 else ("CDF", "USD")[i % 2]
        costs.append((i, {"action": action, "year": year, "item": f"Item {i}",
                          "currency": currency, "unit_cost": 100 + i % 7, "quantity": 3}))  # fmt: skip
        lines.append((i, {"action": action, "year": year,
                          "funding_kind": "national_budget" if i % 3 else "donor",
                          "funder": ministry.code if i % 3 else donor.code, "currency": currency,
                          "allocated": 200 + i % 11, "committed": 150, "disbursed": 120,
                          "spent": 70 + i % 5, "earmarked": i % 4 == 0,
                          "gender_marker": ("not_screened", "0", "1", "2")[i % 4]}))  # fmt: skip
    started = time.perf_counter()
    services.finance_rows_apply(by=admin, plan=plan, rates=rates, costs=costs, lines=lines)
    loaded = time.perf_counter() - started
    _token, raw = ApiToken.issue(user=admin, name="bench")
    print(f"database: {connection.vendor}; {len(actions)} actions, {args.lines:,} budget lines "
          f"and {args.lines:,} costs stored through the services in {loaded:.1f} s")  # fmt: skip

    page_path, api_path = f"/plans/{plan.code}/finance/", f"/api/v1/plans/{plan.code}/finance"
    auth = {"Authorization": f"Bearer {raw}"}
    if args.server:
        from bench_pages import gunicorn, measure

        connection.close()
        with gunicorn() as (port, _server):
            baseline, page, api = [
                measure(port, path, args.requests, headers)["median"]
                for path, headers in (("/accounts/login/", {}), (page_path, {}), (api_path, auth))
            ]
        print(f"through gunicorn (2 workers) over HTTP, {args.requests} requests each")
    else:
        with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
            client = Client()
            baseline = timed(client, "/accounts/login/", args.requests)
            page = timed(client, page_path, args.requests)
            api = timed(client, api_path, args.requests, **auth)
        print(f"in-process (test client), {args.requests} requests each")
    print(f"{'url':<40} {'median ms':>10} {'x baseline':>11}")
    for name, value in (("/accounts/login/ (baseline)", baseline),
                        (f"/plans/{plan.code}/finance/", page),
                        (f"/api/v1/plans/{plan.code}/finance", api)):  # fmt: skip
        print(f"{name:<40} {value:>10.1f} {value / baseline:>11.1f}")


if __name__ == "__main__":
    main()
