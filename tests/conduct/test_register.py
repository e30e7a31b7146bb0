"""The register's rules: steps in order with dates, time to outcome, the encrypted description,
the area read to its province, and the figures after disclosure control."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from tests.conduct.conftest import MARKER, ConductWorld

from wpsmonitor.conduct import selectors, services
from wpsmonitor.conduct.models import Allegation

pytestmark = pytest.mark.django_db


def _steps(cw: ConductWorld, allegation: Allegation, opened: date, closed: date) -> None:
    by = cw.users["coordinator"]
    services.investigation_open(by=by, verified=True, allegation=allegation, on=opened)
    services.investigation_close(
        by=by, verified=True, allegation=allegation, on=closed, outcome="substantiated"
    )


def test_steps_out_of_order_are_refused(cw: ConductWorld) -> None:
    allegation = cw.allegation(reported_on=date(2025, 3, 14))
    by = cw.users["coordinator"]
    # No outcome before the investigation opened, no action before the outcome.
    with pytest.raises(ValidationError):
        services.investigation_close(
            by=by,
            verified=True,
            allegation=allegation,
            on=date(2025, 4, 1),
            outcome="substantiated",
        )
    with pytest.raises(ValidationError):
        services.action_record(
            by=by, verified=True, allegation=allegation, on=date(2025, 4, 1), action="dismissal"
        )
    # Not opened before the report, not closed before it opened, no action before the outcome.
    with pytest.raises(ValidationError):
        services.investigation_open(
            by=by, verified=True, allegation=allegation, on=date(2025, 3, 1)
        )
    services.investigation_open(by=by, verified=True, allegation=allegation, on=date(2025, 3, 20))
    with pytest.raises(ValidationError):
        services.investigation_open(
            by=by, verified=True, allegation=allegation, on=date(2025, 3, 21)
        )
    with pytest.raises(ValidationError):
        services.investigation_close(
            by=by,
            verified=True,
            allegation=allegation,
            on=date(2025, 3, 19),
            outcome="substantiated",
        )
    with pytest.raises(ValidationError):
        services.investigation_close(
            by=by, verified=True, allegation=allegation, on=date(2025, 5, 1), outcome="maybe"
        )
    services.investigation_close(
        by=by, verified=True, allegation=allegation, on=date(2025, 5, 1), outcome="substantiated"
    )
    with pytest.raises(ValidationError):
        services.action_record(
            by=by, verified=True, allegation=allegation, on=date(2025, 4, 30), action="repatriation"
        )
    services.action_record(
        by=by, verified=True, allegation=allegation, on=date(2025, 5, 2), action="repatriation"
    )
    allegation.refresh_from_db()
    assert (allegation.outcome, allegation.action, allegation.action_on) == (
        "substantiated",
        "repatriation",
        date(2025, 5, 2),
    )


def test_a_step_out_of_order_through_the_page_is_refused_and_nothing_saved(
    cw: ConductWorld,
) -> None:
    allegation = cw.allegation()
    client = Client()
    client.force_login(cw.users["reader"])
    url = reverse("conduct:step", args=[cw.plan.code, allegation.uid, "action"])
    response = client.post(url, {"on": "2025-05-01", "action": "dismissal"})
    assert response.status_code == 400
    assert "Record the outcome of the investigation first." in response.content.decode()
    allegation.refresh_from_db()
    assert allegation.action == ""
    opened = client.post(
        reverse("conduct:step", args=[cw.plan.code, allegation.uid, "open"]), {"on": "2025-03-20"}
    )
    assert opened.status_code == 302
    allegation.refresh_from_db()
    assert allegation.investigation_opened_on == date(2025, 3, 20)


def test_only_readers_record_and_move_steps(cw: ConductWorld) -> None:
    allegation = cw.allegation()
    for who in ("admin", "focal", "monitor", "viewer"):
        with pytest.raises(PermissionDenied):
            cw.allegation(by=who)
        with pytest.raises(PermissionDenied):
            services.investigation_open(
                by=cw.users[who], verified=True, allegation=allegation, on=date(2025, 3, 20)
            )
    # A reader's unverified session records nothing either.
    with pytest.raises(PermissionDenied):
        services.investigation_open(
            by=cw.users["reader"], verified=False, allegation=allegation, on=date(2025, 3, 20)
        )


def test_time_to_outcome_is_the_median_of_days_by_year_reported(cw: ConductWorld) -> None:
    # 2025: 10, 30 and 100 days from report to outcome (median 30); one still open.
    for reported, closed in [
        (date(2025, 1, 1), date(2025, 1, 11)),
        (date(2025, 2, 1), date(2025, 3, 3)),
        (date(2025, 3, 1), date(2025, 6, 9)),
    ]:
        _steps(cw, cw.allegation(reported_on=reported), reported, closed)
    cw.allegation(reported_on=date(2025, 4, 1))
    # 2024: 20 and 45 days (median 32.5), the year of the report not of the outcome.
    for reported, closed in [
        (date(2024, 12, 1), date(2024, 12, 21)),
        (date(2024, 12, 20), date(2025, 2, 3)),
    ]:
        _steps(cw, cw.allegation(reported_on=reported), reported, closed)
    times = {t.year: (t.outcomes, t.median_days) for t in selectors.times_by_year(cw.plan)}
    assert times == {2025: (3, 30), 2024: (2, 32.5)}


def test_the_description_is_encrypted_in_the_database(cw: ConductWorld) -> None:
    allegation = cw.allegation()
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM conduct_allegation WHERE id = %s", [allegation.pk])
        (raw,) = cursor.fetchone()
    assert MARKER not in str(raw) and "nurse" not in str(raw)
    assert MARKER in Allegation.objects.get(pk=allegation.pk).description


def test_the_area_is_read_to_its_province(cw: ConductWorld) -> None:
    allegation = cw.allegation(area=cw.world.areas["D11"])
    client = Client()
    client.force_login(cw.users["reader"])
    body = client.get(reverse("conduct:allegation", args=[cw.plan.code, allegation.uid]))
    text = body.content.decode()
    assert "Province 1" in text and "District 11" not in text


def _cells(cw: ConductWorld) -> dict[tuple[int, str, str], int | None]:
    client = Client()
    client.force_login(cw.users["outsider"])
    data = client.get(f"/api/v1/plans/{cw.plan.code}/conduct/figures").json()
    return {(c["year"], c["by"], c["code"]): c["count"] for c in data["cells"]}


def test_a_one_and_a_zero_read_alike_and_no_total_is_shown(cw: ConductWorld) -> None:
    threshold = cw.plan.disclosure_threshold
    for _ in range(threshold):
        cw.allegation(category="military", kind="exploitation", reported_on=date(2025, 5, 1))
    cw.allegation(category="police", kind="abuse", reported_on=date(2025, 5, 1))
    cells = _cells(cw)
    assert cells[(2025, "category", "military")] == threshold
    assert cells[(2025, "kind", "exploitation")] == threshold
    # One police allegation and no civilian one: both suppressed, alike.
    assert cells[(2025, "category", "police")] is None
    assert cells[(2025, "category", "civilian")] is None
    assert cells[(2025, "kind", "abuse")] is None and cells[(2025, "kind", "sgbv")] is None
    assert all(v is None or v >= threshold for v in cells.values())
    client = Client()
    page = client.get(reverse("conduct:figures", args=[cw.plan.code])).content.decode()
    shown = re.findall(r'<td class="num">([0-9]+)</td>', page)
    assert shown == [str(threshold), str(threshold)]  # military and exploitation in 2025
    assert "Total" not in page
    # The same page and answer with one allegation less where it was one: nothing changes.
    before = _cells(cw)
    Allegation.objects.filter(category="police").delete()
    assert _cells(cw) == before
