"""The release world (conftest.rw) for the pages below publishing that read figures as
`reading_for` decides: the divergence page and the scorecard (docs/publishing.md, "Who reads
what").

They read indicator totals (cell ""), which the survivors by sex of conftest.py never hide:
PRO-03 adds a sensitive count reported for a whole year, whose small totals (the government's
2 in District 11, civil society's 3 in District 21) the release suppresses. Once the release is
published, every aggregate it hides (and every figure of the restricted indicator, which it
leaves out) is overwritten with SENTINEL: a page that shows it to a release reader has read the
aggregates (the trap of tests/portal/test_release_reading.py)."""

from __future__ import annotations

import html
import re
from typing import Any

from django.utils import timezone
from tests.aggregation.conftest import CSO
from tests.publishing.conftest import ReleaseWorld

from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.indicators.models import AggregateValue, Indicator
from wpsmonitor.publishing import services
from wpsmonitor.publishing.models import DisclosureAuditEntry, Release, ReleaseFigure

SENTINEL = 4242
# As the pages and files may write it: 4242, 4,242, 4 242 (any space), 4242.0.
LEAK = re.compile(r"(?<![\w/-])4[,.\s\u00a0\u202f]?242(?![\w/-])")

# District: (the government's total, civil society's), for 2025.
SMALL_TOTALS = {"D11": (2, 9), "D12": (40, 44), "D21": (30, 3)}


def add_small_totals(rw: ReleaseWorld) -> Indicator:
    world = rw.world
    indicator = world.indicator(
        "PRO-03", unit="survivors", frequency="year", sensitivity=Sensitivity.SENSITIVE
    )
    for area, (government, civil_society) in SMALL_TOTALS.items():
        world.value(indicator, "2025", area, government)
        world.value(indicator, "2025", area, civil_society, source=CSO)
    world.rebuild()
    return indicator


def publish_with_trap(rw: ReleaseWorld) -> Release:
    """Publish a release of the plan, then plant SENTINEL wherever it hides a figure."""
    draft = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    for entry in DisclosureAuditEntry.objects.filter(release=draft, problem=True):
        services.audit_resolve(by=rw.coordinator, entry=entry, note="Checked for the test.")
    release = services.release_publish(by=rw.coordinator, release=draft, confirm=True)
    hidden = ReleaseFigure.objects.filter(release=release).exclude(flag="")
    for indicator_id, area_id, period, cell_key, source_id in hidden.values_list(
        "indicator_id", "area_id", "period_code", "cell_key", "source_id"
    ):
        AggregateValue.objects.filter(
            indicator_id=indicator_id,
            area_id=area_id,
            period_code=period,
            cell_key=cell_key,
            source_id=source_id,
        ).update(value=SENTINEL)
    AggregateValue.objects.filter(indicator=rw.restricted).update(value=SENTINEL)
    return release


def main_text(content: bytes) -> str:
    """The words of a page's <main>, tags removed, spaces collapsed."""
    page = content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    words = html.unescape(re.sub(r"<[^>]+>", " ", main))
    return re.sub(r"\s+", " ", words).replace("\u00a0", " ")


def hand_release(rw: ReleaseWorld, figures: list[tuple[str, str, float | None, str]]) -> Any:
    """The figures of a release written by hand, as (area, source, value, flag) of PA-01's
    2025 totals: to read a pattern of suppression the engine would not choose in so small a
    world. The release stays a draft: only its figures are read."""
    release = Release.objects.create(
        plan=rw.plan, number=99, status="draft", prepared_at=timezone.now()
    )
    sources = rw.world.sources
    for area, source, value, flag in figures:
        ReleaseFigure.objects.create(
            release=release,
            indicator=rw.meetings,
            period_code="2025",
            area=rw.world.areas[area],
            source=sources[source],
            source_kind=sources[source].kind,
            value=value,
            flag=flag,
            threshold=5 if flag == "primary" else None,
            kind=rw.meetings.kind,
        )
    return ReleaseFigure.objects.filter(release=release)
