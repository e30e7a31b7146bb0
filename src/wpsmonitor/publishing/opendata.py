"""Open data from a release (docs/publishing.md, "Open data"): tidy CSV and XLSX, a Frictionless
Data Package and SDMX-CSV (`publishing/sdmx.py`), each with the release's licence and provenance.

Every file is written from the release's figures only (`selectors.release_figures`: none for a
withdrawn release), read in chunks so that memory stays bounded whatever the size of the
release. One row per figure; the government and each civil-society stream are apart
(`source_kind`, `source`, `organisation`), never merged. A suppressed figure has an empty
value, numerator and denominator and its flag (`primary`, `secondary`, `derived`), the same
codes as the API; its text is in English in every file, so that the files are stable whatever
the reader's language.

Text a spreadsheet would run as a formula (a title starting with "=") is neutralised as in
every file the platform writes (`core.spreadsheets`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import translation

from wpsmonitor.core.spreadsheets import FORMULA_TRIGGERS, neutralise, safe_cell
from wpsmonitor.publishing import selectors
from wpsmonitor.publishing.disclosure import CONF_STATUS, CONF_STATUS_FREE, Flag, conf_status_of
from wpsmonitor.publishing.flags import figure_text
from wpsmonitor.publishing.models import Release, ReleaseFigure, ReleaseStatus

# The formats of a release's open data, as the portal's URL and the API name them.
FORMATS = ("csv", "xlsx", "datapackage", "sdmx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "datapackage": "application/zip",
    "sdmx": "text/csv; charset=utf-8",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "datapackage": "zip", "sdmx": "csv"}
# Figures per XLSX sheet: a worksheet holds 1,048,576 rows, the header included.
XLSX_ROWS = 1_048_575
# Rows read from the database at a time: memory is bounded by this, not by the release.
CHUNK = 2_000

# The columns of the tidy table, in order (docs/publishing.md, "Open data").
COLUMNS = (
    "plan",
    "release",
    "indicator_code",
    "indicator_name",
    "unit",
    "period",
    "area_code",
    "area_name",
    "cell",
    "dimension",
    "option",
    "source_kind",
    "source",
    "organisation",
    "organisation_name",
    "value",
    "numerator",
    "denominator",
    "flag",
    "flag_text",
    "threshold",
    "obs_status",
    "conf_status",
)

# SDMX CL_OBS_STATUS: A normal value; O missing value (the figure is withheld: its CONF_STATUS
# says why).
OBS_STATUS_NORMAL = "A"
OBS_STATUS_MISSING = "O"

# The licences we know the address of; any other SPDX id points at spdx.org.
LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
    "PDDL-1.0": "https://opendatacommons.org/licenses/pddl/1-0/",
    "ODC-By-1.0": "https://opendatacommons.org/licenses/by/1-0/",
    "OGL-UK-3.0": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "etalab-2.0": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}

DISCLOSURE_METHOD = (
    "Counts of sensitive indicators below the threshold are withheld (primary), with "
    "complementary suppression (secondary) so that no withheld figure can be recovered from "
    "totals, margins, sub-areas, periods or sibling indicators, and shares computed from a "
    "withheld figure withheld (derived)."
)

_FIGURE_FIELDS = (
    "indicator_id",
    "unit",
    "period_code",
    "area_id",
    "cell_key",
    "source_id",
    "source_kind",
    "organisation_id",
    "value",
    "numerator",
    "denominator",
    "flag",
    "threshold",
)


def licence_url(licence: str) -> str:
    return LICENCE_URLS.get(licence, f"https://spdx.org/licenses/{licence}.html")


def file_name(release: Release, fmt: str) -> str:
    """wpsmonitor_<plan>_release-<n>[_sdmx].<ext>: the plan code and the release number."""
    plan = re.sub(r"[^A-Za-z0-9._-]+", "-", release.plan.code).strip("-.") or "plan"
    suffix = {"sdmx": "_sdmx", "datapackage": "_datapackage"}.get(fmt, "")
    return f"wpsmonitor_{plan}_release-{release.number}{suffix}.{EXTENSIONS[fmt]}"


def number_text(value: Decimal | None) -> str:
    """A figure as text: no exponent, no trailing zeros; "" when there is none."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "") else text


