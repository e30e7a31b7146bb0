"""SDMX-CSV of a release, with the codes of the SDG data structure (docs/publishing.md,
"SDMX-CSV and the SDG codes").

Only the figures of indicators mapped to an SDG series go in: an indicator is mapped by a
reference to the `sdg-series` catalogue (indicators/catalogues/sdg-series.json), which says
that its figures *are* that series (a reference to an `sdg` indicator only says that they are
related: a count of members of parliament is not the share of seats held by women).

The file is SDMX-CSV 1.0 (SDMX 2.1): a first column DATAFLOW, then the dimensions, OBS_VALUE,
then the attributes. The government and each civil-society stream are separate dataflows
(`WPSMONITOR:DF_SDG_<PLAN>_GOV(1.0)`, `..._CS_<SOURCE>(1.0)`): the SDG structure has no
dimension for who reports a figure, and two accounts of one key in one dataflow would be one
observation given twice. Left out, rather than given a code the SDG code lists do not have:
sub-national areas (REF_AREA is the M49 code of a country), options with no SDG code (see
DIMENSIONS), dimensions the SDG structure does not have (rank, say), and the whole-plan period
ALL. A withheld figure has an empty OBS_VALUE, OBS_STATUS O (missing) and CONF_STATUS A
(primary) or D (secondary, derived), the same flags as every other format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pycountry

from wpsmonitor.core.periods import PeriodCodeError, PeriodType, parse_period
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.publishing import opendata
from wpsmonitor.publishing.disclosure import conf_status_of
from wpsmonitor.publishing.models import Release

SERIES_VOCABULARY = "sdg-series"
TOTAL = "_T"
REPORTING_TYPE = "N"  # national data, as opposed to G (global, UN estimates)

# Platform dimension code -> (SDG dimension, {option code: SDG code}). An option not listed
# has no SDG code and its figures are left out of the SDMX file (they stay in the other files).
# Every code is checked against the SDG code lists (sdg_dsd_codes.json, where they come from;
# tests/publishing/test_sdmx_codes.py).
DIMENSIONS: dict[str, tuple[str, dict[str, str]]] = {
    "sex": ("SEX", {"F": "F", "M": "M"}),
    # CL_AGE has no code for 30 to 59 years (Y30T59 is not one): that option is left out.
    "age": ("AGE", {"0-17": "Y0T17", "18-29": "Y18T29", "60+": "Y_GE60"}),
    "disability": ("DISABILITY_STATUS", {"yes": "PD", "no": "PWD"}),
    "area_type": ("URBANISATION", {"urban": "U", "rural": "R"}),
}
SDG_DIMENSIONS = ("SEX", "AGE", "URBANISATION", "DISABILITY_STATUS")

# The unit of each series of the catalogue (SDG UNIT_MEASURE codes).
SERIES_UNITS = {
    "SG_GEN_PARL": "PT",
    "SG_GEN_LOCGELS": "PT",
    "VC_DTH_TOCV": "PER_100000_POP",
    "VC_DTH_TOCVN": "NUMBER",
    # A share in percent, not a rate (the SDG database; sdg-series.json 2026.2).
    "VC_DTH_TOCVR": "PT",
    "VC_IHR_PSRC": "PER_100000_POP",
    "VC_VAW_MARR": "PT",
    "VC_VAW_SXVLN": "PT",
}

COLUMNS = (
    "DATAFLOW",
    "FREQ",
    "REPORTING_TYPE",
    "SERIES",
    "REF_AREA",
    *SDG_DIMENSIONS,
    "TIME_PERIOD",
    "OBS_VALUE",
    "UNIT_MEASURE",
    "OBS_STATUS",
    "CONF_STATUS",
    "SOURCE",
)

_FREQ = {
    PeriodType.YEAR: "A",
    PeriodType.SEMESTER: "S",
    PeriodType.QUARTER: "Q",
    PeriodType.MONTH: "M",
}


def _sdmx_id(text: str) -> str:
    return re.sub(r"[^A-Z0-9_]+", "_", text.upper()).strip("_") or "X"


def dataflow(release: Release, source_kind: str, source_code: str) -> str:
    plan = _sdmx_id(release.plan.code)
    stream = "GOV" if source_kind == "government" else f"CS_{_sdmx_id(source_code)}"
    return f"WPSMONITOR:DF_SDG_{plan}_{stream}(1.0)"


def time_period(code: str) -> tuple[str, str] | None:
    """(FREQ, TIME_PERIOD) in SDMX's notation: 2025 A, 2025-S1, 2025-Q1, 2025-03; None for ALL."""
    try:
        period = parse_period(code)
    except PeriodCodeError:
        return None
    year = period.start.year
    if period.type is PeriodType.YEAR:
        return "A", str(year)
    if period.type is PeriodType.MONTH:
        return "M", f"{year}-{period.start.month:02d}"
    prefix = "S" if period.type is PeriodType.SEMESTER else "Q"
    return _FREQ[period.type], f"{year}-{prefix}{code[-1]}"


