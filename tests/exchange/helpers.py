"""Shared helpers: run an import, and a fingerprint of everything an import may touch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.exchange.importer import ImportFailed, import_files
from wpsmonitor.indicators.models import (
    Baseline,
    DataValue,
    DataValueAudit,
    Dimension,
    ImportBatch,
    Indicator,
    ListItem,
    Source,
    Target,
)
from wpsmonitor.plans.models import FrameworkNode, Plan


def db_state() -> dict[str, object]:
    return {
        "plans": list(Plan.objects.order_by("code").values_list("code", "title", "end")),
        "nodes": FrameworkNode.objects.count(),
        "indicators": Indicator.objects.count(),
        "orgs": Organisation.objects.count(),
        "areas": Area.objects.count(),
        "dimensions": Dimension.objects.count(),
        "sources": Source.objects.count(),
        "baselines": Baseline.objects.count(),
        "targets": Target.objects.count(),
        "items": ListItem.objects.count(),
        "batches": ImportBatch.objects.count(),
        "audit": DataValueAudit.objects.count(),
        "values": sorted(
            DataValue.objects.values_list(
                "indicator_id",
                "period_id",
                "area_id",
                "cell_id",
                "source_id",
                "value",
                "numerator",
                "denominator",
                "text_value",
                "comment",
            )
        ),
    }


def refused(*paths: Path) -> list[str]:
    """Import and expect refusal; the problems as strings."""
    try:
        import_files(paths=list(paths))
    except ImportFailed as failed:
        return [str(p) for p in failed.problems]
    raise AssertionError("the import was accepted")


def write_csv(path: Path, rows: list[str], header: str | None = None) -> Path:
    head = (
        header or "plan,indicator,period,area,cell,source,value,numerator,denominator,text,comment"
    )
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return path


def cli_env(home: Path) -> dict[str, str]:
    """A subprocess environment on its own SQLite data home (an empty database once migrated)."""
    env = {**os.environ, "WPSMONITOR_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    return env


def cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "wpsmonitor.cli", *args],
        env=cli_env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done
