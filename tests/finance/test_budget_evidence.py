"""Civil society on the budget, issue 19 part 1 completed (docs/oversight.md, "Civil society on
the budget"): files of evidence on an account of the money (accepted, refused, stored encrypted,
downloaded by whom), a draft changed on its page while a published account never is, and the
API's writes with their rights.

The fixture is tests/finance/conftest.py's plan nap-3: `monitor` monitors for the cycle's CSO,
`other_monitor` for another CSO, `focal` is a focal point of the Ministry of Gender (mogender,
L1's funder), `coordinator` the plan's; an `auditor` is added for the donor agency's body.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from tests.finance.conftest import Money

from wpsmonitor.accounts.models import ApiToken, PlanRole, Role
from wpsmonitor.core.encryption import FILE_HEADER
from wpsmonitor.finance import evidence, services
from wpsmonitor.finance.models import (
    BudgetChallenge,
    BudgetLine,
    ChallengeStatus,
    MoneyAccount,
    MoneyAccountFile,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
OTHERS = ["other_monitor", "focal", "police_focal", "coordinator", "admin", "auditor", "viewer"]


def _l1(m: Money) -> BudgetLine:
    return m.line("P1.O1.1.A1", 2024)


def _page(m: Money) -> str:
    return f"/plans/{m.plan.code}/finance/lines/{_l1(m).pk}/civil-society/"


def _auditor(m: Money) -> User:
    user = User.objects.create_user("auditor", password="x")
    PlanRole.objects.create(user=user, plan=m.plan, role=Role.AUDITOR, organisation=m.donor)
    m.users["auditor"] = user
    return user


def _client(m: Money, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(m.users[role])
    return client


def _pdf(name: str = "statement.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["month", "paid"])  # type: ignore[union-attr]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ\x90\x00")
    return out.getvalue()


def _account(m: Money, **extra: Any) -> MoneyAccount:
    return services.money_account_save(
        by=m.users["monitor"],
        plan=m.plan,
        organisation=m.cycle.built.cso,
        data={
            "line": _l1(m).pk,
            "released": "100",
            "evidence": "Treasury",
            "observed_on": "2025-02-01",
        },
        **extra,
    )


def _form(m: Money, **extra: Any) -> dict[str, Any]:
    data = {
        "do": "account",
        "released": "250",
        "evidence": "Payment orders seen at the treasury",
        "observed_on": "2025-02-01",
    }
    data.update(extra)
    return data


# ----------------------------------------------------------------------------- upload


def test_a_monitor_attaches_files_on_the_page_stored_encrypted_under_a_random_name(
    money: Money,
) -> None:
    client = _client(money, "monitor")
    answer = client.post(
        _page(money),
        _form(
            money,
            attachments=[
                _pdf("Relevé de la trésorerie.pdf"),
                SimpleUploadedFile("payments.xlsx", _xlsx()),
                SimpleUploadedFile("payments.csv", "mois;payé\njanvier;100\n".encode()),
                SimpleUploadedFile("board.png", _png()),
            ],
        ),
    )
    assert answer.status_code == 302
    account = MoneyAccount.objects.get()
    files = {f.filename: f for f in account.files.all()}
    assert set(files) == {
        "Relevé de la trésorerie.pdf",
        "payments.xlsx",
        "payments.csv",
        "board.png",
    }
    assert files["payments.xlsx"].content_type.endswith("spreadsheetml.sheet")
    assert files["payments.csv"].content_type == "text/csv"
    assert not any(f.public for f in files.values())
    pdf = files["Relevé de la trésorerie.pdf"]
    assert "trésorerie" not in pdf.file.name and "statement" not in pdf.file.name
    with pdf.file.open("rb") as stored:
        on_disk = stored.read()
    assert on_disk.startswith(FILE_HEADER) and PDF not in on_disk
    assert evidence.content_of(pdf) == PDF
    page = client.get(_page(money)).content.decode()
    assert "Relevé de la trésorerie.pdf" in page and "your organisation only" in page.lower()
    download = client.get(f"/plans/{money.plan.code}/finance/money-evidence/{pdf.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert "no-store" in download["Cache-Control"]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>", "Attach a PDF"),
        ("report.docx", _plain_zip(), "Attach a PDF"),
        ("payments.csv", b"MZ\x90\x00\x03\x00\x00\x00", "Attach a PDF"),
        ("payments.csv", b"<!doctype html><script>x</script>", "Attach a PDF"),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00", "Attach a PDF"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_hostile_or_disguised_files_are_refused_and_nothing_is_stored(
    money: Money, name: str, content: bytes, says: str
) -> None:
    answer = _client(money, "monitor").post(
        _page(money), _form(money, attachments=[_pdf(), SimpleUploadedFile(name, content)])
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert says in text and name in text
    assert not MoneyAccount.objects.exists() and not MoneyAccountFile.objects.exists()


class _Unreadable(io.BytesIO):
    def read(self, size: int | None = -1, /) -> bytes:
        raise AssertionError("a file too large was read")


def test_a_file_too_large_is_refused_before_it_is_read(money: Money, settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.pdf", b"")
    big.file = _Unreadable()
    big.size = 1024 * 1024 + 1
    with pytest.raises(ValidationError) as refused:
        _account(money, files=[big])
    assert refused.value.message_dict["files"] == ["big.pdf: The file is larger than 1 MB."]
    answer = _client(money, "monitor").post(
        _page(money), _form(money, attachments=[_pdf("big.pdf", PDF + b"0" * 1024 * 1024)])
    )
    assert answer.status_code == 400
    assert "big.pdf: The file is larger than 1 MB." in answer.content.decode()
    assert not MoneyAccount.objects.exists() and not MoneyAccountFile.objects.exists()


def test_at_most_ten_files_per_account(money: Money) -> None:
    account = _account(money, files=[_pdf(f"{i}.pdf") for i in range(10)])
    with pytest.raises(ValidationError) as refused:
        services.money_account_file_attach(
            by=money.users["monitor"], account=account, upload=_pdf()
        )
    assert "At most 10 files" in str(refused.value)
    assert account.files.count() == 10


def test_removing_a_file_and_deleting_a_draft_remove_the_stored_files(
    money: Money, django_capture_on_commit_callbacks: Any
) -> None:
    account = _account(money, files=[_pdf("a.pdf"), _pdf("b.pdf")])
    first, second = account.files.all()
    storage = first.file.storage
    names = [first.file.name, second.file.name]
    with django_capture_on_commit_callbacks(execute=True):
        answer = _client(money, "monitor").post(
            _page(money), {"do": "remove_file", "file": first.pk}
        )
    assert answer.status_code == 302
    assert not storage.exists(names[0]) and storage.exists(names[1])
    with django_capture_on_commit_callbacks(execute=True):
        services.money_account_delete(by=money.users["monitor"], account=account)
    assert not storage.exists(names[1]) and not MoneyAccountFile.objects.exists()


# ----------------------------------------------------------------------------- who downloads


def _statuses(money: Money, item: MoneyAccountFile) -> dict[str, int]:
    url = f"/plans/{money.plan.code}/finance/money-evidence/{item.pk}/"
    return {
        role: _client(money, role).get(url).status_code
        for role in ["monitor", *OTHERS, "anonymous"]
    }


def test_who_downloads_a_file_of_evidence(money: Money) -> None:
    _auditor(money)
    account = _account(money, files=[_pdf("private.pdf")])
    private = account.files.get()
    public = services.money_account_file_attach(
        by=money.users["monitor"], account=account, upload=_pdf("public.pdf"), public=True
    )
    # A draft: its organisation's monitors only, whatever the file says.
    for item in (private, public):
        assert _statuses(money, item) == {"monitor": 200} | dict.fromkeys(
            [*OTHERS, "anonymous"], 404
        )
    services.money_account_publish(by=money.users["monitor"], account=account)
    # Published: a file left private stays the organisation's...
    assert _statuses(money, private) == {"monitor": 200} | dict.fromkeys(
        [*OTHERS, "anonymous"], 404
    )
    # ...one it marked public is read by whoever reads the plan, the public included.
    assert money.plan.status != "draft"
    assert _statuses(money, public) == dict.fromkeys(["monitor", *OTHERS, "anonymous"], 200)
    # The page links only what its reader may download.
    page = _client(money, "focal").get(_page(money)).content.decode()
    assert "public.pdf" in page and "private.pdf" not in page
    # Another plan's address does not open it.
    assert (
        _client(money, "monitor")
        .get(f"/plans/nope/finance/money-evidence/{public.pk}/")
        .status_code
        == 404
    )


def test_files_are_fixed_once_the_account_is_published(money: Money) -> None:
    account = _account(money, files=[_pdf()])
    services.money_account_publish(by=money.users["monitor"], account=account)
    with pytest.raises(PermissionDenied):
        services.money_account_file_attach(
            by=money.users["monitor"], account=account, upload=_pdf()
        )
    with pytest.raises(PermissionDenied):
        services.money_account_file_remove(by=money.users["monitor"], item=account.files.get())
    answer = _client(money, "monitor").post(
        _page(money), {"do": "remove_file", "file": account.files.get().pk}
    )
    assert answer.status_code == 403 and account.files.count() == 1


# ----------------------------------------------------------------------------- editing


def test_a_draft_is_changed_on_its_page(money: Money) -> None:
    account = _account(money)
    client = _client(money, "monitor")
    page = client.get(_page(money)).content.decode()
    assert f"?edit={account.pk}" in page
    form = client.get(_page(money) + f"?edit={account.pk}").content.decode()
    assert "Change your draft observed on 2025-02-01" in form
    assert f'name="account" value="{account.pk}"' in form and 'value="100.00"' in form
    answer = client.post(
        _page(money),
        _form(money, account=account.pk, released="120", attachments=[_pdf("added.pdf")]),
    )
    assert answer.status_code == 302
    account.refresh_from_db()
    assert str(account.released) == "120.00" and account.published_at is None
    assert [f.filename for f in account.files.all()] == ["added.pdf"]
    assert MoneyAccount.objects.count() == 1
    # A bad change is refused, located, and nothing changes.
    refused = client.post(_page(money), _form(money, account=account.pk, released="1,500"))
    assert refused.status_code == 400 and "no commas" in refused.content.decode()
    assert 'name="account"' in refused.content.decode()
    account.refresh_from_db()
    assert str(account.released) == "120.00"


@pytest.mark.parametrize("role", ["other_monitor", "focal", "coordinator", "admin"])
def test_nobody_else_changes_a_draft(money: Money, role: str) -> None:
    account = _account(money)
    client = _client(money, role)
    assert client.get(_page(money) + f"?edit={account.pk}").status_code == 404
    answer = client.post(_page(money), _form(money, account=account.pk, released="1"))
    assert answer.status_code == 404
    account.refresh_from_db()
    assert str(account.released) == "100.00"


def test_a_published_account_is_never_changed(money: Money) -> None:
    account = _account(money)
    services.money_account_publish(by=money.users["monitor"], account=account)
    client = _client(money, "monitor")
    assert f"?edit={account.pk}" not in client.get(_page(money)).content.decode()
    assert client.get(_page(money) + f"?edit={account.pk}").status_code == 403
    answer = client.post(_page(money), _form(money, account=account.pk, released="1"))
    assert answer.status_code == 403
    account.refresh_from_db()
    assert str(account.released) == "100.00"


# ----------------------------------------------------------------------------- the API's writes


def _api(m: Money, role: str) -> tuple[Client, dict[str, str]]:
    if role == "anonymous":
        return Client(), {}
    _token, raw = ApiToken.issue(user=m.users[role], name="test")
    return Client(), {"Authorization": f"Bearer {raw}"}


def _post(m: Money, role: str, path: str, body: dict[str, Any], method: str = "post") -> Any:
    client, headers = _api(m, role)
    return getattr(client, method)(
        f"/api/v1/plans/{m.plan.code}/finance/{path}",
        body,
        content_type="application/json",
        headers=headers,
    )


def _body(m: Money, **extra: Any) -> dict[str, Any]:
    body = {
        "organisation": m.cycle.built.cso.code,
        "line": _l1(m).pk,
        "released": "90.50",
        "evidence": "Treasury statements",
        "observed_on": "2025-02-01",
    }
    body.update(extra)
    return body


@pytest.mark.parametrize(
    ("role", "status"),
    [("monitor", 200), ("anonymous", 401)]
    + [(r, 403) for r in ("other_monitor", "focal", "coordinator", "admin", "viewer")],
)
def test_api_only_the_organisations_monitors_give_its_account(
    money: Money, role: str, status: int
) -> None:
    answer = _post(money, role, "money-accounts", _body(money))
    assert answer.status_code == status, answer.content
    if status == 200:
        out = answer.json()
        assert out["published"] is False and out["released"] == "90.50" and out["files"] == []
    else:
        assert not MoneyAccount.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"released": "1,500"}, "released"),
        ({"observed_on": "2999-01-01"}, "observed_on"),
        ({"organisation": "nobody"}, "organisation"),
        ({"line": 999999}, "line"),
        ({"evidence": ""}, "evidence"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"released": None}, "allocated"),
    ],
)
def test_api_refused_accounts_name_their_field(
    money: Money, extra: dict[str, Any], field: str
) -> None:
    answer = _post(money, "monitor", "money-accounts", _body(money, **extra))
    assert answer.status_code == 400, answer.content
    assert field in {e["field"] for e in answer.json()["errors"]}
    assert not MoneyAccount.objects.exists()


def test_api_a_draft_is_changed_published_and_then_fixed(money: Money) -> None:
    pk = _post(money, "monitor", "money-accounts", _body(money)).json()["id"]
    changed = _post(money, "monitor", f"money-accounts/{pk}", _body(money, released="95"), "put")
    assert changed.status_code == 200 and changed.json()["released"] == "95.00"
    client, headers = _api(money, "monitor")
    attached = client.post(
        f"/api/v1/plans/{money.plan.code}/finance/money-accounts/{pk}/files",
        {"file": _pdf("order.pdf"), "public": "true"},
        headers=headers,
    )
    assert attached.status_code == 200, attached.content
    (item,) = attached.json()["files"]
    assert item["filename"] == "order.pdf" and item["public"] is True
    refused = client.post(
        f"/api/v1/plans/{money.plan.code}/finance/money-accounts/{pk}/files",
        {"file": SimpleUploadedFile("x.pdf", b"<script>")},
        headers=headers,
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "files"
    published = _post(money, "monitor", f"money-accounts/{pk}/publish", {})
    assert published.status_code == 200 and published.json()["published"] is True
    again = _post(money, "monitor", f"money-accounts/{pk}", _body(money, released="1"), "put")
    assert again.status_code == 403
    assert str(MoneyAccount.objects.get().released) == "95.00"
    # The public file is listed to a ministry's token once published; a private one would not be.
    out = _api(money, "focal")
    listed = (
        out[0].get(f"/api/v1/plans/{money.plan.code}/finance/money-accounts", headers=out[1]).json()
    )
    assert [f["filename"] for f in listed[0]["files"]] == ["order.pdf"]


def test_a_government_token_never_reads_nor_writes_a_cso_draft(money: Money) -> None:
    pk = _post(money, "monitor", "money-accounts", _body(money)).json()["id"]
    account = MoneyAccount.objects.get(pk=pk)
    services.money_account_file_attach(
        by=money.users["monitor"], account=account, upload=_pdf(), public=True
    )
    for role in ("focal", "police_focal", "coordinator", "admin"):
        client, headers = _api(money, role)
        base = f"/api/v1/plans/{money.plan.code}/finance"
        assert client.get(f"{base}/money-accounts", headers=headers).json() == [], role
        line = client.get(f"{base}/budget-lines/{_l1(money).pk}/civil-society", headers=headers)
        assert line.json()["accounts"] == [], role
        assert _post(money, role, f"money-accounts/{pk}", _body(money), "put").status_code == 404
        assert _post(money, role, f"money-accounts/{pk}/publish", {}).status_code == 404
        attach = client.post(f"{base}/money-accounts/{pk}/files", {"file": _pdf()}, headers=headers)
        assert attach.status_code == 404, role
    account.refresh_from_db()
    assert account.published_at is None and str(account.released) == "90.50"
    assert account.files.count() == 1


def test_api_the_challenge_exchange_and_its_rights(money: Money) -> None:
    body = {
        "organisation": money.cycle.built.cso.code,
        "line": _l1(money).pk,
        "subject": "Where did it go?",
        "text": "The centres saw nothing.",
    }
    for role in ("other_monitor", "focal", "coordinator", "viewer"):
        assert _post(money, role, "challenges", body).status_code == 403, role
    assert _post(money, "anonymous", "challenges", body).status_code == 401
    missing = _post(money, "monitor", "challenges", body | {"subject": " "})
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "subject"
    bad_line = _post(money, "monitor", "challenges", body | {"line": 999999})
    assert bad_line.status_code == 400 and bad_line.json()["errors"][0]["field"] == "line"
    opened = _post(money, "monitor", "challenges", body)
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    pk = opened.json()["id"]
    assert opened.json()["addressee"] == "mogender"
    for role in ("monitor", "other_monitor", "police_focal", "viewer"):
        assert _post(money, role, f"challenges/{pk}/answer", {"text": "x"}).status_code == 403
    empty = _post(money, "focal", f"challenges/{pk}/answer", {"text": ""})
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "text"
    answered = _post(money, "focal", f"challenges/{pk}/answer", {"text": "Salaries."})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert answered.json()["messages"][-1]["organisation"] == "mogender"
    for role in ("focal", "other_monitor", "coordinator"):
        assert _post(money, role, f"challenges/{pk}/dispute", {"text": "x"}).status_code == 403
        assert _post(money, role, f"challenges/{pk}/resolve", {"text": "x"}).status_code == 403
    disputed = _post(money, "monitor", f"challenges/{pk}/dispute", {"text": "No order."})
    assert disputed.json()["status"] == "disputed"
    twice = _post(money, "monitor", f"challenges/{pk}/dispute", {"text": "Again."})
    assert twice.status_code == 400
    resolved = _post(money, "monitor", f"challenges/{pk}/resolve", {"text": "Paid in May."})
    assert resolved.json()["status"] == "resolved"
    assert [m["kind"] for m in resolved.json()["messages"]] == [
        "question",
        "answer",
        "dispute",
        "resolution",
    ]
    assert BudgetChallenge.objects.get().status == ChallengeStatus.RESOLVED
    assert _post(money, "monitor", "challenges/999999/answer", {"text": "x"}).status_code == 404


def test_the_demo_account_carries_a_public_generated_pdf(money: Money) -> None:
    from wpsmonitor.demo.budgetwatch import budgetwatch_load

    services.budget_line_save(
        by=money.users["coordinator"],
        plan=money.plan,
        data={"action": "P1.O1.1.A2", "year": 2024, "funding_kind": "national_budget",
              "funder": "mogender", "currency": "USD", "allocated": 900, "disbursed": 700,
              "spent": 500},
    )  # fmt: skip
    assert budgetwatch_load(money.plan) == 4
    (item,) = MoneyAccountFile.objects.all()
    assert item.public and item.account.published_at is not None
    content = evidence.content_of(item)
    assert (
        content.startswith(b"%PDF-1.4") and b"(\\(Fictitious demonstration data.\\)) Tj" in content
    )
    _auditor(money)
    assert _statuses(money, item)["anonymous"] == 200


def test_an_action_account_changed_on_a_lines_page_stays_the_actions(money: Money) -> None:
    account = services.money_account_save(
        by=money.users["monitor"],
        plan=money.plan,
        organisation=money.cycle.built.cso,
        data={"action": "P1.O1.1.A1", "reached": "10", "evidence": "Visits",
              "observed_on": "2025-02-01"},
    )  # fmt: skip
    client = _client(money, "monitor")
    assert f"?edit={account.pk}" in client.get(_page(money)).content.decode()
    answer = client.post(_page(money), _form(money, account=account.pk, reached="12"))
    assert answer.status_code == 302
    account.refresh_from_db()
    assert account.line_id is None and account.action.code == "P1.O1.1.A1"
    assert str(account.reached) == "12.00"
