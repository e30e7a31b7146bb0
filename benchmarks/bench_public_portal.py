"""Benchmark: the public homes of the demo's national plan and of its country, in process.

    python benchmarks/bench_public_portal.py                     # a fresh demo in a temp home
    python benchmarks/bench_public_portal.py --home /tmp/demo    # reuse a home with the demo
    python benchmarks/bench_public_portal.py --requests 50

Loads the demo (unless the home has it), publishes a release of the national plan if it has
none, then requests each page through Django's test client (the whole middleware stack, no
server) a bounded number of times. Prints per page the median and 90th percentile and the ratio
of the median to /accounts/login/ (the sign-in form) measured in the same run (a trivial page through the same
stack). The concurrent figure of issue 13 §5 (200 readers through the real server) is not
measured here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PLAN = "demo-cod-nap3"
PAGES = [
    ("baseline: /accounts/login/", "/accounts/login/"),
    ("plan public home", f"/plans/{PLAN}/public/"),
    ("plan public home, another map indicator", f"/plans/{PLAN}/public/?indicator=PRO-01"),
    ("country home", "/countries/COD/"),
    ("map table as CSV", f"/plans/{PLAN}/public/?download=csv&table=map"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", help="a WPSMONITOR_HOME holding the demo (else a fresh one)")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    home = args.home or tempfile.mkdtemp(prefix="bench-public-")
    os.environ["WPSMONITOR_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wpsmonitor.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from wpsmonitor.accounts.models import PlanRole, Role
    from wpsmonitor.plans.models import Plan
    from wpsmonitor.publishing import selectors, services

    call_command("migrate", verbosity=0)
    if not Plan.objects.filter(code=PLAN).exists():
        call_command("load_demo", verbosity=0)
    plan = Plan.objects.get(code=PLAN)
    if selectors.published_release(plan) is None:
        role = PlanRole.objects.get(plan=plan, role=Role.COORDINATOR)
        release = services.release_prepare(by=role.user, plan=plan)
        services.release_publish(by=role.user, release=release, confirm=True)
    release = selectors.published_release(plan)
    print(
        f"release {release.number if release else '-'} of {PLAN}: "
        f"{release.figures if release else 0} figures, "
        f"{release.suppressed if release else 0} suppressed"
    )
    client = Client(HTTP_HOST="127.0.0.1")  # a host the settings allow
    baseline = None
    for name, url in PAGES:
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.requests):
            clock = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - clock)
        median = statistics.median(times) * 1000
        p90 = statistics.quantiles(times, n=10)[-1] * 1000
        baseline = baseline or median
        print(
            f"{name:45} median {median:7.1f} ms  p90 {p90:7.1f} ms  ratio {median / baseline:5.1f}x"
        )


if __name__ == "__main__":
    main()