# ------------------------------------------------------------------------------- provenance


@dataclass(frozen=True)
class Provenance:
    plan_code: str
    plan_title: str
    release: int
    status: str
    published: str  # ISO 8601, UTC
    publisher: str
    licence: str
    licence_url: str
    change_summary: str
    change_log: str
    disclosure_method: str
    figures: int
    suppressed: int

    def lines(self) -> list[tuple[str, str]]:
        """The "About" of the XLSX: label and value (in English, as the data)."""
        return [
            ("Plan", f"{self.plan_title} ({self.plan_code})"),
            ("Release", str(self.release)),
            ("Status", self.status),
            ("Published (UTC)", self.published),
            ("Publisher", self.publisher),
            ("Licence", f"{self.licence} ({self.licence_url})"),
            ("Changes", self.change_summary),
            ("Disclosure control", self.disclosure_method),
            ("Figures", str(self.figures)),
            ("Withheld figures", str(self.suppressed)),
            (
                "Flags",
                "primary: fewer than the threshold; secondary: withheld to protect a small "
                "count; derived: computed from a withheld count. A withheld figure has no "
                "value, never zero.",
            ),
            (
                "Sources",
                "government and civil-society figures are separate rows (source_kind, source, "
                "organisation), never added together.",
            ),
        ]


def provenance(release: Release) -> Provenance:
    """Where the figures come from. The publisher is the plan's lead organisation (the
    coordinator who pressed "publish" is a person, not named in public files)."""
    plan = release.plan
    lead = plan.lead_organisation
    published = release.published_at
    return Provenance(
        plan_code=plan.code,
        plan_title=plan.title,
        release=release.number,
        status=release.status,
        published=published.isoformat().replace("+00:00", "Z") if published else "",
        publisher=lead.name if lead is not None else plan.title,
        licence=release.licence,
        licence_url=licence_url(release.licence),
        change_summary=(release.change_log.splitlines() or [""])[0],
        change_log=release.change_log,
        disclosure_method=DISCLOSURE_METHOD,
        figures=release.figures,
        suppressed=release.suppressed,
    )


# ------------------------------------------------------------------------------------- rows


def figure_rows(
    release: Release, *, indicators: Iterable[int] | None = None
) -> Iterator[dict[str, Any]]:
    """The release's figures (ids, not names: see `Names`), CHUNK rows at a time."""
    rows = selectors.release_figures(release)
    if indicators is not None:
        rows = rows.filter(indicator_id__in=list(indicators))
    yield from rows.values(*_FIGURE_FIELDS).iterator(chunk_size=CHUNK)


@dataclass(frozen=True)
class Names:
    """Codes and names of what the release's figures refer to, read once per file instead of
    joined on every row: id -> (code, name)."""

    indicators: dict[int, tuple[str, str]]
    areas: dict[int, tuple[str, str]]
    sources: dict[int, tuple[str, str]]
    organisations: dict[int, tuple[str, str]]


def names_of(release: Release) -> Names:
    from wpsmonitor.directory.models import Area, Organisation
    from wpsmonitor.indicators.models import Indicator, Source

    figures = ReleaseFigure.objects.filter(release=release)

    def pairs(rows: Any) -> dict[int, tuple[str, str]]:
        return {pk: (code, name) for pk, code, name in rows}

    return Names(
        indicators=pairs(
            Indicator.objects.filter(plan_id=release.plan_id).values_list("pk", "code", "title")
        ),
        areas=pairs(
            Area.objects.filter(pk__in=figures.values("area_id")).values_list("pk", "code", "name")
        ),
        sources=pairs(Source.objects.values_list("pk", "code", "name")),
        organisations=pairs(
            Organisation.objects.filter(
                pk__in=figures.filter(organisation__isnull=False).values("organisation_id")
            ).values_list("pk", "code", "name")
        ),
    )