def m49(area_code: str) -> str | None:
    """The M49 (ISO 3166-1 numeric) code of a country area, as the SDG code list CL_AREA writes
    it (without leading zeros: Afghanistan is 4, not 004); None for any other area."""
    if not re.fullmatch(r"[A-Z]{3}", area_code):
        return None
    country = pycountry.countries.get(alpha_3=area_code)
    return str(int(country.numeric)) if country is not None else None


def series_of(release: Release) -> dict[int, list[str]]:
    """indicator id -> the SDG series its figures are (by its `sdg-series` references)."""
    mapping: dict[int, list[str]] = {}
    rows = Indicator.references.through.objects.filter(
        indicator__plan=release.plan, globalindicator__vocabulary=SERIES_VOCABULARY
    ).values_list("indicator_id", "globalindicator__code")
    for indicator_id, code in rows.order_by("indicator_id", "globalindicator__code"):
        mapping.setdefault(indicator_id, []).append(code)
    return mapping


def _breakdown(cell_key: str) -> dict[str, str] | None:
    """The SDG dimensions of a cell: all _T for the total; None when it has no SDG code."""
    codes = dict.fromkeys(SDG_DIMENSIONS, TOTAL)
    if not cell_key:
        return codes
    dimension, _sep, option = cell_key.partition("=")
    known = DIMENSIONS.get(dimension)
    if known is None or option not in known[1]:
        return None
    codes[known[0]] = known[1][option]
    return codes


def sdmx_rows(release: Release) -> Iterator[list[Any]]:
    series = series_of(release)
    if not series:
        return
    names = opendata.names_of(release)
    areas = {pk: m49(code) for pk, (code, _name) in names.areas.items()}
    for r in opendata.figure_rows(release, indicators=series):
        codes = series[r["indicator_id"]]
        area = areas[r["area_id"]]
        when = time_period(r["period_code"])
        breakdown = _breakdown(r["cell_key"])
        if area is None or when is None or breakdown is None:
            continue
        flag = r["flag"]
        value: Decimal | None = r["value"]
        source_code, source_name = names.sources[r["source_id"]]
        source = (
            "Government"
            if r["source_kind"] == "government"
            else names.organisations.get(r["organisation_id"], ("", source_name))[1]
        )
        for code in codes:
            yield [
                dataflow(release, r["source_kind"], source_code),
                when[0],
                REPORTING_TYPE,
                code,
                area,
                *breakdown.values(),
                when[1],
                None if flag else value,
                SERIES_UNITS.get(code, ""),
                opendata.OBS_STATUS_MISSING if flag else opendata.OBS_STATUS_NORMAL,
                conf_status_of(flag),
                source,
            ]


def sdmx_csv(release: Release) -> Iterator[bytes]:
    return opendata.csv_lines(COLUMNS, sdmx_rows(release))
