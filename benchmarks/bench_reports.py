"""Benchmark: the standard report of the demo national plan, built and rendered to PDF, DOCX and
XLSX (issue 14 "Figures"; docs/reports.md, "Formats"). Targets: each format ≤ 2 s.

    python benchmarks/bench_reports.py                  # the demo plan (loaded in a fresh home)
    python benchmarks/bench_reports.py --home DIR       # a home that has the demo already
    python benchmarks/bench_reports.py --big            # also the 2,000,000-value plan (long setup)
    python benchmarks/bench_reports.py --big --values 200000 --reuse --home DIR

For each format: the best of `--repeat` runs of build + render (the build is timed apart too),
its CPU time (the process's own: less inflated by a shared machine's other load), the file's size, and two ratios measured in the same run: to /accounts/login/ through Django's
test client (the trivial page the other benchmarks use) and to the same format of a trivial
one-table report (the engine's fixed cost). With --big: the big plan's public report, each
format once, with the peak of Python memory (tracemalloc), the process's peak resident set and
the PDF compiler's (a child process).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

PLAN = "demo-cod-nap3"
YEAR = 2025
FORMATS = ("pdf", "docx", "xlsx")


def best(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    return best_cpu(run, repeat)[0::2]  # type: ignore[return-value]


def best_cpu(run: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """The best wall time, the best CPU time of this process and its children (what a shared
    machine's other load does not inflate as much), and the result."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        clock, process = time.perf_counter(), cpu_seconds()
        result = run()
        times.append(time.perf_counter() - clock)
        cpu.append(cpu_seconds() - process)
    return min(times), min(cpu), result


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children: the PDF is compiled in a child
    process (reports/formats/pdf.py)."""
    spent = os.times()
    return spent.user + spent.system + spent.children_user + spent.children_system


def trivial_document() -> Any:
    from django.utils import timezone

    from wpsmonitor.reports.document import PUBLIC, Cell, ReportDocument, Section, Table

    table = Table("t", "Table", ("Figure", "Value"), ((Cell("One"), Cell("1", 1, kind="number")),))
    return ReportDocument(
        plan_code="T",
        plan_title="Trivial",
        title="Trivial",
        scope="year",
        period_code="2025",
        period_label="2025",
        version=PUBLIC,
        language="en",
        generated_at=timezone.now(),
        release_number=1,
        sections=(Section("s", "Section", (table,)),),
    )


def login_page_ms(repeat: int) -> float:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for _ in range(3):
        assert client.get("/accounts/login/").status_code == 200
    seconds, _ = best(lambda: client.get("/accounts/login/"), repeat * 10)
    return seconds


def report_of(plan_code: str, version: str) -> Callable[[], Any]:
    from django.contrib.auth.models import AnonymousUser, User

    from wpsmonitor.accounts.access import plan_access
    from wpsmonitor.reports.builder import build_report
    from wpsmonitor.reports.context import report_context

    def build() -> Any:
        user: Any = AnonymousUser()
        if version == "internal":
            user = User.objects.filter(is_superuser=True).first()
        access = plan_access(user, plan_code)
        return build_report(report_context(access, scope="year", year=YEAR, version=version))

    return build


def measure(plan_code: str, version: str, repeat: int, login: float) -> None:
    from wpsmonitor.reports.formats import render

    build = report_of(plan_code, version)
    built, document = best(build, repeat)
    tables = len(document.tables)
    cells = sum(len(r) for t in document.tables for r in t.rows)
    print(f"{plan_code} {version} report: {tables} tables, {cells} cells; built in {built:.2f} s")
    trivial = trivial_document()
    for fmt in FORMATS:
        render(trivial, fmt)  # warm: the first render of each format imports its library
        floor, _ = best(lambda f=fmt: render(trivial, f), repeat)
        seconds, cpu, data = best_cpu(lambda f=fmt: render(build(), f), repeat)
        verdict = "ok" if seconds <= 2.0 else "OVER the 2 s target"
        print(
            f"  {fmt:5} build+render {seconds:6.2f} s (CPU {cpu:5.2f} s, "
            f"{len(data) / 1024:5.0f} KiB)  "
            f"x{seconds / login:7.0f} the login page  x{seconds / floor:5.1f} a trivial "
            f"{fmt} ({floor * 1000:.0f} ms)  {verdict}"
        )


def measure_big(args: argparse.Namespace) -> None:
    from bigplan import CODE, big_plan_for_pages
    from wpsmonitor.reports.formats import render

    big_plan_for_pages(values=args.values, reuse=args.reuse)
    build = report_of(CODE, "public")
    for fmt in FORMATS:
        tracemalloc.start()
        clock = time.perf_counter()
        document = build()
        built = time.perf_counter() - clock
        data = render(document, fmt)
        seconds = time.perf_counter() - clock
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        verdict = "ok" if seconds <= 15.0 else "OVER the 15 s target"
        compiler = f", the PDF compiler's peak RSS {compiler_peak_mb(document):.0f} MB" * (
            fmt == "pdf"
        )
        print(
            f"  big {fmt:5} build {built:6.2f} s + render = {seconds:6.2f} s "
            f"({len(data) / 1024:.0f} KiB), Python peak {peak / 1e6:.0f} MB, "
            f"this process's peak RSS so far {rss:.0f} MB (building the plan included)"
            f"{compiler}  {verdict}"
        )


def compiler_peak_mb(document: Any) -> float:
    """The peak resident memory of the PDF compiler's child process, as it reports it itself
    (Linux's /proc; the parent's view of a child's peak counts the parent's pages from before
    the exec)."""
    import subprocess

    from wpsmonitor.reports.formats import pdf

    # VmHWM: this image's own peak (ru_maxrss would carry the parent's from before the exec).
    report_peak = (
        "\nprint([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            pdf.CHILD.replace("sys.stdout.buffer.write(pdf)", "") + report_peak,
        ],
        input=pdf.compile_job(document),
        capture_output=True,
        check=True,
    )
    return int(done.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description="standard report benchmark")
    parser.add_argument("--home", help="a WPSMONITOR_HOME holding the demo (else a fresh one)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--big", action="store_true", help="also the 2,000,000-value plan")
    parser.add_argument("--values", type=int, default=2_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep the big plan of a past run")
    args = parser.parse_args()

    if args.big:
        from bigplan import database_choose

        home = Path(args.home or Path(tempfile.gettempdir()) / "wps-bench-reports")
        database_choose(home=home, postgres=False, reuse=args.reuse, pg_database="")
    else:
        os.environ["WPSMONITOR_HOME"] = args.home or tempfile.mkdtemp(prefix="bench-reports-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wpsmonitor.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from wpsmonitor.plans.models import Plan

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the login page's CSS
    if not Plan.objects.filter(code=PLAN).exists():
        clock = time.perf_counter()
        call_command("load_demo", verbosity=0)
        print(f"demo loaded in {time.perf_counter() - clock:.0f} s")
    login = login_page_ms(args.repeat)
    print(f"baseline: /accounts/login/ in {login * 1000:.1f} ms (best of {args.repeat * 10})")
    for version in ("public", "internal"):
        measure(PLAN, version, args.repeat, login)
    if args.big:
        measure_big(args)


if __name__ == "__main__":
    main()
