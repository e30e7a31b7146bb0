"""The move-in's rate (records keyed by labels) as a ratio to the plain values import, same run.

    python benchmarks/bench_moving_in.py [--rows 200000] [--keep]

1. A fresh data home (SQLite), migrated; a plan built through the importer (a JSON plan file):
   25 indicators with French titles, disaggregated by sex x age x disability (16 cells),
   quarterly over 5 years, 63 districts.
2. The same --rows records written twice: as the values CSV (codes: `wpsmonitor import`) and as
   another system's long-format export in French (semicolon CSV; the indicator by its French
   title, the district by its name in lower case, the quarter as "T1 2023", sex and disability
   by their French labels, one column a dimension: `wpsmonitor movein`).
3. Each imported into its own copy of the data home, in a subprocess (`--no-rebuild`), --repeat
   times (the best run counts): wall and CPU time (the CPU time of the subprocess is the fairer
   measure on a busy machine), records per second, peak RSS. The move-in's first run (the dry
   run of a real move-in) is timed too: it matches every label and checks every value, then
   rolls back.

The ratio is the move-in's rate over the values import's. Target: >= 0.5 (matching is
dictionary lookups per distinct label, cached; the values import does the rest).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import product
from pathlib import Path

INDICATORS = [f"B{i:02d}" for i in range(1, 26)]
QUARTERS = [(y, q) for y in range(2021, 2026) for q in range(1, 5)]
AREAS = [f"KEN-D{i:02d}" for i in range(1, 64)]
SEX = {"F": "Femme", "M": "Homme"}
AGE = ["0-17", "18-29", "30-59", "60+"]
DISABILITY = {"yes": "En situation de handicap", "no": "Sans handicap"}


def plan_file(path: Path) -> None:
    plan = {
        "format": "wpsmonitor-plan",
        "version": 1,
        "plan": {
            "code": "bench",
            "title": "Benchmark plan",
            "kind": "national",
            "area": "KEN",
            "start": "2021-01-01",
            "end": "2025-12-31",
        },
        "areas": [{"code": c, "name": f"District {c[-2:]}", "parent": "KEN"} for c in AREAS],
        "framework": [{"code": "P1", "level": "pillar", "title": "Participation"}],
        "indicators": [
            {
                "code": code,
                "node": "P1",
                "title": f"Women trained ({code})",
                "title_fr": f"Femmes formées ({code})",
                "kind": "number",
                "time_rule": "sum",
                "disaggregation": "sex;age;disability",
                "frequency": "quarter",
            }
            for code in INDICATORS
        ],
    }
    path.write_text(json.dumps(plan))


def keys(limit: int):
    everything = product(INDICATORS, QUARTERS, AREAS, SEX, AGE, DISABILITY)
    for count, key in enumerate(everything, start=1):
        if count > limit:
            return
        yield count, key


def write_files(values: Path, labels: Path, limit: int) -> None:
    with values.open("w", encoding="utf-8") as plain, labels.open("w", encoding="utf-8") as legacy:
        plain.write(
            "plan,indicator,period,area,cell,source,value,numerator,denominator,text,comment\n"
        )
        legacy.write("Indicateur;Province;Période;Sexe;Tranche d'âge;Handicap;Valeur\n")
        for n, (ind, (year, q), area, sex, age, dis) in keys(limit):
            cell = f"sex={sex};age={age};disability={dis}"
            plain.write(f"bench,{ind},{year}Q{q},{area},{cell},gov,{n % 997},,,,\n")
            legacy.write(
                f"Femmes formées ({ind});district {area[-2:]};T{q} {year};{SEX[sex]};{age};"
                f"{DISABILITY[dis]};{n % 997}\n"
            )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of the command (CPU: a fairer measure on a busy machine)."""
    clock, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - clock
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return seconds, _cpu() - cpu, done.stdout


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best counts")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wps-bench-movein-"))
    try:
        base = work / "home"
        env = {**os.environ, "WPSMONITOR_HOME": str(base), "LANG": "C.UTF-8"}
        env.pop("DATABASE_URL", None)
        command = [sys.executable, "-m", "wpsmonitor.cli"]
        plan = work / "plan.json"
        plan_file(plan)
        run([*command, "manage", "migrate", "-v0"], env)
        run([*command, "import", str(plan), "--no-rebuild"], env)
        values, labels = work / "values.csv", work / "export.csv"
        write_files(values, labels, args.rows)
        print(f"work folder {work}; SQLite; {args.rows:,} records", flush=True)

        def fresh(name: str) -> dict[str, str]:
            home = work / name
            shutil.copytree(base, home)
            return {**env, "WPSMONITOR_HOME": str(home)}

        rows = args.rows
        plain: list[tuple[float, float]] = []
        check: list[tuple[float, float]] = []
        moved: list[tuple[float, float]] = []
        out = ""
        for attempt in range(args.repeat):
            wall, cpu, _out = run(
                [*command, "import", str(values), "--no-rebuild"], fresh(f"plain{attempt}")
            )
            plain.append((wall, cpu))
            home = fresh(f"movein{attempt}")
            wall, cpu, _out = run([*command, "movein", "bench", str(labels), "--dry-run"], home)
            check.append((wall, cpu))
            wall, cpu, out = run([*command, "movein", "bench", str(labels), "--no-rebuild"], home)
            moved.append((wall, cpu))

        def line(name: str, runs: list[tuple[float, float]]) -> tuple[float, float]:
            wall, cpu = min(w for w, _c in runs), min(c for _w, c in runs)
            print(
                f"{name}: {wall:.1f} s wall, {rows / wall:,.0f} records/s; "
                f"{cpu:.1f} s CPU, {rows / cpu:,.0f} records/s",
                flush=True,
            )
            return rows / wall, rows / cpu

        plain_rate = line("values import (codes)", plain)
        line("move-in, dry run (labels)", check)
        move_rate = line("move-in (labels)", moved)
        print(f"  {out.strip()}")
        print(f"peak RSS of the runs: {peak_mb():.0f} MB")
        ratio, ratio_cpu = move_rate[0] / plain_rate[0], move_rate[1] / plain_rate[1]
        print(
            f"ratio move-in / values import: {ratio:.2f} wall, {ratio_cpu:.2f} CPU (target >= 0.5)"
        )
        print("target met" if ratio >= 0.5 else "TARGET NOT MET")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
