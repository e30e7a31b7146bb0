"""Demo data: two years of figures, generated from seeded random generators (the same figures
on every machine) with plausible trends, collected as DataValue rows for one bulk insert.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.utils import timezone

from wpsmonitor.demo import content
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    DataValue,
    ImportBatch,
    Indicator,
    ListItem,
    Period,
    Source,
)

QUARTERS = [f"{year}Q{q}" for year in (2024, 2025) for q in (1, 2, 3, 4)]
YEARS = ["2024", "2025"]


class Cells:
    """Cell ids of the schemes in use, by canonical code."""

    def __init__(self, indicators: Iterable[Indicator]) -> None:
        self.by_scheme: dict[int, dict[str, int]] = {}
        for ind in indicators:
            if ind.scheme_id not in self.by_scheme:
                self.by_scheme[ind.scheme_id] = dict(
                    ind.scheme.cells.values_list("code", "pk")  # type: ignore[arg-type]
                )

    def of(self, ind: Indicator) -> dict[str, int]:
        return self.by_scheme[ind.scheme_id]


def _split(
    total: float, weights: dict[str, dict[str, float]], rng: random.Random
) -> dict[str, int]:
    """Spread a total over the full cross product of dimension weights; zero cells are left out.

    The order of `weights` is the scheme's dimension order, so keys are canonical cell codes.
    """
    cells: dict[str, float] = {"": 1.0}
    for dim, options in weights.items():
        cells = {
            (f"{key};" if key else "") + f"{dim}={opt}": share * w
            for key, share in cells.items()
            for opt, w in options.items()
        }
    out = {}
    for code, share in cells.items():
        value = round(total * share * rng.uniform(0.85, 1.15))
        if value > 0:
            out[code] = value
    return out


SURVIVORS = {
    "sex": {"F": 0.93, "M": 0.07},
    "age": {"0-17": 0.31, "18-29": 0.41, "30-59": 0.25, "60+": 0.03},
    "disability": {"yes": 0.07, "no": 0.93},
}
TRAINEES_SECURITY = {
    "sex": {"F": 0.28, "M": 0.72},
    "age": {"18-29": 0.38, "30-59": 0.58, "60+": 0.04},
    "disability": {"yes": 0.03, "no": 0.97},
}
TRAINEES_COMMUNITY = {
    "sex": {"F": 0.55, "M": 0.45},
    "age": {"18-29": 0.46, "30-59": 0.45, "60+": 0.09},
    "disability": {"yes": 0.09, "no": 0.91},
}
BENEFICIARIES = {
    "sex": {"F": 0.82, "M": 0.18},
    "age": {"0-17": 0.08, "18-29": 0.44, "30-59": 0.42, "60+": 0.06},
    "disability": {"yes": 0.08, "no": 0.92},
}
# Size of each province in a flow indicator, relative to Nord-Kivu.
PROVINCE_WEIGHT = {"CD-KN": 0.55, "CD-NK": 1.0, "CD-SK": 0.8}


class Values:
    """Collects DataValue rows; one generator per indicator, seeded by its code and source."""

    def __init__(self, cells: Cells, periods: dict[str, Period], areas: dict[str, Area]) -> None:
        self.cells, self.periods, self.areas = cells, periods, areas
        self.rows: list[DataValue] = []
        self.now = timezone.now()
        self.user: Any = None
        self.batch: ImportBatch | None = None
        self.sources: dict[str, Source] = {}

    def rng(self, ind: Indicator, source: str, *extra: str) -> random.Random:
        return random.Random(":".join(["wpsmonitor-demo", ind.code, source, *extra]))

    def add(
        self,
        ind: Indicator,
        period: str,
        area: str,
        source: str,
        *,
        cell: str = "total",
        value: float | None = None,
        numerator: float | None = None,
        denominator: float | None = None,
        text: str = "",
    ) -> None:
        if numerator is not None and denominator is not None:
            value = numerator / denominator * ind.factor
        self.rows.append(
            DataValue(
                indicator=ind,
                period=self.periods[period],
                area=self.areas[area],
                cell_id=self.cells.of(ind)[cell],
                source=self.sources[source],
                value=value,
                numerator=numerator,
                denominator=denominator,
                text_value=text,
                stored_by=self.user,
                batch=self.batch,
                created_at=self.now,
                updated_at=self.now,
            )
        )

    def flow(
        self,
        ind: Indicator,
        source: str,
        *,
        per_quarter: float,
        growth: float,
        weights: dict[str, Any],
        provinces: Iterable[str] = content.PROVINCES,
        scale_by: dict[str, float] | None = None,
    ) -> dict[tuple[str, str], dict[str, int]]:
        """Quarterly counts per province with a linear trend; returns them for dependants."""
        made = {}
        for province in provinces:
            rng = self.rng(ind, source, province)
            for t, quarter in enumerate(QUARTERS):
                total = per_quarter * PROVINCE_WEIGHT[province] * (1 + growth * t)
                total *= (scale_by or {}).get(province, 1.0) * rng.uniform(0.85, 1.15)
                split = _split(total, weights, rng)
                made[(province, quarter)] = split
                for cell, value in split.items():
                    self.add(ind, quarter, province, source, cell=cell, value=value)
        return made

    def thinned(
        self,
        ind: Indicator,
        source: str,
        parent: dict[tuple[str, str], dict[str, int]],
        rate: Callable[[int], float],
    ) -> dict[tuple[str, str], dict[str, int]]:
        """A subset of another count, cell by cell (investigated ≤ reported, and so on)."""
        made = {}
        for (province, quarter), split in parent.items():
            rng = self.rng(ind, source, province, quarter)
            t = QUARTERS.index(quarter)
            sub = {}
            for cell, value in split.items():
                kept = min(value, round(value * rate(t) * rng.uniform(0.85, 1.15)))
                if kept > 0:
                    sub[cell] = kept
                    self.add(ind, quarter, province, source, cell=cell, value=kept)
            made[(province, quarter)] = sub
        return made

    def percentage(
        self,
        ind: Indicator,
        source: str,
        *,
        periods: list[str],
        areas: Iterable[str],
        denominator: float,
        start: float,
        end: float,
    ) -> None:
        for area in areas:
            rng = self.rng(ind, source, area)
            for t, period in enumerate(periods):
                den = max(
                    1, round(denominator * PROVINCE_WEIGHT.get(area, 1.0) * rng.uniform(0.8, 1.2))
                )
                share = start + (end - start) * t / max(1, len(periods) - 1)
                num = min(den, max(0, round(den * share * rng.uniform(0.9, 1.1))))
                self.add(ind, period, area, source, numerator=num, denominator=den)


# The sources of the figures: the government's, and two civil-society organisations' own.
GOV, CFPL, RFPK = GOVERNMENT_SOURCE, "demo-cfpl-shadow", "demo-rfpk-community"


def values_generate(v: Values, ind: dict[str, Indicator]) -> None:
    """The figures, one block per indicator (easier to read than a generic table), pillar by
    pillar; the order is the rows' order, and so their ids."""
    _participation(v, ind)
    _prevention(v, ind)
    _protection(v, ind)
    _relief(v, ind)
    _coordination(v, ind)
    _local_plans(v, ind)


