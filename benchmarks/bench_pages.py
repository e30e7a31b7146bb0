"""Benchmark: the plan overview page and the plan progress API with ~2,000,000 values loaded
(target: each <= 150 ms median), through a real gunicorn server on 127.0.0.1.

    python benchmarks/bench_pages.py                    # embedded SQLite, builds the big plan
    python benchmarks/bench_pages.py --reuse            # keep the data of a previous run
    python benchmarks/bench_pages.py --postgres         # PostgreSQL on 127.0.0.1 (own database)
    python benchmarks/bench_pages.py --values 200000 --requests 20

Builds the big plan (benchmarks/bigplan.py), rebuilds its aggregates, starts gunicorn (2 sync
workers, like `wpsmonitor serve`), then requests each URL sequentially a bounded number of
times. Prints per URL the median and 90th percentile wall time, the body size as sent with
gzip and without, and the ratio of the median to a baseline measured in the same run:
/admin/login/, a trivial page through the same middleware stack and server (a small static
file is printed too). gunicorn is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PG_DATABASE = "bench_wps_pages"
BUDGET_MS = 150.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(port: int, path: str, headers: dict[str, str]) -> tuple[float, int, int]:
    """(seconds, status, body bytes as sent) for one request on a fresh connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    clock = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - clock
    conn.close()
    return elapsed, response.status, len(body)


def measure(port: int, path: str, requests: int, headers: dict[str, str]) -> dict[str, float]:
    for _ in range(3):  # warm the workers (imports, template and translation caches)
        fetch(port, path, headers)
    times = []
    for _ in range(requests):
        seconds, status, _size = fetch(port, path, headers)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        times.append(seconds * 1000)
    _s, _st, gzip_size = fetch(port, path, {**headers, "Accept-Encoding": "gzip"})
    _s, _st, raw_size = fetch(port, path, headers)
    times.sort()
    return {
        "median": statistics.median(times),
        "p90": times[int(0.9 * (len(times) - 1))],
        "gzip": gzip_size,
        "raw": raw_size,
    }


def wait_ready(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited early")
        try:
            fetch(port, "/admin/login/", {})
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started in a session of its own, with its children."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=25)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def gunicorn(*options: str, workers: int = 2) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A real gunicorn on 127.0.0.1 serving the configured database, with these extra
    options; yields its port and process and stops it at the end, whatever happens. The
    caller closes its own database connection first."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *options,
            "--log-level",
            "warning",
            "wpsmonitor.wsgi:application",
        ],
        env=os.environ.copy(),
        start_new_session=True,
    )
    try:
        wait_ready(port, server)
        yield port, server
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description="page and API latency benchmark")
    parser.add_argument("--values", type=int, default=2_000_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per URL")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the data of a previous run")
    parser.add_argument("--home", default=str(Path(tempfile.gettempdir()) / "wps-bench-pages"))
    args = parser.parse_args()

    from bigplan import CODE, big_plan_for_pages, database_choose, setup_django

    home = Path(args.home)
    database_choose(home=home, postgres=args.postgres, reuse=args.reuse, pg_database=PG_DATABASE)
    os.environ["WPSMONITOR_TASKS"] = "immediate"

    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from wpsmonitor.accounts.services import token_issue
    from wpsmonitor.indicators.models import DataValue, Indicator

    plan = big_plan_for_pages(values=args.values, reuse=args.reuse)
    values = DataValue.objects.filter(indicator__plan=plan).count()
    nodes = plan.nodes.count()
    indicators = Indicator.objects.filter(plan=plan).count()
    indicator = Indicator.objects.filter(plan=plan, kind="number").order_by("order", "code").first()
    user, _created = get_user_model().objects.get_or_create(username="bench-pages")
    _token, raw_token = token_issue(user=user, name=f"bench {time.time():.0f}")
    print(
        f"database: {connection.vendor}; plan {CODE}: {values:,} values, {nodes} framework "
        f"nodes, {indicators} indicators"
    )
    connection.close()

    with gunicorn() as (port, _server):
        auth = {"Authorization": f"Bearer {raw_token}"}
        targets = [
            ("baseline: /admin/login/", "/admin/login/", {}),
            ("static file portal.css", "/static/portal/portal.css", {}),
            ("home page", "/", {}),
            ("plan overview page", f"/plans/{CODE}/", {}),
            ("plan overview, one year, a province", f"/plans/{CODE}/?period=2024&area=BIG-P01", {}),
            ("plan progress API", f"/api/v1/plans/{CODE}/progress", auth),
            ("indicator page", f"/plans/{CODE}/indicators/{indicator.code}/", {}),
        ]
        results = {
            label: measure(port, path, args.requests, headers) for label, path, headers in targets
        }

    baseline = results["baseline: /admin/login/"]["median"]
    print(f"\n{args.requests} sequential requests per URL, gunicorn 2 workers, {connection.vendor}")
    print(
        f"{'URL':40} {'median ms':>10} {'p90 ms':>8} {'x baseline':>10} {'gzip B':>8} {'raw B':>8}"
    )
    for label, figures in results.items():
        print(
            f"{label:40} {figures['median']:10.1f} {figures['p90']:8.1f} "
            f"{figures['median'] / baseline:10.2f} {figures['gzip']:8,} {figures['raw']:8,}"
        )
    for label in ("plan overview page", "plan progress API"):
        median = results[label]["median"]
        verdict = "OK" if median <= BUDGET_MS else "OVER"
        print(
            f"RESULT {connection.vendor} {label}: median {median:.1f} ms with {values:,} values "
            f"(budget {BUDGET_MS:.0f} ms, {verdict}); {median / baseline:.1f}x the /admin/login/ "
            f"baseline ({baseline:.1f} ms); {results[label]['gzip']:,} bytes gzipped"
        )


if __name__ == "__main__":
    main()
