"""Civil society on the budget (docs/oversight.md): civil society's account of the money, its
challenges on budget lines (rights as a role matrix, the exchange never rewritten), the budget
divergence view worked by hand, the pages, the API, the report subsection and the demo part.

The fixture is tests/finance/conftest.py's plan nap-3 (currency USD; EUR 2024 = 1.10, CDF 2024 =
0.0004): L1 (P1.O1.1.A1 2024, USD, mogender: 600 / 500 / 400 / 300), L2 (EUR, donor: 1,000
allocated, 500 spent), L3 (CDF, mogender: 2,500,000 allocated, 250,000 spent), L4 (EUR 2026, no
rate). `monitor` monitors for the cycle's CSO, `other_monitor` for another CSO; `focal` is a
focal point of the Ministry of Gender (mogender), `police_focal` of the police.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from tests.finance.conftest import Money

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.demo.budgetwatch import budgetwatch_load
from wpsmonitor.finance import services
from wpsmonitor.finance.models import (
    BudgetChallenge,
    BudgetLine,
    ChallengeMessage,
    ChallengeStatus,
    MoneyAccount,
)
from wpsmonitor.finance.oversight import budget_divergence
from wpsmonitor.reports.context import report_context
from wpsmonitor.reports.document import INTERNAL, YEAR
from wpsmonitor.reports.sections import money_challenges

ROLES = [
    "monitor",
    "other_monitor",
    "focal",
    "police_focal",
    "coordinator",
    "admin",
    "viewer",
    "anonymous",
]
TODAY = datetime.date(2025, 3, 1)


def _user(m: Money, role: str) -> Any:
    return AnonymousUser() if role == "anonymous" else m.users[role]


def _cso(m: Money) -> Any:
    return m.cycle.built.cso


def _l1(m: Money) -> BudgetLine:
    return m.line("P1.O1.1.A1", 2024)


def _account(m: Money, line: BudgetLine, **amounts: Any) -> MoneyAccount:
    data = {"line": line.pk, "evidence": "Treasury statements", "observed_on": "2025-02-01"}
    data.update(amounts)
    return services.money_account_save(
        by=m.users["monitor"], plan=m.plan, organisation=_cso(m), data=data
    )


def _open(m: Money, line: BudgetLine | None = None) -> BudgetChallenge:
    return services.budget_challenge_open(
        by=m.users["monitor"],
        line=line or _l1(m),
        organisation=_cso(m),
        subject="Where did the money go?",
        text="The centres received nothing.",
    )


# ----------------------------------------------------------------------------- rights


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("monitor", True)] + [(r, False) for r in ROLES if r != "monitor"],
)
def test_only_the_organisations_monitors_open_a_challenge(
    money: Money, role: str, allowed: bool
) -> None:
    def attempt() -> BudgetChallenge:
        return services.budget_challenge_open(
            by=_user(money, role), line=_l1(money), organisation=_cso(money), subject="Q", text="T"
        )

    if allowed:
        challenge = attempt()
        assert challenge.status == ChallengeStatus.OPEN
        assert challenge.addressee is not None and challenge.addressee.code == "mogender"
    else:
        with pytest.raises(PermissionDenied):
            attempt()
        assert not BudgetChallenge.objects.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("focal", True), ("coordinator", True), ("admin", True)]
    + [(r, False) for r in ("monitor", "other_monitor", "police_focal", "viewer", "anonymous")],
)
def test_the_ministrys_focal_points_or_the_coordinator_answer(
    money: Money, role: str, allowed: bool
) -> None:
    challenge = _open(money)
    if allowed:
        message = services.budget_challenge_answer(
            by=_user(money, role), challenge=challenge, text="Salaries."
        )
        challenge.refresh_from_db()
        assert challenge.status == ChallengeStatus.ANSWERED
        # A focal point speaks for the ministry; the coordinator for the plan.
        assert (message.organisation is not None) == (role == "focal")
    else:
        with pytest.raises(PermissionDenied):
            services.budget_challenge_answer(
                by=_user(money, role), challenge=challenge, text="Salaries."
            )
        challenge.refresh_from_db()
        assert challenge.status == ChallengeStatus.OPEN
        assert challenge.messages.count() == 1


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("monitor", True)] + [(r, False) for r in ROLES if r != "monitor"],
)
def test_only_the_challenger_disputes_or_resolves(money: Money, role: str, allowed: bool) -> None:
    challenge = _open(money)
    services.budget_challenge_answer(by=money.users["focal"], challenge=challenge, text="A")
    for step in (services.budget_challenge_dispute, services.budget_challenge_resolve):
        if allowed:
            step(by=_user(money, role), challenge=challenge, text="Why")
        else:
            with pytest.raises(PermissionDenied):
                step(by=_user(money, role), challenge=challenge, text="Why")
    challenge.refresh_from_db()
    expected = ChallengeStatus.RESOLVED if allowed else ChallengeStatus.ANSWERED
    assert challenge.status == expected


@pytest.mark.parametrize(
    ("role", "reads_draft", "writes"),
    [
        ("monitor", True, True),
        ("other_monitor", False, False),
        ("focal", False, False),
        ("police_focal", False, False),
        ("coordinator", False, False),
        ("admin", False, False),
        ("viewer", False, False),
        ("anonymous", False, False),
    ],
)
def test_a_draft_account_is_its_organisations_alone(
    money: Money, role: str, reads_draft: bool, writes: bool
) -> None:
    account = _account(money, _l1(money), released=250)
    access = PlanAccess(_user(money, role), money.plan)
    assert access.can_view_money_account(account) is reads_draft
    assert access.can_edit_money_account(account) is writes
    assert access.can_keep_money_accounts(_cso(money)) is writes
    if not writes:
        with pytest.raises(PermissionDenied):
            services.money_account_publish(by=_user(money, role), account=account)
        with pytest.raises(PermissionDenied):
            services.money_account_save(
                by=_user(money, role),
                plan=money.plan,
                organisation=_cso(money),
                data={"line": _l1(money).pk, "released": 1, "evidence": "x",
                      "observed_on": "2025-01-01"},
            )  # fmt: skip
    services.money_account_publish(by=money.users["monitor"], account=account)
    assert access.can_view_money_account(account)  # published: whoever reads the plan
    assert not access.can_edit_money_account(account)  # and nobody changes it any more


def test_a_monitor_cannot_speak_for_a_government_organisation(money: Money) -> None:
    ministry = _l1(money).funder
    assert ministry is not None
    with pytest.raises(PermissionDenied):
        services.budget_challenge_open(
            by=money.users["monitor"], line=_l1(money), organisation=ministry, subject="Q", text="T"
        )


# ----------------------------------------------------------------------------- the exchange


def test_the_exchange_follows_its_statuses_and_is_never_rewritten(money: Money) -> None:
    challenge = _open(money)
    monitor, focal = money.users["monitor"], money.users["focal"]
    with pytest.raises(ValidationError, match="Only an answered challenge can be disputed"):
        services.budget_challenge_dispute(by=monitor, challenge=challenge, text="No")
    services.budget_challenge_answer(by=focal, challenge=challenge, text="Salaries.")
    with pytest.raises(ValidationError, match="Only an open or disputed"):
        services.budget_challenge_answer(by=focal, challenge=challenge, text="Again")
    services.budget_challenge_dispute(by=monitor, challenge=challenge, text="No proof.")
    services.budget_challenge_answer(by=focal, challenge=challenge, text="Orders attached.")
    services.budget_challenge_resolve(by=monitor, challenge=challenge, text="Thank you.")
    with pytest.raises(ValidationError, match="already resolved"):
        services.budget_challenge_resolve(by=monitor, challenge=challenge, text="Again")
    kinds = list(challenge.messages.values_list("kind", flat=True))
    assert kinds == ["question", "answer", "dispute", "answer", "resolution"]
    first = challenge.messages.first()
    assert first is not None
    first.text = "rewritten"
    with pytest.raises(ValueError, match="never changed"):
        first.save()
    with pytest.raises(ValueError, match="never deleted"):
        first.delete()
    assert ChallengeMessage.objects.get(pk=first.pk).text == "The centres received nothing."


def test_empty_texts_are_refused_and_nothing_is_stored(money: Money) -> None:
    with pytest.raises(ValidationError) as refused:
        services.budget_challenge_open(
            by=money.users["monitor"], line=_l1(money), organisation=_cso(money), subject=" ",
            text="x" * 10_001,
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"subject", "text"}
    assert not BudgetChallenge.objects.exists() and not ChallengeMessage.objects.exists()
    challenge = _open(money)
    with pytest.raises(ValidationError):
        services.budget_challenge_answer(by=money.users["focal"], challenge=challenge, text="")
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.OPEN and challenge.messages.count() == 1


def test_a_challenged_line_is_not_deleted(money: Money) -> None:
    _open(money)
    with pytest.raises(ValidationError, match="cannot be deleted"):
        services.budget_line_delete(by=money.users["coordinator"], line=_l1(money))
    with pytest.raises(PermissionDenied):  # and the rights are asked first
        services.budget_line_delete(by=money.users["police_focal"], line=_l1(money))
    assert BudgetLine.objects.filter(pk=_l1(money).pk).exists()


# ----------------------------------------------------------------------------- bad amounts


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"released": "-5"}, "released"),
        ({"released": "1,500"}, "released"),
        ({"reached": "lots"}, "reached"),
        ({"allocated": "1.005"}, "allocated"),
        ({"allocated": "1e20"}, "allocated"),
        ({}, "allocated"),  # no amount at all
        ({"released": 5, "link": "javascript:alert(1)"}, "link"),
        ({"released": 5, "observed_on": "2999-01-01"}, "observed_on"),
        ({"released": 5, "observed_on": "01/02/2025"}, "observed_on"),
        ({"released": 5, "evidence": "  "}, "evidence"),
        ({"released": 5, "line": 999_999}, "line"),
    ],
)
def test_bad_accounts_are_refused_with_the_field_and_nothing_stored(
    money: Money, data: dict[str, Any], field: str
) -> None:
    row = {"line": _l1(money).pk, "evidence": "Seen", "observed_on": "2025-02-01", **data}
    with pytest.raises(ValidationError) as refused:
        services.money_account_save(
            by=money.users["monitor"], plan=money.plan, organisation=_cso(money), data=row
        )
    assert field in refused.value.message_dict
    assert not MoneyAccount.objects.exists()


def test_an_account_of_an_action_as_a_whole(money: Money) -> None:
    account = services.money_account_save(
        by=money.users["monitor"],
        plan=money.plan,
        organisation=_cso(money),
        data={"action": "P1.O1.1.A1", "reached": "120.50", "evidence": "Visits",
              "observed_on": datetime.date(2025, 1, 5), "link": "https://example.org/r"},
    )  # fmt: skip
    assert account.line is None and account.action.code == "P1.O1.1.A1"
    assert account.reached == Decimal("120.50")


# ----------------------------------------------------------------------------- divergence


def test_budget_divergence_worked_by_hand(money: Money) -> None:
    """L1 (USD): disbursed 400, spent 300; CSO: released 250, reached 100.
       released |400-250| = 150, 150/400 = 0.375; reached |300-100| = 200, 200/300 = 0.6667.
    L2 (EUR 2024 x 1.10): spent 550 USD, disbursed none; CSO: released 800, reached 550:
       released not compared; reached 0, 0.
    L3 (CDF x 0.0004): spent 100 USD; CSO reached 0: 100, 100/100 = 1.
    L4 (EUR 2026, no rate): not compared, listed. A draft account counts nowhere.
    Ranked: L3 (1), L1 (0.667), L2 (0)."""
    monitor = money.users["monitor"]
    l1, l2 = _l1(money), money.line("P1.O1.1.A2", 2024)
    l3, l4 = money.line("P2.O1.1.A1", 2024), money.line("P2.O1.1.A2", 2026)
    # An older account of L1, superseded by the later one.
    for line, amounts, day in (
        (l1, {"released": 400, "reached": 300}, "2025-01-01"),
        (l1, {"released": 250, "reached": 100, "allocated": 600}, "2025-02-01"),
        (l2, {"released": 800, "reached": 550}, "2025-02-01"),
        (l3, {"reached": 0}, "2025-02-01"),
        (l4, {"reached": 10}, "2025-02-01"),
    ):
        services.money_account_publish(
            by=monitor, account=_account(money, line, observed_on=day, **amounts)
        )
    _account(money, l2, reached=1)  # a draft: not compared
    found = budget_divergence(money.plan)
    assert [d.line.pk for d in found.divergences] == [l3.pk, l1.pk, l2.pk]
    third, first, second = found.divergences
    assert third.stage("reached").absolute == Decimal("100.00")
    assert third.stage("reached").relative == 1.0
    assert first.stage("released").absolute == Decimal("150.00")
    assert first.stage("released").relative == pytest.approx(0.375)
    assert first.stage("reached").relative == pytest.approx(2 / 3)
    assert first.stage("allocated").relative == 0.0
    assert second.stage("reached").government == Decimal("550.00")
    assert second.stage("reached").relative == 0.0
    assert not second.stage("released").compared
    assert [ln.pk for ln in found.not_converted] == [l4.pk]


# ----------------------------------------------------------------------------- pages


def test_the_line_page_shows_both_accounts_and_the_exchange(money: Money) -> None:
    l1 = _l1(money)
    challenge = _open(money)
    services.budget_challenge_answer(by=money.users["focal"], challenge=challenge, text="Paid.")
    draft = _account(money, l1, released=250)
    url = f"/plans/{money.plan.code}/finance/lines/{l1.pk}/civil-society/"
    public = Client().get(url)
    assert public.status_code == 200
    html = public.content.decode()
    assert "Where did the money go?" in html and "Paid." in html and "Answered" in html
    assert "Treasury statements" not in html  # the draft
    coordinator = Client()
    coordinator.force_login(money.users["coordinator"])
    assert "Treasury statements" not in coordinator.get(url).content.decode()
    monitor = Client()
    monitor.force_login(money.users["monitor"])
    mine = monitor.get(url).content.decode()
    assert "Treasury statements" in mine and "Open the challenge" in mine
    monitor.post(url, {"do": "publish", "account": draft.pk})
    assert "Treasury statements" in Client().get(url).content.decode()
    # The lines list links to the page.
    assert url in Client().get(f"/plans/{money.plan.code}/finance/lines/").content.decode()


def test_the_line_page_forms_refuse_the_wrong_hands(money: Money) -> None:
    l1 = _l1(money)
    challenge = _open(money)
    url = f"/plans/{money.plan.code}/finance/lines/{l1.pk}/civil-society/"
    anonymous = Client().post(url, {"do": "answer", "challenge": challenge.pk, "text": "x"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    police = Client()
    police.force_login(money.users["police_focal"])
    refused = police.post(url, {"do": "answer", "challenge": challenge.pk, "text": "x"})
    assert refused.status_code == 403
    assert "Your answer" not in police.get(url).content.decode()
    focal = Client()
    focal.force_login(money.users["focal"])
    assert "Your answer" in focal.get(url).content.decode()
    empty = focal.post(url, {"do": "answer", "challenge": challenge.pk, "text": ""})
    assert empty.status_code == 400
    done = focal.post(url, {"do": "answer", "challenge": challenge.pk, "text": "Salaries"})
    assert done.status_code == 302
    monitor = Client()
    monitor.force_login(money.users["monitor"])
    bad = monitor.post(url, {"do": "account", "released": "-1", "evidence": "x",
                             "observed_on": "2025-01-01"})  # fmt: skip
    assert bad.status_code == 400 and not MoneyAccount.objects.exists()
    opened = monitor.post(url, {"do": "open", "subject": "Second", "text": "Why?"})
    assert opened.status_code == 302
    assert BudgetChallenge.objects.filter(subject="Second").exists()


def test_the_divergence_page(money: Money) -> None:
    services.money_account_publish(
        by=money.users["monitor"], account=_account(money, _l1(money), released=250, reached=100)
    )
    page = Client().get(f"/plans/{money.plan.code}/finance/divergence/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "150" in html and "38%" in html and "67%" in html


# ----------------------------------------------------------------------------- API


def _api(m: Money, role: str) -> tuple[Client, dict[str, str]]:
    _token, raw = ApiToken.issue(user=m.users[role], name="test")
    return Client(), {"Authorization": f"Bearer {raw}"}


def test_the_api_reads(money: Money) -> None:
    l1 = _l1(money)
    challenge = _open(money)
    services.budget_challenge_answer(by=money.users["focal"], challenge=challenge, text="Paid.")
    _account(money, l1, released=250)  # a draft
    client, auth = _api(money, "coordinator")
    base = f"/api/v1/plans/{money.plan.code}/finance"
    line = client.get(f"{base}/budget-lines/{l1.pk}/civil-society", headers=auth).json()
    assert line["line"]["id"] == l1.pk and line["accounts"] == []
    assert [m["kind"] for m in line["challenges"][0]["messages"]] == ["question", "answer"]
    assert line["challenges"][0]["addressee"] == "mogender"
    listed = client.get(f"{base}/challenges?status=answered", headers=auth).json()
    assert [c["id"] for c in listed] == [challenge.pk]
    assert client.get(f"{base}/challenges?status=open", headers=auth).json() == []
    assert client.get(f"{base}/challenges?status=nonsense", headers=auth).status_code == 400
    mine_client, mine = _api(money, "monitor")
    assert len(mine_client.get(f"{base}/money-accounts", headers=mine).json()) == 1
    assert client.get(f"{base}/money-accounts", headers=auth).json() == []
    divergence = client.get(f"{base}/divergence", headers=auth).json()
    assert divergence == {"currency": "USD", "items": [], "not_converted": []}
    assert Client().get(f"{base}/challenges").status_code == 401
    assert client.get(f"{base}/budget-lines/999999/civil-society", headers=auth).status_code == 404


# ----------------------------------------------------------------------------- report, demo


def test_the_report_subsection(money: Money) -> None:
    access = PlanAccess(money.users["coordinator"], money.plan)
    context = report_context(access, scope=YEAR, year=2024, version=INTERNAL)
    empty = money_challenges.build(context)
    assert empty.key == "money.challenges" and empty.empty and not empty.blocks
    challenge = _open(money)
    services.budget_challenge_answer(by=money.users["focal"], challenge=challenge, text="Paid.")
    services.money_account_publish(
        by=money.users["monitor"], account=_account(money, _l1(money), released=250, reached=100)
    )
    section = money_challenges.build(context)
    assert not section.empty
    tables = {t.key: t for t in section.tables}
    listed = tables["money.challenges.list"]
    assert [c.text for c in listed.rows[0]][4:] == ["Where did the money go?", "Answered",
                                                     "Answer: Paid."]  # fmt: skip
    divergence = tables["money.challenges.divergence"]
    assert divergence.rows[0][3].value == 400.0 and divergence.rows[0][5].value == 0.375
    assert "1 challenges: 0 open, 1 answered" in section.blocks[0].text  # type: ignore[union-attr]
    # A report of another year leaves this year's lines out.
    other = report_context(access, scope=YEAR, year=2025, version=INTERNAL)
    assert money_challenges.build(other).empty


def test_the_demo_part(money: Money) -> None:
    services.budget_line_save(
        by=money.users["coordinator"],
        plan=money.plan,
        data={"action": "P1.O1.1.A2", "year": 2025, "funding_kind": "national_budget",
              "funder": "mogender", "currency": "USD", "allocated": 900, "disbursed": 700,
              "spent": 500},
    )  # fmt: skip
    assert budgetwatch_load(money.plan) == 4
    challenges = list(BudgetChallenge.objects.order_by("pk"))
    assert [c.status for c in challenges] == [ChallengeStatus.ANSWERED, ChallengeStatus.DISPUTED]
    assert all(c.subject.startswith("(Fictitious") for c in challenges)
    assert MoneyAccount.objects.filter(published_at__isnull=False).count() == 2
    assert budgetwatch_load(money.plan) == 0  # once