def _participation(v: Values, ind: dict[str, Indicator]) -> None:
    """Stocks by sex, taken once a year (parliament, police) or per quarter."""
    for year, women in zip(YEARS, (64, 67), strict=True):
        v.add(ind["PAR-01"], year, "COD", GOV, cell="sex=F", value=women)
        v.add(ind["PAR-01"], year, "COD", GOV, cell="sex=M", value=500 - women)
    seats = {"CD-KN": 48, "CD-NK": 48, "CD-SK": 42}
    women_seats = {"CD-KN": (7, 8), "CD-NK": (4, 5), "CD-SK": (5, 5)}
    for province, members in seats.items():
        for year, women in zip(YEARS, women_seats[province], strict=True):
            v.add(ind["PAR-03"], year, province, GOV, cell="sex=F", value=women)
            v.add(ind["PAR-03"], year, province, GOV, cell="sex=M", value=members - women)
    delegations = [(14, 2), (14, 2), (16, 3), (16, 3), (18, 4), (18, 4), (20, 5), (20, 6)]
    for quarter, (size, women) in zip(QUARTERS, delegations, strict=True):
        v.add(ind["PAR-05"], quarter, "COD", GOV, cell="sex=F", value=women)
        v.add(ind["PAR-05"], quarter, "COD", GOV, cell="sex=M", value=size - women)
        # The coalition counts only full delegates, not advisers: fewer women.
        v.add(ind["PAR-05"], quarter, "COD", CFPL, cell="sex=F", value=max(1, women - 1))
        v.add(ind["PAR-05"], quarter, "COD", CFPL, cell="sex=M", value=size - women - 1)
    # Police: (men, women share) per rank; women are rarer the higher the rank.
    ranks = {
        "senior": (260, 0.05),
        "officer": (1900, 0.09),
        "nco": (5200, 0.12),
        "agent": (16000, 0.16),
    }
    for province in content.PROVINCES:
        rng = v.rng(ind["PAR-07"], GOV, province)
        for t, year in enumerate(YEARS):
            for rank, (size, share) in ranks.items():
                total = float(size) * PROVINCE_WEIGHT[province] * rng.uniform(0.95, 1.05)
                women = round(total * (share + 0.01 * t) * rng.uniform(0.9, 1.1))
                cell = "sex={sex};rank=" + rank
                v.add(ind["PAR-07"], year, province, GOV, cell=cell.format(sex="F"), value=women)
                v.add(
                    ind["PAR-07"],
                    year,
                    province,
                    GOV,
                    cell=cell.format(sex="M"),
                    value=round(total) - women,
                )
    v.percentage(
        ind["PAR-09"],
        GOV,
        periods=QUARTERS,
        areas=content.PROVINCES,
        denominator=60,
        start=0.22,
        end=0.41,
    )
    v.percentage(
        ind["PAR-09"],
        RFPK,
        periods=QUARTERS,
        areas=["CD-NK", "CD-SK"],
        denominator=60,
        start=0.15,
        end=0.27,
    )


