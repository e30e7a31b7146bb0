"""The task worker beside `serve`: restarted with a backoff, never orphaned, shown to the
administrator; and no database connection of the master crosses gunicorn's fork (issue 12 §4)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.db.utils import OperationalError

from wpsmonitor.core import supervision
from wpsmonitor.core.management.commands import serve as serve_command
from wpsmonitor.core.management.commands import task_worker as task_worker_command


def _wait(condition: Any, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_supervisor_restarts_a_dying_worker_and_keeps_its_last_error(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DATA_HOME = tmp_path
    monkeypatch.setattr(supervision, "BACKOFF_FIRST", 0.05)
    monkeypatch.setattr(supervision, "HEARTBEAT_SECONDS", 0.05)
    boom = "import sys; print('working'); sys.exit('OperationalError: database is locked')"
    supervisor = supervision.Supervisor([sys.executable, "-c", boom])
    runner = threading.Thread(target=supervisor.run)
    runner.start()
    try:
        assert _wait(lambda: supervisor.status.get("restarts", 0) >= 3)
    finally:
        supervisor.stop.set()
        runner.join(timeout=30)
    saved = json.loads((tmp_path / supervision.STATUS_FILE).read_text())
    assert saved["state"] == "stopped"
    assert saved["restarts"] >= 3
    assert saved["last_exit"] == "code 1"
    assert saved["last_error"] == "OperationalError: database is locked"
    assert (tmp_path / supervision.STATUS_FILE).stat().st_mode & 0o777 == 0o600


def test_the_backoff_doubles_up_to_its_ceiling(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DATA_HOME = tmp_path
    monkeypatch.setattr(supervision, "HEARTBEAT_SECONDS", 0.001)
    waits: list[float] = []
    supervisor = supervision.Supervisor([sys.executable, "-c", "raise SystemExit(3)"])

    def wait(seconds: float | None = None) -> bool:
        if seconds is not None and seconds >= supervision.BACKOFF_FIRST:
            waits.append(seconds)
        if len(waits) >= 8:
            supervisor.stop.set()
        return supervisor.stop.is_set()

    monkeypatch.setattr(supervisor.stop, "wait", wait)
    supervisor.run()
    assert waits[:8] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_the_worker_dies_with_its_parent_even_on_kill_9(tmp_path: Path) -> None:
    child_code = textwrap.dedent(
        """
        import time
        from wpsmonitor.core.supervision import die_with_parent
        die_with_parent()
        time.sleep(120)
        """
    )
    parent_code = textwrap.dedent(
        f"""
        import subprocess, sys, time
        from wpsmonitor.core.supervision import child_env
        child = subprocess.Popen([sys.executable, "-c", {child_code!r}], env=child_env())
        print(child.pid, flush=True)
        time.sleep(120)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", parent_code], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        time.sleep(1.5)  # the child is set up
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)

        def gone() -> bool:
            try:
                stat = Path(f"/proc/{child}/stat").read_text()
            except OSError:
                return True
            return stat.rsplit(")", 1)[1].split()[0] == "Z"

        dead = _wait(gone, timeout=15) if Path("/proc").exists() else True
        if not dead:
            os.kill(child, signal.SIGKILL)
        assert dead, "the child outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()


def test_the_task_worker_waits_out_a_locked_database(monkeypatch: pytest.MonkeyPatch) -> None:
    from django_tasks_db.management.commands import db_worker

    runs: list[int] = []

    def run(self: Any) -> None:
        runs.append(1)
        if len(runs) < 3:
            raise OperationalError("database is locked")

    slept: list[float] = []
    monkeypatch.setattr(db_worker.Worker, "run", run)
    monkeypatch.setattr(db_worker.Worker, "configure_signals", lambda self: None)
    monkeypatch.setattr(task_worker_command.time, "sleep", slept.append)
    task_worker_command.Command().work(verbosity=0)
    assert len(runs) == 3
    assert slept == [1.0, 2.0]


def test_the_task_worker_stops_on_any_other_database_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django_tasks_db.management.commands import db_worker

    def run(self: Any) -> None:
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(db_worker.Worker, "run", run)
    monkeypatch.setattr(db_worker.Worker, "configure_signals", lambda self: None)
    with pytest.raises(OperationalError):
        task_worker_command.Command().work(verbosity=0)


def test_serve_closes_the_masters_connections_before_gunicorn_forks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The effect (no acknowledged write lost to a kill -9) is tests/test_serve_faults.py's;
    # here, the order: migrate and the rest open a connection, it is closed before gunicorn
    # starts, and gunicorn closes again before each fork (a worker replaced after a crash).
    events: list[str] = []
    monkeypatch.setattr(serve_command, "call_command", lambda *a, **k: events.append("command"))
    monkeypatch.setattr(connections, "close_all", lambda: events.append("close"))
    # Whether the static files need collecting depends on the machine (tests/test_serve.py
    # covers that): here it only has to come before the close.
    monkeypatch.setattr(
        serve_command, "collect_static_if_changed", lambda: bool(events.append("collect"))
    )

    def run(self: Any) -> None:
        events.append("run")
        self.cfg.pre_fork(None, None)

    monkeypatch.setattr(serve_command._Gunicorn, "run", run)
    serve_command.Command().handle(
        host="127.0.0.1",
        port=0,
        workers=1,
        threads=1,
        demo=False,
        no_migrate=False,
        no_task_worker=True,
    )
    assert events == ["command", "collect", "close", "run", "close"]


@pytest.mark.django_db
def test_the_admin_home_shows_the_task_worker(
    admin_client: Any, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_HOME = tmp_path
    assert "task-worker" not in admin_client.get("/admin/").content.decode()
    supervision.write_status(
        {
            "state": "running",
            "pid": 4321,
            "started_at": "2026-01-02T03:04:05+00:00",
            "restarts": 2,
            "last_exit": "code 1",
            "last_error": "OperationalError: database is locked",
            "last_error_at": "2026-01-02T03:04:00+00:00",
            "heartbeat": supervision._now(),
        }
    )
    page = admin_client.get("/admin/").content.decode()
    assert 'id="task-worker"' in page
    assert "4321" in page and "OperationalError: database is locked" in page
    supervision.write_status(
        {"state": "running", "pid": 4321, "restarts": 0, "heartbeat": "2026-01-01T00:00:00+00:00"}
    )
    page = admin_client.get("/admin/").content.decode()
    assert "no heartbeat" in page
