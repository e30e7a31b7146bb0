"""A process killed in the middle of an import leaves no partial data."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
from itertools import product
from pathlib import Path

import pytest

from .helpers import cli, cli_env

CELLS = [
    f"sex={s};age={a};disability={d}"
    for s, a, d in product(["F", "M"], ["0-17", "18-29", "30-59", "60+"], ["yes", "no"])
]
MONTHS = [f"{y}-{m:02d}" for y in range(2021, 2026) for m in range(1, 13)]
# Districts only: a figure for KEN beside its districts would be refused as counted twice.
AREAS = [f"KEN-D{i:02d}" for i in range(1, 22)]
INDICATORS = [f"K{i}" for i in range(1, 6)]


def _plan(path: Path) -> None:
    path.write_text(
        json.dumps(
            {
                "format": "wpsmonitor-plan",
                "version": 1,
                "plan": {
                    "code": "kill",
                    "title": "Kill test",
                    "kind": "national",
                    "area": "KEN",
                    "start": "2021-01-01",
                    "end": "2025-12-31",
                },
                "areas": [{"code": a, "name": a, "parent": "KEN"} for a in AREAS],
                "framework": [{"code": "P1", "level": "pillar", "title": "Pillar"}],
                "sources": [{"code": "cso", "name": "Shadow", "kind": "civil_society"}],
                "indicators": [
                    {
                        "code": c,
                        "node": "P1",
                        "title": c,
                        "kind": "number",
                        "time_rule": "sum",
                        "disaggregation": "sex;age;disability",
                        "frequency": "month",
                    }
                    for c in INDICATORS
                ],
            }
        )
    )


def _count(home: Path, sql: str) -> int:
    con = sqlite3.connect(home / "wpsmonitor.sqlite3")
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_mid_import_leaves_no_partial_data(tmp_path, empty_home) -> None:
    home = tmp_path / "home"
    shutil.copytree(empty_home, home)
    _plan(tmp_path / "plan.json")
    cli(home, "import", str(tmp_path / "plan.json"), "--no-rebuild")
    rows = product(INDICATORS, MONTHS, AREAS, CELLS, ["gov", "cso"])  # 201,600 rows
    with (tmp_path / "values.csv").open("w") as out:
        out.write("plan,indicator,period,area,cell,source,value\n")
        out.writelines(
            f"kill,{i},{p},{a},{c},{s},{n % 50}\n" for n, (i, p, a, c, s) in enumerate(rows)
        )
    batches = _count(home, "SELECT COUNT(*) FROM indicators_importbatch")

    process = subprocess.Popen(
        [sys.executable, "-m", "wpsmonitor.cli", "import", str(tmp_path / "values.csv")],
        env=cli_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:  # progress: "100,000 rows read (... s)"
        if "100,000 rows read" in line:
            break
    else:
        pytest.fail("the import ended before it could be killed")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    assert _count(home, "SELECT COUNT(*) FROM indicators_datavalue") == 0
    assert _count(home, "SELECT COUNT(*) FROM indicators_importbatch") == batches
    # The database is healthy: the same import now runs to the end.
    done = cli(home, "import", str(tmp_path / "values.csv"), "--no-rebuild")
    assert "201,600 created" in done.stdout
    assert _count(home, "SELECT COUNT(*) FROM indicators_datavalue") == 201_600
