"""The boards API: shapes, the transition endpoint end to end, bad input, the schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.boards.conftest import Built

from wpsmonitor.accounts.models import ApiToken

PDF = b"%PDF-1.4\n% annual report\n%%EOF\n"


def _client(built: Built, name: str) -> tuple[Client, dict[str, str]]:
    _token, raw = ApiToken.issue(user=built.users[name], name="t")
    return Client(), {"Authorization": f"Bearer {raw}"}


def _post(built: Built, name: str, url: str, body: dict[str, Any] | None = None) -> Any:
    client, headers = _client(built, name)
    return client.post(
        f"/api/v1/plans/{built.plan.code}{url}",
        body or {},
        content_type="application/json",
        headers=headers,
    )


def test_board_shape_and_balance(built: Built) -> None:
    client, headers = _client(built, "viewer")
    data = client.get(f"/api/v1/plans/{built.plan.code}/board", headers=headers).json()
    assert data["name"] == "Comité de suivi" and data["requires_cosignature"] is True
    assert data["balance"] == {
        "government": 3,
        "civil_society": 2,
        "state": "below_parity",
        "below_parity": True,
        "label": "3 government members, 2 civil-society members: "
        "below parity: civil society holds less than half the seats",
    }
    by_name = {m["name"]: m for m in data["members"]}
    assert by_name["M. Official"]["username"] is None
    assert by_name["M. Official"]["has_account"] is False
    assert by_name["Former Member"]["current"] is False
    assert by_name["CS Member"] | {"id": 0} == {
        "id": 0,
        "name": "CS Member",
        "has_account": True,
        "username": None,  # a login is not published: names and seats only (issue 12)
        "side": "civil_society",
        "organisation": "other-cso",
        "position": "",
        "since": "2024-01-01",
        "until": None,
        "current": True,
    }


def test_adding_a_civil_society_member_reaches_parity(built: Built) -> None:
    response = _post(
        built,
        "coordinator",
        "/board/members",
        {
            "name": "Third Voice",
            "side": "civil_society",
            "organisation": "women-network",
            "position": "Coordinator",
            "since": "2024-06-01",
        },
    )
    assert response.status_code == 200
    assert response.json()["balance"]["state"] == "parity"  # 3 and 3


def test_ending_a_membership_through_the_api(built: Built) -> None:
    client, headers = _client(built, "coordinator")
    seat = built.seats["official"]
    response = client.put(
        f"/api/v1/plans/{built.plan.code}/board/members/{seat.pk}",
        {
            "name": "M. Official",
            "side": "government",
            "organisation": "mogender",
            "since": "2024-01-01",
            "until": "2024-12-31",
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json()["balance"]["state"] == "parity"  # 2 and 2 now


def test_the_board_co_signs_through_the_transition_endpoint(built: Built) -> None:
    pk = built.awaiting.pk
    first = _post(built, "gov_member", f"/reports/{pk}/sign")
    assert first.status_code == 200
    assert first.json()["status"] == "awaiting"
    assert first.json()["signing"] == "Signed for government; awaiting civil-society signature"
    dissent = _post(built, "cs_member", f"/reports/{pk}/dissent", {"text": "Kivu is missing."})
    assert dissent.json()["dissents"][0]["text"] == "Kivu is missing."
    done = _post(built, "cs_member", f"/reports/{pk}/sign").json()
    assert done["status"] == "published" and done["published_at"]
    assert done["signed_sides"] == ["civil_society", "government"]
    assert [(d["name"], d["side"]) for d in done["dissents"]] == [("CS Member", "civil_society")]
    assert [e["kind"] for e in done["history"]] == [
        "created",
        "submitted",
        "signed",
        "dissented",
        "signed",
        "published",
    ]
    assert done["figures"] == f"/plans/{built.plan.code}/?period=2024"
    # Published: an outsider reads it.
    client, headers = _client(built, "outsider")
    listed = client.get(f"/api/v1/plans/{built.plan.code}/reports", headers=headers).json()
    assert [r["title"] for r in listed] == ["Annual report 2024"]


def test_withdraw_and_withdraw_dissent(built: Built) -> None:
    pk = built.awaiting.pk
    _post(built, "focal", f"/reports/{pk}/sign")
    data = _post(built, "focal", f"/reports/{pk}/withdraw").json()
    assert data["signed_sides"] == []
    assert data["signatures"][0]["valid"] is False and data["signatures"][0]["withdrawn_at"]
    _post(built, "focal", f"/reports/{pk}/dissent", {"text": "Objection."})
    data = _post(built, "focal", f"/reports/{pk}/withdraw-dissent").json()
    assert data["dissents"] == []
    again = _post(built, "focal", f"/reports/{pk}/withdraw")
    assert again.status_code == 400
    assert again.json()["detail"] == "You have no signature to withdraw on this report."


def test_an_edit_through_the_api_invalidates_signatures(built: Built) -> None:
    pk = built.awaiting.pk
    _post(built, "monitor", f"/reports/{pk}/sign")
    client, headers = _client(built, "coordinator")
    response = client.put(
        f"/api/v1/plans/{built.plan.code}/reports/{pk}",
        {"title": "Annual report 2024", "period": "2024", "summary": "New text."},
        content_type="application/json",
        headers=headers,
    )
    data = response.json()
    assert data["signed_sides"] == [] and data["signatures"][0]["invalidated_at"]


def test_the_pdf_through_the_api(built: Built) -> None:
    client, headers = _client(built, "coordinator")
    url = f"/api/v1/plans/{built.plan.code}/reports/{built.draft.pk}/file"
    bad = client.post(url, {"file": SimpleUploadedFile("r.pdf", b"GIF89a....")}, headers=headers)
    assert bad.status_code == 400
    ok = client.post(url, {"file": SimpleUploadedFile("r.pdf", PDF)}, headers=headers)
    assert ok.status_code == 200
    file_url = ok.json()["file"]
    assert file_url == f"/plans/{built.plan.code}/reports/{built.draft.pk}/file/"
    reader = Client()
    reader.force_login(built.users["cs_member"])  # a board member, not a plan member
    download = reader.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"
    outsider = Client()
    outsider.force_login(built.users["outsider"])
    assert outsider.get(file_url).status_code == 404
    assert Client().get(file_url).status_code == 302  # to sign in


@pytest.mark.parametrize(
    ("url", "body", "status", "detail"),
    [
        ("/reports", {"title": "T", "period": "2025H1", "summary": "S"}, 400, "not a period"),
        ("/reports", {"title": " ", "period": "2025", "summary": "S"}, 400, "title"),
        (
            "/board/members",
            {"side": "government", "organisation": "nope", "since": "2025-01-01"},
            400,
            "No organisation",
        ),
        (
            "/board/members",
            {
                "side": "government",
                "organisation": "mogender",
                "username": "ghost",
                "since": "2025-01-01",
            },
            400,
            "No account",
        ),
        ("/reports/999999/sign", {}, 404, "No report"),
    ],
)
def test_bad_input(built: Built, url: str, body: dict[str, Any], status: int, detail: str) -> None:
    response = _post(built, "coordinator", url, body)
    assert response.status_code == status, response.json()
    assert detail in response.json()["detail"]


def test_unknown_transition_is_refused(built: Built) -> None:
    response = _post(built, "focal", f"/reports/{built.awaiting.pk}/approve")
    assert response.status_code in (400, 404, 422)
    assert not built.awaiting.signatures.exists()


def test_no_board(built: Built) -> None:
    built.board.delete()
    client, headers = _client(built, "viewer")
    response = client.get(f"/api/v1/plans/{built.plan.code}/board", headers=headers)
    assert response.status_code == 404
    assert response.json()["detail"] == "The plan has no monitoring board."


def test_every_endpoint_is_in_the_schema(built: Built) -> None:
    schema = Client().get("/api/v1/schema").json()
    operations = {
        op["operationId"]: op
        for path in schema["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    for name in (
        "board_get",
        "board_save",
        "board_member_add",
        "board_member_update",
        "board_member_delete",
        "reports_list",
        "report_get",
        "report_create",
        "report_update",
        "report_attach",
        "report_transition",
    ):
        assert name in operations, name
        assert "200" in operations[name]["responses"]
    transition = schema["paths"]["/api/v1/plans/{plan}/reports/{pk}/{transition}"]["post"]
    param = next(p for p in transition["parameters"] if p["name"] == "transition")
    assert "sign" in str(param) and "withdraw-dissent" in str(schema["components"])


def test_readers_get_names_and_seats_never_logins(built: Built) -> None:
    """Issue 12: the board API showed every member's login to every signed-in user."""
    pk = built.awaiting.pk
    assert _post(built, "gov_member", f"/reports/{pk}/sign").status_code == 200
    logins = {u.get_username() for u in built.users.values()}
    plan = built.plan.code
    for reader in ("viewer", "outsider", "cs_member"):
        client, headers = _client(built, reader)
        answers = [
            client.get(f"/api/v1/plans/{plan}/board", headers=headers).json(),
            client.get(f"/api/v1/plans/{plan}/reports/{pk}", headers=headers).json(),
        ]
        if reader == "outsider":  # the report awaits signatures: not theirs to read
            answers = answers[:1]
        text = repr(answers)
        assert not [login for login in logins if f"'{login}'" in text], reader
    # The coordinator, who links seats to accounts, still sees which account each seat uses.
    client, headers = _client(built, "coordinator")
    members = client.get(f"/api/v1/plans/{plan}/board", headers=headers).json()["members"]
    assert {m["name"]: m["username"] for m in members}["CS Member"] == "cs_member"