def _prevention(v: Values, ind: dict[str, Indicator]) -> None:
    v.flow(ind["PRE-01"], GOV, per_quarter=140, growth=0.06, weights=TRAINEES_COMMUNITY)
    for year, value in zip(YEARS, (1, 1), strict=True):
        v.add(ind["PRE-02"], year, "COD", GOV, value=value)
    v.percentage(
        ind["PRE-03"],
        GOV,
        periods=QUARTERS,
        areas=content.PROVINCES,
        denominator=90,
        start=0.38,
        end=0.61,
    )
    for year, gov_step, cso_step in zip(YEARS, (1, 2), (1, 1), strict=True):
        labels = ind["PRE-04"].scale_labels
        v.add(ind["PRE-04"], year, "COD", GOV, value=gov_step, text=labels[gov_step])
        v.add(ind["PRE-04"], year, "COD", CFPL, value=cso_step, text=labels[cso_step])


def _protection(v: Values, ind: dict[str, Indicator]) -> None:
    """Reported ⊇ investigated ⊇ prosecuted, cell by cell."""
    reported = v.flow(ind["PRO-01"], GOV, per_quarter=420, growth=0.04, weights=SURVIVORS)
    investigated = v.thinned(ind["PRO-02"], GOV, reported, lambda t: 0.52 + 0.02 * t)
    v.thinned(ind["PRO-03"], GOV, investigated, lambda t: 0.30 + 0.02 * t)
    # Community monitors hear of many cases that never reach the police.
    v.flow(
        ind["PRO-01"],
        RFPK,
        per_quarter=420,
        growth=0.04,
        weights=SURVIVORS,
        provinces=["CD-NK", "CD-SK"],
        scale_by={"CD-NK": 1.55, "CD-SK": 1.4},
    )
    v.flow(ind["PRO-05"], GOV, per_quarter=90, growth=0.05, weights=TRAINEES_SECURITY)
    v.percentage(
        ind["PRO-06"],
        GOV,
        periods=QUARTERS,
        areas=content.PROVINCES,
        denominator=260,
        start=0.34,
        end=0.52,
    )
    v.percentage(
        ind["PRO-06"],
        CFPL,
        periods=QUARTERS,
        areas=["CD-NK", "CD-SK"],
        denominator=200,
        start=0.21,
        end=0.33,
    )
    for year, value in zip(YEARS, (0, 1), strict=True):
        v.add(ind["PRO-07"], year, "COD", GOV, value=value)


