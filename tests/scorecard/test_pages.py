"""The scorecard page and its downloads: figures of conftest.py's hand-worked plan, access,
the method shown, accessibility basics and a query count that does not grow with the plan."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.models import IndicatorKind, TimeRule
from wpsmonitor.indicators.services import indicator_create, period_ensure, target_set
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.plans.services import node_create
from wpsmonitor.reporting.models import ActionAssessment, ActionProgress
from wpsmonitor.scorecard import views as scorecard_views

from .conftest import Built, build

URL = "/plans/nap-sc/scorecard/"


@pytest.fixture
def client(db: None) -> Client:
    """Signed in as an administrator: civil society's figures are scored for those who see the
    detail (docs/publishing.md, "Who reads what"); anonymous readers see the actions' scores."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser(
        username="sc-admin", email="sc-admin@example.org", password="x-9-long-pw"
    )
    signed_in = Client()
    signed_in.force_login(admin)
    return signed_in


def test_without_a_release_anonymous_readers_see_no_figure_scored(built: Built) -> None:
    # They read the plan's latest published release (docs/publishing.md, "Who reads what"):
    # this plan has none, so only the actions are scored (tests/scorecard/test_release.py
    # reads one).
    text = _text(Client().get(URL).content)
    assert "No figures published yet." in text
    assert "the scores rest on the assessments of the actions only" in text
    assert "PRO-01" not in text and "250" not in text  # the source's 2024 figure
    assert "All pillars 100% 4 of 4 points" in text  # PAR.A1, implemented in 2024
    signed_in = Client()
    signed_in.force_login(built.users["viewer"])
    member = _text(signed_in.get(URL).content)
    assert "before disclosure control: they are not public." in member
    assert "No figures published yet." not in member and "PRO-01" in member


