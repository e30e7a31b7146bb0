"""The background-task worker beside `wpsmonitor serve`: kept alive, never orphaned, visible.

    serve (gunicorn master) ── task_worker --supervise ── task_worker
                           └─ gunicorn workers

The supervisor is a process of its own, not a thread of the gunicorn master: the master forks
its web workers and reaps every child it has (so it would steal the worker's exit status), and
nothing that holds a database connection or a lock may be copied into a fork. The supervisor
runs the clocks (settings.WPSMONITOR_CLOCKS), restarts the worker when it exits, with a backoff
(1 s, doubled up to a minute; back to 1 s once a worker has run a minute), logs each exit with
the worker's last error, and keeps its state in a file of the data folder, which the admin's
home page shows (`worker_status`).

Each of the two processes dies with its parent (`die_with_parent`): on Linux the kernel sends it
SIGTERM when the parent dies (PR_SET_PDEATHSIG), elsewhere a thread notices that its parent has
changed. So a kill -9 of the master leaves no worker behind holding the database.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

from django.conf import settings

PARENT_ENV = "WPSMONITOR_PARENT_PID"
STATUS_FILE = "task-worker.json"
HEARTBEAT_SECONDS = 10.0
# Older than this, the heartbeat says the supervisor (and so the server) is not running.
STALE_SECONDS = 3 * HEARTBEAT_SECONDS
BACKOFF_FIRST = 1.0
BACKOFF_MAX = 60.0
# A worker that ran this long was healthy: the next restart waits BACKOFF_FIRST again.
HEALTHY_SECONDS = 60.0
_PR_SET_PDEATHSIG = 1


class WorkerStatus(TypedDict, total=False):
    state: str  # "running", "restarting" or "stopped"
    pid: int | None
    started_at: str
    restarts: int
    last_exit: str
    last_error: str
    last_error_at: str
    heartbeat: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _say(message: str) -> None:
    """One line to the server's log (stderr), with no lock a fork could copy half-taken."""
    os.write(2, f"[task supervisor] {message}\n".encode(errors="replace"))


# ----------------------------------------------------------------------------- dying with the parent


def child_env() -> dict[str, str]:
    """The environment of a child that must die with this process (see die_with_parent)."""
    return {**os.environ, PARENT_ENV: str(os.getpid())}


def die_with_parent() -> None:
    """Get SIGTERM when the process that started us dies, if it said who it is (PARENT_ENV).

    Linux: PR_SET_PDEATHSIG, then a check that the parent did not die before it was set.
    Everywhere: a thread that sends SIGTERM once the parent has changed (checked each second).
    """
    raw = os.environ.pop(PARENT_ENV, "")
    if not raw.isdigit():
        return
    parent = int(raw)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:
        sys.exit(0)  # the parent is gone already

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


# ----------------------------------------------------------------------------- status file


def status_path() -> Path:
    return Path(settings.DATA_HOME) / STATUS_FILE


def write_status(status: WorkerStatus) -> None:
    """Replace the status file at once (readers never see half of it), owner-only."""
    path = status_path()
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(status, file)
    os.replace(temporary, path)


def worker_status() -> dict[str, Any] | None:
    """The supervisor's last word, with `stale` True when its heartbeat is old (the server, or
    the supervisor, is not running); None when no supervisor ever ran on this data folder (a
    worker run separately, or another task queue)."""
    try:
        status: dict[str, Any] = json.loads(status_path().read_text())
    except (OSError, ValueError):
        return None
    try:
        beat = datetime.fromisoformat(status.get("heartbeat", ""))
    except (TypeError, ValueError):
        beat = None
    fresh = beat is not None and (datetime.now(UTC) - beat).total_seconds() < STALE_SECONDS
    status["stale"] = not fresh and status.get("state") != "stopped"
    for key in ("started_at", "last_error_at", "heartbeat"):
        with contextlib.suppress(KeyError, TypeError, ValueError):
            status[key] = datetime.fromisoformat(status[key])
    return status


# ----------------------------------------------------------------------------- the supervisor


class Supervisor:
    """Run `command` until stopped, restarting it with a backoff; keep the status file."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.stop = threading.Event()
        self.status: WorkerStatus = {"state": "starting", "restarts": 0, "pid": None}
        self.child: subprocess.Popen[bytes] | None = None

    def _save(self, **changes: Any) -> None:
        self.status.update(changes)  # type: ignore[typeddict-item]
        self.status["heartbeat"] = _now()
        with contextlib.suppress(OSError):
            write_status(self.status)

    def _echo(self, child: subprocess.Popen[bytes], tail: deque[str]) -> None:
        """Copy the worker's output to ours, keeping its last lines (its last error)."""
        assert child.stdout is not None
        for line in child.stdout:
            os.write(1, line)
            text = line.decode(errors="replace").rstrip()
            if text:
                tail.append(text)

    def run(self) -> None:
        backoff = BACKOFF_FIRST
        while not self.stop.is_set():
            started = time.monotonic()
            tail: deque[str] = deque(maxlen=40)
            child = self.child = subprocess.Popen(
                self.command, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            echo = threading.Thread(target=self._echo, args=(child, tail), daemon=True)
            echo.start()
            self._save(state="running", pid=child.pid, started_at=_now())
            while child.poll() is None:
                if self.stop.wait(HEARTBEAT_SECONDS):
                    break
                self._save()
            if self.stop.is_set():
                break
            echo.join(timeout=5)
            code = child.returncode
            error = _last_error(tail) if code != 0 else ""
            ran = time.monotonic() - started
            if ran >= HEALTHY_SECONDS:
                backoff = BACKOFF_FIRST
            restarts = self.status.get("restarts", 0) + 1
            exit_text = f"signal {-code}" if code < 0 else f"code {code}"
            _say(
                f"the task worker (pid {child.pid}) exited with {exit_text} after {ran:.0f} s"
                f"{': ' + error if error else ''}; restart {restarts} in {backoff:.0f} s"
            )
            self._save(
                state="restarting",
                pid=None,
                restarts=restarts,
                last_exit=exit_text,
                **({"last_error": error, "last_error_at": _now()} if error else {}),
            )
            if self.stop.wait(backoff):
                break
            backoff = min(backoff * 2, BACKOFF_MAX)
        self.end_child()
        self._save(state="stopped", pid=None)

    def end_child(self) -> None:
        child = self.child
        if child is None or child.poll() is not None:
            return
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=10)


def _last_error(tail: deque[str]) -> str:
    """The exception line of the worker's last traceback, else its last line."""
    for line in reversed(tail):
        head = line.split(":", 1)[0]
        if (
            ":" in line
            and (head.endswith(("Error", "Exception")) or "." in head)
            and " " not in head
        ):
            return line[:500]
    return tail[-1][:500] if tail else ""
