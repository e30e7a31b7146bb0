"""Import 1,000,000 disaggregated values from CSV and compare with raw bulk inserts.

    python benchmarks/bench_import.py [--rows 1000000] [--postgres]

1. A fresh data home (SQLite) or a fresh PostgreSQL database, migrated.
2. A plan built through the importer (a JSON plan file): 25 indicators disaggregated by
   sex x age x disability (16 cells), quarterly over 5 years, 63 areas, 2 sources: 1,008,000
   distinct keys.
3. The values CSV (--rows rows).
4. Baseline, same run: the same rows (as ids) inserted with raw sqlite3 executemany into an
   equivalent table (same columns, same unique index, same pragmas), one transaction. On
   PostgreSQL: COPY into such a table (and executemany of the first 100,000 rows, reported).
5. `wpsmonitor import values.csv --no-rebuild` in a subprocess (run before step 4 builds its
   rows in this process): wall time and peak RSS (getrusage(RUSAGE_CHILDREN).ru_maxrss).

Targets (issue 2): <= 30 s, >= 0.25 x the baseline's rate, peak <= 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from itertools import product
from pathlib import Path

INDICATORS = [f"B{i:02d}" for i in range(1, 26)]
QUARTERS = [f"{y}Q{q}" for y in range(2021, 2026) for q in range(1, 5)]
# Districts only: a figure for Kenya beside its districts' would be counted twice (refused).
AREAS = [f"KEN-D{i:02d}" for i in range(1, 64)]
CELLS = [
    f"sex={s};age={a};disability={d}"
    for s, a, d in product(["F", "M"], ["0-17", "18-29", "30-59", "60+"], ["yes", "no"])
]
SOURCES = ["gov", "cso"]
PG_DB = "wps_bench_exchange"


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
        "sources": [{"code": "cso", "name": "Shadow report", "kind": "civil_society"}],
        "indicators": [
            {
                "code": code,
                "node": "P1",
                "title": f"Indicator {code}",
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
    everything = product(INDICATORS, QUARTERS, AREAS, CELLS, SOURCES)
    for count, (ind, per, area, cell, src) in enumerate(everything, start=1):
        if count > limit:
            return
        yield count, ind, per, area, cell, src


def write_csv(path: Path, limit: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "plan,indicator,period,area,cell,source,value,numerator,denominator,text,comment\n"
        )
        lines = []
        for n, ind, per, area, cell, src in keys(limit):
            lines.append(f"bench,{ind},{per},{area},{cell},{src},{n % 997},,,,\n")
            if len(lines) == 50_000:
                out.writelines(lines)
                lines = []
        out.writelines(lines)


def run(cmd: list[str], env: dict[str, str]) -> float:
    clock = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - clock
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return seconds


def sqlite_ids(db: Path) -> tuple[dict, dict, dict, dict, dict]:
    con = sqlite3.connect(db)
    inds = dict(con.execute("SELECT code, id FROM indicators_indicator"))
    pers = dict(con.execute("SELECT code, id FROM indicators_period"))
    areas = dict(con.execute("SELECT code, id FROM directory_area"))
    scheme = con.execute(
        "SELECT scheme_id FROM indicators_indicator WHERE code = ?", (INDICATORS[0],)
    ).fetchone()[0]
    cells = dict(con.execute("SELECT code, id FROM indicators_cell WHERE scheme_id = ?", (scheme,)))
    srcs = dict(con.execute("SELECT code, id FROM indicators_source"))
    con.close()
    return inds, pers, areas, cells, srcs


def id_rows(limit: int, maps: tuple[dict, dict, dict, dict, dict]) -> list[tuple]:
    inds, pers, areas, cells, srcs = maps
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    # Periods may not exist yet in the baseline's eyes: number them like the importer would.
    pers = {p: pers.get(p, 10_000 + i) for i, p in enumerate(QUARTERS)}
    return [
        (
            inds[i],
            pers[p],
            areas[a],
            cells[c],
            srcs[s],
            float(n % 997),
            None,
            None,
            "",
            "",
            None,
            1,
            now,
            now,
        )
        for n, i, p, a, c, s in keys(limit)
    ]


TABLE = (
    "CREATE TABLE bench_baseline (id integer PRIMARY KEY AUTOINCREMENT, indicator_id bigint NOT NULL,"
    " period_id bigint NOT NULL, area_id bigint NOT NULL, cell_id bigint NOT NULL,"
    " source_id bigint NOT NULL, value real NULL, numerator real NULL, denominator real NULL,"
    " text_value text NOT NULL, comment text NOT NULL, stored_by_id bigint NULL,"
    " batch_id bigint NULL, created_at datetime NOT NULL, updated_at datetime NOT NULL)"
)
INDEX = (
    "CREATE UNIQUE INDEX bench_baseline_unique ON bench_baseline"
    " (indicator_id, period_id, area_id, cell_id, source_id)"
)
INSERT = (
    "INSERT INTO bench_baseline (indicator_id, period_id, area_id, cell_id, source_id, value,"
    " numerator, denominator, text_value, comment, stored_by_id, batch_id, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def sqlite_baseline(rows: list[tuple], work: Path) -> float:
    db = work / "baseline.sqlite3"
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute(TABLE)
    con.execute(INDEX)
    clock = time.perf_counter()
    con.execute("BEGIN")
    con.executemany(INSERT, rows)
    con.execute("COMMIT")
    seconds = time.perf_counter() - clock
    con.close()
    return seconds


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as con:
        con.execute(sql)


FKS = {
    "indicator_id": "indicators_indicator",
    "period_id": "indicators_period",
    "area_id": "directory_area",
    "cell_id": "indicators_cell",
    "source_id": "indicators_source",
    "batch_id": "indicators_importbatch",
}


def pg_baseline(rows: list[tuple], url: str) -> tuple[float, float, float]:
    import psycopg

    pg_rows = [r[:12] + (datetime.now(UTC), datetime.now(UTC)) for r in rows]
    table = (
        TABLE.replace("integer PRIMARY KEY AUTOINCREMENT", "bigserial PRIMARY KEY")
        .replace(" real", " double precision")
        .replace("datetime", "timestamptz")
    )
    columns = (
        "indicator_id, period_id, area_id, cell_id, source_id, value, numerator, denominator,"
        " text_value, comment, stored_by_id, batch_id, created_at, updated_at"
    )
    with psycopg.connect(url) as con:
        con.execute("DROP TABLE IF EXISTS bench_baseline")
        con.execute(table)
        con.execute(INDEX)
        con.commit()
        clock = time.perf_counter()
        with con.cursor() as cur, cur.copy(f"COPY bench_baseline ({columns}) FROM STDIN") as copy:
            for row in pg_rows:
                copy.write_row(row)
        con.commit()
        copy_seconds = time.perf_counter() - clock
        con.execute("TRUNCATE bench_baseline")
        con.commit()
        sample = pg_rows[:100_000]
        clock = time.perf_counter()
        with con.cursor() as cur:
            cur.executemany(INSERT.replace("?", "%s"), sample)
        con.commit()
        many_rate = len(sample) / (time.perf_counter() - clock)
        # The same COPY into a table that also has DataValue's foreign keys (deferred, as
        # Django declares them): PostgreSQL checks each one per row at commit.
        con.execute("DROP TABLE bench_baseline")
        fk_table = table
        for column, target in FKS.items():
            fk_table = fk_table.replace(
                f" {column} bigint NOT NULL",
                f" {column} bigint NOT NULL REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED",
            ).replace(
                f" {column} bigint NULL",
                f" {column} bigint NULL REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED",
            )
        con.execute(fk_table)
        con.execute(INDEX)
        con.commit()
        clock = time.perf_counter()
        with con.cursor() as cur, cur.copy(f"COPY bench_baseline ({columns}) FROM STDIN") as copy:
            for row in pg_rows:
                copy.write_row(row)
        con.commit()
        fk_seconds = time.perf_counter() - clock
        con.execute("DROP TABLE bench_baseline")
        con.commit()
    return copy_seconds, many_rate, fk_seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    total_keys = len(INDICATORS) * len(QUARTERS) * len(AREAS) * len(CELLS) * len(SOURCES)
    assert args.rows <= total_keys, f"at most {total_keys} distinct keys"
    work = Path(tempfile.mkdtemp(prefix="wps-bench-import-"))
    env = {**os.environ, "WPSMONITOR_HOME": str(work / "home")}
    env.pop("DATABASE_URL", None)
    url = ""
    if args.postgres:
        url = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}")
        pg_admin(f"CREATE DATABASE {PG_DB}")
        env["DATABASE_URL"] = url
    wps = [sys.executable, "-m", "wpsmonitor.cli"]
    try:
        print(f"work folder {work}; {'PostgreSQL' if url else 'SQLite'}", flush=True)
        run([*wps, "manage", "migrate", "-v0"], env)
        plan_file(work / "plan.json")
        seconds = run([*wps, "import", str(work / "plan.json"), "--no-rebuild"], env)
        print(
            f"plan: {len(INDICATORS)} indicators x {len(QUARTERS)} quarters x {len(AREAS)} "
            f"areas x {len(CELLS)} cells x {len(SOURCES)} sources = {total_keys:,} keys "
            f"({seconds:.1f} s)",
            flush=True,
        )
        clock = time.perf_counter()
        write_csv(work / "values.csv", args.rows)
        size = (work / "values.csv").stat().st_size
        print(
            f"csv: {args.rows:,} rows, {size / 1e6:.0f} MB ({time.perf_counter() - clock:.1f} s)",
            flush=True,
        )

        # The import runs before the baseline builds its million tuples: a child's peak RSS
        # counts the parent's memory at fork time.
        seconds = run([*wps, "import", str(work / "values.csv"), "--no-rebuild"], env)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if url:
            import psycopg

            with psycopg.connect(url.replace("postgres://", "postgresql://")) as con:
                maps = tuple(
                    dict(con.execute(sql).fetchall())
                    for sql in (
                        "SELECT code, id FROM indicators_indicator",
                        "SELECT code, id FROM indicators_period",
                        "SELECT code, id FROM directory_area",
                        "SELECT c.code, c.id FROM indicators_cell c JOIN indicators_indicator i"
                        f" ON i.scheme_id = c.scheme_id WHERE i.code = '{INDICATORS[0]}'",
                        "SELECT code, id FROM indicators_source",
                    )
                )
            rows = id_rows(args.rows, maps)  # type: ignore[arg-type]
            base_seconds, many_rate, fk_seconds = pg_baseline(
                rows, url.replace("postgres://", "postgresql://")
            )
            baseline_name = "COPY"
        else:
            rows = id_rows(args.rows, sqlite_ids(work / "home" / "wpsmonitor.sqlite3"))
            base_seconds = sqlite_baseline(rows, work)
            many_rate = fk_seconds = 0.0
            baseline_name = "sqlite3.executemany"
        del rows
        base_rate = args.rows / base_seconds
        print(
            f"baseline ({baseline_name}): {base_seconds:.1f} s, {base_rate:,.0f} rows/s", flush=True
        )
        if many_rate:
            print(f"baseline (psycopg executemany, 100,000 rows): {many_rate:,.0f} rows/s")

        rate = args.rows / seconds
        print(f"wpsmonitor import: {seconds:.1f} s, {rate:,.0f} rows/s, peak RSS {peak_mb:.0f} MB")
        print(f"ratio to {baseline_name}: {rate / base_rate:.2f} (target >= 0.25)")
        if many_rate:
            print(f"ratio to psycopg executemany: {rate / many_rate:.2f}")
        if fk_seconds:
            fk_rate = args.rows / fk_seconds
            print(
                f"baseline (COPY with DataValue's foreign keys): {fk_seconds:.1f} s, "
                f"{fk_rate:,.0f} rows/s; ratio {rate / fk_rate:.2f}"
            )
        verdict = seconds <= 30 and rate / base_rate >= 0.25 and peak_mb <= 500
        print("targets met" if verdict else "TARGETS NOT MET")
    finally:
        if url:
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
