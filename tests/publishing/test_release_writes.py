"""The builder's write path (raw inserts, not the ORM's bulk_create): every figure is written
with its value as the aggregates hold it, and every audit entry points at its suppressed figure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wpsmonitor.core.vocabulary import SourceKind
from wpsmonitor.indicators.models import AggregateValue
from wpsmonitor.publishing.models import ReleaseFigure
from wpsmonitor.publishing.services import release_prepare

from .conftest import ReleaseWorld

pytestmark = pytest.mark.django_db


def test_figures_hold_the_aggregates_and_the_audit_points_at_them(rw: ReleaseWorld) -> None:
    release = release_prepare(by=rw.coordinator, plan=rw.plan)
    figures = ReleaseFigure.objects.filter(release=release)
    aggregates = AggregateValue.objects.filter(
        indicator__in=[rw.survivors, rw.meetings],
        source__kind__in=[SourceKind.GOVERNMENT, SourceKind.CIVIL_SOCIETY],
    )
    assert figures.count() == aggregates.count() == release.figures
    shown = {
        (f.indicator_id, f.source_id, f.area_id, f.period_code, f.cell_key): f
        for f in figures.filter(flag="")
    }
    assert shown
    for a in aggregates:
        figure = shown.get((a.indicator_id, a.source_id, a.area_id, a.period_code, a.cell_key))
        if figure is not None:
            assert figure.value == Decimal(repr(a.value)).quantize(Decimal("0.000001"))
            assert figure.kind == a.indicator.kind and figure.source_kind == a.source.kind
    entries = list(release.audit.filter(problem=False).select_related("figure__indicator"))
    assert len(entries) == release.suppressed == figures.exclude(flag="").count() > 0
    for entry in entries:
        assert entry.figure is not None
        assert entry.figure.flag and entry.figure.value is None
        assert entry.description.startswith(entry.figure.indicator.code)
        assert entry.figure.period_code in entry.description
