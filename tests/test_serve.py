"""The quick start's promise: `wpsmonitor serve` runs a real server on a fresh data home."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_serve_migrates_a_fresh_home_and_answers_over_http(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "WPSMONITOR_HOME": str(tmp_path), "WPSMONITOR_TASKS": "database"}
    env.pop("DATABASE_URL", None)  # the embedded default
    server = subprocess.Popen(
        [sys.executable, "-m", "wpsmonitor.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        # A fresh home migrates first (about 12 s on a quiet machine, several times that when
        # CI's two suites share it): the test is that it answers, not how fast.
        deadline = time.monotonic() + 240
        body = b""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    assert response.status == 200
                    body = response.read()
                    break
            except OSError:
                time.sleep(0.3)
        assert b"WPS Monitor" in body
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/v1/schema", timeout=5
        ) as response:
            assert response.headers["Content-Type"].startswith("application/json")
        assert (tmp_path / "wpsmonitor.sqlite3").exists()
        assert (tmp_path / "gunicorn.ctl").is_socket()  # not in ~/.gunicorn/
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorns_control_socket_stays_in_the_data_folder(settings: Any, tmp_path: Path) -> None:
    from wpsmonitor.core.management.commands.serve import _Gunicorn, gunicorn_options

    settings.DATA_HOME = tmp_path
    options = gunicorn_options("127.0.0.1:8000", 1, 1)
    assert options["control_socket"] == str(tmp_path / "gunicorn.ctl")
    assert options["control_socket_mode"] == 0o600
    assert _Gunicorn(options).cfg.control_socket == str(tmp_path / "gunicorn.ctl")


def test_gunicorns_control_socket_is_off_when_the_folder_is_too_deep(
    settings: Any, tmp_path: Path
) -> None:
    from wpsmonitor.core.management.commands.serve import _Gunicorn, gunicorn_options

    settings.DATA_HOME = tmp_path / ("d" * 120)
    options = gunicorn_options("127.0.0.1:8000", 1, 1)
    assert "control_socket" not in options
    assert _Gunicorn(options).cfg.control_socket_disable is True


def test_serve_collects_static_files_only_when_they_changed(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Collecting (hashing, compressing) costs seconds of CPU: a start whose static files are
    already collected skips it; a changed source file, or a lost manifest, collects again."""
    from wpsmonitor.core.management.commands import serve

    source = tmp_path / "source"
    source.mkdir()
    (source / "site.css").write_text("body { color: black; }\n")
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    collected: list[str] = []
    real = serve.call_command

    def spy(name: str, *args: Any, **kwargs: Any) -> Any:
        collected.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(serve, "call_command", spy)

    assert serve.collect_static_if_changed() is True  # first start
    assert (tmp_path / "static" / "staticfiles.json").is_file()
    assert serve.collect_static_if_changed() is False  # second start: nothing changed
    assert collected == ["collectstatic"]

    edited = source / "site.css"
    edited.write_text("body { color: navy; }\n")  # a changed source file
    # collectstatic copies a file newer than its copy by a second at least.
    later = edited.stat().st_mtime + 5
    os.utime(edited, (later, later))
    assert serve.collect_static_if_changed() is True
    assert "navy" in (tmp_path / "static" / "site.css").read_text()
    assert serve.collect_static_if_changed() is False

    (source / "more.css").write_text("p { margin: 0; }\n")  # a new one
    assert serve.collect_static_if_changed() is True

    (tmp_path / "static" / "staticfiles.json").unlink()  # the collected files damaged
    assert serve.collect_static_if_changed() is True
    assert collected == ["collectstatic"] * 4
