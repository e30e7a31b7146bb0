"""Separation of duties (issue 12, section 1): no government role becomes a civil-society
organisation. Its roles are given and taken only from inside it; government and civil-society
roles never meet in one user on one plan; every grant and removal is kept, with who, when, why.
The rights themselves are rows of the access matrix (test_access_matrix.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from tests.reporting.conftest import Cycle, make_user

from wpsmonitor.accounts.models import PlanRole, Role, RoleEvent
from wpsmonitor.reporting import services


def _client(cycle: Cycle, name: str) -> Client:
    client = Client()
    client.force_login(cycle.users[name])
    return client


def _people(cycle: Cycle) -> str:
    return f"/plans/{cycle.plan.code}/reporting/people/"


def _monitor_of(cycle: Cycle, name: str) -> bool:
    return PlanRole.objects.filter(
        user=cycle.users[name], role__in=[Role.MONITOR, Role.ORGANISATION_ADMIN]
    ).exists()


def test_a_coordinator_cannot_make_themselves_or_anyone_a_monitor(cycle: Cycle) -> None:
    coordinator = _client(cycle, "coordinator")
    for name in ("coordinator", "focal", "outsider"):
        for role in ("monitor", "organisation_admin"):
            response = coordinator.post(
                _people(cycle),
                {"username": name, "role": role, "organisation": cycle.built.cso.code},
            )
            assert response.status_code == 403
            assert not _monitor_of(cycle, name)
    with pytest.raises(PermissionDenied):
        services.role_grant(
            by=cycle.users["coordinator"],
            plan=cycle.plan,
            user=cycle.users["coordinator"],
            role=Role.MONITOR,
            organisation=cycle.built.cso,
        )
    # Nor take the real monitor away (which left no trace before).
    monitor_role = PlanRole.objects.get(user=cycle.users["monitor"], role=Role.MONITOR)
    removal = coordinator.post(
        _people(cycle), {"do": "remove", "role": monitor_role.pk, "reason": "Replaced."}
    )
    assert removal.status_code == 403
    assert PlanRole.objects.filter(pk=monitor_role.pk).exists()
    assert not RoleEvent.objects.exists()
    # The page offers the coordinator government roles only, and no removal of civil society's.
    page = coordinator.get(_people(cycle)).content.decode()
    assert 'value="monitor"' not in page and 'value="organisation_admin"' not in page
    assert f'name="role" value="{monitor_role.pk}"' not in page


def test_the_administrator_only_names_a_first_organisation_administrator_with_a_reason(
    cycle: Cycle,
) -> None:
    admin, other_cso = cycle.users["admin"], cycle.other_cso
    grant = {"by": admin, "plan": cycle.plan, "user": cycle.users["outsider"]}
    with pytest.raises(PermissionDenied):  # never a monitor
        services.role_grant(**grant, role=Role.MONITOR, organisation=other_cso, reason="x")
    with pytest.raises(PermissionDenied):  # the organisation has an administrator already
        services.role_grant(
            **grant, role=Role.ORGANISATION_ADMIN, organisation=cycle.built.cso, reason="x"
        )
    with pytest.raises(ValidationError, match="Say why"):
        services.role_grant(**grant, role=Role.ORGANISATION_ADMIN, organisation=other_cso)
    with pytest.raises(ValidationError, match="platform administrator"):
        services.role_grant(
            **grant | {"user": admin},
            role=Role.ORGANISATION_ADMIN,
            organisation=other_cso,
            reason="I will manage it.",
        )
    named = services.role_grant(
        **grant | {"user": cycle.users["other_monitor"]},
        role=Role.ORGANISATION_ADMIN,
        organisation=other_cso,
        reason="Named by the group's board, letter of 3 March.",
    )
    event = RoleEvent.objects.get()
    assert (event.kind, event.role, event.user, event.by, event.organisation) == (
        "granted",
        Role.ORGANISATION_ADMIN,
        cycle.users["other_monitor"],
        admin,
        other_cso,
    )
    assert event.reason == "Named by the group's board, letter of 3 March."
    # From now on the organisation manages its own people; the administrator cannot take it back.
    with pytest.raises(PermissionDenied):
        services.role_revoke(by=admin, role=named, reason="Changed my mind.")


def test_a_government_user_never_holds_a_civil_society_role_on_the_plan_and_back(
    cycle: Cycle,
) -> None:
    monitor = _client(cycle, "monitor")
    for name in ("focal", "coordinator", "viewer"):
        page = monitor.post(
            _people(cycle),
            {"username": name, "role": "monitor", "organisation": cycle.built.cso.code},
            follow=True,
        ).content.decode()
        assert "holds a government role on this plan" in page
        assert not _monitor_of(cycle, name)
    page = (
        _client(cycle, "coordinator")
        .post(_people(cycle), {"username": "monitor", "role": "viewer"}, follow=True)
        .content.decode()
    )
    assert "holds a civil-society role on this plan" in page
    assert list(
        PlanRole.objects.filter(user=cycle.users["monitor"]).values_list("role", flat=True)
    ) == [Role.MONITOR, Role.ORGANISATION_ADMIN]
    assert not RoleEvent.objects.exists()


def test_the_organisation_administrator_gives_and_takes_its_roles_and_the_history_stays(
    cycle: Cycle,
) -> None:
    monitor, url = _client(cycle, "monitor"), _people(cycle)
    monitor.post(
        url,
        {
            "username": "outsider",
            "role": "monitor",
            "organisation": cycle.built.cso.code,
            "reason": "Joined our Province 1 team.",
        },
    )
    granted = PlanRole.objects.get(user=cycle.users["outsider"])
    assert (granted.role, granted.organisation, granted.granted_by) == (
        Role.MONITOR,
        cycle.built.cso,
        cycle.users["monitor"],
    )
    refused = monitor.post(url, {"do": "remove", "role": granted.pk, "reason": " "}, follow=True)
    assert "Say why the role is taken away" in refused.content.decode()
    assert PlanRole.objects.filter(pk=granted.pk).exists()
    monitor.post(url, {"do": "remove", "role": granted.pk, "reason": "Left the organisation."})
    assert not PlanRole.objects.filter(pk=granted.pk).exists()
    own_admin = PlanRole.objects.get(user=cycle.users["monitor"], role=Role.ORGANISATION_ADMIN)
    last = monitor.post(url, {"do": "remove", "role": own_admin.pk, "reason": "Bye."}, follow=True)
    assert "last administrator" in last.content.decode()
    history = list(RoleEvent.objects.order_by("pk").values_list("kind", "user_name", "reason"))
    assert history == [
        ("granted", "outsider", "Joined our Province 1 team."),
        ("revoked", "outsider", "Left the organisation."),
    ]
    assert RoleEvent.objects.filter(by=cycle.users["monitor"]).count() == 2
    # The history outlives the account; the organisation and the coordinator read it.
    cycle.users["outsider"].delete()
    assert RoleEvent.objects.filter(user__isnull=True, user_name="outsider").count() == 2
    for reader in ("monitor", "coordinator"):
        page = _client(cycle, reader).get(url).content.decode()
        assert "Left the organisation." in page and "Joined our Province 1 team." in page
    # The organisation administrator sees their organisation's roles only.
    page = monitor.get(url).content.decode()
    assert "focal_other_area" not in page and "police_focal" not in page


def test_the_service_itself_refuses_a_monitor_role_to_a_viewer(
    cycle: Cycle,
) -> None:
    """The check reads the user's roles after locking the user: a second grant sees the first."""
    newcomer = make_user("newcomer")
    services.role_grant(
        by=cycle.users["coordinator"], plan=cycle.plan, user=newcomer, role=Role.VIEWER
    )
    with pytest.raises(ValidationError):
        services.role_grant(
            by=cycle.users["monitor"],
            plan=cycle.plan,
            user=newcomer,
            role=Role.MONITOR,
            organisation=cycle.built.cso,
        )
