"""Role x action for boards and reports, pages and API alike.

The answer must be the allowed one, or: 404 when the object is hidden from the role, 403 when
they may see it but not do this, a redirect to sign in (pages) or 401 (API) when anonymous.
Board members who are not plan members (gov_member, cs_member) read the reports they sign;
a former member and an outsider do not see drafts at all.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from tests.boards.conftest import Built, build_board

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.boards import services
from wpsmonitor.boards.models import PeriodicReport

ROLES = [
    "admin",
    "coordinator",
    "focal",
    "monitor",
    "viewer",
    "gov_member",
    "cs_member",
    "former_member",
    "outsider",
    "anonymous",
]
SIGNED_IN = set(ROLES) - {"anonymous"}
COORD = {"admin", "coordinator"}
PLAN_MEMBERS = {"coordinator", "focal", "monitor", "viewer"}
SIGNERS = {"focal", "monitor", "gov_member", "cs_member"}
DRAFT_READERS = COORD | PLAN_MEMBERS | SIGNERS

# action -> roles for which it succeeds; "sees": refused with 403; everyone else: hidden (404)
# or, anonymous, sent to sign in / 401. "public": anonymous succeeds too.
MATRIX: dict[str, dict[str, Any]] = {
    "board page": {"ok": set(ROLES)},
    "reports page": {"ok": set(ROLES)},
    "save the board": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "add a member": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "member page": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "draft report page": {"ok": DRAFT_READERS},
    "draft a report": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "edit the draft": {"ok": COORD, "sees": DRAFT_READERS - COORD},
    "send to the board": {"ok": COORD, "sees": DRAFT_READERS - COORD},
    "sign": {"ok": SIGNERS, "sees": DRAFT_READERS - SIGNERS},
    "dissent": {"ok": SIGNERS, "sees": DRAFT_READERS - SIGNERS},
    "api board": {"ok": SIGNED_IN},
    "api add a member": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "api draft report": {"ok": DRAFT_READERS},
    "api draft a report": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "api sign": {"ok": SIGNERS, "sees": DRAFT_READERS - SIGNERS},
    "api publish": {"ok": set(), "sees": DRAFT_READERS},
}


def _outcomes(role: str, b: Built) -> dict[str, int]:
    client = Client()
    headers: dict[str, str] = {}
    if role != "anonymous":
        user = b.users[role]
        client.force_login(user)
        _token, raw = ApiToken.issue(user=user, name="matrix")
        headers = {"Authorization": f"Bearer {raw}"}
    code = b.plan.code
    base = f"/plans/{code}"
    api = f"/api/v1/plans/{code}"
    draft, awaiting = b.draft.pk, b.awaiting.pk
    # A second report with the board, for the API's signature (the page's comes first).
    coordinator = b.users["coordinator"]
    second = services.report_create(
        by=coordinator, plan=b.plan, title="Second", period="2023", summary="Text."
    )
    services.report_submit(by=coordinator, report=second)
    member = {
        "name": "New Member",
        "side": "civil_society",
        "organisation": "women-network",
        "since": "2025-01-01",
    }
    report = {"title": "Semester report", "period": "2025S1", "summary": "Text."}

    def post(url: str, data: dict[str, Any]) -> int:
        return client.post(url, data).status_code

    def send(url: str, body: dict[str, Any]) -> int:
        return client.post(
            api + url, body, content_type="application/json", headers=headers
        ).status_code

    return {
        "board page": client.get(base + "/board/").status_code,
        "reports page": client.get(base + "/reports/").status_code,
        "save the board": post(
            base + "/board/save/", {"name": "Board", "requires_cosignature": "on"}
        ),
        "add a member": post(base + "/board/members/add/", member),
        "member page": client.get(f"{base}/board/members/{b.seats['official'].pk}/").status_code,
        "draft report page": client.get(f"{base}/reports/{draft}/").status_code,
        "draft a report": post(base + "/reports/add/", report),
        "edit the draft": post(f"{base}/reports/{draft}/edit/", report),
        "send to the board": post(f"{base}/reports/{draft}/act/", {"do": "submit"}),
        "sign": post(f"{base}/reports/{awaiting}/act/", {"do": "sign", "confirm": "yes"}),
        "dissent": post(f"{base}/reports/{awaiting}/act/", {"do": "dissent", "text": "No."}),
        "api board": client.get(api + "/board", headers=headers).status_code,
        "api add a member": send("/board/members", member),
        "api draft report": client.get(f"{api}/reports/{draft}", headers=headers).status_code,
        "api draft a report": send("/reports", report),
        "api sign": send(f"/reports/{second.pk}/sign", {}),
        "api publish": send(f"/reports/{awaiting}/publish", {}),
    }


def _expected(action: str, role: str) -> set[int]:
    rule = MATRIX[action]
    page = not action.startswith("api")
    if role in rule["ok"]:
        # Page writes redirect after POST (302); API writes and all reads answer 200.
        return {200, 302}
    if role == "anonymous":
        return {302} if page else {401}
    if role in rule.get("sees", set()):
        # The API refuses the coordinator's publication of a co-signed report with 400.
        return {403, 400} if action == "api publish" else {403}
    return {404}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(db: None, role: str) -> None:
    b = build_board()
    found = _outcomes(role, b)
    wrong = {a: s for a, s in found.items() if s not in _expected(a, role)}
    assert not wrong, f"{role}: {wrong}"


def test_page_writes_that_succeed_really_happened(db: None) -> None:
    """A 302 could be a redirect with an error message: check what each write did."""
    b = build_board()
    client = Client()
    client.force_login(b.users["cs_member"])
    client.post(
        f"/plans/{b.plan.code}/reports/{b.awaiting.pk}/act/", {"do": "sign", "confirm": "yes"}
    )
    assert b.awaiting.signatures.filter(member=b.seats["cs_member"]).exists()
    client.force_login(b.users["coordinator"])
    client.post(f"/plans/{b.plan.code}/reports/{b.draft.pk}/act/", {"do": "submit"})
    assert PeriodicReport.objects.get(pk=b.draft.pk).status == "awaiting"


def test_anonymous_visitors_see_published_reports_only(db: None) -> None:
    b = build_board()
    coordinator_client = Client()
    coordinator_client.force_login(b.users["coordinator"])
    listing = Client().get(f"/plans/{b.plan.code}/reports/").content.decode()
    assert "Annual report 2024" not in listing and "Annual report 2025" not in listing
    assert (
        "Annual report 2024"
        in coordinator_client.get(f"/plans/{b.plan.code}/reports/").content.decode()
    )
    signer = Client()
    signer.force_login(b.users["focal"])
    signer.post(
        f"/plans/{b.plan.code}/reports/{b.awaiting.pk}/act/", {"do": "sign", "confirm": "yes"}
    )
    signer.force_login(b.users["monitor"])
    signer.post(
        f"/plans/{b.plan.code}/reports/{b.awaiting.pk}/act/", {"do": "sign", "confirm": "yes"}
    )
    listing = Client().get(f"/plans/{b.plan.code}/reports/").content.decode()
    assert "Annual report 2024" in listing and "Annual report 2025" not in listing
    assert Client().get(f"/plans/{b.plan.code}/reports/{b.awaiting.pk}/").status_code == 200
    api = Client().get(f"/api/v1/plans/{b.plan.code}/reports")
    assert api.status_code == 401  # the API always needs a token or a session


def test_board_members_read_reports_of_a_draft_plan(db: None) -> None:
    """A board member who is not a plan member must read what they sign, even while the plan
    itself is a draft hidden from the public."""
    b = build_board()
    b.plan.status = "draft"
    b.plan.save(update_fields=["status"])
    member, outsider = Client(), Client()
    member.force_login(b.users["cs_member"])
    outsider.force_login(b.users["outsider"])
    url = f"/plans/{b.plan.code}/reports/{b.awaiting.pk}/"
    assert member.get(url).status_code == 200
    assert outsider.get(url).status_code == 404
    assert outsider.get(f"/plans/{b.plan.code}/board/").status_code == 404


def test_a_former_member_is_told_nothing(db: None) -> None:
    b = build_board()
    client = Client()
    client.force_login(b.users["former_member"])
    assert client.get(f"/plans/{b.plan.code}/reports/{b.awaiting.pk}/").status_code == 404
    assert client.get(f"/plans/{b.plan.code}/reports/999999/").status_code == 404


def test_an_ended_seat_cannot_sign(db: None) -> None:
    b = build_board()
    seat = b.seats["cs_member"]
    seat.until = date(2024, 12, 31)
    seat.save()
    client = Client()
    client.force_login(b.users["cs_member"])
    url = f"/plans/{b.plan.code}/reports/{b.awaiting.pk}/act/"
    assert client.post(url, {"do": "sign"}).status_code == 404  # no longer reads drafts
    assert not b.awaiting.signatures.exists()
