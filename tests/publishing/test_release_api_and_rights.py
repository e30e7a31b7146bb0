"""Releases through the API and the services' rights: who may prepare, publish and withdraw;
what an anonymous reader gets (never a suppressed value); withdrawn → 410; unknown → 404."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from tests.publishing.conftest import SURVIVORS, ReleaseWorld

from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.publishing import services
from wpsmonitor.publishing.models import DisclosureAuditEntry, ReleaseFigure


def _published(rw: ReleaseWorld):  # type: ignore[no-untyped-def]
    release = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    return services.release_publish(by=rw.coordinator, release=release, confirm=True)


def _get(path: str, client: Client | None = None) -> Any:
    return (client or Client()).get(path)


def test_anonymous_reads_a_published_release_without_any_suppressed_value(
    rw: ReleaseWorld,
) -> None:
    release = _published(rw)
    answer = _get(f"/api/v1/plans/{rw.plan.code}/releases/{release.number}?limit=10000")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == ReleaseFigure.objects.filter(release=release).count()
    survivors = [i for i in body["items"] if i["indicator"] == "PRO-01"]
    hidden = [i for i in survivors if i["flag"]]
    assert hidden and all(
        (i["value"], i["numerator"], i["denominator"]) == (None, None, None) for i in hidden
    )
    primary = [i for i in hidden if i["flag"] == "primary"]
    assert primary and all(i["text"] == "fewer than 5" and i["conf_status"] == "A" for i in primary)
    # No district-quarter value below the threshold appears anywhere in the answer.
    small = {v for by_sex in SURVIVORS.values() for v in by_sex.values() if v < 5}
    for item in survivors:
        if item["period"].endswith(("Q1", "Q2")) and item["cell"]:
            assert item["value"] not in small
    assert not [i for i in body["items"] if i["indicator"] == "PRO-09"]  # restricted
    # And the raw answer holds no suppressed figure's value as text either.
    suppressed = ReleaseFigure.objects.filter(release=release).exclude(flag="").count()
    assert suppressed == len(hidden) + len(
        [i for i in body["items"] if i["flag"] and i["indicator"] != "PRO-01"]
    )
    listing = _get(f"/api/v1/plans/{rw.plan.code}/releases").json()
    assert [r["number"] for r in listing] == [1] and listing[0]["status"] == "published"
    assert "audit" not in json.dumps(listing)


def test_anonymous_sees_no_draft_and_no_release_of_a_draft_plan(rw: ReleaseWorld) -> None:
    services.release_prepare(by=rw.coordinator, plan=rw.plan)
    assert _get(f"/api/v1/plans/{rw.plan.code}/releases").json() == []
    assert _get(f"/api/v1/plans/{rw.plan.code}/releases/1").status_code == 404
    coordinator = Client()
    coordinator.force_login(rw.coordinator)
    assert [
        r["status"] for r in _get(f"/api/v1/plans/{rw.plan.code}/releases", coordinator).json()
    ] == ["draft"]
    rw.plan.status = PlanStatus.DRAFT
    rw.plan.save(update_fields=["status"])
    assert _get(f"/api/v1/plans/{rw.plan.code}/releases").status_code == 404


def test_withdrawn_release_answers_410_with_the_reason(rw: ReleaseWorld) -> None:
    release = _published(rw)
    with pytest.raises(ValidationError):
        services.release_withdraw(by=rw.coordinator, release=release, reason="   ")
    services.release_withdraw(
        by=rw.coordinator, release=release, reason="A district total identified a survivor."
    )
    answer = _get(f"/api/v1/plans/{rw.plan.code}/releases/1")
    assert answer.status_code == 410
    assert "identified a survivor" in answer.json()["detail"]
    from wpsmonitor.publishing.selectors import published_release, release_figures

    assert published_release(rw.plan) is None
    assert not release_figures(release).exists()
    with pytest.raises(ValidationError):  # withdrawn once
        services.release_withdraw(by=rw.coordinator, release=release, reason="again")


def test_unknown_plan_or_release_is_404(rw: ReleaseWorld) -> None:
    _published(rw)
    assert _get("/api/v1/plans/no-such-plan/releases").status_code == 404
    assert _get(f"/api/v1/plans/{rw.plan.code}/releases/7").status_code == 404
    assert _get(f"/api/v1/plans/{rw.plan.code}/releases/0").status_code in (400, 422)
    assert _get(f"/api/v1/plans/{rw.plan.code}/releases/1?indicator=NOPE").status_code == 404


@pytest.mark.parametrize("who", ["focal_point", "monitor", "anonymous"])
def test_wrong_roles_may_not_prepare_publish_or_withdraw(rw: ReleaseWorld, who: str) -> None:
    user = AnonymousUser() if who == "anonymous" else getattr(rw, who)
    with pytest.raises(PermissionDenied):
        services.release_prepare(by=user, plan=rw.plan)
    draft = services.release_prepare(by=rw.coordinator, plan=rw.plan)
    with pytest.raises(PermissionDenied):
        services.release_publish(by=user, release=draft, confirm=True)
    entry = DisclosureAuditEntry.objects.create(
        release=draft, description="x", rule="problem", problem=True
    )
    with pytest.raises(PermissionDenied):
        services.audit_resolve(by=user, entry=entry, note="fine")
    services.audit_resolve(by=rw.coordinator, entry=entry, note="fine")
    published = services.release_publish(by=rw.coordinator, release=draft, confirm=True)
    with pytest.raises(PermissionDenied):
        services.release_withdraw(by=user, release=published, reason="harm")