def _relief(v: Values, ind: dict[str, Indicator]) -> None:
    v.flow(ind["REL-01"], GOV, per_quarter=210, growth=0.05, weights=BENEFICIARIES)
    v.percentage(
        ind["REL-02"],
        GOV,
        periods=QUARTERS,
        areas=["CD-NK", "CD-SK"],
        denominator=150,
        start=0.09,
        end=0.17,
    )
    for year, value in zip(YEARS, (547, 529), strict=True):
        v.add(ind["REL-03"], year, "COD", GOV, value=value)


def _coordination(v: Values, ind: dict[str, Indicator]) -> None:
    for quarter, meetings in zip(QUARTERS, (1, 1, 0, 1, 1, 1, 1, 1), strict=True):
        v.add(ind["COO-01"], quarter, "COD", GOV, value=meetings)
    for year, stage in zip(YEARS, (1, 3), strict=True):
        v.add(ind["COO-02"], year, "COD", GOV, value=stage, text=ind["COO-02"].scale_labels[stage])
    for year, (spent, planned) in zip(
        YEARS, ((1_200_000, 4_500_000), (2_100_000, 5_000_000)), strict=True
    ):
        v.add(ind["COO-03"], year, "COD", GOV, numerator=spent, denominator=planned)
    for (source, year), text in content.NARRATIVES.items():
        v.add(ind["COO-04"], year, "COD", source, text=text)
    for quarter, count in zip(QUARTERS, (8, 9, 9, 11, 12, 12, 14, 15), strict=True):
        v.add(ind["COO-05"], quarter, "COD", GOV, value=count)
        v.add(ind["COO-05"], quarter, "COD", CFPL, value=max(0, count - 4))


def _local_plans(v: Values, ind: dict[str, Indicator]) -> None:
    """Committee members per territory, and a community count that disagrees."""
    for code, province, source_extra in (("NK-01", "CD-NK", RFPK), ("SK-01", "CD-SK", None)):
        for district_code, _name in content.DISTRICTS[province]:
            rng = v.rng(ind[code], GOV, district_code)
            size = rng.randint(90, 180)
            for t, quarter in enumerate(QUARTERS):
                women = round(size * (0.18 + 0.02 * t) * rng.uniform(0.92, 1.08))
                v.add(ind[code], quarter, district_code, GOV, cell="sex=F", value=women)
                v.add(ind[code], quarter, district_code, GOV, cell="sex=M", value=size - women)
                if source_extra and district_code in ("CD-NK-RUTSHURU", "CD-NK-MASISI"):
                    active = round(women * 0.7)  # the network counts only women who attend
                    v.add(
                        ind[code], quarter, district_code, source_extra, cell="sex=F", value=active
                    )
                    v.add(
                        ind[code],
                        quarter,
                        district_code,
                        source_extra,
                        cell="sex=M",
                        value=size - women,
                    )


def list_items_create(
    ind: Indicator, periods: dict[str, Period], areas: dict[str, Area], sources: dict[str, Any]
) -> int:
    items = [
        ListItem(
            indicator=ind,
            period=periods[day[:4]],
            area=areas[area],
            source=sources[source],
            title=title,
            date=date.fromisoformat(day),
            reference=reference,
        )
        for source, area, title, day, reference in content.LIST_ITEMS
    ]
    ListItem.objects.bulk_create(items)
    return len(items)
