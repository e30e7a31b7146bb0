"""Two-factor sign-in (issue 12 §2): every account that can read what is not public signs in with
a code from an authenticator app (or a single-use recovery code) after its password; one without
an app sets it up before it reaches anything else; the admin asks for it too; API tokens are
unaffected. These tests take the real second step (the `two_factor_flow` fixture)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.boards.conftest import Built, build_board
from tests.reporting.conftest import PASSWORD, make_user

from wpsmonitor.accounts import services
from wpsmonitor.accounts.access import requires_two_factor
from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.accounts.two_factor import ENROL_KEY_SESSION_KEY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_flow")]

LOGIN = "/accounts/login/"
STEP = "/accounts/two-factor/"
SET_UP = "/accounts/two-factor/set-up/"


@pytest.fixture
def board() -> Built:
    return build_board()


def _password(name: str, client: Client | None = None, **extra: Any) -> Client:
    """Signed in with the password only (the first step)."""
    client = client or Client()
    response = client.post(LOGIN, {"username": name, "password": PASSWORD}, **extra)
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _code(device: TOTPDevice) -> str:
    """The code the app shows now."""
    return f"{totp(device.bin_key):06d}"


def _device(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


# Who ------------------------------------------------------------------------------------------


def test_every_account_that_reads_what_is_not_public_must_use_a_second_factor(
    board: Built, django_assert_max_num_queries: Any
) -> None:
    users = board.users
    must = {
        "coordinator",  # submissions and their evidence
        "focal",  # their organisation's submissions and evidence
        "focal_other_area",
        "police_focal",
        "monitor",  # their organisation's drafts, comments, testimony
        "other_monitor",
        "viewer",  # the draft plan, unpublished reports, responses' files
        "admin",
        "gov_member",  # a board seat: reports before publication
        "cs_member",
    }
    for name, user in users.items():
        assert requires_two_factor(user) is (name in must), name
    # Nothing beyond what is public: the outsider, a board member whose seat has ended.
    assert not requires_two_factor(users["outsider"])
    assert not requires_two_factor(users["former_member"])
    staff = make_user("staff-only", is_staff=True)
    assert requires_two_factor(staff)
    coordinator = users["coordinator"]
    User.objects.filter(pk=coordinator.pk).update(is_active=False)
    coordinator.refresh_from_db()
    assert not requires_two_factor(coordinator)
    with django_assert_max_num_queries(1):
        requires_two_factor(users["viewer"])


# Setting the app up ---------------------------------------------------------------------------


def test_an_account_without_an_app_sets_one_up_before_it_reaches_anything(board: Built) -> None:
    client = Client()
    signed_in = client.post(LOGIN, {"username": "coordinator", "password": PASSWORD})
    assert signed_in["Location"] == f"{SET_UP}?next=%2Fme%2F"
    plan = board.cycle.plan.code
    for path in ("/reporting/", f"/plans/{plan}/reporting/people/", "/accounts/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(SET_UP), path
    # The API through the browser session too (a token call is another matter, below).
    assert client.get(f"/api/v1/plans/{plan}")["Location"].startswith(SET_UP)
    assert client.post(f"/plans/{plan}/reporting/people/", {})["Location"] == SET_UP

    page = client.get(f"{SET_UP}?next=/reporting/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in text  # the QR code, an image: no inline SVG style
    assert "otpauth://totp/WPS%20Monitor%3Acoordinator?secret=" in text
    key = client.session[ENROL_KEY_SESSION_KEY]
    device = TOTPDevice(key=key)
    wrong = client.post(SET_UP, {"code": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=board.users["coordinator"]).exists()

    confirming = _code(device)
    done = client.post(SET_UP, {"code": confirming, "next": "/reporting/"})
    text = done.content.decode()
    assert done.status_code == 200 and "Your recovery codes" in text
    codes = list(
        StaticToken.objects.filter(device__user=board.users["coordinator"]).values_list(
            "token", flat=True
        )
    )
    assert len(codes) == 10 and all(code in text for code in codes)
    assert 'href="/reporting/"' in text
    assert client.get("/reporting/").status_code == 200
    assert client.get("/accounts/").status_code == 200
    enrolled = TOTPDevice.objects.get(user=board.users["coordinator"])
    assert enrolled.confirmed and enrolled.key == key
    # The code that confirmed the app cannot be used again to sign in.
    again = _password("coordinator")
    assert again.post(STEP, {"code": confirming}).status_code == 200
    assert again.get("/reporting/").status_code == 302


def test_a_password_alone_never_replaces_an_accounts_second_factor(board: Built) -> None:
    monitor = board.users["monitor"]
    phone = _device(monitor)
    client = _password("monitor")
    response = client.get(SET_UP)
    assert response.status_code == 302 and response["Location"].startswith(STEP)
    attacker_key = TOTPDevice().key
    forged = client.post(SET_UP, {"code": _code(TOTPDevice(key=attacker_key))})
    assert forged.status_code == 302
    assert list(TOTPDevice.objects.filter(user=monitor)) == [phone]
    assert client.post("/accounts/two-factor/recovery-codes/")["Location"].startswith(STEP)
    assert not StaticToken.objects.filter(device__user=monitor).exists()


def test_a_verified_account_moves_to_a_new_phone(board: Built) -> None:
    monitor = board.users["monitor"]
    old = _device(monitor)
    client = _password("monitor")
    assert client.post(STEP, {"code": _code(old)}).status_code == 302
    page = client.get(SET_UP)
    assert "This replaces the authenticator app you use now" in page.content.decode()
    new = TOTPDevice(key=client.session[ENROL_KEY_SESSION_KEY])
    assert client.post(SET_UP, {"code": _code(new)}).status_code == 200
    [kept] = TOTPDevice.objects.filter(user=monitor)
    assert kept.key == new.key
    assert client.get("/reporting/").status_code == 200  # still verified, with the new one


# Signing in with a code ------------------------------------------------------------------------


def test_an_account_with_an_app_enters_its_code_after_the_password(board: Built) -> None:
    device = _device(board.users["monitor"])
    client = Client()
    signed_in = client.post(
        LOGIN, {"username": "monitor", "password": PASSWORD, "next": "/accounts/"}
    )
    assert signed_in["Location"] == f"{STEP}?next=%2Faccounts%2F"
    assert client.get("/reporting/")["Location"] == f"{STEP}?next=%2Freporting%2F"
    page = client.get(signed_in["Location"])
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.content.decode()
    key_before = client.session.session_key
    code = _code(device)
    done = client.post(STEP, {"code": code, "next": "/accounts/"})
    assert done.status_code == 302 and done["Location"] == "/accounts/"
    assert client.session.session_key != key_before  # a new session key once verified
    assert client.get("/reporting/").status_code == 200
    # The same code, from another sign-in (someone who saw it over a shoulder): refused.
    other = _password("monitor")
    replay = other.post(STEP, {"code": code})
    assert replay.status_code == 200 and "wrong or has expired" in replay.content.decode()


def test_next_never_leads_off_the_site(board: Built) -> None:
    device = _device(board.users["monitor"])
    client = _password("monitor")
    done = client.post(STEP, {"code": _code(device), "next": "https://evil.example/"})
    assert done["Location"] == "/me/"


def test_wrong_codes_make_the_next_attempt_wait(board: Built) -> None:
    device = _device(board.users["monitor"])
    client = _password("monitor")
    wrong = client.post(STEP, {"code": "12345x"})  # not six digits: against recovery codes
    assert "recovery code is wrong" in wrong.content.decode()
    bad = "000000" if _code(device) != "000000" else "111111"
    assert "wrong or has expired" in client.post(STEP, {"code": bad}).content.decode()
    # Right away, even the right code waits: django-otp doubles the wait after each failure.
    waiting = client.post(STEP, {"code": _code(device)})
    assert "Too many wrong codes" in waiting.content.decode()
    assert client.get("/reporting/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=1)
    )
    assert client.post(STEP, {"code": _code(device)}).status_code == 302


def test_a_recovery_code_signs_in_once(board: Built) -> None:
    monitor = board.users["monitor"]
    _device(monitor)
    codes = services.recovery_codes_renew(by=monitor)
    client = _password("monitor")
    used = client.post(STEP, {"code": codes[0].upper()}, follow=True)
    assert used.status_code == 200 and "9 are left" in used.content.decode()
    assert client.get("/reporting/").status_code == 200
    again = _password("monitor").post(STEP, {"code": codes[0]})
    assert "recovery code is wrong or has been used" in again.content.decode()
    # New codes replace the old ones.
    renewed = client.post("/accounts/two-factor/recovery-codes/")
    assert renewed.status_code == 200
    assert not StaticToken.objects.filter(token=codes[1]).exists()
    assert StaticToken.objects.filter(device__user=monitor).count() == 10


def test_an_account_that_reads_only_public_pages_signs_in_with_its_password(board: Built) -> None:
    client = Client()
    signed_in = client.post(LOGIN, {"username": "outsider", "password": PASSWORD})
    assert signed_in["Location"] == "/me/"
    assert client.get("/reporting/").status_code == 200
    account = client.get("/accounts/").content.decode()
    assert "Off." in account
    # It may turn it on, and is then asked for the code like anyone else.
    assert client.get(SET_UP).status_code == 200
    app = TOTPDevice(key=client.session[ENROL_KEY_SESSION_KEY])
    assert client.post(SET_UP, {"code": _code(app)}).status_code == 200
    again = Client().post(LOGIN, {"username": "outsider", "password": PASSWORD})
    assert again["Location"].startswith(STEP)


def test_a_role_granted_during_a_session_asks_for_the_second_factor_at_once(
    board: Built,
) -> None:
    from wpsmonitor.accounts.models import PlanRole, Role

    client = _password("outsider")
    assert client.get("/reporting/").status_code == 200
    PlanRole.objects.create(user=board.users["outsider"], plan=board.cycle.plan, role=Role.VIEWER)
    assert client.get("/reporting/")["Location"].startswith(SET_UP)


# The admin and the API -------------------------------------------------------------------------


def test_the_admin_asks_for_the_second_factor(board: Built) -> None:
    admin_user = board.users["admin"]
    device = _device(admin_user)
    anonymous = Client().get("/admin/login/?next=/admin/accounts/apitoken/")
    assert anonymous["Location"] == "/accounts/login/?next=%2Fadmin%2Faccounts%2Fapitoken%2F"
    client = _password("admin")
    assert client.get("/admin/")["Location"].startswith(STEP)
    assert client.post(STEP, {"code": _code(device)}).status_code == 302
    assert client.get("/admin/").status_code == 200
    # The admin's own check, whatever the middleware: a staff session not verified is refused.
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = admin_user
    admin_user.is_verified = lambda: False  # type: ignore[attr-defined]
    assert not admin.site.has_permission(request)
    # It lists the devices without their secrets.
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert change.status_code == 200 and device.key not in change.content.decode()


def test_api_tokens_are_unaffected(board: Built) -> None:
    coordinator = board.users["coordinator"]
    _, raw = ApiToken.issue(user=coordinator, name="script")
    plan = board.cycle.plan.code
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get(f"/api/v1/plans/{plan}", **headers).status_code == 200
    # Even beside a browser session that has not given its code yet.
    half = _password("coordinator")
    assert half.get(f"/api/v1/plans/{plan}", **headers).status_code == 200


# Idle timeout ----------------------------------------------------------------------------------


def _verified(name: str, user: Any) -> Client:
    device = TOTPDevice.objects.filter(user=user).first() or _device(user)
    client = _password(name)
    assert client.post(STEP, {"code": _code(device)}).status_code == 302
    return client


def _idle_for(client: Client, minutes: float) -> None:
    session = client.session
    session["wpsmonitor_last_seen"] = int(timezone.now().timestamp() - minutes * 60)
    session.save()


def test_a_verified_session_ends_after_the_idle_minutes(board: Built, settings: Any) -> None:
    assert settings.WPSMONITOR_IDLE_MINUTES == 30
    client = _verified("monitor", board.users["monitor"])
    _idle_for(client, 29)
    assert client.get("/reporting/").status_code == 200
    # Used just now: the clock starts again.
    assert client.session["wpsmonitor_last_seen"] >= timezone.now().timestamp() - 5
    _idle_for(client, 31)
    out = client.get("/reporting/")
    assert out.status_code == 302 and out["Location"] == "/accounts/login/?next=%2Freporting%2F"
    assert "_auth_user_id" not in client.session
    page = client.get(out["Location"]).content.decode()
    assert "signed out after 30 minutes without activity" in page
    settings.WPSMONITOR_IDLE_MINUTES = 5
    client = _verified("coordinator", board.users["coordinator"])
    _idle_for(client, 6)
    assert client.get("/reporting/").status_code == 302


def test_sessions_without_a_second_factor_keep_djangos_session_age(board: Built) -> None:
    client = _password("outsider")
    session = client.session
    session["wpsmonitor_last_seen"] = 0  # long ago: ignored, this session has no second factor
    session.save()
    assert client.get("/reporting/").status_code == 200


# Translation -----------------------------------------------------------------------------------


def test_the_second_step_is_translated(board: Built) -> None:
    _device(board.users["monitor"])
    client = _password("monitor")
    page = client.get(STEP, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    translation.deactivate()
    assert "Saisissez votre code" in page
