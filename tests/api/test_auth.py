"""Who may call the API: tokens, sessions, permissions; the token commands."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from tests.api.conftest import ApiClient, World

from wpsmonitor.accounts.auth import token_authenticate
from wpsmonitor.accounts.models import ApiToken, hash_token
from wpsmonitor.accounts.services import token_revoke
from wpsmonitor.indicators.models import DataValue

READ_PATHS = [
    "/plans",
    "/plans/ken-nap-2",
    "/plans/ken-nap-2/framework",
    "/plans/ken-nap-2/indicators",
    "/plans/ken-nap-2/indicators/PAR-1",
    "/plans/ken-nap-2/values",
    "/plans/ken-nap-2/progress",
    "/plans/ken-nap-2/indicators/PAR-1/aggregates",
]
ROW = {"indicator": "PAR-1", "period": "2024Q3", "area": "KEN", "cell": "sex=F", "value": 4}


def assert_401(response: object) -> None:
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response["WWW-Authenticate"].startswith("Bearer")  # type: ignore[index]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"detail", "errors"}
    assert body["errors"] == []


@pytest.mark.parametrize("path", READ_PATHS)
def test_every_read_needs_authentication(world: World, path: str) -> None:
    response = ApiClient().get(path)
    assert_401(response)
    assert response.json()["detail"] == "Authentication required."
    assert ApiClient(world.reader_token).get(path).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "Bearer wps_not-a-real-token",
        "Bearer ",
        "Token abc",  # another scheme is refused, not ignored
        "Basic cmVhZGVyOnB3",
    ],
)
def test_bad_or_malformed_tokens_are_401(world: World, header: str) -> None:
    response = Client().get("/api/v1/plans", headers={"Authorization": header})
    assert_401(response)


def test_revoked_token_is_401_for_reads_and_writes(world: World) -> None:
    token = ApiToken.objects.get(key_hash=hash_token(world.writer_token))
    token_revoke(token=token)
    api = ApiClient(world.writer_token)
    assert_401(api.get("/plans"))
    assert_401(api.post("/plans/ken-nap-2/values", [ROW]))
    assert response_detail(api.get("/plans")) == "Invalid, revoked or expired token."


def response_detail(response: object) -> str:
    return response.json()["detail"]  # type: ignore[attr-defined,no-any-return]


def test_token_of_an_inactive_user_is_401(world: World) -> None:
    User.objects.filter(pk=world.writer.pk).update(is_active=False)
    api = ApiClient(world.writer_token)
    assert_401(api.get("/plans"))
    assert_401(api.post("/plans/ken-nap-2/values", [ROW]))
    assert not DataValue.objects.filter(period__code="2024Q3").exists()


def test_token_without_write_permission_is_403_on_write_and_stores_nothing(
    world: World, reader_api: ApiClient
) -> None:
    before = DataValue.objects.count()
    response = reader_api.post("/plans/ken-nap-2/values", [ROW])
    assert response.status_code == 403
    assert response.json() == {"detail": "Your account may not write data values.", "errors": []}
    assert DataValue.objects.count() == before


def test_write_permission_checked_before_the_plan_exists(reader_api: ApiClient) -> None:
    # No way to probe plan codes without the right to write.
    assert reader_api.post("/plans/unknown/values", [ROW]).status_code == 403


def test_one_of_the_two_permissions_is_not_enough(world: World) -> None:
    from django.contrib.auth.models import Permission

    world.reader.user_permissions.set(
        Permission.objects.filter(content_type__app_label="indicators", codename="add_datavalue")
    )
    assert ApiClient(world.reader_token).post("/plans/ken-nap-2/values", [ROW]).status_code == 403


def test_superuser_token_may_write(world: World) -> None:
    User.objects.filter(pk=world.reader.pk).update(is_superuser=True)
    response = ApiClient(world.reader_token).post("/plans/ken-nap-2/values", [ROW])
    assert response.status_code == 200, response.json()


def test_session_user_may_read_but_writes_need_a_token(world: World) -> None:
    client = Client()
    client.force_login(world.writer)
    assert client.get("/api/v1/plans/ken-nap-2").status_code == 200
    response = client.post("/api/v1/plans/ken-nap-2/values", [ROW], content_type="application/json")
    assert_401(response)
    assert not DataValue.objects.filter(period__code="2024Q3").exists()


def test_session_of_an_inactive_user_cannot_read(world: World) -> None:
    client = Client()
    client.force_login(world.reader)
    User.objects.filter(pk=world.reader.pk).update(is_active=False)
    assert_401(client.get("/api/v1/plans"))


def test_last_used_is_recorded_at_most_once_a_minute(world: World) -> None:
    token = ApiToken.objects.get(key_hash=hash_token(world.reader_token))
    assert token.last_used_at is None
    api = ApiClient(world.reader_token)
    api.get("/plans")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert timezone.now() - first < timedelta(seconds=30)
    api.get("/plans")
    token.refresh_from_db()
    assert token.last_used_at == first  # not rewritten within the minute
    an_hour_ago = timezone.now() - timedelta(hours=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=an_hour_ago)
    api.get("/plans")
    token.refresh_from_db()
    assert token.last_used_at > an_hour_ago


def test_token_lookup_is_one_query_plus_a_rare_write(
    world: World, django_assert_num_queries: object
) -> None:
    token_authenticate(world.reader_token)  # records first use
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert token_authenticate(world.reader_token) is not None


def test_create_token_prints_the_raw_token_once_and_stores_its_hash(world: World) -> None:
    out, err = StringIO(), StringIO()
    call_command("create_token", "writer", "provincial-sync", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("wps_") and len(raw) > 40
    token = ApiToken.objects.get(name="provincial-sync")
    assert token.user == world.writer
    assert token.key_hash == hash_token(raw)
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert "not shown again" in err.getvalue()
    assert ApiClient(raw).get("/plans").status_code == 200


def test_create_token_refuses_unknown_and_inactive_users(world: World) -> None:
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("create_token", "ghost", "x", stdout=StringIO())
    User.objects.filter(pk=world.reader.pk).update(is_active=False)
    with pytest.raises(CommandError, match="inactive"):
        call_command("create_token", "reader", "x", stdout=StringIO())


def test_revoke_token_by_prefix_id_or_user(world: World) -> None:
    out = StringIO()
    call_command("create_token", "reader", "second", stdout=out, stderr=StringIO())
    second_raw = out.getvalue().strip()
    second = ApiToken.objects.get(name="second")

    call_command("revoke_token", second.prefix, stdout=StringIO())
    assert_401(ApiClient(second_raw).get("/plans"))
    assert ApiClient(world.reader_token).get("/plans").status_code == 200

    call_command("revoke_token", "--user", "reader", stdout=StringIO())
    assert_401(ApiClient(world.reader_token).get("/plans"))
    assert ApiClient(world.writer_token).get("/plans").status_code == 200

    call_command("revoke_token", str(world.writer_token_obj.pk), stdout=StringIO())
    assert_401(ApiClient(world.writer_token).get("/plans"))

    with pytest.raises(CommandError, match="No token"):
        call_command("revoke_token", "wps_nope", stdout=StringIO())
    listing = StringIO()
    call_command("revoke_token", stdout=listing)
    assert listing.getvalue().count("revoked") == 3


def test_admin_lists_tokens_without_their_secret_and_revokes_them(world: World) -> None:
    admin = User.objects.create_superuser("root", email="root@example.org")
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/accounts/apitoken/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "ministry-sync" in html
    assert world.writer_token not in html
    assert world.writer_token_obj.key_hash not in html
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [world.writer_token_obj.pk]},
    )
    assert response.status_code == 302
    assert_401(ApiClient(world.writer_token).get("/plans"))
    assert ApiClient(world.reader_token).get("/plans").status_code == 200


def test_a_draft_plan_is_hidden_from_users_without_a_role_on_it(world: World) -> None:
    stranger = User.objects.create_user("stranger")
    _token, raw = ApiToken.issue(user=stranger, name="stranger")
    api = ApiClient(raw)
    assert [p["code"] for p in api.get("/plans").json()["items"]] == [
        "ken-lap-nairobi",
        "ken-nap-2",
    ]
    for path in ("/plans/uga-nap-3", "/plans/uga-nap-3/indicators", "/plans/uga-nap-3/values"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert "Uganda" not in response.content.decode()
    # The same user made staff reads it.
    User.objects.filter(pk=stranger.pk).update(is_staff=True)
    assert api.get("/plans/uga-nap-3").status_code == 200


def test_a_coordinator_writes_official_figures_but_never_a_civil_society_stream(
    world: World,
) -> None:
    from wpsmonitor.accounts.models import PlanRole, Role

    coordinator = User.objects.create_user("coordinator")
    PlanRole.objects.create(user=coordinator, plan=world.nap, role=Role.COORDINATOR)
    _token, raw = ApiToken.issue(user=coordinator, name="secretariat")
    api = ApiClient(raw)
    before = DataValue.objects.count()
    shadow = dict(ROW, source="wpf-shadow")
    response = api.post("/plans/ken-nap-2/values", [ROW, shadow])
    assert response.status_code == 403
    assert response.json()["errors"] == [
        {"row": 1, "field": "source", "message": "you may not write values of source wpf-shadow"}
    ]
    assert DataValue.objects.count() == before
    assert api.post("/plans/ken-nap-2/values", [ROW]).status_code == 200
    # A coordinator of Kenya's plan has no right on Uganda's.
    assert api.post("/plans/uga-nap-3/values", [ROW]).status_code == 403


def test_a_monitor_writes_only_their_own_organisations_stream(world: World) -> None:
    from wpsmonitor.accounts.models import PlanRole, Role
    from wpsmonitor.directory.models import Organisation

    monitor = User.objects.create_user("monitor")
    PlanRole.objects.create(
        user=monitor,
        plan=world.nap,
        role=Role.MONITOR,
        organisation=Organisation.objects.get(code="wpf"),
    )
    _token, raw = ApiToken.issue(user=monitor, name="wpf")
    api = ApiClient(raw)
    assert api.post("/plans/ken-nap-2/values", [ROW]).status_code == 403  # government's
    assert api.post("/plans/ken-nap-2/values", [dict(ROW, source="wpf-shadow")]).status_code == 200
