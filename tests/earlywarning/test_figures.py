"""The plan's public counts of signals: acknowledged or later, by category × province × year,
after disclosure control (earlywarning/selectors.py: figures; directory/counts.py), on a page
for whoever reads the plan and in the API (docs/stories.md, "The plan's figures, after
disclosure control")."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from tests.earlywarning.conftest import MARKER, WarningWorld

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.earlywarning import services
from wpsmonitor.earlywarning.selectors import figures
from wpsmonitor.shell.public_cache import HIT_HEADER

pytestmark = pytest.mark.django_db

LABELS = {
    "movement_restricted": "Restrictions on women's movement",
    "sexual_violence": "Reports of sexual violence",
}


def _acknowledged(ww: WarningWorld, n: int, **kwargs: object) -> None:
    for _ in range(n):
        services.signal_acknowledge(by=ww.users["coordinator"], signal=ww.receive(**kwargs))


def _received(ww: WarningWorld, n: int, **kwargs: object) -> None:
    for _ in range(n):
        ww.receive(**kwargs)


def _cells(ww: WarningWorld, year: int, category: str) -> dict[str, int | None]:
    shown = figures(ww.plan)
    table = next(t for t in shown.tables if t.year == year)
    cells = next(cells for label, cells in table.rows if label == LABELS[category])
    names = [p.name for p in shown.provinces] + ["not recorded"]
    return dict(zip(names, cells, strict=True))


def _page(ww: WarningWorld, client: Client | None = None) -> Any:
    return (client or Client()).get(f"/plans/{ww.plan.code}/early-warning/figures/")


def _api(ww: WarningWorld, user: str) -> Any:
    _token, raw = ApiToken.issue(user=ww.users[user], name="figures")
    return Client().get(
        f"/api/v1/plans/{ww.plan.code}/early-warning/figures",
        headers={"Authorization": f"Bearer {raw}"},
    )


def _world_with_counts(ww: WarningWorld) -> None:
    # Province 1, movement restricted, 2025: 5 acknowledged (one referred on) and 4 still in
    # the moderation queue: 5 counted, not 9.
    _acknowledged(ww, 4)
    services.signal_refer(by=ww.users["coordinator"], signal=ww.acknowledged(), to=ww.ministry)
    _received(ww, 4)
    # Province 2, movement restricted: 1 acknowledged. Province 2, sexual violence: 6
    # received only, none acknowledged. Sexual violence in Province 1: nothing at all.
    _acknowledged(ww, 1, area=ww.world.areas["D21"])
    _received(ww, 6, area=ww.world.areas["D21"], category="sexual_violence")


def test_only_acknowledged_signals_are_counted_and_small_counts_never_shown(
    ww: WarningWorld,
) -> None:
    _world_with_counts(ww)
    assert _cells(ww, 2025, "movement_restricted") == {
        "Province 1": 5,
        "Province 2": None,  # one signal
        "not recorded": None,
    }
    # Six received signals are not counted: a zero, suppressed like a small count.
    assert _cells(ww, 2025, "sexual_violence") == {
        "Province 1": None,
        "Province 2": None,
        "not recorded": None,
    }


def test_the_page_shows_no_count_below_the_threshold_and_tells_one_from_zero_nowhere(
    ww: WarningWorld,
) -> None:
    _world_with_counts(ww)
    response = _page(ww)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.findall(r'<td class="num">([^<]*)</td>', page) == ["5"]  # not 9, 1, 6 or 0
    assert "fewer than 5" in page and MARKER not in page
    # The row of 2025's movement restricted: Province 2's 1 reads as Province 1's zero of
    # sexual violence, cell for cell.
    table = page[page.index('id="year-2025"') : page.index('id="year-2024"')]
    rows = {
        label.replace("&#x27;", "'"): cells
        for label, cells in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', table)
    }
    one = re.findall(r"<td[^>]*>.*?</td>", rows[LABELS["movement_restricted"]])[1]
    zero = re.findall(r"<td[^>]*>.*?</td>", rows[LABELS["sexual_violence"]])[0]
    assert one == zero
    # Every category and province is shown every year, whatever was recorded.
    assert len(rows) == 7 and "Province not recorded" in page


def test_the_api_answers_the_same_suppressed_cells(ww: WarningWorld) -> None:
    _world_with_counts(ww)
    response = _api(ww, "outsider")  # no role on the plan: the public reading
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["threshold"] == 5
    assert [p["code"] for p in body["provinces"]] == ["SEN-P1", "SEN-P2"]
    assert len(body["categories"]) == 7
    cells = {(c["year"], c["category"], c["province"]): c for c in body["cells"]}
    assert len(cells) == len(body["years"]) * 7 * 3  # every cell, no totals
    assert cells[(2025, "movement_restricted", "SEN-P1")]["count"] == 5
    one = cells[(2025, "movement_restricted", "SEN-P2")]
    zero = cells[(2025, "sexual_violence", "SEN-P1")]
    received_only = cells[(2025, "sexual_violence", "SEN-P2")]
    for cell in (one, zero, received_only):
        assert (cell["count"], cell["suppressed"]) == (None, True)
    assert {k: v for k, v in one.items() if k not in ("category", "province")} == {
        k: v for k, v in zero.items() if k not in ("category", "province")
    }
    counts = [c["count"] for c in body["cells"] if c["count"] is not None]
    assert counts == [5]
    assert MARKER not in response.content.decode()
    # A member reads the same suppressed cells: the figures are the public's.
    assert _api(ww, "coordinator").json()["cells"] == body["cells"]


def test_the_threshold_is_the_plans_and_a_country_wide_signal_is_not_recorded(
    ww: WarningWorld,
) -> None:
    ww.plan.disclosure_threshold = 3
    ww.plan.save(update_fields=["disclosure_threshold"])
    _acknowledged(ww, 3, area=ww.world.areas["N"])
    _acknowledged(ww, 2)
    assert _cells(ww, 2025, "movement_restricted") == {
        "Province 1": None,
        "Province 2": None,
        "not recorded": 3,
    }


def test_a_draft_plan_is_not_shown_to_the_public(ww: WarningWorld) -> None:
    _acknowledged(ww, 5)
    ww.plan.status = "draft"
    ww.plan.save(update_fields=["status"])
    assert _page(ww).status_code == 404
    assert _api(ww, "outsider").status_code == 404
    anonymous = Client().get(f"/api/v1/plans/{ww.plan.code}/early-warning/figures")
    assert anonymous.status_code == 401
    viewer = Client()
    viewer.force_login(ww.users["viewer"])
    assert _page(ww, viewer).status_code == 200
    assert _api(ww, "viewer").status_code == 200


def test_the_plan_page_links_it_and_members_find_the_signals_from_it(ww: WarningWorld) -> None:
    url = f"/plans/{ww.plan.code}/early-warning/figures/"
    assert url in Client().get(f"/plans/{ww.plan.code}/").content.decode()
    signals = f'href="/plans/{ww.plan.code}/early-warning/"'
    assert signals not in _page(ww).content.decode()  # the public is refused the list
    viewer = Client()
    viewer.force_login(ww.users["viewer"])
    assert signals in _page(ww, viewer).content.decode()


def test_an_acknowledgement_makes_the_cached_page_stale(
    ww: WarningWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _acknowledged(ww, 4)
    waiting = ww.receive()
    first, again = _page(ww), _page(ww)
    assert (first[HIT_HEADER], again[HIT_HEADER]) == ("miss", "hit")
    assert re.findall(r'<td class="num">([^<]*)</td>', again.content.decode()) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.signal_acknowledge(by=ww.users["coordinator"], signal=waiting)
    fresh = _page(ww)
    assert fresh[HIT_HEADER] == "miss"
    assert re.findall(r'<td class="num">([^<]*)</td>', fresh.content.decode()) == ["5"]


def test_the_years_reach_back_to_the_first_signal_seen(ww: WarningWorld) -> None:
    _acknowledged(ww, 1, observed_on=date(2021, 5, 2))
    years = [t.year for t in figures(ww.plan).tables]
    assert years[-1] == 2021 and {2022, 2025} <= set(years)
