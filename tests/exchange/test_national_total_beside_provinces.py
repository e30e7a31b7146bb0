"""A typed national total beside provincial figures (issue 17, part 3; the trust issue's rule).

The values import checks it against the provinces' sum and never adds it to them: the row is
refused where it stands, naming the provinces and saying whether the figure agrees with their
sum; nothing is stored, so the roll-up can never count it twice.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wpsmonitor.directory.services import area_subdivision_ensure
from wpsmonitor.exchange.importer import import_files
from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.models import AggregateValue, DataValue

from .helpers import db_state, refused, write_csv

pytestmark = pytest.mark.django_db

CELL = "sex=F;age=18-29"


@pytest.fixture
def provinces(small_plan):
    area_subdivision_ensure(parent=small_plan.area, code="KE-28", name="Mombasa")
    return small_plan


@pytest.mark.parametrize(
    ("national", "verdict"),
    [
        ("30", "KEN's figure (30) is not their sum (22): check which is right"),
        ("22", "KEN's figure (22) equals their sum: leave it out, it is derived"),
    ],
)
def test_a_national_total_typed_beside_its_provinces_is_checked_never_added(
    provinces, tmp_path: Path, national: str, verdict: str
) -> None:
    before = db_state()
    path = write_csv(
        tmp_path / "legacy.csv",
        [
            f"ken-nap-2,N1,2021Q1,KE-30,{CELL},,10,,,,",
            f"ken-nap-2,N1,2021Q1,KE-28,{CELL},,12,,,,",
            f"ken-nap-2,N1,2021Q1,KEN,{CELL},,{national},,,,national total",
        ],
    )
    problems = refused(path)
    # Each province is refused for the national figure above it, and the national figure for
    # the provinces below it, with the check against their sum.
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"{path.name}:2:area",
        f"{path.name}:3:area",
        f"{path.name}:4:area",
    ]
    problem = problems[2]
    assert problem.startswith(f"{path.name}:4:area: the sub-areas of KEN (")
    assert "KE-28" in problem and "KE-30" in problem
    assert problem.endswith(verdict)
    assert db_state() == before


def test_against_stored_provinces_too_and_the_roll_up_counts_them_once(
    provinces, tmp_path: Path
) -> None:
    import_files(
        paths=[
            write_csv(
                tmp_path / "p.csv",
                [
                    f"ken-nap-2,N1,2021Q1,KE-30,{CELL},,10,,,,",
                    f"ken-nap-2,N1,2021Q1,KE-28,{CELL},,12,,,,",
                ],
            )
        ]
    )
    path = write_csv(tmp_path / "n.csv", [f"ken-nap-2,N1,2021Q1,KEN,{CELL},,44,,,,"])
    (problem,) = refused(path)
    assert problem.endswith("KEN's figure (44) is not their sum (22): check which is right")
    assert not DataValue.objects.filter(area__code="KEN").exists()
    rebuild_plan_aggregates(provinces)
    total = AggregateValue.objects.get(
        indicator__code="N1", period_code="2021Q1", area__code="KEN", cell_key=""
    )
    assert total.value == 22  # the provinces' sum, never 22 + a typed total
