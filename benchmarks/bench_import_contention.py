"""Benchmark: other users' writes while a big plan workbook is imported (issue 12 §4).

    python benchmarks/bench_import_contention.py [--values 30000] [--writers 6] [--seconds 20]

1. A fresh data home (embedded SQLite), migrated; the benchmark plan of bench_import.py (25
   indicators x 16 cells x 20 quarters x 63 areas) with --values values, exported as a plan
   workbook (the big import); a small plan for the writers; an API token.
2. `wpsmonitor serve` (2 gthread workers x 4 threads, its supervised task worker).
3. Baseline, same run: --writers threads post one new value each through the API
   (`POST /api/v1/plans/w/values`, bearer token) for --seconds: p50, p95, max, errors.
4. The same writers while `wpsmonitor import plan.xlsx` (the same importer as the workbook
   page: the workbook is parsed before the write transaction) runs, from its start to its end.
5. Every write answered 2xx is looked up in the database afterwards (lost writes), and the task
   worker's status file says whether it had to be restarted.

`RESULT ...` lines close the output: the ratio of the writers' p95 during the import to their
p95 without one, the errors, the lost writes, the task worker's restarts.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import plan_file, write_csv  # noqa: E402

WRITER_PLAN = "w"
WRITER_AREAS = ["KEN"] + [f"KEN-D{i:02d}" for i in range(1, 63)]
WRITER_QUARTERS = [f"{y}Q{q}" for y in range(2021, 2026) for q in range(1, 5)]


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "wpsmonitor.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    return done.stdout


def writer_plan(path: Path) -> None:
    path.write_text(
        json.dumps(
            {
                "format": "wpsmonitor-plan",
                "version": 1,
                "plan": {
                    "code": WRITER_PLAN,
                    "title": "Writers' plan",
                    "kind": "national",
                    "area": "KEN",
                    "start": "2021-01-01",
                    "end": "2025-12-31",
                },
                "framework": [{"code": "P1", "level": "pillar", "title": "Participation"}],
                "indicators": [
                    {
                        "code": f"W{i}",
                        "node": "P1",
                        "title": f"Writers' indicator {i}",
                        "kind": "number",
                        "time_rule": "sum",
                        "frequency": "quarter",
                    }
                    for i in range(1, 9)
                ],
            }
        )
    )


class Writers:
    """Threads posting one new value each; latencies, errors and acknowledged keys."""

    def __init__(self, port: int, token: str, count: int) -> None:
        self.port, self.token = port, token
        self.keys = iter(
            enumerate(product([f"W{i}" for i in range(1, 9)], WRITER_QUARTERS, WRITER_AREAS))
        )
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.acknowledged: list[tuple[str, str, str, float]] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.write, daemon=True) for _ in range(count)]

    def write(self) -> None:
        while not self.stop.is_set():
            with self.lock:
                number, (indicator, period, area) = next(self.keys)
            row = {"indicator": indicator, "period": period, "area": area, "value": number}
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}/api/v1/plans/{WRITER_PLAN}/values",
                data=json.dumps([row]).encode(),
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
                method="POST",
            )
            started = time.perf_counter()
            error = None
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
            except urllib.error.HTTPError as exc:
                error = f"HTTP {exc.code}"
            except OSError as exc:
                error = type(exc).__name__
            took = time.perf_counter() - started
            with self.lock:
                self.latencies.append(took)
                if error:
                    self.errors[error] = self.errors.get(error, 0) + 1
                else:
                    self.acknowledged.append((indicator, period, area, float(number)))
            time.sleep(0.05)  # a user's pause: the writers do not saturate the server alone

    def run_while(self, until: threading.Event | float) -> Writers:
        for thread in self.threads:
            thread.start()
        if isinstance(until, threading.Event):
            until.wait()
        else:
            time.sleep(until)
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)
        return self

    def figures(self) -> dict[str, float]:
        ordered = sorted(self.latencies)
        return {
            "requests": len(ordered),
            "p50": statistics.median(ordered) * 1000,
            "p95": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
            "max": ordered[-1] * 1000,
            "errors": sum(self.errors.values()),
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_up(port: int) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/schema", timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=30_000)
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="wps-contention-"))
    env = {**os.environ, "WPSMONITOR_HOME": str(home), "WPSMONITOR_TASKS": "database"}
    env.pop("DATABASE_URL", None)
    src = str(Path(__file__).resolve().parent.parent / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    clock = time.perf_counter()
    cli(env, "manage", "migrate", "--verbosity", "0")
    plan_file(home / "plan.json")
    writer_plan(home / "writers.json")
    cli(env, "import", str(home / "plan.json"), str(home / "writers.json"), "--no-rebuild")
    write_csv(home / "values.csv", args.values)
    cli(env, "import", str(home / "values.csv"), "--no-rebuild")
    cli(env, "export", "bench", "--format", "xlsx", "-o", str(home / "big.xlsx"))
    cli(
        env,
        "manage",
        "shell",
        "-c",
        "from django.contrib.auth.models import User;"
        "User.objects.create_superuser('admin', 'a@example.org', 'x-Unused-1')",
    )
    token = cli(env, "manage", "create_token", "admin", "bench").strip()
    print(f"set up in {time.perf_counter() - clock:.0f} s: {args.values:,} values in big.xlsx")

    port = free_port()
    log = (home / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "wpsmonitor.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_up(port)
        Writers(port, token, args.writers).run_while(3.0)  # warm-up: workers loaded
        baseline = Writers(port, token, args.writers).run_while(args.seconds)
        done = threading.Event()
        took: dict[str, float] = {}

        def big_import() -> None:
            started = time.perf_counter()
            try:
                cli(env, "import", str(home / "big.xlsx"), "--no-rebuild")
            finally:
                took["import"] = time.perf_counter() - started
                done.set()

        threading.Thread(target=big_import, daemon=True).start()
        during = Writers(port, token, args.writers).run_while(done)
        try:
            status = json.loads((home / "task-worker.json").read_text())
        except OSError:  # a server without the supervisor
            status = {"restarts": "unknown"}
    finally:
        server.terminate()
        server.wait(timeout=60)

    with sqlite3.connect(home / "wpsmonitor.sqlite3") as db:
        stored = set(
            db.execute(
                "SELECT i.code, p.code, a.code, v.value FROM indicators_datavalue v"
                " JOIN indicators_indicator i ON i.id = v.indicator_id"
                " JOIN indicators_period p ON p.id = v.period_id"
                " JOIN directory_area a ON a.id = v.area_id"
                " WHERE i.code LIKE 'W%'"
            ).fetchall()
        )
    lost = [w for w in baseline.acknowledged + during.acknowledged if w not in stored]
    base, load = baseline.figures(), during.figures()
    for name, figures, writers in (("baseline", base, baseline), ("during import", load, during)):
        print(
            f"{name:>14}: {figures['requests']:.0f} writes, p50 {figures['p50']:.0f} ms,"
            f" p95 {figures['p95']:.0f} ms, max {figures['max']:.0f} ms, errors {writers.errors}"
        )
    print(f"the import took {took.get('import', 0):.1f} s")
    print(f"RESULT writer_p95_ratio_during_import={load['p95'] / base['p95']:.2f}")
    print(f"RESULT writer_p95_ms baseline={base['p95']:.0f} during_import={load['p95']:.0f}")
    print(f"RESULT writer_max_ms during_import={load['max']:.0f}")
    print(f"RESULT errors baseline={base['errors']:.0f} during_import={load['errors']:.0f}")
    print(f"RESULT lost_writes={len(lost)}")
    print(f"RESULT task_worker_restarts={status.get('restarts', 0)}")


if __name__ == "__main__":
    main()
