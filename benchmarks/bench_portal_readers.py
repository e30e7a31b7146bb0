"""Benchmark: 200 concurrent anonymous readers of the public portal (issue 13 §5: p95 <= 300 ms
on this 2-core machine, on the 2,000,000-value plan, through `wpsmonitor serve`).

    python benchmarks/bench_portal_readers.py                    # the 2,000,000-value plan
    python benchmarks/bench_portal_readers.py --reuse            # keep the data of a previous run
    python benchmarks/bench_portal_readers.py --quick            # smoke test: small plan, 30 s
    python benchmarks/bench_portal_readers.py --no-cache         # the same without the cache
    python benchmarks/bench_portal_readers.py --postgres
    python benchmarks/bench_portal_readers.py --reuse --cold --warm   # an empty cache, warmed
    python benchmarks/bench_portal_readers.py --reuse --publish [--warm]  # after a publication

1. The big plan (benchmarks/bigplan.py) in a data home of its own, its aggregates rebuilt.
2. `wpsmonitor serve` as an operator runs it (gunicorn, 2 gthread workers x 4 threads, the
   default file cache in the data home), without its task worker (nothing is queued).
3. locust, headless (benchmarks/locustfile_portal.py): --users readers, not signed in, each
   reading a page then pausing --think seconds. The pages are those an anonymous visitor
   reads: the site home, the plan page (as it is, per year, per province), the plan's areas,
   the indicator pages (each indicator, per year, per province), the area pages (country,
   provinces, districts) and downloads (CSV of each indicator's series, of the plan's
   progress): 1,200 pages with the 2,000,000-value plan, drawn with a Zipf law (the k-th most
   read page with a probability proportional to 1/k^s, --zipf) as readers do: a few pages read
   by nearly everyone, a long tail read by few. One request in --trivial-every is the trivial
   page, /favicon.ico (a redirect through the same server and middleware): the baseline,
   measured in the same run under the same load.
4. The first --warmup seconds are the cache filling (as after a release is published): their
   figures are printed apart; the measured window is what follows, --duration seconds.
   With --cold --warm, the readers start at the moment a release is published: the cache is
   emptied and the task that warms it after a publication (portal/warming.py) runs, in a
   process of its own as the task worker would, at the readers' address, while they arrive.
   With --publish, every page is read once, then a release is published (the public pages'
   generation bumped as `release_publish` bumps it): the readers start on the new generation,
   the previous one's pages standing in while each new page is drawn by its first reader.

Prints p50/p95/p99, requests per second, errors, the share of pages the cache answered, the
figures per kind of page, the ratio of the portal's p95 to the trivial page's p95, and the CPU
seconds used by the server, locust and the rest of the (shared) machine. `RESULT` lines close
the output. The server and locust are stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_pages import free_port, stop  # noqa: E402
from bench_reporting import machine_busy, percentile, tree_cpu  # noqa: E402

PG_DATABASE = "bench_wps_portal"
GOAL_MS = 300.0


def page_pool(plan: Any) -> list[tuple[str, str]]:
    """(kind, path) of the pages anonymous readers read, from the most read to the least."""
    from wpsmonitor.directory.models import Area
    from wpsmonitor.indicators.models import Indicator

    code = plan.code
    rng = random.Random(7)
    indicators = list(
        Indicator.objects.filter(plan=plan).order_by("order", "code").values_list("code", flat=True)
    )
    root = plan.area
    provinces = list(
        Area.objects.filter(parent=root).order_by("code").values_list("code", flat=True)
    )
    districts = list(
        Area.objects.filter(parent__parent=root).order_by("code").values_list("code", flat=True)
    )
    years = [str(y) for y in range(plan.start.year, plan.end.year + 1)]
    hot: list[tuple[str, str]] = [
        ("home", "/"),
        ("plan", f"/plans/{code}/"),
        ("areas", f"/plans/{code}/areas/"),
        ("area", f"/areas/{root.code}/"),
    ]
    hot += [("indicator", f"/plans/{code}/indicators/{i}/") for i in indicators]
    warm: list[tuple[str, str]] = [("plan", f"/plans/{code}/?period={y}") for y in years]
    warm += [("plan", f"/plans/{code}/?area={p}") for p in provinces]
    warm += [("area", f"/areas/{p}/") for p in provinces]
    warm += [
        ("download", f"/plans/{code}/indicators/{i}/?download=csv&table=series") for i in indicators
    ]
    warm.append(("download", f"/plans/{code}/?download=csv&table=indicators"))
    tail: list[tuple[str, str]] = [
        ("indicator", f"/plans/{code}/indicators/{i}/?period={y}")
        for i in indicators
        for y in years
    ]
    tail += [
        ("indicator", f"/plans/{code}/indicators/{i}/?area={p}")
        for i in indicators
        for p in provinces
    ]
    tail += [("area", f"/areas/{d}/") for d in districts]
    for group in (hot[4:], warm, tail):
        rng.shuffle(group)
    return hot + warm + tail


def wait_up(port: int, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/schema", timeout=5).close()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not answer")


def check_pages(port: int, pages: list[tuple[str, str]]) -> None:
    """Every page of the pool answers 200 (a wrong link would measure 404s)."""
    for _kind, path in pages[:8] + pages[-3:]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as response:
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")


def prewarm(port: int, pages: list[tuple[str, str]], threads: int = 2) -> float:
    """Read every page of the pool once (as readers do in the days after a publication);
    returns the seconds it took."""
    from concurrent.futures import ThreadPoolExecutor

    def read(page: tuple[str, str]) -> None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{page[1]}", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()

    clock = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(read, pages))
    return time.perf_counter() - clock


def run_load(port: int, server_pid: int, home: Path, config: dict[str, Any], args: Any) -> Any:
    config_path, samples_path = home / "portal-load.json", home / "portal-samples.json"
    samples_path.unlink(missing_ok=True)
    config_path.write_text(json.dumps({**config, "samples": str(samples_path)}))
    seconds = args.warmup + args.duration
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(HERE / "locustfile_portal.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{seconds:.0f}s",
        "--stop-timeout",
        "10",
        "--host",
        f"http://127.0.0.1:{port}",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    server_before, busy_before = tree_cpu(server_pid), machine_busy()
    log = home / "portal-locust.log"
    with log.open("wb") as out:
        load = subprocess.Popen(
            command,
            env={**os.environ, "WPS_BENCH_LOAD": str(config_path)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        client_before = tree_cpu(load.pid)
        client_cpu = 0.0
        try:
            deadline = time.monotonic() + seconds + 90
            while load.poll() is None and time.monotonic() < deadline:
                client_cpu = max(client_cpu, tree_cpu(load.pid) - client_before)
                time.sleep(1)
            if load.poll() is None:
                print("locust overran its time: stopped")
        finally:
            stop(load)
    server_cpu, busy = tree_cpu(server_pid) - server_before, machine_busy() - busy_before
    if not samples_path.exists():
        print(log.read_text()[-3000:])
        raise SystemExit("locust recorded no samples")
    samples = json.loads(samples_path.read_text())["requests"]
    return samples, {"server": server_cpu, "client": client_cpu, "machine": busy}


def summarise(samples: list[Any]) -> dict[str, Any]:
    pages = sorted(ms for _t, name, ms, _ok, _w, _c in samples if name != "trivial")
    trivial = sorted(ms for _t, name, ms, _ok, _w, _c in samples if name == "trivial")
    errors: dict[str, int] = {}
    for _t, name, _ms, ok, what, _c in samples:
        if not ok:
            errors[f"{name}: {what}"] = errors.get(f"{name}: {what}", 0) + 1
    served = [c for _t, name, _ms, ok, _w, c in samples if name != "trivial" and ok]
    by_kind: dict[str, list[float]] = {}
    for _t, name, ms, _ok, _w, _c in samples:
        by_kind.setdefault(name, []).append(ms)
    return {
        "requests": len(samples),
        "pages": pages,
        "trivial": trivial,
        "errors": errors,
        "hits": sum(1 for c in served if c in ("hit", "stale")) / max(1, len(served)),
        "stale": sum(1 for c in served if c == "stale") / max(1, len(served)),
        "by_kind": {k: sorted(v) for k, v in sorted(by_kind.items())},
    }


def line(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:>22}: no request"
    return (
        f"{label:>22}: {len(values):6,} requests, p50 {percentile(values, 0.5):7.1f} ms, "
        f"p95 {percentile(values, 0.95):7.1f} ms, p99 {percentile(values, 0.99):7.1f} ms, "
        f"max {values[-1]:7.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--values", type=int, default=None, help="default 2,000,000 (quick: 20,000)"
    )
    parser.add_argument("--users", type=int, default=None, help="readers (default 200; quick: 50)")
    parser.add_argument("--spawn-rate", type=float, default=20.0, help="readers started per second")
    parser.add_argument("--duration", type=float, default=None, help="measured seconds (120)")
    parser.add_argument("--warmup", type=float, default=None, help="seconds before (60)")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=[1.0, 5.0],
        metavar=("MIN", "MAX"),
        help="seconds a reader pauses between pages (default 1 5)",
    )
    parser.add_argument("--zipf", type=float, default=1.0, help="exponent s of the page law")
    parser.add_argument("--trivial-every", type=int, default=10, help="1 request in N is trivial")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (serve's default)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (serve's)")
    parser.add_argument("--no-cache", action="store_true", help="the portal without its cache")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="start the readers on an empty cache (as just after a publication) instead of "
        "reading every page once first",
    )
    parser.add_argument(
        "--warm",
        action="store_true",
        help="with --cold: run the task that warms the cache after a publication while the "
        "readers arrive",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help="every page read once, then a publication: the readers start on the new generation",
    )
    parser.add_argument("--quick", action="store_true", help="smoke test: a small plan, 30 s")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the data of a previous run")
    parser.add_argument("--home", default=None)
    args = parser.parse_args()
    quick = args.quick
    args.values = args.values or (20_000 if quick else 2_000_000)
    args.users = args.users or (50 if quick else 200)
    args.duration = args.duration if args.duration is not None else (20 if quick else 120)
    args.warmup = args.warmup if args.warmup is not None else (10 if quick else 60)
    default_home = "wps-bench-portal-quick" if quick else "wps-bench-portal"
    home = Path(args.home or Path(tempfile.gettempdir()) / default_home)

    from bigplan import big_plan_for_pages, database_choose, setup_django

    database_choose(home=home, postgres=args.postgres, reuse=args.reuse, pg_database=PG_DATABASE)
    os.environ["WPSMONITOR_TASKS"] = "immediate"
    # Publishing the big plan's release (when built) would warm a cache emptied just after;
    # --warm runs the warming itself, at the moment the readers start.
    os.environ["WPSMONITOR_WARM_SECONDS"] = "0"
    os.environ["WPSMONITOR_PUBLIC_CACHE_SECONDS"] = "0" if args.no_cache else "3600"
    os.environ.pop("WPSMONITOR_CACHE_URL", None)  # the default: files in the data home
    setup_django()
    from django.core.cache import cache
    from django.db import connection

    from wpsmonitor.indicators.models import DataValue

    plan = big_plan_for_pages(values=args.values, reuse=args.reuse)
    values = DataValue.objects.filter(indicator__plan=plan).count()
    pages = page_pool(plan)
    vendor = connection.vendor
    cache.clear()  # every run starts cold, as after a release is published
    connection.close()
    print(f"database: {vendor}; {values:,} values; {len(pages):,} pages in the readers' law")

    env = {**os.environ}
    env["PYTHONPATH"] = str(HERE.parent / "src") + os.pathsep + env.get("PYTHONPATH", "")
    port = free_port()
    serve_log = (home / "portal-serve.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wpsmonitor.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--no-task-worker",
        ],
        env=env,
        stdout=serve_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_up(port)
        check_pages(port, pages)
        if not args.no_cache:
            # The checks filled a few entries: start cold.
            setup_cache_clear()
        filled = None
        if not args.cold and not args.no_cache:
            filled = prewarm(port, pages)
            print(f"every page read once (the cache filled) in {filled:.0f} s")
        config = {
            "pages": pages,
            "zipf": args.zipf,
            "think": args.think,
            "trivial_every": args.trivial_every,
        }
        if args.publish:
            from django.conf import settings

            from wpsmonitor.shell.public_cache import bump_public_generation

            # As a site with the warming on (the default 120 s) publishes: with its grace.
            settings.WPSMONITOR_WARM_SECONDS = 120
            bump_public_generation(keep_previous=True)  # outside a transaction: at once
            print("a release published: the readers start on the new generation")
        load_avg = os.getloadavg()
        warming = (
            start_warming(port, plan, home) if args.warm and (args.cold or args.publish) else None
        )
        try:
            samples, cpu = run_load(port, server.pid, home, config, args)
        finally:
            if warming is not None:
                stop(warming)
                print((home / "portal-warm.log").read_text().strip()[-2000:])
    finally:
        stop(server)

    ramp = args.users / args.spawn_rate
    warm = summarise([s for s in samples if s[0] < args.warmup])
    measured = summarise([s for s in samples if s[0] >= args.warmup])
    seconds = max(1e-9, max(s[0] for s in samples) - args.warmup)
    cache_label = (
        "without the cache"
        if args.no_cache
        else "with the cache (files in the data home), "
        + ("starting empty" if args.cold else "every page read once before")
        + (", then a publication" if args.publish else "")
        + (
            ", warmed by the task after a publication"
            if args.warm and (args.cold or args.publish)
            else ""
        )
    )
    print(
        f"\n{args.users} readers (started {args.spawn_rate:g}/s, {ramp:.0f} s), think "
        f"{args.think[0]:g}-{args.think[1]:g} s, Zipf s={args.zipf:g}; gunicorn "
        f"{args.workers} workers x {args.threads} threads, {vendor}, {cache_label}; load "
        f"average before the run {load_avg[0]:.2f}"
    )
    for title, figures in (
        (f"first {args.warmup:g} s (readers starting)", warm),
        (f"measured {args.duration:g} s", measured),
    ):
        print(
            f"\n{title}: {figures['requests']:,} requests, pages from the cache "
            f"{figures['hits']:.0%} (previous copies {figures['stale']:.0%}), "
            f"errors {sum(figures['errors'].values())}"
        )
        print(line("portal pages", figures["pages"]))
        print(line("trivial page", figures["trivial"]))
        for kind, times in figures["by_kind"].items():
            if kind != "trivial":
                print(line(kind, times))
        for what, count in sorted(figures["errors"].items(), key=lambda e: -e[1])[:5]:
            print(f"{'':>22}  {count} x {what}")
    print(
        f"\nCPU seconds over the whole run: server {cpu['server']:.0f}, locust {cpu['client']:.0f},"
        f" whole machine {cpu['machine']:.0f} (2 cores: {2 * (args.warmup + args.duration):.0f} "
        f"available)"
    )
    p95 = percentile(measured["pages"], 0.95) if measured["pages"] else float("nan")
    trivial_p95 = percentile(measured["trivial"], 0.95) if measured["trivial"] else float("nan")
    verdict = "OK" if p95 <= GOAL_MS and not measured["errors"] else "OVER"
    print(
        f"RESULT {vendor} {values:,} values, {args.users} readers, {cache_label}: "
        f"p50 {percentile(measured['pages'], 0.5):.1f} ms, p95 {p95:.1f} ms, "
        f"p99 {percentile(measured['pages'], 0.99):.1f} ms (goal p95 <= {GOAL_MS:.0f} ms: "
        f"{verdict})"
    )
    print(
        f"RESULT {len(measured['pages']) / seconds:.1f} pages/s "
        f"({measured['requests'] / seconds:.1f} requests/s), errors "
        f"{sum(measured['errors'].values())}, from the cache {measured['hits']:.0%}"
    )
    print(
        f"RESULT p95 ratio portal/trivial {p95 / trivial_p95:.1f} (trivial page /favicon.ico "
        f"p95 {trivial_p95:.1f} ms in the same run)"
    )
    warm_p95 = percentile(warm["pages"], 0.95) if warm["pages"] else float("nan")
    print(f"RESULT first {args.warmup:g} s: p95 {warm_p95:.1f} ms")
    if filled is not None:
        print(f"RESULT filling the cache (every page once, 2 threads): {filled:.0f} s")


WARM_SCRIPT = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from bigplan import setup_django
setup_django()
from wpsmonitor.portal.warming import warm_public_pages
started = time.perf_counter()
done = warm_public_pages.call(int(sys.argv[2]))
print(f"warming after the publication: {json.dumps(done)} in {time.perf_counter() - started:.0f} s")
"""


def start_warming(port: int, plan: Any, home: Path) -> subprocess.Popen[bytes]:
    """The task that warms the cache after a publication, run as the task worker runs it (a
    process of its own), at the address the readers use."""
    from wpsmonitor.publishing.selectors import published_release

    release = published_release(plan)
    if release is None:
        raise SystemExit("no published release to warm")
    env = {**os.environ}
    env["PYTHONPATH"] = str(HERE.parent / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["WPSMONITOR_BASE_URL"] = f"http://127.0.0.1:{port}"
    env["WPSMONITOR_WARM_SECONDS"] = "120"
    with (home / "portal-warm.log").open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-c", WARM_SCRIPT, str(HERE), str(release.pk)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def setup_cache_clear() -> None:
    from django.core.cache import cache

    cache.clear()


if __name__ == "__main__":
    main()
