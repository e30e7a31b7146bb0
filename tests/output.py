"""Where tests write what a person looks at afterwards (screenshots, report pages):
`test-output/` at the repository root, or `WPSMONITOR_TEST_OUTPUT`. .ci/run gives its
PostgreSQL run a folder of its own, as it runs beside the SQLite one."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEST_OUTPUT = Path(os.environ.get("WPSMONITOR_TEST_OUTPUT") or REPO / "test-output")
