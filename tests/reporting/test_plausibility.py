"""The plausibility check against the previous period (issue 12 §6): a large change of a count
is flagged like an outlier, needs a comment to be submitted, and the reviewer reads the flag
beside the figure, before the review buttons."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.reporting.conftest import Cycle
from tests.reporting.helpers import field, save

from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.reporting import services
from wpsmonitor.reporting.checks import is_large_change
from wpsmonitor.reporting.models import Submission, SubmissionStatus

F18 = "sex=F;age=18-29"
M18 = "sex=M;age=18-29"
F0 = "sex=F;age=0-17"


@pytest.mark.parametrize(
    ("old", "new", "flagged"),
    [
        (72, 12, True),  # the drop
        (4, 19, True),  # the rise
        (72, 40, False),  # −44 %: within half
        (2, 6, False),  # +200 %, but only 4 more
        (0, 5, True),  # from nothing to 5
        (0, 4, False),
        (10, 15, False),  # +50 % exactly is not "more than half"
        (10, 16, True),
    ],
)
def test_the_rule(old: float, new: float, flagged: bool) -> None:
    assert is_large_change(old, new) is flagged


def _previous(cycle: Cycle) -> None:
    """Approved government figures for 2024Q4, the quarter before the round's."""
    values_ingest(
        rows=[
            {
                "indicator": cycle.grid.code,
                "period": "2024Q4",
                "area": cycle.province.code,
                "cell": cell,
                "source": "gov",
                "value": value,
            }
            for cell, value in ((F18, 72), (M18, 4), (F0, 30))
        ],
        plan=cycle.plan.code,
    )


def _draft(cycle: Cycle) -> Submission:
    return services.submission_start(
        by=cycle.users["focal"],
        round_=cycle.round,
        organisation=cycle.built.ministry,
        area=cycle.province,
    )


def test_a_large_change_needs_a_comment_and_the_reviewer_sees_the_flag(cycle: Cycle) -> None:
    _previous(cycle)
    focal = cycle.users["focal"]
    draft = _draft(cycle)
    typed = {
        field(cycle.grid, F18): "12",
        field(cycle.grid, M18): "19",
        field(cycle.grid, F0): "28",
    }
    assert save(focal, draft, typed).ok  # a draft keeps it
    check = services.submission_submit(by=focal, submission=draft)
    assert not check.ok
    messages = [str(p.message) for found in check.problems.values() for p in found]
    assert len(messages) == 2, messages  # 72 → 12 and 4 → 19; 30 → 28 passes
    assert any("72 in 2024Q4, 12 now: a change of -83%" in m for m in messages)
    assert all("explain it in a comment" in m for m in messages)
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.DRAFT

    explained = typed | {
        field(cycle.grid, F18, "c"): "Two districts not reached: roads cut",
        field(cycle.grid, M18, "c"): "New shelter opened",
    }
    assert save(focal, draft, explained).ok
    assert services.submission_submit(by=focal, submission=draft).ok

    reviewer = Client()
    reviewer.force_login(cycle.users["coordinator"])
    page = reviewer.get(f"/submissions/{draft.pk}/").content.decode()
    assert "2 figures are flagged for a check" in page
    assert "Check: 72 in 2024Q4, 12 now: a change of -83%" in page
    assert "Two districts not reached: roads cut" in page
    # The flags come before the buttons that decide.
    assert page.index("Check: 72 in 2024Q4") < page.index('value="approve"')
    assert page.index("Check: 4 in 2024Q4") < page.index('value="return"')


def test_no_previous_figure_no_flag(cycle: Cycle) -> None:
    draft = _draft(cycle)
    assert save(cycle.users["focal"], draft, {field(cycle.grid, F18): "12"}).ok
    assert services.submission_submit(by=cycle.users["focal"], submission=draft).ok


def test_another_streams_figure_is_not_the_previous_one(cycle: Cycle) -> None:
    """Civil society's own 2024Q4 figure is not the government's previous figure."""
    values_ingest(
        rows=[
            {
                "indicator": cycle.grid.code,
                "period": "2024Q4",
                "area": cycle.province.code,
                "cell": F18,
                "source": "cso-shadow",
                "value": 500,
            }
        ],
        plan=cycle.plan.code,
    )
    draft = _draft(cycle)
    assert save(cycle.users["focal"], draft, {field(cycle.grid, F18): "12"}).ok
    assert services.submission_submit(by=cycle.users["focal"], submission=draft).ok