def tidy_rows(release: Release) -> Iterator[list[Any]]:
    """One list per figure, in COLUMNS' order; numbers as Decimal (None when withheld)."""
    plan = release.plan.code
    # The texts are taken in English once, outside the loop: a generator must not hold the
    # thread's language switched between the rows it yields.
    with translation.override("en"):
        texts = {
            Flag.SECONDARY.value: figure_text(Flag.SECONDARY, None, None),
            Flag.DERIVED.value: figure_text(Flag.DERIVED, None, None),
        }
    primary: dict[int | None, str] = {}
    names = names_of(release)
    none = ("", "")
    for r in figure_rows(release):
        flag = r["flag"]
        if flag == Flag.PRIMARY:
            threshold = r["threshold"]
            if threshold not in primary:
                with translation.override("en"):
                    primary[threshold] = figure_text(flag, threshold, None)
            text = primary[threshold]
        else:
            text = texts.get(flag, "")
        dimension, _sep, option = r["cell_key"].partition("=")
        indicator = names.indicators[r["indicator_id"]]
        area = names.areas[r["area_id"]]
        organisation = names.organisations.get(r["organisation_id"], none)
        yield [
            plan,
            release.number,
            indicator[0],
            indicator[1],
            r["unit"],
            r["period_code"],
            area[0],
            area[1],
            r["cell_key"] or "total",
            dimension,
            option,
            r["source_kind"],
            names.sources[r["source_id"]][0],
            organisation[0],
            organisation[1],
            r["value"],
            r["numerator"],
            r["denominator"],
            flag,
            text,
            r["threshold"] if flag == Flag.PRIMARY else None,
            OBS_STATUS_MISSING if flag else OBS_STATUS_NORMAL,
            conf_status_of(flag),
        ]


# First characters of text that neutralise() may change: the rest is written as it is.
_RISKY_START = frozenset((*FORMULA_TRIGGERS, "'"))


