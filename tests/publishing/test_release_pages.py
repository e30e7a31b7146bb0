"""The plan's releases page: for the coordinator only; prepare, publish through the
confirmation page, resolve a problem, withdraw with a reason."""

from __future__ import annotations

from django.test import Client
from tests.publishing.conftest import ReleaseWorld

from wpsmonitor.publishing.models import DisclosureAuditEntry, Release


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_coordinator_prepares_publishes_and_withdraws(rw: ReleaseWorld) -> None:
    code = rw.plan.code
    client = _client(rw.coordinator)
    assert f"/plans/{code}/releases/" in client.get(f"/plans/{code}/").content.decode()
    assert client.get(f"/plans/{code}/releases/").status_code == 200
    client.post(f"/plans/{code}/releases/prepare/")
    release = Release.objects.get(plan=rw.plan)
    page = client.get(f"/plans/{code}/releases/").content.decode()
    assert "below the threshold of 5" in page  # the audit, for the coordinator
    problem = DisclosureAuditEntry.objects.create(
        release=release, description="x", rule="problem", problem=True
    )
    # The first POST only asks; the confirmed one is refused while a problem is open.
    asked = client.post(f"/plans/{code}/releases/1/publish/")
    assert asked.status_code == 200 and 'name="confirm"' in asked.content.decode()
    client.post(f"/plans/{code}/releases/1/publish/", {"confirm": "yes"})
    release.refresh_from_db()
    assert release.status == "draft"
    client.post(f"/plans/{code}/releases/audit/{problem.pk}/resolve/", {"note": "Checked."})
    client.post(f"/plans/{code}/releases/1/publish/", {"confirm": "yes"})
    release.refresh_from_db()
    assert release.status == "published"
    client.post(f"/plans/{code}/releases/1/withdraw/", {"reason": ""})
    release.refresh_from_db()
    assert release.status == "published"
    client.post(f"/plans/{code}/releases/1/withdraw/", {"reason": "Harm found."})
    release.refresh_from_db()
    assert release.status == "withdrawn" and release.withdrawal_reason == "Harm found."


def test_other_roles_get_403_and_no_link(rw: ReleaseWorld) -> None:
    code = rw.plan.code
    for user in (rw.focal_point, rw.monitor):
        client = _client(user)
        assert f"/plans/{code}/releases/" not in client.get(f"/plans/{code}/").content.decode()
        assert client.get(f"/plans/{code}/releases/").status_code == 403
        assert client.post(f"/plans/{code}/releases/prepare/").status_code == 403
    anonymous = Client().post(f"/plans/{code}/releases/prepare/")
    assert anonymous.status_code == 302 and not Release.objects.exists()
