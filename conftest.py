"""Test configuration: a throw-away data home, tasks run in-process."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("WPSMONITOR_HOME", tempfile.mkdtemp(prefix="wpsmonitor-test-"))
os.environ.setdefault("WPSMONITOR_TASKS", "immediate")
