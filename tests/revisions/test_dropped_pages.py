"""A dropped indicator on the pages (docs/revisions.md, "Dropped indicators"): the plan page's
framework leaves it out of the current view and lists it greyed under "Dropped in version N
(date)" with a link to its page; an earlier period still shows it in the tree; its own page
opens, says when it was dropped and keeps its figures; the public pages, the API's framework,
indicators and progress, and the report's pillars section follow. A draft's drop shows
nowhere."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from tests.revisions.conftest import RevisionWorld

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.indicators.services import target_set
from wpsmonitor.plans.models import PlanVersion
from wpsmonitor.portal.public_selectors import public_indicators
from wpsmonitor.reports.context import report_context
from wpsmonitor.reports.document import INTERNAL, YEAR
from wpsmonitor.reports.sections import pillars
from wpsmonitor.revisions import services

APPROVED = datetime(2025, 7, 15, 12, tzinfo=UTC)
DROPPED_NOTE = "Dropped in version 2"


def _drop(rw: RevisionWorld, *, approve: bool = True) -> PlanVersion:
    draft = services.revision_prepare(access=rw.access(), kind="midterm", review=rw.review)
    services.indicator_drop(access=rw.access(), version=draft, indicator=rw.b)
    if approve:
        return services.revision_approve(access=rw.access(), version=draft, at=APPROVED)
    return draft


def _figures(rw: RevisionWorld) -> None:
    for year in ("2024", "2026"):
        target_set(indicator=rw.b, period=year, value=10)
        target_set(indicator=rw.a, period=year, value=10)
        rw.world.value(rw.b, year, value=4)
        rw.world.value(rw.a, year, value=6)
    rw.world.rebuild()


def _client(rw: RevisionWorld, who: str = "viewer") -> Client:
    client = Client()
    client.force_login(rw.users[who])
    return client


def _tree(html: str) -> str:
    """The framework section of the plan page."""
    return html.split('id="framework-title"', 1)[1].split("</section>\n", 1)[0]


@pytest.mark.parametrize("approve", [True, False])
def test_the_plan_page(rw: RevisionWorld, approve: bool) -> None:
    _figures(rw)
    _drop(rw, approve=approve)
    client = _client(rw)
    url = f"/plans/{rw.plan.code}/"
    html = client.get(url).content.decode()
    link = f'href="/plans/{rw.plan.code}/indicators/IND-B/'
    if approve:
        dropped = html.split('class="dropped muted"', 1)[1]
        assert DROPPED_NOTE in dropped and link in dropped
        assert f'href="/plans/{rw.plan.code}/versions/2/"' in dropped
        # Not in the tree itself: only in the dropped group, once.
        assert html.count(link) == 1
    else:
        assert DROPPED_NOTE not in html and link in html
    # 2024 began before the approval: the tree shows it, no dropped group.
    html = client.get(url, {"period": "2024"}).content.decode()
    assert DROPPED_NOTE not in html and link in html


def test_the_indicator_page_says_so_and_keeps_the_figures(rw: RevisionWorld) -> None:
    _figures(rw)
    _drop(rw)
    page = _client(rw).get(f"/plans/{rw.plan.code}/indicators/IND-B/", {"period": "2024"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dropped in version 2 on" in html and "figures and history are kept" in html
    assert ">4<" in html  # the 2024 figure, kept
    other = _client(rw).get(f"/plans/{rw.plan.code}/indicators/IND-A/").content.decode()
    assert "Dropped in version" not in other


def test_public_lists_follow_the_current_framework(rw: RevisionWorld) -> None:
    _drop(rw, approve=False)
    assert [i.code for i in public_indicators(rw.plan)] == ["IND-A", "IND-B"]
    draft = PlanVersion.objects.get(plan=rw.plan, number=2)
    services.revision_approve(access=rw.access(), version=draft, at=APPROVED)
    assert [i.code for i in public_indicators(rw.plan)] == ["IND-A"]


def _api(rw: RevisionWorld, path: str) -> dict:  # type: ignore[type-arg]
    response = _client(rw).get(f"/api/v1/plans/{rw.plan.code}/{path}")
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_the_api(rw: RevisionWorld) -> None:
    _figures(rw)
    _drop(rw, approve=False)
    listed = {i["code"]: i for i in _api(rw, "indicators")["items"]}
    assert listed["IND-B"]["dropped_in"] is None  # a draft's drop
    services.revision_approve(
        access=rw.access(), version=PlanVersion.objects.get(plan=rw.plan, number=2), at=APPROVED
    )
    listed = {i["code"]: i for i in _api(rw, "indicators")["items"]}
    assert listed["IND-B"]["dropped_in"] == {"version": 2, "on": "2025-07-15"}
    assert listed["IND-A"]["dropped_in"] is None
    assert _api(rw, "indicators/IND-B")["dropped_in"]["version"] == 2
    framework = _api(rw, "framework")
    codes = [c for node in framework["nodes"] for c in node.get("indicators", [])]
    assert "IND-A" in codes and "IND-B" not in codes
    later = _api(rw, "progress?period=2026")
    assert [d["code"] for d in later["dropped"]] == ["IND-B"]
    assert "IND-B" not in [i["code"] for n in later["nodes"] for i in n["indicators"]]
    earlier = _api(rw, "progress?period=2024")
    assert earlier["dropped"] == []
    assert "IND-B" in [i["code"] for n in earlier["nodes"] for i in n["indicators"]]


def test_the_report_pillars_section(rw: RevisionWorld) -> None:
    _figures(rw)
    _drop(rw)
    coordinator: User = rw.users["coordinator"]
    access = PlanAccess.load(coordinator, rw.plan)

    def section_text(year: int) -> str:
        section = pillars.build(report_context(access, scope=YEAR, year=year, version=INTERNAL))
        texts = [b.text for s in section.walk() for b in s.blocks if hasattr(b, "text")]
        cells = [c.text for t in section.tables for row in t.rows for c in row]
        return " | ".join(texts + cells)

    later = section_text(2026)
    assert DROPPED_NOTE in later and "IND-B" in later
    assert "IND-B" not in [c for c in later.split(" | ") if c.startswith("IND-")]
    earlier = section_text(2024)
    assert DROPPED_NOTE not in earlier and "IND-B" in earlier.split(" | ")
    assert Indicator.objects.filter(pk=rw.b.pk).exists()


def test_query_counts_stay_the_same(rw: RevisionWorld) -> None:
    """The plan's progress, its page and the API's list read the dropped indicators with the
    others: as many queries with one dropped as with none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wpsmonitor.indicators.selectors import plan_progress

    _figures(rw)
    client = _client(rw)

    def counts() -> list[int]:
        found = []
        for read in (
            lambda: plan_progress(plan=rw.plan, period_code="2026"),
            lambda: client.get(f"/plans/{rw.plan.code}/?period=2026"),
            lambda: client.get(f"/plans/{rw.plan.code}/indicators/IND-B/"),
            lambda: client.get(f"/api/v1/plans/{rw.plan.code}/indicators"),
            lambda: client.get(f"/api/v1/plans/{rw.plan.code}/progress?period=2026"),
        ):
            read()  # warm the caches of the first read
            with CaptureQueriesContext(connection) as queries:
                read()
            found.append(len(queries))
        return found

    # Before: the drop drafted (it hides nothing); after: approved. The same versions listed.
    draft = _drop(rw, approve=False)
    before = counts()
    services.revision_approve(access=rw.access(), version=draft, at=APPROVED)
    after = counts()
    assert after == before
