"""A workbook upload parses the file before its write transaction (issue 12 §4): on SQLite a
writing transaction holds the one write lock from its start, and a 28 s upload made every
other writer fail after the busy timeout and killed the task worker."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from tests.reporting.conftest import Cycle
from tests.reporting.test_workbook import _client, _download, _edit, _upload

from wpsmonitor.exchange import importer
from wpsmonitor.indicators.ingest import ValueIngest
from wpsmonitor.indicators.models import Indicator


def test_the_workbook_is_parsed_outside_the_import_transaction(
    cycle: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    depths: dict[str, list[int]] = {"parse": [], "store": []}
    sheet_rows = importer.sheet_rows
    session_init = ValueIngest.__init__

    def parsing(ws: Any) -> Any:
        depths["parse"].append(len(connection.atomic_blocks))
        return sheet_rows(ws)

    def storing(self: ValueIngest, **kwargs: Any) -> None:
        depths["store"].append(len(connection.atomic_blocks))
        session_init(self, **kwargs)

    coordinator = _client(cycle, "coordinator")
    content = _download(coordinator, cycle)
    edited = _edit(content, "Indicators", "IND-GRID", "title", "Survivors supported (2)")
    monkeypatch.setattr(importer, "sheet_rows", parsing)
    monkeypatch.setattr(ValueIngest, "__init__", storing)
    assert _upload(coordinator, cycle, edited).status_code == 302
    assert Indicator.objects.get(plan=cycle.plan, code="IND-GRID").title.endswith("(2)")
    # The test's own transaction is the outer one (pytest-django's); the parse runs in no
    # other, the import's checks and writes in one of their own.
    outside = len(connection.atomic_blocks)
    assert depths["parse"] and set(depths["parse"]) == {outside}
    assert min(depths["store"]) > outside
