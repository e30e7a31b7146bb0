"""The release builder on a small plan: what is suppressed, what passes unchanged, what is
left out, the streams kept apart, the change log, and immutability."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from tests.aggregation.conftest import CSO
from tests.publishing.conftest import ReleaseWorld

from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, AggregateValue
from wpsmonitor.publishing import services
from wpsmonitor.publishing.models import (
    DisclosureAuditEntry,
    ImmutableError,
    ReleaseFigure,
)


def _figures(release, indicator, source=GOVERNMENT_SOURCE):  # type: ignore[no-untyped-def]
    return {
        (f.area.code.rsplit("-", 1)[-1], f.period_code, f.cell_key): f
        for f in ReleaseFigure.objects.filter(
            release=release, indicator=indicator, source__code=source
        ).select_related("area")
    }


def test_small_cells_are_suppressed_with_complements(rw: ReleaseWorld) -> None:
    release = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    figures = _figures(release, rw.survivors)
    small = figures[("D11", "2025Q1", "sex=F")]
    assert small.flag == "primary" and small.value is None and small.threshold == 5
    assert figures[("D21", "2025Q2", "sex=F")].flag == "primary"
    # The district total of D11 2025Q1 (9) would give F away from M (7): something in the sex
    # margin of D11 2025Q1 is hidden beside it.
    d11 = [figures[("D11", "2025Q1", k)] for k in ("", "sex=M")]
    assert any(f.flag == "secondary" for f in d11)
    # No suppressed cell can be recovered: every relation holding one holds two.
    assert release.suppressed >= 4
    entries = DisclosureAuditEntry.objects.filter(release=release)
    assert entries.filter(rule="small").count() >= 2
    assert entries.filter(rule="complement").exists()
    assert not entries.filter(problem=True).exists()
    # Every suppressed figure has no value in any column, by the database's own rule.
    for f in figures.values():
        if f.flag:
            assert (f.value, f.numerator, f.denominator) == (None, None, None)


def test_public_indicators_pass_unchanged_and_restricted_ones_are_left_out(
    rw: ReleaseWorld,
) -> None:
    release = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    figures = _figures(release, rw.meetings)
    stored = AggregateValue.objects.filter(indicator=rw.meetings, source__code=GOVERNMENT_SOURCE)
    assert len(figures) == stored.count() > 0
    assert all(f.flag == "" for f in figures.values())
    assert figures[("D11", "2025Q1", "")].value == Decimal(2)
    assert not ReleaseFigure.objects.filter(release=release, indicator=rw.restricted).exists()


def test_government_and_civil_society_are_kept_apart(rw: ReleaseWorld) -> None:
    release = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    gov = _figures(release, rw.survivors)
    cso = _figures(release, rw.survivors, CSO)
    assert gov and cso
    assert {f.source_kind for f in gov.values()} == {"government"}
    assert {f.source_kind for f in cso.values()} == {"civil_society"}
    # Each stream is protected on its own figures (civil society's D11 2025Q1 F is 3, small),
    # and each published figure is its own stream's, never merged: D11's year, F.
    assert cso[("D11", "2025Q1", "sex=F")].flag == "primary"
    assert gov[("D11", "2025", "sex=F")].value == Decimal(13)
    assert cso[("D11", "2025", "sex=F")].value == Decimal(15)
    assert cso[("D11", "2025", "sex=F")].organisation_id is None  # the test source has none


def test_a_published_release_is_never_changed(rw: ReleaseWorld) -> None:
    release = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    services.release_publish(by=rw.coordinator, release=release, confirm=True)
    figure = ReleaseFigure.objects.filter(release=release).first()
    assert figure is not None
    figure.value = Decimal(1)
    with pytest.raises(ImmutableError):
        figure.save()
    with pytest.raises(ImmutableError):
        ReleaseFigure.objects.filter(release=release).update(value=1)
    with pytest.raises(ValidationError):
        services.release_publish(by=rw.coordinator, release=release, confirm=True)
    # A correction is a new release, numbered after it, with a change log.
    rw.world.value(rw.meetings, "2025Q3", "D11", 5)
    rw.world.rebuild()
    second = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    assert second.number == 2 and second.previous_id == release.pk
    assert second.added > 0 and "Compared with release 1" in second.change_log
    release.refresh_from_db()
    assert release.status == "published"


def test_preparing_again_replaces_the_draft(rw: ReleaseWorld) -> None:
    first = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    again = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    assert again.number == first.number == 1
    assert not ReleaseFigure.objects.filter(release_id=first.pk).exists()
    assert again.change_log == "First release."


def test_publishing_is_refused_with_an_unresolved_problem(rw: ReleaseWorld) -> None:
    release = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    problem = DisclosureAuditEntry.objects.create(
        release=release, description="PRO-01 · N · 2025 · total", rule="problem", problem=True
    )
    with pytest.raises(ValidationError, match="unresolved"):
        services.release_publish(by=rw.coordinator, release=release, confirm=True)
    with pytest.raises(ValidationError):
        services.audit_resolve(by=rw.coordinator, entry=problem, note="  ")
    services.audit_resolve(by=rw.coordinator, entry=problem, note="Source corrected.")
    with pytest.raises(ValidationError):
        services.release_publish(by=rw.coordinator, release=release, confirm=False)
    services.release_publish(by=rw.coordinator, release=release, confirm=True)
    release.refresh_from_db()
    assert release.status == "published" and release.published_by == rw.coordinator
