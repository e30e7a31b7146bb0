"""No public surface of the API or the plan workbook reaches a protected figure (issue 13 §1-2).

A plan with two sensitive counts is published through disclosure control. Then, as an
anonymous reader and as a signed-in user with no role on the plan, the sweep opens the plan
workbook and calls every GET endpoint of the API, found in its OpenAPI schema (a new endpoint is
swept without a change here), with every value of its path parameters and every combination
of its scope parameters (`area=` each area, `period=` each period, `source=` each stream,
`indicator=` each indicator, `cells=true`, `format=` each format), following `next` through
every page. Nowhere may it find:

- the value of a figure the release suppresses, as the platform holds it (the detail). PRO-02's
  threshold is 1,000, so that its small counts are numbers (613, 727, ...) that nothing else in
  an answer is: a leak of one of them is found wherever it is, whatever its key or shape;
- a count of a sensitive indicator below its threshold, in a figure of that indicator
  (PRO-01's threshold is 5: its 2 and 3 are the classic small cells);
- a count of early-warning signals below the plan's threshold (early-warning figures: 2
  signals acknowledged in a cell, where 4 more wait in the moderation queue), nor a count
  that includes a signal still in the queue;
- a count of allegations of sexual exploitation and abuse below the plan's threshold (conduct
  figures: 2 police allegations in 2025).

The same sweep as one of the plan's members finds both (the detail is theirs): the checks can
see what they look for.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook
from tests.aggregation.conftest import CSO, build_world
from tests.publishing.conftest import ReleaseWorld
from tests.publishing.figure_pages import add_small_totals, main_text

from wpsmonitor.accounts.models import ApiToken, PlanRole, Role
from wpsmonitor.api import api
from wpsmonitor.conduct import services as conduct
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.directory.models import Organisation
from wpsmonitor.earlywarning import services as earlywarning
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    AggregateValue,
    Baseline,
    Cell,
    Indicator,
    Target,
)
from wpsmonitor.indicators.services import period_ensure
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.publishing import services
from wpsmonitor.publishing.models import DisclosureAuditEntry, Release, ReleaseFigure

PREFIX = "/api/v1"

# PRO-02: survivors by sex with a threshold of 1,000, so that its primary cells are distinctive
# numbers. Below 1,000: suppressed; the complements the engine chooses are suppressed too.
LARGE = {
    ("2025Q1", "D11"): {"F": 613, "M": 1511},
    ("2025Q1", "D12"): {"F": 1733, "M": 1907},
    ("2025Q1", "D21"): {"F": 2003, "M": 2129},
    ("2025Q2", "D11"): {"F": 2251, "M": 1847},
    ("2025Q2", "D12"): {"F": 727, "M": 2389},
    ("2025Q2", "D21"): {"F": 2441, "M": 2593},
}

# GET paths whose path parameters the sweep cannot fill in this plan, and why that is safe.
# A new GET path with a parameter the sweep does not know fails the test until it is filled
# (PATH_VALUES below) or listed here with its reason.
NOT_SWEPT = {
    "/api/v1/plans/{plan}/finance/budget-lines/{pk}/civil-society": "a budget line, civil "
    "society's accounts of its money and the challenges on it: amounts of money, no indicator "
    "figure and no count of persons; drafts are their organisation's alone "
    "(tests/finance/test_budgetwatch.py); the swept plan has no budget line",
    "/api/v1/submissions/{pk}": "a submission is read by its authors and reviewers only, "
    "members of its plan (PlanAccess.can_view_submission, tests/reporting/test_access_matrix.py);"
    " the swept plan has none",
    "/api/v1/plans/{plan}/recommendations/{pk}": "a recommendation holds no indicator figure; "
    "the swept plan has none",
    "/api/v1/plans/{plan}/audits/{audit}": "an audit's findings and their recommendations hold "
    "no indicator figure and count no person; the swept plan has none",
    "/api/v1/plans/{plan}/hearings/{hearing}": "a hearing's questions and commitments hold no "
    "indicator figure and count no person; the swept plan has none",
    "/api/v1/plans/{plan}/peace/agreements/{agreement_id}": "a peace agreement holds no "
    "indicator figure and counts no person; a civil-society draft assessment is its "
    "organisation's alone (tests/peace/test_agreement_pages.py); the swept plan has none",
    "/api/v1/plans/{plan}/reports/{pk}": "a board's periodic report holds no figure of the fact "
    "table; the swept plan has none",
    "/api/v1/plans/{plan}/board/meetings/{pk}": "a steering committee's meeting holds no figure "
    "of the fact table, only the attendance of its named members; the swept plan has none",
    # A generated standard report: the swept plan has none. A public version is built from the
    # release (tests/reports/test_sections_pillars.py: the 4242 trap), an internal one answers
    # non-members 404/401 (tests/reports/test_access_matrix.py).
    "/api/v1/plans/{plan}/standard-reports/{pk}": "a generated report; the swept plan has none",
    "/api/v1/plans/{plan}/standard-reports/{pk}/document": "a generated report's document; "
    "the swept plan has none",
    "/api/v1/plans/{plan}/standard-reports/{pk}/files/{fmt}": "a generated report's files; "
    "the swept plan has none",
    # A story holds no figure of the fact table; who reads how much of it, through the API, the
    # exports and the pages, is tested as a matrix (tests/stories/test_format_matrix.py).
    "/api/v1/plans/{plan}/stories/{uid}": "a story holds no figure; the swept plan has none",
    "/api/v1/plans/{plan}/stories/{uid}/reads": "a story's read log, its holder's only; the "
    "swept plan has none",
    # An XLSForm holds no figure, only the fields an assignment owes; the coordinator and the
    # focal points who enter it read it (tests/fieldcollection/test_api.py).
    "/api/v1/plans/{plan}/rounds/{period}/xlsform": "an empty form to fill; the swept plan "
    "has no round",
    # A self-assessment holds scores from 1 to 4 and texts, no count of people; drafts are read
    # by members only (tests/security/test_assessment.py).
    "/api/v1/plans/{plan}/security/institutions/{institution}/assessments": "an institution's "
    "self-assessment scores, no figure; the swept plan has no institution",
    # The watched indicators' figures are read through `reading_for` (the release for the
    # public, small counts flagged: tests/missions/test_api.py); benchmarks hold no figure.
    "/api/v1/plans/{plan}/missions/{mission}/transition": "the swept plan has no mission",
    "/api/v1/plans/{plan}/missions/{mission}/protection": "the swept plan has no mission",
}

# Values for a query parameter by name; a parameter not named here keeps its default, and an
# enumerated or boolean one takes each of its values. The scope parameters are combined with
# each other (every area with every period, stream...); the others vary one at a time.
SCOPE = ("indicator", "area", "period", "source", "cells", "format")
PAGING = {"limit", "offset", "after", "updated_since"}
FORMATS = ["csv", "xlsx", "json", "sdmx", "sdmx-csv", "datapackage", "zip"]


@dataclass
class Swept:
    """Everything a reader was answered: the JSON answers (with the indicator of their path),
    and the numbers of every other answer."""

    answers: list[tuple[str, str | None, Any]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[tuple[str, list[list[str]]]] = field(default_factory=list)
    calls: int = 0
    paths: set[str] = field(default_factory=set)


@dataclass
class Published:
    rw: ReleaseWorld
    release: Release
    large: Indicator
    indicators: list[str]
    areas: list[str]
    periods: list[str]
    thresholds: dict[str, int]  # sensitive indicator code -> threshold
    forbidden: set[Decimal]  # detail values of suppressed figures, never published as such
    signal_threshold: int  # the plan's: early-warning counts below it are never published


def _publish(rw: ReleaseWorld) -> Release:
    release = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    for entry in DisclosureAuditEntry.objects.filter(release=release, problem=True):
        services.audit_resolve(by=rw.coordinator, entry=entry, note="Checked for the sweep.")
    return services.release_publish(by=rw.coordinator, release=release, confirm=True)


@pytest.fixture
def published(rw: ReleaseWorld) -> Published:
    return _published(rw)


@pytest.fixture
def published_totals(rw: ReleaseWorld) -> Published:
    """The same, with PRO-03's small totals (figure_pages.py): the divergence page and the
    scorecard read totals only, which PRO-01 and PRO-02 never make small."""
    add_small_totals(rw)
    return _published(rw)


def _signals(rw: ReleaseWorld) -> None:
    """Early-warning signals of 2025 (earlywarning/selectors.py: figures counts those
    acknowledged or later): 7 displacements acknowledged in Province 1 (a count the public
    reads), 2 hate speeches acknowledged in Province 2 with 4 more still in the moderation
    queue (6 if the queue were counted; published: fewer than the threshold)."""
    watch = Organisation.objects.get(code="watch")
    token, _key = earlywarning.intake_token_issue(
        by=rw.coordinator, plan=rw.plan, organisation=watch, label="Sweep"
    )
    areas = rw.world.areas
    for category, area, acknowledged, waiting in (
        ("displacement", areas["D11"], 7, 0),
        ("hate_speech", areas["D21"], 2, 4),
    ):
        for n in range(acknowledged + waiting):
            signal = earlywarning.signal_receive(
                token=token,
                category=category,
                area=area,
                observed_on=date(2025, 4, 2),
                severity="high",
                source_type="monitor",
                description="Seen near the market.",
            )
            if n < acknowledged:
                earlywarning.signal_acknowledge(by=rw.coordinator, signal=signal)


def _allegations(rw: ReleaseWorld) -> None:
    """Allegations of 2025 (conduct/selectors.py: figures): 7 against military personnel, of
    sexual exploitation (a count the public reads, by category and by kind), 2 against police
    personnel, of sexual abuse (published: fewer than the threshold)."""
    police = Organisation.objects.create(code="sweep-police", name="Police", type="government")
    for category, kind, n in (("military", "exploitation", 7), ("police", "abuse", 2)):
        for _ in range(n):
            conduct.allegation_record(
                by=rw.coordinator,
                verified=True,
                plan=rw.plan,
                institution=police,
                category=category,
                kind=kind,
                reported_on=date(2025, 4, 2),
            )


def _published(rw: ReleaseWorld) -> Published:
    world = rw.world
    _signals(rw)
    _allegations(rw)
    large = world.indicator(
        "PRO-02",
        scheme=["sex"],
        unit="survivors",
        sensitivity=Sensitivity.SENSITIVE,
        disclosure_threshold=1000,
    )
    for (period, area), by_sex in LARGE.items():
        for sex, value in by_sex.items():
            world.value(large, period, area, value, cell=f"sex={sex}")
            world.value(large, period, area, value + 2, cell=f"sex={sex}", source=CSO)
    world.rebuild()
    release = _publish(rw)
    figures = ReleaseFigure.objects.filter(release=release)
    suppressed = figures.exclude(flag="")
    assert suppressed.filter(indicator=large, flag="primary").exists()
    assert suppressed.filter(indicator=rw.survivors, flag="primary").exists()
    free: set[Decimal] = set()
    for row in figures.filter(flag="").values_list("value", "numerator", "denominator"):
        free.update(Decimal(v) for v in row if v is not None)
    forbidden: set[Decimal] = set()
    for ind, period, area, cell, source in suppressed.filter(indicator=large).values_list(
        "indicator_id", "period_code", "area_id", "cell_key", "source_id"
    ):
        detail = AggregateValue.objects.get(
            indicator_id=ind, period_code=period, area_id=area, cell_key=cell, source_id=source
        )
        forbidden.update(
            Decimal(str(v))
            for v in (detail.value, detail.numerator, detail.denominator)
            if v is not None
        )
    # A number published freely elsewhere may appear; every other one is the leak we look for.
    forbidden -= free
    # A restricted indicator's baseline and target never leave the platform either.
    total = Cell.objects.get(scheme_id=rw.restricted.scheme_id)
    Baseline.objects.create(
        indicator=rw.restricted,
        period=period_ensure("2024"),
        area=rw.plan.area,
        cell=total,
        value=877,
    )
    Target.objects.create(
        indicator=rw.restricted,
        period=period_ensure("2027"),
        area=rw.plan.area,
        cell=total,
        value=883,
    )
    forbidden |= {Decimal(877), Decimal(883)}
    assert {Decimal(613), Decimal(727), Decimal(615), Decimal(729)} <= forbidden
    plan = rw.plan
    sensitive = Indicator.objects.filter(plan=plan, sensitivity=Sensitivity.SENSITIVE)
    return Published(
        rw=rw,
        release=release,
        large=large,
        indicators=sorted(Indicator.objects.filter(plan=plan).values_list("code", flat=True)),
        areas=sorted(a.code for a in world.areas.values()),
        periods=sorted(set(figures.values_list("period_code", flat=True))),
        thresholds={i.code: i.disclosure_threshold or plan.disclosure_threshold for i in sensitive},
        forbidden=forbidden,
        signal_threshold=plan.disclosure_threshold,
    )


# --- the sweep ---------------------------------------------------------------------------------


def _path_values(p: Published, path: str, name: str) -> list[str]:
    plan = p.rw.plan
    known: dict[str, list[str]] = {
        "plan": [plan.code],
        "indicator": p.indicators,
        "number": [str(p.release.number)],
        "action": list(FrameworkNode.objects.filter(plan=plan).values_list("code", flat=True)),
        "fmt": FORMATS,
        "format": FORMATS,
        "vocabulary": ["sdg", "sdg-series"],  # public reference data, no figure
    }
    return known.get(name, [])


def _query_values(p: Published, name: str, schema: dict[str, Any]) -> list[str | None]:
    """None is the parameter left out (its default)."""
    sources = [GOVERNMENT_SOURCE, CSO]
    by_name: dict[str, list[str]] = {
        "indicator": p.indicators,
        "area": p.areas,
        "period": p.periods,
        "source": sources,
        "cells": ["true"],
        "format": FORMATS,
        "cell": ["sex=F", "sex=M"],
        "period_type": ["quarter", "semester", "year"],
        "year": ["2025"],
    }
    if name in by_name:
        return [None, *by_name[name]]
    if schema.get("enum"):
        return [None, *map(str, schema["enum"])]
    if schema.get("type") == "boolean":
        return [None, "true"]
    return [None]


def _operations(p: Published) -> Iterator[tuple[str, str, str | None]]:
    """(template, URL, the indicator of the URL's path) for every call of the sweep."""
    schema = api.get_openapi_schema()
    unfilled = []
    for template, operations in sorted(schema["paths"].items()):
        if "get" not in operations or template in NOT_SWEPT:
            continue
        parameters = operations["get"].get("parameters", [])
        names = [x["name"] for x in parameters if x["in"] == "path"]
        choices = [_path_values(p, template, n) for n in names]
        if any(not c for c in choices):
            unfilled.append(template)
            continue
        query = {
            x["name"]: _query_values(p, x["name"], x.get("schema", {}))
            for x in parameters
            if x["in"] == "query" and x["name"] not in PAGING
        }
        scope = [n for n in query if n in SCOPE]
        others = [n for n in query if n not in SCOPE]
        combinations = [
            dict(zip(scope, values, strict=True))
            for values in itertools.product(*(query[n] for n in scope))
        ]
        for n in others:
            combinations += [{n: v} for v in query[n] if v is not None]
        for values in itertools.product(*choices):
            path = template
            for n, v in zip(names, values, strict=True):
                path = path.replace("{" + n + "}", v)
            indicator = dict(zip(names, values, strict=True)).get("indicator")
            for params in combinations:
                given = {k: v for k, v in params.items() if v is not None}
                url = path + ("?" + urlencode(given) if given else "")
                yield template, url, indicator
    assert not unfilled, (
        f"GET paths the sweep cannot fill: {unfilled}. Give their parameters values in "
        "_path_values, or list them in NOT_SWEPT with the reason no figure can leak there."
    )


def _sweep(p: Published, client: Client, headers: dict[str, str]) -> Swept:
    swept = Swept()
    for template, url, indicator in _operations(p):
        swept.paths.add(template)
        pages = 0
        while url and pages < 100:
            response = client.get(url, headers=headers)
            swept.calls += 1
            pages += 1
            assert response.status_code < 500, (url, response.status_code)
            url = _read(swept, url, indicator, response)
    return swept


def _read(swept: Swept, url: str, indicator: str | None, response: Any) -> str:
    """Keep what the answer holds; the URL of its next page, if any."""
    kind = response.get("Content-Type", "")
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if "json" in kind:
        data = json.loads(body)
        swept.answers.append((url, indicator, data))
        following = data.get("next") if isinstance(data, dict) else None
        if isinstance(following, str) and following:
            parts = urlsplit(following)
            return parts.path + ("?" + parts.query if parts.query else "")
        return ""
    _read_file(swept, url, kind, body)
    return ""


def _read_file(swept: Swept, url: str, kind: str, body: bytes) -> None:
    """A download: a workbook, a zip of files, or text (CSV and the like)."""
    if body[:2] == b"PK" and "spreadsheet" not in kind:  # a zip: a workbook or an archive
        try:
            load_workbook(io.BytesIO(body), read_only=True)
            kind = "spreadsheet"
        except Exception:  # noqa: BLE001 - not a workbook: an archive of files
            kind = "zip"
    if "spreadsheet" in kind:
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        for ws in workbook.worksheets:
            rows = [
                ["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)
            ]
            swept.tables.append((url, rows))
            swept.texts += [(url, " ".join(row)) for row in rows]
        return
    if "zip" in kind:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for name in archive.namelist():
                inner = "spreadsheet" if name.endswith(".xlsx") else "text"
                _read_file(swept, f"{url}!{name}", inner, archive.read(name))
        return
    text = body.decode("utf-8-sig", "replace")
    swept.texts.append((url, text))
    if "csv" in kind or url.endswith(".csv") or "," in text.partition("\n")[0]:
        swept.tables.append((url, list(csv.reader(io.StringIO(text)))))


# --- what the sweep must not find ------------------------------------------------------------

NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
# Keys that hold no figure: identifiers, and the links to other pages (whose ids and cursors
# are numbers too).
NOT_FIGURES = {"id", "pk", "number", "next", "previous", "url", "href", "link"}
FIGURE_KEYS = ("value", "numerator", "denominator", "government", "civil_society")
TABLE_FIGURES = {"value", "obs_value", "numerator", "denominator", "government", "civil society"}
# The pages' downloads name them as their columns read: "Indicator code", the scorecard's "Code".
TABLE_INDICATORS = {"indicator", "indicator_code", "indicator code", "code"}


def _numbers(data: Any, key: str = "") -> Iterator[tuple[str, Decimal]]:
    if key in NOT_FIGURES:
        return
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _numbers(v, str(k))
    elif isinstance(data, list):
        for v in data:
            yield from _numbers(v, key)
    elif isinstance(data, bool) or data is None:
        return
    elif isinstance(data, int | float):
        yield key, Decimal(str(data)).normalize()
    elif isinstance(data, str):
        for found in NUMBER.findall(data):
            yield key, Decimal(found).normalize()


def _forbidden_found(p: Published, swept: Swept) -> list[tuple[str, str, Decimal]]:
    forbidden = {f.normalize() for f in p.forbidden}
    found = [
        (url, key, n)
        for url, _indicator, data in swept.answers
        for key, n in _numbers(data)
        if n in forbidden
    ]
    for url, text in swept.texts:
        found += [
            (url, "text", Decimal(n).normalize())
            for n in NUMBER.findall(text)
            if Decimal(n).normalize() in forbidden
        ]
    return found


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _small_found(p: Published, swept: Swept) -> list[tuple[str, str, Any]]:
    """Figures of a sensitive indicator below its threshold, in any JSON answer."""
    found: list[tuple[str, str, Any]] = []

    def walk(data: Any, url: str, indicator: str | None) -> None:
        if isinstance(data, list):
            for item in data:
                walk(item, url, indicator)
            return
        if not isinstance(data, dict):
            return
        named = data.get("indicator") or data.get("code")
        if isinstance(named, str) and named in p.indicators:
            indicator = named
        threshold = p.thresholds.get(indicator or "")
        for key in FIGURE_KEYS:
            figure = data.get(key)
            if _is_number(figure) and threshold and figure < threshold:
                found.append((url, f"{indicator}.{key}", figure))
        for value in data.values():
            walk(value, url, indicator)

    for url, indicator, data in swept.answers:
        walk(data, url, indicator)
    # Tables (CSV, workbooks): a row naming a sensitive indicator, its figure columns.
    for url, rows in swept.tables:
        if not rows:
            continue
        header = [h.strip().lower() for h in rows[0]]
        named = [i for i, h in enumerate(header) if h in TABLE_INDICATORS]
        figures = [i for i, h in enumerate(header) if h in TABLE_FIGURES]
        for row in rows[1:]:
            for at in named:
                threshold = p.thresholds.get(row[at] if at < len(row) else "")
                for i in figures:
                    cell = row[i] if i < len(row) else ""
                    if threshold and NUMBER.fullmatch(cell) and Decimal(cell) < threshold:
                        found.append((url, f"{row[at]}.{header[i]}", cell))
    return found


EARLY_WARNING_FIGURES = "/early-warning/figures"


def _small_signal_counts(p: Published, swept: Swept) -> list[tuple[str, Any]]:
    """Early-warning counts below the plan's threshold, or counting the moderation queue (the
    hate speeches of Province 2), in the early-warning figures' answers."""
    found: list[tuple[str, Any]] = []
    for url, _indicator, data in swept.answers:
        if EARLY_WARNING_FIGURES not in url or not isinstance(data, dict):
            continue
        for cell in data.get("cells", []):
            count = cell.get("count")
            if count is not None and count < p.signal_threshold:
                found.append((url, cell))
            if cell.get("category") == "hate_speech" and count is not None:
                found.append((url, cell))
    return found


CONDUCT_FIGURES = "/conduct/figures"


def _small_conduct_counts(p: Published, swept: Swept) -> list[tuple[str, Any]]:
    """Counts of allegations below the plan's threshold in the conduct figures' answers."""
    return [
        (url, cell)
        for url, _indicator, data in swept.answers
        if CONDUCT_FIGURES in url and isinstance(data, dict)
        for cell in data.get("cells", [])
        if cell.get("count") is not None and cell["count"] < p.signal_threshold
    ]


def _conduct_counts_read(swept: Swept) -> list[int]:
    return [
        cell["count"]
        for url, _indicator, data in swept.answers
        if CONDUCT_FIGURES in url and isinstance(data, dict)
        for cell in data.get("cells", [])
        if cell.get("count") is not None
    ]


def _signal_counts_read(swept: Swept) -> list[int]:
    return [
        cell["count"]
        for url, _indicator, data in swept.answers
        if EARLY_WARNING_FIGURES in url and isinstance(data, dict)
        for cell in data.get("cells", [])
        if cell.get("count") is not None
    ]


def _workbook(client: Client, p: Published) -> Any:
    response = client.get(f"/plans/{p.rw.plan.code}/workbook.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _workbook_problems(p: Published, workbook: Any) -> list[tuple[str, Any]]:
    forbidden = {f.normalize() for f in p.forbidden}
    problems: list[tuple[str, Any]] = []
    for ws in workbook.worksheets:
        for row in ws.iter_rows(values_only=True):
            for cell in row:
                if _is_number(cell) and Decimal(str(cell)).normalize() in forbidden:
                    problems.append((ws.title, row))
    for title in [t for t in workbook.sheetnames if t.startswith(("Values", "Figures"))]:
        rows = workbook[title].iter_rows(values_only=True)
        header = list(next(rows))
        at = {name: header.index(name) for name in ("indicator", "value", "numerator")}
        for row in rows:
            threshold = p.thresholds.get(row[at["indicator"]])
            for name in ("value", "numerator"):
                figure = row[at[name]]
                if threshold and isinstance(figure, int | float) and figure < threshold:
                    problems.append((title, row))
    return problems


def _outsider() -> User:
    return get_user_model().objects.create_user(
        username="outsider", email="outsider@example.org", password="a-long-test-password-9"
    )


def _token(user: User) -> dict[str, str]:
    _token_obj, raw = ApiToken.issue(user=user, name="sweep")
    return {"Authorization": f"Bearer {raw}"}


# --- the tests ---------------------------------------------------------------------------------


def test_anonymous_and_outsiders_reach_no_protected_figure(published: Published) -> None:
    p = published
    outsider = _outsider()
    signed_in = Client()
    signed_in.force_login(outsider)
    for name, client, headers in (
        ("anonymous", Client(), {}),
        ("outsider", signed_in, _token(outsider)),
    ):
        workbook = _workbook(client, p)
        assert workbook.sheetnames[0] == "Release"
        about = dict(workbook["Release"].iter_rows(min_row=2, values_only=True))
        assert about["release"] == p.release.number
        assert "Values" not in workbook.sheetnames and "Figures" in workbook.sheetnames
        assert _workbook_problems(p, workbook) == [], name

        swept = _sweep(p, client, headers)
        assert swept.calls > 1000, (name, swept.calls)  # every combination was called
        assert _forbidden_found(p, swept) == [], name
        assert _small_found(p, swept) == [], name
        assert _small_signal_counts(p, swept) == [], name
        assert f"{PREFIX}/plans/{{plan}}{EARLY_WARNING_FIGURES}" in swept.paths
        assert _small_conduct_counts(p, swept) == [], name
        assert f"{PREFIX}/plans/{{plan}}{CONDUCT_FIGURES}" in swept.paths
        if name == "outsider":  # it read counts, not only refusals (anonymous: 401)
            assert _signal_counts_read(swept) == [7]
            assert _conduct_counts_read(swept) == [7, 7]  # military; exploitation

    # The check sees what it looks for: a count of 2, or one with the queue's 4, is found.
    leaked = Swept()
    url = f"{PREFIX}/plans/{p.rw.plan.code}{EARLY_WARNING_FIGURES}"
    for cell in ({"category": "hate_speech", "count": 6}, {"category": "other", "count": 2}):
        leaked.answers.append((url, None, {"cells": [cell]}))
    assert len(_small_signal_counts(p, leaked)) == 2
    leaked.answers.append(
        (f"{PREFIX}/plans/{p.rw.plan.code}{CONDUCT_FIGURES}", None, {"cells": [{"count": 2}]})
    )
    assert len(_small_conduct_counts(p, leaked)) == 1

    # The outsider read figures (not only refusals): the release's, flagged where suppressed.
    answer = Client().get(
        f"{PREFIX}/plans/{p.rw.plan.code}/indicators/PRO-02/aggregates?period=2025Q1&area="
        f"{p.rw.world.areas['D11'].code}",
        headers=_token(outsider),
    )
    body = answer.json()
    assert (body["reading"], body["release"]) == ("release", p.release.number)
    assert body["margins"]["sex=F"]["value"] is None
    assert body["margins"]["sex=F"]["flag"] == "primary"
    assert body["margins"]["sex=F"]["flag_text"] == "fewer than 1000"
    assert body["margins"]["sex=F"]["threshold"] == 1000
    refused = Client().get(f"{PREFIX}/plans/{p.rw.plan.code}/values", headers=_token(outsider))
    assert refused.status_code == 403
    assert f"releases/{p.release.number}" in refused.json()["detail"]


# The pages that show counts of allegations to the public (after disclosure control): the sweep
# above reads the API; this reads the public security page and the conduct figures' page, whose
# allegation tables print each count in a cell.


def _page_conduct_counts(html: str) -> list[int]:
    """The counts in a page's allegation tables (conduct/_table.html's cells)."""
    return [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', html)]


def test_the_public_pages_show_no_small_count_of_allegations(published: Published) -> None:
    p = published
    code = p.rw.plan.code
    outsider = _outsider()
    signed_in = Client()
    signed_in.force_login(outsider)
    for name, client in (("anonymous", Client()), ("outsider", signed_in)):
        response = client.get(f"/plans/{code}/public/security/")
        assert response.status_code == 200, name
        html = response.content.decode()
        section = html[html.index('id="conduct-heading"') :]
        section = section[: section.index("</section>")]
        counts = _page_conduct_counts(section)
        assert counts == [7, 7], (name, counts)  # military; exploitation: never the police 2
        assert all(n >= p.signal_threshold for n in counts)
        figures = client.get(f"/plans/{code}/conduct/figures/").content.decode()
        assert _page_conduct_counts(figures) == [7, 7], name
        # The public audits and hearings print no count of persons at all.
        oversight = client.get(f"/plans/{code}/public/oversight/")
        assert oversight.status_code == 200, name
        assert _page_conduct_counts(oversight.content.decode()) == [], name
    # The check sees what it looks for.
    assert _page_conduct_counts('<td class="num">2</td>') == [2]


def test_members_still_read_the_detail(published: Published) -> None:
    p = published
    coordinator = Client()
    coordinator.force_login(p.rw.coordinator)
    workbook = _workbook(coordinator, p)
    assert "Values" in workbook.sheetnames and "Release" not in workbook.sheetnames
    assert _workbook_problems(p, workbook)  # the detail: small and suppressed figures
    headers = _token(p.rw.monitor)
    swept = Swept()
    code = p.rw.plan.code
    d11 = p.rw.world.areas["D11"].code
    for url, indicator in (
        (f"{PREFIX}/plans/{code}/values?limit=10000", None),
        (f"{PREFIX}/plans/{code}/indicators/PRO-02/aggregates?period=2025Q1&area={d11}", "PRO-02"),
        (f"{PREFIX}/plans/{code}/indicators/PRO-01/aggregates?period=2025Q1&area={d11}", "PRO-01"),
    ):
        response = Client().get(url, headers=headers)
        assert response.status_code == 200, response.content
        assert response.json().get("reading", "detail") == "detail"
        _read(swept, url, indicator, response)
    indicators = f"{PREFIX}/plans/{code}/indicators"
    _read(swept, indicators, None, Client().get(indicators, headers=headers))
    found = {n for _u, _k, n in _forbidden_found(p, swept)}
    assert found >= {Decimal(613), Decimal(615)}
    # The monitor is a member but not one of the restricted indicator's readers (its
    # coordinators, the administrator, its responsible focal points: docs/publishing.md).
    assert not found & {Decimal(877), Decimal(883)}
    assert _small_found(p, swept)
    # Downloads are read as tables too: the members' workbook holds PRO-01's 2 and 3.
    downloaded = coordinator.get(f"/plans/{code}/workbook.xlsx")
    body = b"".join(downloaded.streaming_content)
    _read_file(swept, "workbook", downloaded["Content-Type"], body)
    assert [f for f in _small_found(p, swept) if f[0] == "workbook"]


def _sweep_pages(p: Published, client: Client) -> Swept:
    """The pages below publishing that read figures (the divergence page, the scorecard) with
    every value of their parameters, and their downloads: the pages' words as text, the
    downloads as tables."""
    swept = Swept()
    code = p.rw.plan.code
    periods = [None, "ALL", "bogus", *p.periods]
    urls: list[tuple[str, dict[str, str]]] = []
    for period in periods:
        query = {"period": period} if period else {}
        urls.append((f"/plans/{code}/divergence/", query))
        for table in ("divergences", "not_compared", "action_divergences"):
            for fmt in ("csv", "xlsx") if period is None else ("csv",):
                urls.append(
                    (f"/plans/{code}/divergence/", {**query, "download": fmt, "table": table})
                )
    years = [None, "bogus", *(str(y) for y in range(p.rw.plan.start.year, p.rw.plan.end.year + 1))]
    # Each source with each year, and each area with the default year and with each year of
    # the release (the area only narrows the items listed; the whole product took 2 minutes).
    combinations = [
        *itertools.product([None, CSO, "nobody"], years, [None]),
        *itertools.product([None], [None, *(y for y in years if y in p.periods)], p.areas),
    ]
    for source, year, area in combinations:
        given = {"source": source, "year": year, "area": area}
        query = {k: v for k, v in given.items() if v}
        urls.append((f"/plans/{code}/scorecard/", query))
        for table in ("scores", "items"):
            for fmt in ("csv", "xlsx") if not query else ("csv",):
                urls.append(
                    (f"/plans/{code}/scorecard/", {**query, "download": fmt, "table": table})
                )
    for path, query in urls:
        response = client.get(path, query)
        swept.calls += 1
        url = f"{path}?{urlencode(query)}"
        assert response.status_code in (200, 404), (url, response.status_code)
        if response.status_code != 200:
            continue  # a table the page does not have (no scorecard)
        if "download" in query:
            _read_file(swept, url, response["Content-Type"], response.content)
        else:
            swept.texts.append((url, main_text(response.content)))
    return swept


def test_the_figure_pages_reach_no_protected_figure(published_totals: Published) -> None:
    p = published_totals
    assert "PRO-03" in p.thresholds
    outsider = Client()
    outsider.force_login(_outsider())
    for name, client in (("anonymous", Client()), ("outsider", outsider)):
        swept = _sweep_pages(p, client)
        assert swept.calls > 100, (name, swept.calls)
        assert _forbidden_found(p, swept) == [], name
        assert _small_found(p, swept) == [], name
        # They read figures (not only refusals): the release's, compared and scored.
        assert any("Largest differences first" in t for _u, t in swept.texts), name
        assert any(r[0] == "PRO-03" for _u, rows in swept.tables for r in rows[1:]), name
    # A member reads the detail: PRO-03's small totals (the government's 2, civil society's 3)
    # are found, in the divergence download and in the scorecard's items.
    member = Client()
    member.force_login(p.rw.monitor)
    found = {(url.split("?")[0], key) for url, key, _n in _small_found(p, _sweep_pages(p, member))}
    code = p.rw.plan.code
    assert (f"/plans/{code}/divergence/", "PRO-03.government") in found
    assert (f"/plans/{code}/scorecard/", "PRO-03.value") in found


def test_nothing_published_yet_reads_no_figure(rw: ReleaseWorld) -> None:
    """Before the first release, an outsider reads the plan's structure and no figure at all."""
    outsider = _outsider()
    headers = _token(outsider)
    code = rw.plan.code
    progress = Client().get(f"{PREFIX}/plans/{code}/progress", headers=headers).json()
    assert (progress["reading"], progress["release"]) == ("release", None)
    figures = [i for n in progress["nodes"] for i in n["indicators"]]
    assert figures and all(i["value"] is None and i["count"] == 0 for i in figures)
    refused = Client().get(f"{PREFIX}/plans/{code}/values", headers=headers)
    assert refused.status_code == 403 and "no release yet" in refused.json()["detail"]
    client = Client()
    client.force_login(outsider)
    response = client.get(f"/plans/{code}/workbook.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    about = dict(workbook["Release"].iter_rows(min_row=2, values_only=True))
    assert about["release"] == "none published yet"
    assert list(workbook["Figures"].iter_rows(min_row=2, values_only=True)) == []


# Who reads what: role x surface. A member of the plan (any role) and the administrator read
# the detail; everyone else the release (anonymous readers get no token-only endpoint at all).
ROLES = {
    "anonymous": "release",
    "outsider": "release",
    "staff without a role": "release",
    "member of another plan": "release",
    "viewer": "detail",
    "focal point": "detail",
    "monitor": "detail",
    "coordinator": "detail",
    "administrator": "detail",
}


def _role_user(p: Published, role: str) -> User | None:
    users = get_user_model().objects
    if role == "anonymous":
        return None
    if role in ("focal point", "monitor", "coordinator"):
        return {
            "focal point": p.rw.focal_point,
            "monitor": p.rw.monitor,
            "coordinator": p.rw.coordinator,
        }[role]
    user = users.create_user(username=role.replace(" ", "-"), is_staff=role.startswith("staff"))
    if role == "administrator":
        user.is_superuser = True
        user.save()
    if role == "viewer":
        PlanRole.objects.create(user=user, plan=p.rw.plan, role=Role.VIEWER)
    if role == "member of another plan":
        other = build_world(code="nap-other", country="MLI").plan
        PlanRole.objects.create(user=user, plan=other, role=Role.COORDINATOR)
    return user


@pytest.mark.parametrize("role", list(ROLES))
def test_who_reads_the_detail_and_who_reads_the_release(published: Published, role: str) -> None:
    p = published
    user = _role_user(p, role)
    client = Client()
    headers: dict[str, str] = {}
    if user is not None:
        client.force_login(user)
        headers = _token(user)
    code = p.rw.plan.code
    workbook = _workbook(client, p)
    values = client.get(f"{PREFIX}/plans/{code}/values", headers=headers).status_code
    progress = client.get(f"{PREFIX}/plans/{code}/progress", headers=headers)
    pages = {
        name: "release" if "Published figures: release" in main_text(page.content) else "detail"
        for name, page in (
            ("divergence page", client.get(f"/plans/{code}/divergence/")),
            ("scorecard page", client.get(f"/plans/{code}/scorecard/")),
        )
    }
    reads = {
        **pages,
        "workbook": "release" if workbook.sheetnames[0] == "Release" else "detail",
        "values": {200: "detail", 403: "release", 401: "release"}[values],
        "progress": progress.json()["reading"] if progress.status_code == 200 else "release",
    }
    assert reads == dict.fromkeys(reads, ROLES[role])
    if role == "anonymous":
        assert (values, progress.status_code) == (401, 401)  # the API needs credentials
