"""Nothing confirmed is lost: kill -9 of `wpsmonitor serve` under a write load (issue 12 §4).

A real server on a fresh data folder (embedded SQLite, database task queue, the task worker
beside it), API writers posting values over HTTP, each write unique. After a few seconds of
writes the master gets SIGKILL. Its gunicorn workers and its task worker must go too (no
orphan keeps the database open), and after a restart every write that was answered 2xx is in
the database.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from itertools import product
from pathlib import Path

import pytest

PLAN = "fault"
INDICATORS = ["F1", "F2", "F3", "F4"]
QUARTERS = [f"{y}Q{q}" for y in range(2021, 2026) for q in range(1, 5)]
AREAS = ["KEN"] + [f"KEN-D{i:02d}" for i in range(1, 40)]
WRITERS = 8
WRITE_SECONDS = 3.0
CYCLES = int(os.environ.get("WPSMONITOR_FAULT_CYCLES", "2"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _plan_file(path: Path) -> None:
    path.write_text(
        json.dumps(
            {
                "format": "wpsmonitor-plan",
                "version": 1,
                "plan": {
                    "code": PLAN,
                    "title": "Fault plan",
                    "kind": "national",
                    "area": "KEN",
                    "start": "2021-01-01",
                    "end": "2025-12-31",
                },
                "areas": [
                    {"code": c, "name": f"District {c[-2:]}", "parent": "KEN"} for c in AREAS[1:]
                ],
                "framework": [{"code": "P1", "level": "pillar", "title": "Participation"}],
                "indicators": [
                    {
                        "code": code,
                        "node": "P1",
                        "title": f"Indicator {code}",
                        "kind": "number",
                        "time_rule": "sum",
                        "frequency": "quarter",
                    }
                    for code in INDICATORS
                ],
            }
        )
    )


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "wpsmonitor.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def _descendants(pid: int) -> set[int]:
    """Every process started by `pid`, its children's children included (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    log = open(Path(env["WPSMONITOR_HOME"]) / f"serve-{port}.log", "wb")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "wpsmonitor.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_up(port: int, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/schema", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer")


def _wait_for_task_worker(server: int, timeout: float = 240) -> None:
    """Until the task worker runs (under its supervisor, or started by serve itself)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in _descendants(server):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if (b"task_worker" in command and b"--supervise" not in command) or (
                b"db_worker" in command
            ):
                return
        time.sleep(0.2)
    raise AssertionError("the task worker did not start")


class _Writers:
    """Threads posting one new value each, over HTTP, remembering those answered 2xx."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.keys = iter(enumerate(product(INDICATORS, QUARTERS, AREAS)))
        self.lock = threading.Lock()
        self.acknowledged: list[tuple[str, str, str, float]] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.write, daemon=True) for _ in range(WRITERS)]

    def write(self) -> None:
        while not self.stop.is_set():
            with self.lock:
                number, (indicator, period, area) = next(self.keys)
            row = {"indicator": indicator, "period": period, "area": area, "value": number + 1}
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}/api/v1/plans/{PLAN}/values",
                data=json.dumps([row]).encode(),
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    ok = 200 <= response.status < 300
            except OSError:  # HTTPError included: a refusal is not an acknowledgement
                ok = False
                time.sleep(0.05)
            if ok:
                with self.lock:
                    self.acknowledged.append((indicator, period, area, float(number + 1)))

    def __enter__(self) -> _Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=40)


def _kill_under_writes(env: dict[str, str], token: str) -> tuple[int, list[tuple], list[int]]:
    """Start the server, write, SIGKILL the master mid-load; the acknowledged writes and the
    processes still alive a while after."""
    port = _free_port()
    server = _serve(env, port)
    try:
        _wait_up(port)
        _wait_for_task_worker(server.pid)
        with _Writers(port, token) as writers:
            deadline = time.monotonic() + 60
            while len(writers.acknowledged) < 10 and time.monotonic() < deadline:
                time.sleep(0.1)  # the workers are warm and writing
            time.sleep(WRITE_SECONDS)
            children = _descendants(server.pid)
            assert len(children) >= 3, "two gunicorn workers and the task worker"
            os.kill(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
            # The workers may answer a little longer: what they acknowledge counts too.
            time.sleep(2.0)
        # No orphan: the gunicorn workers and the task worker follow their master.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.2)
        alive = [pid for pid in children if _alive(pid)]
        for pid in alive:
            os.kill(pid, signal.SIGKILL)
        return port, writers.acknowledged, alive
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_kill_9_of_the_master_loses_no_acknowledged_write(tmp_path: Path) -> None:
    env = {**os.environ, "WPSMONITOR_HOME": str(tmp_path), "WPSMONITOR_TASKS": "database"}
    env.pop("DATABASE_URL", None)  # the embedded default: SQLite in the data folder
    _run(env, "manage", "migrate", "--verbosity", "0")
    _plan_file(tmp_path / "plan.json")
    _run(env, "import", str(tmp_path / "plan.json"), "--no-rebuild")
    _run(
        env,
        "manage",
        "shell",
        "-c",
        "from django.contrib.auth.models import User;"
        "User.objects.create_superuser('admin', 'a@example.org', 'x-Unused-1')",
    )
    token = _run(env, "manage", "create_token", "admin", "fault-test").strip()

    acknowledged: list[tuple] = []
    orphans: list[int] = []
    for _ in range(CYCLES):
        port, written, alive = _kill_under_writes(env, token)
        acknowledged += written
        orphans += alive
    # Restart: the server comes back on the same data folder.
    server = _serve(env, port)
    try:
        _wait_up(port)
    finally:
        server.terminate()
        server.wait(timeout=30)

    with sqlite3.connect(tmp_path / "wpsmonitor.sqlite3") as db:
        stored = set(
            db.execute(
                "SELECT i.code, p.code, a.code, v.value FROM indicators_datavalue v"
                " JOIN indicators_indicator i ON i.id = v.indicator_id"
                " JOIN indicators_period p ON p.id = v.period_id"
                " JOIN directory_area a ON a.id = v.area_id"
            ).fetchall()
        )
    missing = [write for write in acknowledged if write not in stored]
    assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged writes are lost"
    assert not orphans, "processes outlived the killed master"
    assert len(acknowledged) >= 10 * CYCLES, "the load wrote too little to test anything"
