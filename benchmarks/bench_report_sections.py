"""Benchmark: the standard report's newer sections, one by one, on the demo national plan
(docs/reports.md, "Sections"): security sector, peace processes and missions, steering
committee, auditing bodies and parliament, civil society on the budget (money challenges),
each built alone (`reports/sections/<module>.build(context)`) against the summary and the
pillars sections measured in the same run, with the queries each makes.

    python benchmarks/bench_report_sections.py                # the demo (loaded in a fresh home)
    python benchmarks/bench_report_sections.py --home DIR     # a home that has the demo already
    python benchmarks/bench_report_sections.py --home DIR --year 2026   # another annual report

For each section and version (public, internal): the best of `--repeat` builds (a fresh report
context each time, built outside the timing: no section profits from another's reads), its CPU
time (this process's, `time.process_time`: less inflated by a shared machine's other load), its
queries (Django's CaptureQueriesContext), its tables and cells, and its ratio to the summary
section built the same way in the same run.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench_reports import PLAN, YEAR  # noqa: E402

BASELINES = ("summary", "pillars")
MEASURED = ("security", "peace", "steering", "oversight", "money_challenges")


def context_of(version: str, year: int) -> Callable[[], Any]:
    from django.contrib.auth.models import AnonymousUser, User

    from wpsmonitor.accounts.access import plan_access
    from wpsmonitor.reports.context import report_context
    from wpsmonitor.reports.texts import ReportTexts

    def fresh() -> Any:
        user: Any = AnonymousUser()
        if version == "internal":
            user = User.objects.filter(is_superuser=True).first()
        context = report_context(plan_access(user, PLAN), scope="year", year=year, version=version)
        # As reports.builder.build_report does before the sections.
        return dataclasses.replace(context, texts=ReportTexts(context.plan.original_language))

    return fresh


def measure(name: str, version: str, repeat: int, year: int) -> tuple[float, float, int, int, int]:
    """Best wall and CPU seconds of building section `name` alone, its queries, tables, cells."""
    import importlib

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build = importlib.import_module(f"wpsmonitor.reports.sections.{name}").build
    fresh = context_of(version, year)
    times, cpu, queries = [], [], 0
    section = None
    for _ in range(repeat):
        context = fresh()
        with CaptureQueriesContext(connection) as captured:
            clock, process = time.perf_counter(), time.process_time()
            section = build(context)
            times.append(time.perf_counter() - clock)
            cpu.append(time.process_time() - process)
        queries = len(captured.captured_queries)
    tables = [b for s in section.walk() for b in s.blocks if hasattr(b, "rows")]
    cells = sum(len(row) for table in tables for row in table.rows)
    return min(times), min(cpu), queries, len(tables), cells


def main() -> None:
    parser = argparse.ArgumentParser(description="report sections benchmark")
    parser.add_argument("--home", help="a WPSMONITOR_HOME holding the demo (else a fresh one)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--year", type=int, default=YEAR, help="the annual report's year")
    args = parser.parse_args()

    os.environ["WPSMONITOR_HOME"] = args.home or tempfile.mkdtemp(prefix="bench-sections-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wpsmonitor.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from wpsmonitor.plans.models import Plan

    call_command("migrate", verbosity=0)
    if not Plan.objects.filter(code=PLAN).exists():
        clock = time.perf_counter()
        call_command("load_demo", verbosity=0)
        print(f"demo loaded in {time.perf_counter() - clock:.0f} s")
    print(f"database: {connection.vendor}; plan {PLAN}, year {args.year}; best of {args.repeat}")
    for version in ("public", "internal"):
        for name in BASELINES:  # warm: imports, translations, the first queries' plans
            measure(name, version, 1, args.year)
        rows = {
            name: measure(name, version, args.repeat, args.year) for name in (*BASELINES, *MEASURED)
        }
        floor = rows["summary"][0]
        print(f"{version} report (baseline: the summary section, {floor * 1000:.1f} ms)")
        for name, (seconds, cpu, queries, tables, cells) in rows.items():
            print(
                f"  {name:17} {seconds * 1000:8.1f} ms (CPU {cpu * 1000:7.1f} ms) "
                f"x{seconds / floor:5.2f} the summary  {queries:4d} queries  "
                f"{tables:3d} tables, {cells:5d} cells"
            )


if __name__ == "__main__":
    main()
