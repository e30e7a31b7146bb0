"""Submissions as records: what a server answers or an export holds, made flat.

A record is {field name: text}. ODK Central's OData nests groups ({"g__X": {"v__X": 3}}),
Kobo's JSON joins their paths with '/' ("g__X/v__X"), the CSV exports with '/' or '-'
("g__X-v__X", "meta-instanceID"): the form's names hold neither (xlsform.name_part), so the
last part of a path is the field's name. Files are bounded before they are parsed: size
(FIELD_COLLECTION_MAX_BYTES), number of submissions (FIELD_COLLECTION_MAX_SUBMISSIONS),
and the XLSX and JSON readers' own bounds (core/spreadsheets.py, core/json_input.py).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from wpsmonitor.core.json_input import RefusedJson, loads_bounded
from wpsmonitor.core.spreadsheets import FileRefused, error_summary, open_workbook, sheet_rows

Record = dict[str, str]
_PATH = re.compile(r"[/\-]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def flatten(raw: Mapping[str, Any]) -> Record:
    """A record with every nested group opened and every path cut to its last part."""
    out: Record = {}

    def walk(obj: Mapping[str, Any]) -> None:
        for key, value in obj.items():
            if isinstance(value, Mapping):
                walk(value)
                continue
            if isinstance(value, list):  # repeats and attachments: none in our forms
                continue
            name = _PATH.split(str(key))[-1]
            out.setdefault(name, _text(value))

    walk(raw)
    return out


def instance_id(record: Mapping[str, str]) -> str:
    """The instance's ID: meta/instanceID, else ODK's __id or KEY, else Kobo's _uuid."""
    found = record.get("instanceID") or record.get("__id") or record.get("KEY") or ""
    if not found and record.get("_uuid"):
        found = "uuid:" + record["_uuid"]
    return found.strip()


def submitted_at(record: Mapping[str, str]) -> str:
    return (
        record.get("_submission_time")
        or record.get("submissionDate")
        or record.get("SubmissionDate")
        or ""
    )


def bounded(records: Iterable[Mapping[str, Any]]) -> list[Record]:
    """Flat records, at most FIELD_COLLECTION_MAX_SUBMISSIONS of them."""
    limit = settings.FIELD_COLLECTION_MAX_SUBMISSIONS
    out: list[Record] = []
    for raw in records:
        if len(out) >= limit:
            raise FileRefused(
                _("more than %(limit)s submissions at once: import them in smaller batches")
                % {"limit": limit}
            )
        if not isinstance(raw, Mapping):
            raise FileRefused(_("a submission is not a set of fields"), row=len(out) + 1)
        out.append(flatten(raw))
    return out


def from_json(data: Any) -> list[Record]:
    """A list of submissions, Kobo's page ({"results": [...]}) or ODK's OData ({"value"})."""
    if isinstance(data, Mapping):
        for key in ("results", "value"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list):
        raise FileRefused(_("the JSON holds no list of submissions"))
    return bounded(data)


def read_file(path: Path) -> list[Record]:
    """The submissions of an exported file (CSV, XLSX or JSON), or FileRefused."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRefused(_("cannot read the file (%(error)s)") % {"error": exc.strerror}) from None
    limit = settings.FIELD_COLLECTION_MAX_BYTES
    if size > limit:
        raise FileRefused(
            _("the file is %(size)s bytes; the limit is %(limit)s bytes")
            % {"size": size, "limit": limit}
        )
    if size == 0:
        raise FileRefused(_("the file is empty"))
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK"):
        return _from_xlsx(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_("the file is not UTF-8 text; save it as CSV UTF-8")) from None
    if "\x00" in text:
        raise FileRefused(_("this is not a text file (it contains binary data)"))
    if text.lstrip()[:1] in ("[", "{"):
        try:
            return from_json(loads_bounded(text))
        except RefusedJson as exc:
            raise FileRefused(str(exc)) from None
        except (ValueError, RecursionError) as exc:
            raise FileRefused(
                _("not valid JSON (%(error)s)") % {"error": error_summary(exc)}
            ) from None
    return _from_csv(text)


def _from_csv(text: str) -> list[Record]:
    header = text.partition("\n")[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        names = next(reader, None)
        if not names:
            raise FileRefused(_("the file is empty"))
        rows = (dict(zip(names, row, strict=False)) for row in reader if any(row))
        return bounded(rows)
    except csv.Error as exc:
        raise FileRefused(_("unreadable CSV (%(error)s)") % {"error": exc}) from None


def _from_xlsx(path: Path) -> list[Record]:
    """The first sheet: a header of field names, a row a submission (Kobo's XLSX export with
    XML names, ODK's CSV saved as a workbook)."""
    workbook = open_workbook(path)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet_rows(sheet)
        header = next(rows, None)
        if header is None:
            raise FileRefused(_("the file is empty"))
        names = [_text(v) for v in header[1]]
        return bounded(dict(zip(names, values, strict=False)) for _n, values, _f in rows)
    finally:
        workbook.close()