def _csv_cell(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return neutralise(value) if value[:1] in _RISKY_START else value
    if value is None:
        return ""
    if kind is Decimal:
        return number_text(value)
    return str(value)


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """UTF-8 CSV (no byte-order mark: a machine file), CHUNK rows per piece."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(c) for c in row])
        if count % CHUNK == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def tidy_csv(release: Release) -> Iterator[bytes]:
    return csv_lines(COLUMNS, tidy_rows(release))


# ------------------------------------------------------------------------------------- XLSX


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """A value as openpyxl appends it: numbers as numbers, "" as an empty cell, and a
    quote-prefixed text cell only for text a spreadsheet would run as a formula (a cell object
    for every value would take several times as long)."""
    if isinstance(value, Decimal):
        return float(value)
    if value == "":
        return None
    if isinstance(value, str) and value[:1] in FORMULA_TRIGGERS:
        return safe_cell(sheet, value)
    return value


def tidy_xlsx(release: Release, out: IO[bytes]) -> None:
    """The tidy table on a first sheet ("figures"), the provenance on the last ("about").

    A sheet holds at most XLSX_ROWS figures (a worksheet has 1,048,576 rows): a larger release
    goes on "figures-2", "figures-3"..., each with the header row.

    openpyxl's write-only mode writes rows to a temporary file as they come: memory stays
    bounded. Numbers are numbers; a withheld figure is an empty cell with its flag.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def new_sheet(number: int) -> Any:
        sheet = workbook.create_sheet("figures" if number == 1 else f"figures-{number}")
        sheet.freeze_panes = "A2"
        header = []
        for name in COLUMNS:
            cell = safe_cell(sheet, name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        return sheet

    sheets = 1
    sheet = new_sheet(sheets)
    for count, row in enumerate(tidy_rows(release)):
        if count and count % XLSX_ROWS == 0:
            sheets += 1
            sheet = new_sheet(sheets)
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    about = workbook.create_sheet("about")
    about.column_dimensions["A"].width = 20
    about.column_dimensions["B"].width = 100
    for label, value in provenance(release).lines():
        key = safe_cell(about, label)
        key.font = bold
        about.append([key, safe_cell(about, value)])
    workbook.save(out)


# ------------------------------------------------------------------------ Frictionless package


def _field(name: str, type_: str, description: str, **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": type_, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema() -> dict[str, Any]:
    """The Table Schema of the tidy CSV (frictionless v1 specification)."""
    flags = [f.value for f in Flag]
    fields = [
        _field("plan", "string", "Plan code", required=True),
        _field("release", "integer", "Release number", required=True, minimum=1),
        _field("indicator_code", "string", "Indicator code, within the plan", required=True),
        _field("indicator_name", "string", "Indicator title", required=True),
        _field("unit", "string", "Unit of the figure"),
        _field(
            "period",
            "string",
            "Period: 2025, 2025S1, 2025Q1, 2025-03, or ALL (the whole plan)",
            required=True,
            pattern=r"\d{4}|\d{4}S[12]|\d{4}Q[1-4]|\d{4}-(0[1-9]|1[0-2])|ALL",
        ),
        _field("area_code", "string", "Area code (ISO 3166 or national)", required=True),
        _field("area_name", "string", "Area name"),
        _field(
            "cell",
            "string",
            '"total", or the margin "dimension=option"',
            required=True,
        ),
        _field("dimension", "string", "Dimension of the margin (empty for the total)"),
        _field("option", "string", "Option of the margin (empty for the total)"),
        _field(
            "source_kind",
            "string",
            "government or civil_society: the two accounts are never added together",
            required=True,
            enum=["government", "civil_society"],
        ),
        _field("source", "string", "Source stream code", required=True),
        _field("organisation", "string", "Civil-society organisation code"),
        _field("organisation_name", "string", "Civil-society organisation name"),
        _field("value", "number", "The figure; empty when withheld (see flag), never zero"),
        _field("numerator", "number", "Numerator of a share or rate; empty when withheld"),
        _field("denominator", "number", "Denominator of a share or rate; empty when withheld"),
        _field("flag", "string", "Why the figure is withheld; empty when published", enum=flags),
        _field("flag_text", "string", 'The flag in words, e.g. "fewer than 5"'),
        _field("threshold", "integer", "The threshold of a primary flag", minimum=3),
        _field(
            "obs_status",
            "string",
            "SDMX OBS_STATUS: A normal, O missing (withheld)",
            required=True,
            enum=[OBS_STATUS_NORMAL, OBS_STATUS_MISSING],
        ),
        _field(
            "conf_status",
            "string",
            "SDMX CONF_STATUS: F free, A primary (small count), D secondary",
            required=True,
            enum=sorted({CONF_STATUS_FREE, *CONF_STATUS.values()}),
        ),
    ]
    return {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": ["indicator_code", "source", "area_code", "cell", "period"],
    }


def package_name(release: Release) -> str:
    plan = re.sub(r"[^a-z0-9._-]+", "-", release.plan.code.lower()).strip("-.") or "plan"
    return f"wpsmonitor-{plan}-release-{release.number}"


def descriptor(release: Release, *, data_path: str, page_url: str = "") -> dict[str, Any]:
    """datapackage.json: name, title, licence, sources, creation, provenance, the resource."""
    about = provenance(release)
    return {
        "profile": "tabular-data-package",
        "name": package_name(release),
        "title": f"{about.plan_title}: release {about.release}",
        "description": (
            f"Figures of the plan {about.plan_title} ({about.plan_code}), release "
            f"{about.release}, after disclosure control. {about.disclosure_method} "
            "Government and civil-society figures are separate rows, never added together."
        ),
        "version": str(about.release),
        "created": about.published,
        "licenses": [{"name": about.licence, "path": about.licence_url, "title": about.licence}],
        "sources": [
            {
                "title": f"WPS Monitor: {about.plan_title}",
                **({"path": page_url} if page_url else {}),
            }
        ],
        "contributors": [{"title": about.publisher, "role": "publisher"}],
        "keywords": ["women, peace and security", "national action plan", "open data"],
        "wpsmonitor": {
            "plan": about.plan_code,
            "release": about.release,
            "status": about.status,
            "published": about.published,
            "publisher": about.publisher,
            "change_summary": about.change_summary,
            "change_log": about.change_log,
            "disclosure_method": about.disclosure_method,
            "figures": about.figures,
            "withheld": about.suppressed,
        },
        "resources": [
            {
                "name": "figures",
                "path": data_path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": table_schema(),
            }
        ],
    }


def datapackage_zip(release: Release, out: IO[bytes], *, page_url: str = "") -> None:
    """A zip of datapackage.json and the tidy CSV, written as the rows come."""
    data_path = file_name(release, "csv")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(data_path, "w") as member:
            for piece in tidy_csv(release):
                member.write(piece)
        archive.writestr(
            "datapackage.json",
            json.dumps(
                descriptor(release, data_path=data_path, page_url=page_url),
                ensure_ascii=False,
                indent=2,
            ),
        )


def cache_path(release: Release, fmt: str) -> Path:
    """Where a published release's built file is kept. The name holds the release's id and
    its publication instant, so a file can only ever be that release's."""
    stamp = release.published_at.strftime("%Y%m%dT%H%M%S%f") if release.published_at else "x"
    return (
        Path(settings.MEDIA_ROOT) / "open-data" / f"{release.pk}-{stamp}-{file_name(release, fmt)}"
    )


def built(release: Release, fmt: str, write: Callable[[IO[bytes]], None]) -> IO[bytes]:
    """The XLSX or Data Package of a release, open for reading from its start.

    A published release never changes, so its file is built once and kept (`cache_path`),
    written to a temporary name and renamed into place: the next reader gets it without the
    minutes a large workbook takes, and no reader can make the server build it again and again.
    A draft (replaced when prepared again, with the same number) is built for each request.
    Whether a release may be read is checked before this, on each request: a withdrawn
    release's kept files are never served.
    """
    if release.status != ReleaseStatus.PUBLISHED:
        out = spooled()
        write(out)
        out.seek(0)
        return out
    path = cache_path(release, fmt)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as out:
            try:
                write(out)
            except BaseException:
                Path(out.name).unlink(missing_ok=True)
                raise
        os.replace(out.name, path)
    return path.open("rb")


def forget(release: Release) -> None:
    """Delete the kept files of a release (withdrawn: no one may read them again)."""
    for fmt in FORMATS:
        cache_path(release, fmt).unlink(missing_ok=True)


def spooled() -> IO[bytes]:
    """A temporary file for a built download: in memory up to 8 MB, on disk beyond."""
    return tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115


# ---------------------------------------------------------------------------------- answers


def response(release: Release, fmt: str, *, page_url: str = "") -> HttpResponseBase:
    """The file of one format, for the portal and the API alike.

    CSV and SDMX-CSV stream as the rows are read; XLSX and the Data Package are built into a
    spooled temporary file first (a zip and a workbook are written whole) and then streamed.
    The licence goes with every answer as a `Link: <...>; rel="license"` header.
    """
    from wpsmonitor.publishing import sdmx

    answer: HttpResponseBase
    if fmt == "csv":
        answer = StreamingHttpResponse(tidy_csv(release), content_type=CONTENT_TYPES[fmt])
    elif fmt == "sdmx":
        answer = StreamingHttpResponse(sdmx.sdmx_csv(release), content_type=CONTENT_TYPES[fmt])
    elif fmt in ("xlsx", "datapackage"):

        def write(out: IO[bytes]) -> None:
            if fmt == "xlsx":
                tidy_xlsx(release, out)
            else:
                datapackage_zip(release, out, page_url=page_url)

        answer = FileResponse(built(release, fmt, write), content_type=CONTENT_TYPES[fmt])
    else:
        raise ValueError(f"unknown open-data format {fmt!r}")
    # file_name keeps only [A-Za-z0-9._-]: the name needs no quoting or encoding.
    answer["Content-Disposition"] = f'attachment; filename="{file_name(release, fmt)}"'
    answer["Link"] = f'<{licence_url(release.licence)}>; rel="license"'
    return answer
