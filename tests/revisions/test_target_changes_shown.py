"""Targets changed by a revision on the indicator's page and in the API (docs/revisions.md,
"Targets in force"): the page marks a changed target and lists the changes (period, area,
cell, before, after, the version linked to its page, the date), the single-indicator endpoint
returns them in `target_changes`; a draft's edits show nowhere, a plan without revision shows
no table, a restricted indicator's changes reach the readers of the detail only, and the
reads cost the same queries for one change as for five."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.revisions.conftest import RevisionWorld

from wpsmonitor.demo.revisions import revisions_load
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.indicators.services import target_set
from wpsmonitor.plans.models import PlanVersion
from wpsmonitor.revisions import services

APPROVED = datetime(2025, 7, 15, 12, tzinfo=UTC)
TABLE = 'id="target-changes-title"'
MARK = "changed by a revision"


def _revise(rw: RevisionWorld, targets: dict[str, float], *, approve: bool = True) -> PlanVersion:
    draft = services.revision_prepare(access=rw.access(), kind="midterm", review=rw.review)
    for period, value in targets.items():
        target_set(indicator=rw.a, period=period, value=value)
    if approve:
        return services.revision_approve(access=rw.access(), version=draft, at=APPROVED)
    return draft


def _client(rw: RevisionWorld, who: str | None = "viewer") -> Client:
    client = Client()
    if who:
        client.force_login(rw.users[who])
    return client


def _page(rw: RevisionWorld, who: str | None = "viewer", **params: str) -> str:
    response = _client(rw, who).get(f"/plans/{rw.plan.code}/indicators/IND-A/", params)
    assert response.status_code == 200
    return response.content.decode()


def _table(html: str) -> str:
    return html.split(TABLE, 1)[1].split("</section>", 1)[0]


def _api(rw: RevisionWorld, who: str | None = "viewer") -> list[dict]:  # type: ignore[type-arg]
    response = _client(rw, who).get(f"/api/v1/plans/{rw.plan.code}/indicators/IND-A")
    assert response.status_code == 200, response.content
    return response.json()["target_changes"]


def test_the_page_marks_and_lists_a_changed_target(rw: RevisionWorld) -> None:
    rw.world.value(rw.a, "2025", value=150)
    rw.world.rebuild()
    _revise(rw, {"2025": 250})
    html = _page(rw, period="2025")
    table = _table(html)
    assert "2025" in table and "200" in table and "250" in table
    link = f'<a href="/plans/{rw.plan.code}/versions/2/">Version 2 (Mid-term review)</a>'
    assert link in table
    assert 'datetime="2025-07-15"' in table
    assert "Total" in table  # the cell
    # Marked where the target is shown: the definition (2025 chosen) and the 2025 row.
    definition = html.split('id="definition-title"', 1)[1].split("</section>", 1)[0]
    assert MARK in definition and 'href="#target-changes"' in definition
    series = html.split('id="series-title"', 1)[1].split("</section>", 1)[0]
    row_2025 = series.split('<th scope="row">2025</th>', 1)[1].split("</tr>", 1)[0]
    assert MARK in row_2025
    # Another period is not marked.
    assert (
        MARK
        not in _page(rw, period="2024")
        .split('id="definition-title"', 1)[1]
        .split("</section>", 1)[0]
    )


def test_the_api_lists_the_change(rw: RevisionWorld) -> None:
    _revise(rw, {"2025": 250, "2024": 100})  # 2024 unchanged: not a change
    area = rw.plan.area.code
    assert _api(rw) == [
        {
            "period": "2025",
            "area": area,
            "cell": "total",
            "before": 200.0,
            "after": 250.0,
            "version": 2,
            "kind": "midterm",
            "changed_on": "2025-07-15",
        }
    ]
    # The list endpoint is unchanged: the changes are the single indicator's.
    listed = _client(rw).get(f"/api/v1/plans/{rw.plan.code}/indicators").json()["items"]
    assert "target_changes" not in listed[0]


def test_no_revision_no_table(rw: RevisionWorld) -> None:
    html = _page(rw)
    assert TABLE not in html and MARK not in html
    assert _api(rw) == []


def test_a_draft_shows_nothing(rw: RevisionWorld) -> None:
    _revise(rw, {"2025": 250}, approve=False)
    html = _page(rw, period="2025")
    assert TABLE not in html and MARK not in html
    assert _api(rw) == []


def test_a_removed_and_an_added_target(rw: RevisionWorld) -> None:
    from wpsmonitor.indicators.models import Target

    draft = services.revision_prepare(access=rw.access(), kind="correction")
    Target.objects.filter(indicator=rw.a, period__code="2024").delete()
    target_set(indicator=rw.a, period="2026", value=300)
    services.revision_approve(access=rw.access(), version=draft, at=APPROVED)
    changes = {c["period"]: (c["before"], c["after"], c["kind"]) for c in _api(rw)}
    assert changes == {"2024": (100.0, None, "correction"), "2026": (None, 300.0, "correction")}
    table = _table(_page(rw))
    assert "Version 2 (Correction)" in table and table.count("none") == 2


def test_public_reader_and_access(rw: RevisionWorld) -> None:
    _revise(rw, {"2025": 250})
    # Targets are public: an anonymous reader of a public plan sees the changes.
    assert TABLE in _page(rw, None)
    # The API needs a sign-in: a user with no role in the plan reads it as the public does.
    assert len(_api(rw, "outsider")) == 1
    # A restricted indicator: only the readers of the detail see its target changes.
    Indicator.objects.filter(pk=rw.a.pk).update(sensitivity="restricted")
    assert TABLE in _page(rw, "coordinator")
    assert len(_api(rw, "coordinator")) == 1
    for who in ("viewer", "outsider"):  # they do not read a restricted indicator
        assert _client(rw, who).get(f"/plans/{rw.plan.code}/indicators/IND-A/").status_code == 404
    response = _client(rw, "outsider").get(f"/api/v1/plans/{rw.plan.code}/indicators/IND-A")
    assert response.status_code == 404


def test_a_draft_plan_is_not_shown_to_the_public(rw: RevisionWorld) -> None:
    _revise(rw, {"2025": 250})
    rw.plan.status = "draft"
    rw.plan.save(update_fields=["status"])
    assert (
        _client(rw, "outsider").get(f"/plans/{rw.plan.code}/indicators/IND-A/").status_code == 404
    )
    assert _client(rw, "outsider").get(
        f"/api/v1/plans/{rw.plan.code}/indicators/IND-A"
    ).status_code in (403, 404)


@pytest.mark.parametrize("read", ["page", "api"])
def test_queries_do_not_grow_with_the_changes(rw: RevisionWorld, read: str) -> None:
    for period in ("2026", "2027", "2026Q1"):
        target_set(indicator=rw.a, period=period, value=10)
    client = _client(rw)
    url = (
        f"/plans/{rw.plan.code}/indicators/IND-A/"
        if read == "page"
        else f"/api/v1/plans/{rw.plan.code}/indicators/IND-A"
    )

    def count() -> int:
        client.get(url)  # warm the caches of the first read
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    none = count()
    _revise(rw, {"2025": 250})
    one = count()
    # A second revision changes four more targets: five changes in all.
    draft = services.revision_prepare(access=rw.access(), kind="correction")
    for period in ("2024", "2026", "2027", "2026Q1"):
        target_set(indicator=rw.a, period=period, value=1000)
    services.revision_approve(
        access=rw.access(), version=draft, at=datetime(2025, 9, 1, tzinfo=UTC)
    )
    assert len(_api(rw)) == 5
    five = count()
    assert one == five
    assert one <= none + 1


def test_the_demos_raised_target(rw: RevisionWorld) -> None:
    """The demo's revision (demo/revisions.py) raises IND-A's final target by a quarter."""
    revisions_load(rw.plan)
    changes = _api(rw)
    assert [(c["period"], c["before"], c["after"], c["version"]) for c in changes] == [
        ("2025", 200.0, 250.0, 2)
    ]
    table = _table(_page(rw))
    assert "Version 2 (Mid-term review)" in table and "250" in table


def test_a_disaggregated_indicators_total_target(rw: RevisionWorld) -> None:
    """A disaggregated indicator's total target sits on the no-disaggregation scheme's total
    cell (indicators.services._cell_resolve): a revision that changes it is recorded too."""
    c = rw.world.indicator("IND-C", frequency="year", scheme=["sex"])
    target_set(indicator=c, period="2025", value=100)
    draft = services.revision_prepare(access=rw.access(), kind="correction")
    target_set(indicator=c, period="2025", value=120)
    services.revision_approve(access=rw.access(), version=draft, at=APPROVED)
    response = _client(rw).get(f"/api/v1/plans/{rw.plan.code}/indicators/IND-C")
    assert [(t["cell"], t["before"], t["after"]) for t in response.json()["target_changes"]] == [
        ("total", 100.0, 120.0)
    ]