def _text(content: bytes) -> str:
    """The page's words without markup, spaces collapsed."""
    body = re.sub(r"<svg.*?</svg>", " ", content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_page_shows_the_hand_checked_scores(built: Built, client: Client) -> None:
    page = client.get(URL)
    assert page.status_code == 200
    text = _text(page.content)
    assert "Shadow report" in text and "Women's Network" in text
    # National: 6 of 12 (50 %) in 2024, 5 of 12 (41.7 %, shown 42 %) in 2025.
    assert "All pillars 50% 6 of 12 points 1 action assessed unknown 42% 5 of 12 points" in text
    # Local 2025: 10 of 16 = 62.5 %, shown rounded half up.
    assert "63% 10 of 16 points 1 indicator without a target" in text
    # Pillars with nothing at a level say so; a gap is never a zero.
    assert "REL Relief and recovery no data no data" in text  # national
    assert "Relief and recovery (Other themes) no data 75%" in text  # local
    assert "Promotion no data no data" in text
    # The details default to the latest year: 2025.
    assert "What was scored in 2025" in text
    assert "PRO-03 Indicator PRO-03 120 – – – No target to measure against not scored" in text
    assert "national target (2026)" in text  # PAR-01 in Province 1


def test_page_explains_the_method(built: Built, client: Client) -> None:
    text = _text(client.get(URL).content)
    assert 'id="method"' in client.get(URL).content.decode()
    for words in (
        "(figure − baseline) ÷ (target − baseline)",
        "The government's figures are never used",
        "the latest assessment counts",
        "is not scored again at the level above",
        "100% or more Target met 4",
        "Partly implemented 2",
        "Unknown not scored (counted)",
        "8 of 12 points, 67",
    ):
        assert words in text, words


def test_year_choice_and_bad_parameters(built: Built, client: Client) -> None:
    text = _text(client.get(URL + "?year=2024").content)
    assert "What was scored in 2024" in text
    assert "PAR.A1 Action PAR 1 (action) Implemented 2024Q4" in text
    assert "Assessed as unknown" in text  # PAR.A2
    # An unknown year or source falls back to what exists, rather than an error page.
    assert "What was scored in 2025" in _text(client.get(URL + "?year=1999").content)
    assert client.get(URL + "?source=nope").status_code == 200


def test_chart_and_tables_are_accessible(built: Built, client: Client) -> None:
    body = client.get(URL).content.decode()
    assert body.count('role="img"') == 2  # national and local
    for level in ("national", "local"):
        assert f'aria-labelledby="scorecard-{level}-title scorecard-{level}-desc"' in body
    assert '<desc id="scorecard-local-desc">' in body
    assert "All pillars together: 2024 50, 2025 41.7." in body  # national
    assert "All pillars together: 2024 50, 2025 62.5." in body
    assert '<th scope="col">Pillar</th>' in body and '<th scope="row">' in body
    assert "<caption" in body


def test_draft_plan_is_hidden_from_outsiders(db: None, client: Client) -> None:
    draft = build(code="nap-draft", status="draft")
    url = "/plans/nap-draft/scorecard/"
    assert Client().get(url).status_code == 404
    client.force_login(draft.users["outsider"])
    assert client.get(url).status_code == 404
    client.force_login(draft.users["viewer"])
    assert client.get(url).status_code == 200


def test_unpublished_own_indicator_only_on_its_organisations_page(
    built: Built, client: Client
) -> None:
    for name in ("outsider", "coordinator", "admin"):
        client.force_login(built.users[name])
        assert "OWN-DRAFT" not in client.get(URL).content.decode(), name
    client.force_login(built.users["monitor"])
    text = _text(client.get(URL).content)
    assert "OWN-DRAFT" in text and "unpublished: only your organisation sees it" in text
    assert "9 of 16 points" in text  # national 2025 with the draft


def test_no_civil_society_data_says_so(db: None, client: Client) -> None:
    empty = build(code="nap-empty")
    ActionProgress.objects.filter(action__plan=empty.plan).delete()
    from wpsmonitor.indicators.models import AggregateValue

    AggregateValue.objects.filter(plan=empty.plan, source__kind="civil_society").delete()
    text = _text(client.get("/plans/nap-empty/scorecard/").content)
    assert "No civil-society organisation has published figures" in text
    assert "Method" in text
    assert client.get("/plans/nap-empty/scorecard/?download=csv&table=scores").status_code == 404


def test_downloads_hold_the_same_figures(built: Built, client: Client) -> None:
    rows = _rows(client.get(URL + "?download=csv&table=scores").content)
    header = rows[0]
    assert header[:7] == ["Level", "Table", "Pillar", "Category", "Row", "Name", "Year"]
    by_key = {(r[0], r[1], r[4], r[6]): r for r in rows[1:]}
    national_2024 = by_key[("national", "total", "total", "2024")]
    assert national_2024[7:10] == ["6", "12", "50"]
    local_2025 = by_key[("local", "total", "total", "2025")]
    assert local_2025[7:10] == ["10", "16", "62.5"]
    assert by_key[("local", "area", "COD-P2", "2025")][7:9] == ["6", "8"]
    assert by_key[("national", "category", "promotion", "2024")][7:10] == ["0", "0", ""]
    items = _rows(client.get(URL + "?year=2025&download=csv&table=items").content)
    assert len(items) == 1 + 8  # the eight items of 2025 (conftest.py)
    pro1 = next(r for r in items if r[6] == "PRO-01")
    assert pro1[8] == "200" and pro1[10] == "700" and pro1[11] == "year" and pro1[17] == "1"
    xlsx = client.get(URL + "?download=xlsx&table=scores")
    assert xlsx["Content-Disposition"].endswith('scorecard_cso-shadow_2025_scores.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][:3] == ["Level", "Table", "Pillar"]
    assert client.get(URL + "?download=csv&table=nope").status_code == 404
    assert client.get(URL + "?download=pdf&table=scores").status_code == 404


def _grow(built: Built, extra: int) -> None:
    """More indicators with civil-society figures and more assessed actions."""
    plan = built.plan
    outcome = FrameworkNode.objects.get(plan=plan, code="PRO.1")
    rows = []
    for n in range(extra):
        pillar = node_create(plan=plan, code=f"X{n}", title=f"Extra {n}", pillar_theme="promotion")
        action = node_create(
            plan=plan,
            parent=node_create(
                plan=plan,
                parent=node_create(plan=plan, parent=pillar, code=f"X{n}.1", title="o"),
                code=f"X{n}.1.1",
                title="p",
            ),
            code=f"X{n}.A",
            title="a",
        )
        ActionProgress.objects.create(
            action=action,
            period=period_ensure("2025Q3"),
            area=built.p2,
            source=built.source,
            organisation=built.network,
            assessment=ActionAssessment.IMPLEMENTED,
        )
        indicator = indicator_create(
            plan=plan,
            node=outcome,
            code=f"EXTRA-{n}",
            title=f"Extra {n}",
            kind=IndicatorKind.NUMBER,
            time_rule=TimeRule.SUM,
            frequency="year",
        )
        target_set(indicator=indicator, period="2025", value=10)
        for area in (built.country, built.p1):
            rows.append(
                {
                    "indicator": indicator.code,
                    "period": "2025",
                    "area": area.code if area == built.p1 else "COD-P2",
                    "source": "cso-shadow",
                    "value": n,
                }
            )
    values_ingest(rows=rows, plan=plan.code)
    rebuild_plan_aggregates(plan)


def test_query_count_does_not_grow_with_the_plan(built: Built, client: Client) -> None:
    client.get(URL)  # the signed-in reader's first request warms caches out of the count
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    _grow(built, 12)
    with CaptureQueriesContext(connection) as large:
        page = client.get(URL)
    assert "EXTRA-11" in page.content.decode()
    # Plan, sources, indicators, GNWP references, nodes, figures, targets, baselines,
    # assessments, areas: ten, whatever the size; three more for the signed-in administrator
    # (session, user, second factor: an administrator's roles need no query, and the hidden
    # indicators' filter is a subquery).
    assert len(large) == len(small) == 13
    with CaptureQueriesContext(connection) as download:
        client.get(URL + "?download=csv&table=items")
    assert len(download) == len(small)


def test_each_source_has_its_own_scorecard(built: Built, client: Client) -> None:
    # Youth for Peace publishes one figure: the referral shelter open in Province 1 in 2025.
    values_ingest(
        rows=[
            {
                "indicator": "REL-01",
                "period": "2025",
                "area": built.p1.code,
                "source": "cso-youth",
                "value": 1,
            }
        ],
        plan=built.plan.code,
    )
    rebuild_plan_aggregates(built.plan)
    body = client.get(URL).content.decode()
    assert '<option value="cso-youth">Youth monitor</option>' in body  # offered, not shown
    assert "10 of 16 points" in body  # the first source, the Women's Network's
    text = _text(client.get(URL + "?source=cso-youth").content)
    assert "Youth monitor (Youth for Peace)" in text
    # Only its own figure: REL-01 yes in Province 1, 4 of 4; nothing of the other source.
    assert "All pillars no data 100% 4 of 4 points" in text
    assert "10 of 16 points" not in text and "PAR-01" not in text


def test_details_of_one_area(built: Built, client: Client) -> None:
    page = client.get(URL + "?year=2025&area=COD-P2")
    text = _text(page.content)
    assert "What was scored in 2025, Province 2" in text
    # Province 2's three items: PRO-03 (no target), REL-01 and REL.A1; nothing of Province 1.
    assert "PRO-03" in text and "REL-01" in text and "REL.A1" in text
    assert "PAR-01" not in text.split("What was scored")[1].split("Method")[0]
    items = _rows(client.get(URL + "?year=2025&area=COD-P2&download=csv&table=items").content)
    assert sorted(r[6] for r in items[1:]) == ["PRO-03", "REL-01", "REL.A1"]
    # The table by area links to each area's details.
    assert "?source=cso-shadow&amp;year=2025&amp;area=COD-P1#items-title" in page.content.decode()
    # An area without items that year lists them all.
    assert "What was scored in 2025 " in _text(client.get(URL + "?year=2025&area=XX").content)


def test_too_many_items_list_the_national_ones(
    built: Built, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scorecard_views, "ITEMS_ON_PAGE", 5)
    text = _text(client.get(URL + "?year=2025").content)
    assert "8 items were scored in this year: too many for one page" in text
    details = text.split("What was scored")[1].split("Method")[0]
    assert "OWN-1" in details and "PRO-02" in details and "REL-01" not in details
    rows = _rows(client.get(URL + "?year=2025&download=csv&table=items").content)
    assert len(rows) == 1 + 8  # the download holds them all
