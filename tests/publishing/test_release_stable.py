"""A second release after a correction: the first release's suppression pattern carried forward
(docs/publishing.md, "Stable suppression across releases")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from tests.publishing.conftest import ReleaseWorld

from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, DataValue
from wpsmonitor.publishing import services
from wpsmonitor.publishing.models import DisclosureAuditEntry, Release, ReleaseFigure


def _figures(release: Release, rw: ReleaseWorld) -> dict[tuple[str, str, str], ReleaseFigure]:
    return {
        (f.area.code.rsplit("-", 1)[-1], f.period_code, f.cell_key): f
        for f in ReleaseFigure.objects.filter(
            release=release, indicator=rw.survivors, source__code=GOVERNMENT_SOURCE
        ).select_related("area")
    }


def _withheld(release: Release) -> dict[str, Decimal | None]:
    return dict(
        DisclosureAuditEntry.objects.filter(release=release, problem=False)
        .exclude(cell="")
        .values_list("cell", "withheld")
    )


def _correct(rw: ReleaseWorld, period: str, area: str, sex: str, value: int) -> None:
    changed = DataValue.objects.filter(
        indicator=rw.survivors,
        period__code=period,
        area__code__endswith=area,
        cell__code=f"sex={sex}",
        source__code=GOVERNMENT_SOURCE,
    ).update(value=value)
    assert changed == 1
    rw.world.rebuild()


def _publish_first(rw: ReleaseWorld) -> Release:
    first = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    return services.release_publish(by=rw.coordinator, release=first, confirm=True)


def test_unchanged_hidden_figures_stay_hidden_after_a_correction(rw: ReleaseWorld) -> None:
    first = _publish_first(rw)
    before = _figures(first, rw)
    hidden_before = {k for k, f in before.items() if f.flag}
    assert hidden_before
    # The audit keeps each withheld count for the next release (never public).
    withheld = _withheld(first)
    assert withheld["PRO-01 · SEN-D11 · 2025Q1 · sex=F"] == Decimal(2)
    # A correction: D12's men in 2025Q2 were 11, not 10; its total, P1's and N's follow.
    _correct(rw, "2025Q2", "D12", "M", 11)
    second = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    after = _figures(second, rw)
    for key in hidden_before:
        area, period, _cell = key
        moved = period in ("2025Q2", "2025", "ALL") and area in ("D12", "P1", "N")
        if not moved:  # its figure did not change: hidden again
            assert after[key].flag, key
    kept = DisclosureAuditEntry.objects.filter(release=second, rule="kept")
    assert kept.exists()
    assert all("release 1" in e.details for e in kept)
    assert {f.flag for f in ReleaseFigure.objects.filter(pk__in=kept.values("figure"))} == {
        "secondary"
    }
    # No figure published in release 1 and unchanged is hidden in release 2: hiding it would
    # hide nothing.
    for key, figure in after.items():
        old = before.get(key)
        if old is not None and not old.flag and figure.flag:
            assert key[1] in ("2025Q2", "2025", "ALL") and key[0] in ("D12", "P1", "N"), key
    assert not DisclosureAuditEntry.objects.filter(release=second, problem=True).exists()
    assert "PRO-01 · SEN-D12 · 2025Q2 · total: 19.000000 → 20.000000" in second.change_log
    services.release_publish(by=rw.coordinator, release=second, confirm=True)


def test_a_published_figure_now_below_the_threshold_is_a_problem(rw: ReleaseWorld) -> None:
    """The indicator's threshold raised after release 1: figures it published are now small."""
    first = _publish_first(rw)
    before = _figures(first, rw)
    rw.survivors.disclosure_threshold = 20
    rw.survivors.save(update_fields=["disclosure_threshold"])
    second = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    after = _figures(second, rw)
    exposed = {k for k, f in before.items() if not f.flag and f.value is not None and f.value < 20}
    assert exposed
    assert all(after[k].flag == "primary" for k in exposed)
    disclosed = DisclosureAuditEntry.objects.filter(
        release=second, rule="disclosed", figure__source__code=GOVERNMENT_SOURCE
    )
    assert disclosed.count() == len(exposed)
    entry = disclosed.first()
    assert entry is not None and entry.problem and "release 1" in entry.details
    assert "same figure" in entry.details
    with pytest.raises(ValidationError, match="unresolved"):
        services.release_publish(by=rw.coordinator, release=second, confirm=True)
    for entry in DisclosureAuditEntry.objects.filter(release=second, problem=True):
        services.audit_resolve(
            by=rw.coordinator, entry=entry, note="Release 1 withdrawn: judged harmful."
        )
    services.release_publish(by=rw.coordinator, release=second, confirm=True)


def test_a_release_prepared_without_withheld_figures_is_read_as_unchanged(
    rw: ReleaseWorld,
) -> None:
    """A release from before the audit kept withheld figures: its hidden cells stay hidden."""
    first = _publish_first(rw)
    hidden_before = {k for k, f in _figures(first, rw).items() if f.flag}
    DisclosureAuditEntry.objects.filter(release=first).delete()
    _correct(rw, "2025Q2", "D12", "M", 11)
    second = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    after = _figures(second, rw)
    assert all(after[k].flag for k in hidden_before)
    assert DisclosureAuditEntry.objects.filter(release=second, rule="kept").exists()
