"""The one place where indicator values are validated and stored.

The CSV/XLSX/JSON importers, the JSON API's bulk write and the approval of a submission all go
through here, so a value refused by one is refused by the others with the same message.

Shape of the work (fast enough for a million rows, memory bounded whatever the input size):
rows are validated in Python with dictionary lookups (code → id), written in chunks into a
TEMP staging table (executemany on SQLite, COPY on PostgreSQL), then duplicate keys are found
in SQL, audit rows are written for changed existing values, existing values are UPDATEd and new
ones INSERTed with INSERT ... SELECT, all in the caller's transaction. Any problem raises
IngestError and the transaction rolls back: nothing is stored.

Public entry points:

    values_ingest(rows=[{...}, ...], user=..., plan="nap-3")   one call, all-or-nothing
    figures_ingest(figures=[ResolvedFigure(...)], plan=...)    the same for figures already
                                                               resolved to ids (no parsing)
    ValueIngest(...).add_rows(...); .finish()                   several files in one batch

The modules: `rows` (the columns, reading raw cells), `lookups` (codes and ids to what they
name), `value_rules` (each kind's rules), `staging` (the TEMP table and the SQL that stores
it), `problems` (what is reported), `session` (the session that ties them together).
"""

from wpsmonitor.indicators.ingest.problems import ROW_PLACE, IngestError, IngestResult, Problem
from wpsmonitor.indicators.ingest.rows import NO_WORDS, VALUE_COLUMNS, YES_WORDS, parse_number
from wpsmonitor.indicators.ingest.session import (
    ResolvedFigure,
    ValueIngest,
    figures_ingest,
    values_ingest,
)

__all__ = [
    "NO_WORDS",
    "ROW_PLACE",
    "VALUE_COLUMNS",
    "YES_WORDS",
    "IngestError",
    "IngestResult",
    "Problem",
    "ResolvedFigure",
    "ValueIngest",
    "figures_ingest",
    "parse_number",
    "values_ingest",
]
